/**
 * Facilitation follows from status, by configuration (REFERENCE.md §5.3): an inspection-rate
 * multiplier (applied to the risk score and to the random-control rate), queue priority, deferred
 * or periodic payment, and a reduced data set. Status is a modifier, never a bypass: rules that set
 * a lane directly (prohibitions, watchlists) and the security track (DNL, referral) are untouched.
 */
import type { ConsignmentInput, Lane, RiskAssessment, RiskHit } from '../domain/index.js';
import { controlDraw } from '../risk/index.js';
import { priorityHitIds } from '../store/console/queue-sql.js';
import type { RequiredElements } from '../intake/index.js';
import { conferredLevel, effectiveAt, sanctionLevels, type TrustLevel } from './status.js';
import { involvedOperators, type OperatorTrust, type PartyRole, type TrustIndex } from './trust-index.js';

/** Named intake data sets and which level uses which (see data-sets.ts). `full` must exist. */
export interface DataSetPolicy {
  sets: Record<string, RequiredElements>;
  /** Level -> set name; a level not listed uses `reduced` if its facilitation grants a reduced data set, else `full`. */
  byLevel?: Partial<Record<TrustLevel, string>>;
}

/** What one status level grants (or imposes). */
export interface LevelFacilitation {
  /** Multiplies the risk score and the random-control rate: below 1 facilitates, above 1 penalises. */
  inspectionRateMultiplier: number;
  /** Minimum random-control rate (e.g. 0.8 for dishonest enterprises). */
  randomRateFloor?: number;
  priority: 'high' | 'normal' | 'low';
  deferredPayment: boolean;
  reducedDataSet: boolean;
}

/** The facilitation policy: per level, per compliance band, per enforcement case, and which roles facilitate. */
export interface FacilitationPolicy {
  levels: Record<TrustLevel, LevelFacilitation>;
  /** Compliance-score multipliers: low scores penalise; high scores with enough observations facilitate a little. */
  compliance: { low: number; medium: number; high: number; highMinObservations: number };
  /** Risk points per confirmed counterfeit / unsafe case against a seller or platform named on the parcel, capped. */
  enforcement: { pointsPerCase: number; maxPoints: number };
  /** Roles whose status can facilitate a parcel (a sanction on any role always applies). */
  facilitatingRoles: readonly PartyRole[];
  /** The data sets intake requires per status (default: defaultDataSetPolicy in data-sets.ts). */
  dataSets?: DataSetPolicy;
}

const level = (
  inspectionRateMultiplier: number,
  priority: LevelFacilitation['priority'],
  deferredPayment: boolean,
  reducedDataSet: boolean,
  randomRateFloor?: number,
): LevelFacilitation => ({
  inspectionRateMultiplier,
  priority,
  deferredPayment,
  reducedDataSet,
  ...(randomRateFloor !== undefined ? { randomRateFloor } : {}),
});

/**
 * Default policy. EU: AEOC gets customs simplifications (deferred payment), AEOS the reduced security
 * data set, AEOF both; all fewer controls. China Order 251: advanced certified below 20% of the ordinary
 * inspection rate; dishonest at least 80% (REFERENCE.md §5.2, marked [U] there: confirm per jurisdiction).
 */
export const defaultFacilitationPolicy: FacilitationPolicy = {
  levels: {
    AEOF: level(0.2, 'high', true, true),
    AEOC: level(0.3, 'high', true, false),
    AEOS: level(0.4, 'high', false, true),
    'cn-advanced-certified': level(0.2, 'high', true, true),
    'cn-general-certified': level(0.6, 'normal', false, false),
    'cn-general-credit': level(1, 'normal', false, false),
    'cn-dishonest': level(4, 'low', false, false, 0.8),
    'trusted-trader': level(0.5, 'high', true, false),
  },
  compliance: { low: 1.5, medium: 1, high: 0.8, highMinObservations: 50 },
  enforcement: { pointsPerCase: 15, maxPoints: 45 },
  facilitatingRoles: ['submitter', 'declarant', 'platform', 'seller', 'tax-registrant'],
};

/** The facilitation for one parcel or operator at an instant, with the reasons. */
export interface Facilitation {
  inspectionRateMultiplier: number;
  randomRateFloor: number;
  addedRiskPoints: number;
  priority: 'high' | 'normal' | 'low';
  deferredPayment: boolean;
  reducedDataSet: boolean;
  reasons: string[];
  /** The operators and statuses that decided it. */
  basis: { operatorId: string; roles: PartyRole[]; level?: TrustLevel; statusId?: string; score?: number }[];
}

/** No facilitation, no penalty. */
export const neutralFacilitation = (): Facilitation => ({
  inspectionRateMultiplier: 1,
  randomRateFloor: 0,
  addedRiskPoints: 0,
  priority: 'normal',
  deferredPayment: false,
  reducedDataSet: false,
  reasons: [],
  basis: [],
});

interface OperatorTerms {
  operatorId: string;
  roles: PartyRole[];
  status?: { level: TrustLevel; id: string; terms: LevelFacilitation; sanction: boolean };
  scoreMultiplier: number;
  score?: number;
  reasons: string[];
}

function termsOf(
  o: OperatorTrust,
  roles: PartyRole[],
  at: string,
  policy: FacilitationPolicy,
): OperatorTerms {
  const reasons: string[] = [];
  let status: OperatorTerms['status'];
  for (const s of o.statuses) {
    if (effectiveAt(s, at) !== 'in-force') continue;
    const lv = conferredLevel(s);
    const terms = policy.levels[lv];
    const sanction = sanctionLevels.has(lv);
    // A sanction outranks any certificate; among certificates the most facilitating wins.
    if (
      status === undefined ||
      (sanction && !status.sanction) ||
      (sanction === status.sanction &&
        (sanction
          ? terms.inspectionRateMultiplier > status.terms.inspectionRateMultiplier
          : terms.inspectionRateMultiplier < status.terms.inspectionRateMultiplier))
    )
      status = { level: lv, id: s.id, terms, sanction };
  }
  if (status) {
    const s = o.statuses.find((x) => x.id === status!.id)!;
    reasons.push(
      `${o.name} (${o.operatorId}) holds ${status.level}${s.mutualRecognition ? ` by mutual recognition (${s.mutualRecognition.agreement})` : ''} valid ${s.validFrom.slice(0, 10)} to ${s.validTo?.slice(0, 10) ?? 'open'}: inspection rate × ${status.terms.inspectionRateMultiplier}`,
    );
  }
  let scoreMultiplier = 1;
  const c = o.compliance;
  if (c) {
    if (c.band === 'low') scoreMultiplier = policy.compliance.low;
    else if (c.band === 'high' && c.observations >= policy.compliance.highMinObservations)
      scoreMultiplier = policy.compliance.high;
    else scoreMultiplier = policy.compliance.medium;
    if (scoreMultiplier !== 1)
      reasons.push(
        `${o.operatorId} compliance score ${c.score} (${c.band}): inspection rate × ${scoreMultiplier}`,
      );
  }
  return {
    operatorId: o.operatorId,
    roles,
    ...(status ? { status } : {}),
    scoreMultiplier,
    ...(c ? { score: c.score } : {}),
    reasons,
  };
}

/** Combines the terms of every involved operator: penalties from anyone, facilitation from the best facilitating party. */
function combine(all: OperatorTerms[], enforcementCases: number, policy: FacilitationPolicy): Facilitation {
  const f = neutralFacilitation();
  const multiplierOf = (t: OperatorTerms) =>
    (t.status?.terms.inspectionRateMultiplier ?? 1) * t.scoreMultiplier;
  const penalties = all.filter((t) => t.status?.sanction || multiplierOf(t) > 1);
  if (penalties.length > 0) {
    for (const t of penalties) {
      const m = multiplierOf(t);
      if (m > f.inspectionRateMultiplier) f.inspectionRateMultiplier = m;
      f.randomRateFloor = Math.max(f.randomRateFloor, t.status?.terms.randomRateFloor ?? 0);
      if (t.status?.sanction) f.priority = 'low';
      f.reasons.push(...t.reasons);
      f.basis.push(basisOf(t));
    }
  } else {
    const eligible = all.filter((t) => t.roles.some((r) => policy.facilitatingRoles.includes(r)));
    let best: OperatorTerms | undefined;
    for (const t of eligible) if (best === undefined || multiplierOf(t) < multiplierOf(best)) best = t;
    if (best && multiplierOf(best) < 1) {
      f.inspectionRateMultiplier = multiplierOf(best);
      f.priority = best.status?.terms.priority ?? 'normal';
      f.deferredPayment = best.status?.terms.deferredPayment ?? false;
      f.reducedDataSet = best.status?.terms.reducedDataSet ?? false;
      f.reasons.push(...best.reasons);
      f.basis.push(basisOf(best));
    }
  }
  if (enforcementCases > 0) {
    f.addedRiskPoints = Math.min(
      policy.enforcement.maxPoints,
      enforcementCases * policy.enforcement.pointsPerCase,
    );
    f.reasons.push(
      `${enforcementCases} confirmed counterfeit or unsafe-goods case(s) against the seller or platform: +${f.addedRiskPoints} risk points`,
    );
  }
  return f;
}

function basisOf(t: OperatorTerms): Facilitation['basis'][number] {
  return {
    operatorId: t.operatorId,
    roles: t.roles,
    ...(t.status ? { level: t.status.level, statusId: t.status.id } : {}),
    ...(t.score !== undefined ? { score: t.score } : {}),
  };
}

/** The facilitation one operator's own status and score give at `at` (as the only party of a parcel). */
export function facilitationFor(
  index: TrustIndex,
  operatorId: string,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
): Facilitation {
  const o = index.get(operatorId);
  if (!o) return neutralFacilitation();
  return combine([termsOf(o, ['submitter'], at, policy)], o.enforcement.confirmedCases, policy);
}

/** The facilitation for a parcel: every registered party named in it (and the submitter) at `at`. */
export function facilitationForConsignment(
  index: TrustIndex,
  input: ConsignmentInput,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
  submitterId?: string,
): Facilitation {
  const involved = involvedOperators(index, input, submitterId);
  if (involved.length === 0) return neutralFacilitation();
  const cases = involved
    .filter((i) => i.roles.includes('seller') || i.roles.includes('platform'))
    .reduce((n, i) => n + i.operator.enforcement.confirmedCases, 0);
  return combine(
    involved.map((i) => termsOf(i.operator, i.roles, at, policy)),
    cases,
    policy,
  );
}

/** What applyFacilitation needs from the snapshot to redo scoring and the random draw. */
export interface FacilitationContext {
  consignmentId: string;
  thresholds: { red: number; yellow: number; blue: number };
  randomSeed: string;
  randomRate: number;
}

const RANK: Record<Lane, number> = { green: 0, blue: 1, yellow: 2, red: 3 };
const severer = (a: Lane, b: Lane): Lane => (RANK[b] > RANK[a] ? b : a);

/** Whether a facilitation changes nothing. */
export const isNeutral = (f: Facilitation): boolean =>
  f.inspectionRateMultiplier === 1 &&
  f.randomRateFloor === 0 &&
  f.addedRiskPoints === 0 &&
  f.basis.length === 0;

/**
 * Applies a facilitation to a risk assessment (pure): the score is multiplied and enforcement points
 * added, the score lane recomputed, the random draw repeated at the adjusted rate (same deterministic
 * draw, so an AEO parcel is sampled only if it would have been at the base rate too). Lanes set by
 * rules and the security outcome are kept as they were. An `operator-trust` hit explains the change.
 */
export function applyFacilitation(
  risk: RiskAssessment,
  f: Facilitation,
  ctx: FacilitationContext,
): RiskAssessment {
  if (isNeutral(f)) return risk;
  const score = Math.max(
    0,
    Math.min(100, Math.round(risk.score * f.inspectionRateMultiplier + f.addedRiskPoints)),
  );
  let directLane: Lane = 'green';
  for (const h of risk.hits) if (h.kind === 'rule' && h.lane) directLane = severer(directLane, h.lane);
  const t = ctx.thresholds;
  const scoreLane: Lane =
    score >= t.red ? 'red' : score >= t.yellow ? 'yellow' : score >= t.blue ? 'blue' : 'green';
  const rate = Math.min(1, Math.max(ctx.randomRate * f.inspectionRateMultiplier, f.randomRateFloor));
  const randomSelected = rate > 0 && controlDraw(ctx.randomSeed, ctx.consignmentId) < rate;
  let lane = severer(directLane, scoreLane);
  const hits: RiskHit[] = risk.hits.filter((h) => h.kind !== 'random');
  hits.push({
    id: 'operator-trust',
    version: 1,
    kind: 'indicator',
    score: score - risk.score,
    reason: f.reasons.join('; ') || 'registered operator, no facilitation',
    inputs: {
      inspectionRateMultiplier: f.inspectionRateMultiplier,
      randomRate: rate,
      addedRiskPoints: f.addedRiskPoints,
      priority: f.priority,
      deferredPayment: f.deferredPayment,
      reducedDataSet: f.reducedDataSet,
      basis: f.basis,
      scoreBefore: risk.score,
    },
  });
  // Priority handling: a zero-score marker the work queue orders by (high first, low last) and the
  // capacity selector breaks threshold ties with (store/console/queue-sql.ts, risk/selector.ts).
  if (f.priority !== 'normal')
    hits.push({
      id: f.priority === 'high' ? priorityHitIds.high : priorityHitIds.low,
      version: 1,
      kind: 'indicator',
      score: 0,
      reason:
        f.priority === 'high'
          ? `priority handling (${f.basis.map((b) => `${b.operatorId}${b.level ? ` ${b.level}` : ''}`).join(', ')}): handled first when held, wins ties at the inspection threshold`
          : `low priority (${f.basis.map((b) => `${b.operatorId}${b.level ? ` ${b.level}` : ''}`).join(', ')}): handled last when held`,
      inputs: { priority: f.priority },
    });
  if (randomSelected) {
    lane = 'red';
    hits.push({
      id: 'random-control',
      version: 1,
      kind: 'random',
      score: 0,
      lane: 'red',
      reason:
        rate === ctx.randomRate
          ? 'random control sample'
          : `random control sample (rate ${(rate * 100).toFixed(1)}% for this operator)`,
      inputs: { laneWithoutDraw: severer(directLane, scoreLane) },
    });
  }
  return { ...risk, score, lane, hits, randomSelected };
}
