/** Learning from outcomes: selections, hits and hit rate per rule; and scenario tests of a rule set. */
import type { ConsignmentInput, Lane, Mismatch, RiskHit, SourceKind } from '../domain/index.js';
import { assessRisk, type RiskContext } from './assess-risk.js';
import type { CompiledRuleSet } from './compile-rules.js';
import { isViolationFinding } from './findings.js';
import { indicatorIds } from './names.js';
import type { PrepaidComputed } from './prepaid-tax.js';
import { emptyWatchlist } from './watchlist.js';

/** Inspection findings; anything but a clean finding (`cleanFindings`: nothing-found, none, clean...) is a hit. */
export type Finding =
  | 'nothing-found'
  | 'undervalued'
  | 'counterfeit'
  | 'prohibited'
  | 'misdescribed'
  | 'split-shipment'
  | 'other';

/** One inspection outcome: the rules (and indicators) that selected the parcel and what was found. */
export interface InspectionOutcome {
  ruleIds: readonly string[];
  finding: Finding | string;
  /** True when the parcel was drawn for the random control sample (the baseline hit rate). */
  random?: boolean;
  /** The consignment inspected: with it, a later outcome of the same consignment replaces an earlier one. */
  consignmentId?: string;
}

/**
 * Ids of the rules and indicators behind a selection (an outcome's `ruleIds`): not the random draw,
 * and not an indicator hit of 0 points, which only explains why it stood down (authorised seller).
 */
export function selectingHitIds(hits: readonly RiskHit[]): string[] {
  return hits
    .filter((h) => h.kind !== 'random' && !(h.kind === 'indicator' && h.score === 0))
    .map((h) => h.id);
}

/** Selections, hits and hit rate of one rule. */
export interface RuleStats {
  id: string;
  selections: number;
  hits: number;
  /** Hits / selections: the rule's precision. */
  hitRate: number;
  /** hitRate / the random sample's hit rate (null without random outcomes that found something). */
  lift: number | null;
  findings: Record<string, number>;
  neverHit: boolean;
}

/** Per-rule statistics over a set of outcomes. */
export interface RuleReport {
  outcomes: number;
  hits: number;
  rules: RuleStats[];
  /** Rules with selections but no hit. */
  neverHit: string[];
  /** The random control sample: inspections, hits and hit rate (the true compliance baseline). */
  random: { inspections: number; hits: number; hitRate: number };
}

/** One outcome per consignment, the latest (a corrected finding replaces the first; a repeat counts once). */
export function latestOutcomes(outcomes: readonly InspectionOutcome[]): InspectionOutcome[] {
  const latest = new Map<string, number>();
  outcomes.forEach((o, i) => {
    if (o.consignmentId !== undefined) latest.set(o.consignmentId, i);
  });
  return outcomes.filter((o, i) => o.consignmentId === undefined || latest.get(o.consignmentId) === i);
}

/** Counts selections and hits per rule; `knownRuleIds` lists rules with no selection at all as well. */
export function rulesReport(
  outcomes: readonly InspectionOutcome[],
  knownRuleIds: readonly string[] = [],
): RuleReport {
  const stats = new Map<string, { selections: number; hits: number; findings: Record<string, number> }>();
  for (const id of knownRuleIds) stats.set(id, { selections: 0, hits: 0, findings: {} });
  let hits = 0;
  const random = { inspections: 0, hits: 0, hitRate: 0 };
  const counted = latestOutcomes(outcomes);
  for (const o of counted) {
    const hit = isViolationFinding(o.finding);
    if (hit) hits++;
    if (o.random === true) {
      random.inspections++;
      if (hit) random.hits++;
    }
    for (const id of new Set(o.ruleIds)) {
      const s = stats.get(id) ?? { selections: 0, hits: 0, findings: {} };
      s.selections++;
      if (hit) {
        s.hits++;
        s.findings[o.finding] = (s.findings[o.finding] ?? 0) + 1;
      }
      stats.set(id, s);
    }
  }
  random.hitRate = random.inspections > 0 ? random.hits / random.inspections : 0;
  const rules = [...stats]
    .map(([id, s]) => ({
      id,
      selections: s.selections,
      hits: s.hits,
      hitRate: s.selections > 0 ? s.hits / s.selections : 0,
      lift: random.hitRate > 0 && s.selections > 0 ? s.hits / s.selections / random.hitRate : null,
      findings: s.findings,
      neverHit: s.hits === 0,
    }))
    .sort((a, b) => b.selections - a.selections || (a.id < b.id ? -1 : 1));
  return {
    outcomes: counted.length,
    hits,
    rules,
    neverHit: rules.filter((r) => r.neverHit).map((r) => r.id),
    random,
  };
}

/** Renders a rule report as a table; rules that never hit are flagged. */
export function renderRulesReport(r: RuleReport): string {
  const rate = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return [
    `${r.outcomes} inspections, ${r.hits} hits (${rate(r.outcomes ? r.hits / r.outcomes : 0)}); random sample ${r.random.inspections} inspections, hit rate ${rate(r.random.hitRate)}`,
    `${'rule'.padEnd(28)} ${'selections'.padStart(10)} ${'hits'.padStart(8)} ${'precision'.padStart(9)} ${'lift'.padStart(6)}`,
    ...r.rules.map(
      (s) =>
        `${s.id.padEnd(28)} ${String(s.selections).padStart(10)} ${String(s.hits).padStart(8)} ${(s.selections > 0 ? rate(s.hitRate) : '-').padStart(9)} ${(s.lift === null ? '-' : `${s.lift.toFixed(1)}x`).padStart(6)}${s.neverHit ? '  never hit' : ''}`,
    ),
  ].join('\n');
}

/** One scenario: a consignment and what the rule set must decide about it. */
export interface Scenario {
  name: string;
  input: ConsignmentInput;
  intrinsicValueEur?: string | null;
  mismatches?: Mismatch[];
  sourceKinds?: SourceKind[];
  /** Tax revenue computes as collected at checkout (for the prepaid-tax indicator). */
  prepaid?: PrepaidComputed;
  expect: { lane?: Lane; fires?: string[]; notFires?: string[] };
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  name: string;
  passed: boolean;
  lane: Lane;
  fired: string[];
  problems: string[];
}

/** Runs scenarios against a rule set (no watchlist, no random sample, `now` default 2026-01-01). */
export function scenarioTest(
  ruleSet: CompiledRuleSet,
  scenarios: readonly Scenario[],
  ctx: Partial<Omit<RiskContext, 'ruleSet'>> = {},
): ScenarioResult[] {
  const known = new Set<string>([...ruleSet.rules.map((r) => r.id), ...indicatorIds, 'random-control']);
  return scenarios.map((s) => {
    const risk = assessRisk(
      {
        consignmentId: s.name,
        input: s.input,
        mismatches: s.mismatches ?? [],
        sourceKinds: s.sourceKinds ?? [s.input.source],
        intrinsicValueEur: s.intrinsicValueEur ?? null,
        ...(s.prepaid ? { prepaid: s.prepaid } : {}),
      },
      {
        watchlist: emptyWatchlist(),
        randomRate: 0,
        randomSeed: 'scenario',
        now: '2026-01-01T00:00:00Z',
        ...ctx,
        ruleSet,
      },
    );
    const fired = risk.hits.map((h) => h.id);
    const problems: string[] = [];
    // A misspelt id would make "notFires" pass whatever happens: name only what the rule set has.
    for (const id of [...(s.expect.fires ?? []), ...(s.expect.notFires ?? [])])
      if (!known.has(id)) problems.push(`${id} is not a rule or indicator of ${ruleSet.key}`);
    if (s.expect.lane !== undefined && s.expect.lane !== risk.lane)
      problems.push(`expected lane ${s.expect.lane}, got ${risk.lane}`);
    for (const id of s.expect.fires ?? []) if (!fired.includes(id)) problems.push(`expected ${id} to fire`);
    for (const id of s.expect.notFires ?? [])
      if (fired.includes(id)) problems.push(`expected ${id} not to fire`);
    return { name: s.name, passed: problems.length === 0, lane: risk.lane, fired, problems };
  });
}

/** Renders scenario results, one line each, failures with their problems. */
export function renderScenarioResults(results: readonly ScenarioResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  return [
    ...results.map(
      (r) => `${r.passed ? 'ok  ' : 'FAIL'} ${r.name}${r.passed ? '' : `: ${r.problems.join('; ')}`}`,
    ),
    `${results.length - failed} passed, ${failed} failed`,
  ].join('\n');
}
