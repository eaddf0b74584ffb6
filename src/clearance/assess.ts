/** assess(): the pure function from a consignment and a reference snapshot to a decision. */
import type {
  Assessment,
  ConsignmentInput,
  Decision,
  Mismatch,
  RiskAssessment,
  SourceKind,
} from '../domain/index.js';
import { assessRevenue, notAssessedNote } from '../revenue/index.js';
import { arrivedInput } from './arrival-revenue.js';
import { assessRisk, prepaidComputedOf } from '../risk/index.js';
import type { ReferenceSnapshot } from './snapshot.js';
import { holdUnvalued } from './unvalued.js';

/** What assess needs to know about a consignment beyond its merged data. */
export interface AssessInput {
  consignmentId: string;
  input: ConsignmentInput;
  mismatches: Mismatch[];
  sourceKinds: SourceKind[];
  /** The submitter (operator id), when the caller knows it: operator trust may depend on it. */
  submitterId?: string;
  /** When the consignment was first received (a re-assessment); default `now`: the tax point's lower bound. */
  lodgedAt?: string;
  /** When the parcel arrived, once reported: the tax point follows it (docs/revenue.md). */
  arrivedAt?: string;
}

/** Maps the risk outcome to what the submitter must do; the security track overrides the fiscal one. */
export function decide(risk: RiskAssessment): Decision {
  if (risk.security === 'do-not-load') return 'do-not-load';
  if (risk.lane === 'red') return 'inspect';
  if (risk.lane === 'yellow' || risk.security === 'referral') return 'hold-for-information';
  return 'release';
}

/** Assesses revenue then risk; same input, snapshot and `now` give the same answer. */
export function assess(subject: AssessInput, snapshot: ReferenceSnapshot, now: string): Assessment {
  const persons = snapshot.persons;
  // The tax point is never before the data was lodged (docs/revenue.md): a re-assessment keeps it.
  const lodgedAt = subject.lodgedAt ?? now;
  const arrived = subject.arrivedAt;
  const options = persons?.optionsFor(
    subject.consignmentId,
    arrived === undefined ? subject.input : arrivedInput(subject.input, arrived),
    lodgedAt,
  );
  const revenue = assessRevenue(
    subject.input,
    snapshot.revenue,
    lodgedAt,
    arrived === undefined ? options : { ...options, arrivedAt: arrived },
  );
  persons?.note(subject.consignmentId, subject.input, revenue, lodgedAt);
  // Duty and tax that could not be assessed are unknown, not zero (unvalued.ts).
  const unvalued = notAssessedNote(revenue);
  const valueEur = revenue.currency === 'EUR' && unvalued === undefined ? revenue.intrinsicValue : null;
  const history = snapshot.history;
  const scored = assessRisk(
    {
      consignmentId: subject.consignmentId,
      input: subject.input,
      mismatches: subject.mismatches,
      sourceKinds: subject.sourceKinds,
      intrinsicValueEur: valueEur,
      // Tax collected at checkout (IOSS and the like): what the declared tax paid is checked against.
      ...(revenue.collectionModel !== 'border' ? { prepaid: prepaidComputedOf(revenue)! } : {}),
    },
    {
      ruleSet: snapshot.ruleSet,
      watchlist: snapshot.watchlist,
      randomRate: snapshot.randomRate,
      randomSeed: snapshot.randomSeed,
      now,
      ...(snapshot.referencePrices ? { referencePrices: snapshot.referencePrices } : {}),
      ...(snapshot.classifier ? { classifier: snapshot.classifier } : {}),
      ...(history ? { history } : {}),
      ...(snapshot.parties ? { parties: snapshot.parties } : {}),
    },
  );
  // Operator trust (AEO status, compliance) first, then inspection capacity picks among the red lanes.
  const adjusted = snapshot.adjustRisk ? snapshot.adjustRisk(subject, scored, now) : scored;
  const selected = snapshot.selection
    ? snapshot.selection.apply(adjusted, subject.consignmentId, subject.input, now)
    : adjusted;
  // Never released with nothing due because its duty and tax could not be assessed (unvalued.ts).
  const risk = unvalued === undefined ? selected : holdUnvalued(selected, unvalued);
  history?.note(subject.consignmentId, subject.input, valueEur, now);
  const terms = snapshot.paymentTerms?.(subject, revenue, now);
  const payment = terms !== undefined && 'mode' in terms ? terms : undefined;
  const paymentFallback = terms !== undefined && 'fallback' in terms ? terms.fallback : undefined;
  return {
    decision: decide(risk),
    risk,
    revenue,
    ...(payment ? { payment } : {}),
    ...(paymentFallback ? { paymentFallback } : {}),
    assessedAt: now,
    snapshotVersion: snapshot.version,
  };
}
