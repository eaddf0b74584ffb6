/**
 * Weights calibrated by hit rate (learning from outcomes, ASYCUDA-style selectivity): each rule's and
 * indicator's points are re-read from what inspections found when it fired.
 *
 * The score is read as evidence on a log-odds scale anchored by the outcomes themselves: 0 points is
 * the random control sample's hit rate (no evidence, the true compliance baseline) and the red
 * threshold is the targeted inspections' hit rate. A configured weight `w` therefore states an
 * expected hit rate p0 = σ(lR + (w / red)(lT − lR)) (lR, lT the log-odds of the two anchors). Its
 * observed hits h in n selections update a Beta prior of `priorStrength` inspections centred on p0,
 * and the posterior mean is read back on the same scale as points, bounded to ±`maxAdjustment` of the
 * configured weight and rounded (weights are whole points). An outcome counts for the rule that
 * carried the selection (the largest configured weight among those that fired). A rule with few
 * outcomes keeps its weight; a rule whose inspections find less than its weight promises loses points;
 * one that finds more gains.
 *
 * Pure: the same rule set and outcomes give the same calibration. Rules and indicators without a
 * positive weight (lane-only rules, operator trust) are never calibrated.
 */
import { createHash } from 'node:crypto';
import type { CompiledRuleSet } from './compile-rules.js';
import { indicatorIds, type IndicatorId } from './names.js';
import { isViolationFinding } from './findings.js';
import { latestOutcomes, type InspectionOutcome } from './rules-report.js';

/** How strongly configured weights hold against outcomes. */
export interface CalibrationOptions {
  /** Weight of the configured weight, in inspections (the Beta prior's strength; default 10). */
  priorStrength?: number;
  /** Largest change, as a share of the configured weight (default 0.5: between half and one and a half). */
  maxAdjustment?: number;
}

/** One rule's or indicator's weight before and after calibration, with the outcomes behind it. */
export interface CalibratedWeight {
  id: string;
  kind: 'rule' | 'indicator';
  configured: number;
  calibrated: number;
  selections: number;
  hits: number;
}

/** A calibration learnt from outcomes: the anchors, the options and every positive weight. */
export interface WeightCalibration {
  /** `cal:` and a hash of the calibrated weights (recorded in the snapshot version). */
  id: string;
  /** The rule set calibrated (`id@version`). */
  ruleSetKey: string;
  /** Why the weights were left as configured, when they were (no anchor). */
  skipped?: string;
  random: { inspections: number; hits: number };
  targeted: { inspections: number; hits: number };
  priorStrength: number;
  maxAdjustment: number;
  weights: CalibratedWeight[];
}

const DEFAULT_PRIOR = 10;
const DEFAULT_MAX_ADJUSTMENT = 0.5;

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
// Jeffreys' estimate: never 0 or 1, so an anchor with no miss (or no hit) still has finite log-odds.
const rate = (hits: number, n: number): number => (hits + 0.5) / (n + 1);

/**
 * Learns calibrated weights for a rule set from inspection outcomes (one per consignment, the latest).
 * An outcome is credited to the rule or indicator that carried the selection: the one of the largest
 * configured weight among those that fired (all of them when tied). A weak rule that fires beside a
 * strong one does not take the strong one's hit rate; its own evidence is where it fired without one.
 */
export function learnCalibration(
  ruleSet: CompiledRuleSet,
  outcomes: readonly InspectionOutcome[],
  opts: CalibrationOptions = {},
): WeightCalibration {
  const priorStrength = opts.priorStrength ?? DEFAULT_PRIOR;
  const maxAdjustment = opts.maxAdjustment ?? DEFAULT_MAX_ADJUSTMENT;
  if (!(priorStrength > 0)) throw new RangeError('priorStrength must be positive');
  if (!(maxAdjustment >= 0 && maxAdjustment <= 1)) throw new RangeError('maxAdjustment must be in [0, 1]');
  const configured = new Map<string, { kind: CalibratedWeight['kind']; weight: number }>();
  for (const id of indicatorIds) {
    const setting = ruleSet.indicators[id];
    if (setting && setting.weight > 0) configured.set(id, { kind: 'indicator', weight: setting.weight });
  }
  for (const r of ruleSet.rules) if (r.weight > 0) configured.set(r.id, { kind: 'rule', weight: r.weight });
  const random = { inspections: 0, hits: 0 };
  const targeted = { inspections: 0, hits: 0 };
  const stats = new Map<string, { selections: number; hits: number }>();
  for (const o of latestOutcomes(outcomes)) {
    const hit = isViolationFinding(o.finding);
    const anchor = o.random === true ? random : targeted;
    anchor.inspections++;
    if (hit) anchor.hits++;
    let strongest = 0;
    for (const id of o.ruleIds) strongest = Math.max(strongest, configured.get(id)?.weight ?? 0);
    if (strongest === 0) continue;
    for (const id of new Set(o.ruleIds)) {
      if (configured.get(id)?.weight !== strongest) continue;
      const s = stats.get(id) ?? { selections: 0, hits: 0 };
      s.selections++;
      if (hit) s.hits++;
      stats.set(id, s);
    }
  }
  const entries = [...configured].map(([id, c]): Omit<CalibratedWeight, 'calibrated'> => ({
    id,
    kind: c.kind,
    configured: c.weight,
    selections: stats.get(id)?.selections ?? 0,
    hits: stats.get(id)?.hits ?? 0,
  }));
  const lR = logit(rate(random.hits, random.inspections));
  const lT = logit(rate(targeted.hits, targeted.inspections));
  const red = ruleSet.thresholds.red;
  // Without both anchors (or when targeting finds no more than chance) points cannot be read as a hit rate.
  const skipped =
    random.inspections === 0
      ? 'no random-control outcomes'
      : targeted.inspections === 0
        ? 'no targeted outcomes'
        : !(lT > lR)
          ? 'targeted inspections find no more than the random sample'
          : red <= 0
            ? 'no red threshold'
            : undefined;
  const weights = entries.map((e): CalibratedWeight => {
    if (skipped !== undefined) return { ...e, calibrated: e.configured };
    const p0 = sigmoid(lR + (e.configured / red) * (lT - lR));
    const posterior = (e.hits + priorStrength * p0) / (e.selections + priorStrength);
    const points = (red * (logit(posterior) - lR)) / (lT - lR);
    const bounded = Math.min(
      e.configured * (1 + maxAdjustment),
      Math.max(e.configured * (1 - maxAdjustment), points),
    );
    return { ...e, calibrated: Math.max(0, Math.min(100, Math.round(bounded))) };
  });
  const id = `cal:${createHash('sha1')
    .update(JSON.stringify(weights.map((w) => [w.id, w.calibrated])))
    .digest('hex')
    .slice(0, 12)}`;
  return {
    id,
    ruleSetKey: ruleSet.key,
    ...(skipped === undefined ? {} : { skipped }),
    random,
    targeted,
    priorStrength,
    maxAdjustment,
    weights,
  };
}

/**
 * The rule set with calibrated weights (same compiled conditions, index and key); a calibration of
 * another rule set, or one that changes nothing, returns the rule set itself.
 */
export function calibrateRuleSet(ruleSet: CompiledRuleSet, calibration: WeightCalibration): CompiledRuleSet {
  if (calibration.ruleSetKey !== ruleSet.key) return ruleSet;
  const rules = new Map<string, number>();
  const indicators = new Map<string, number>();
  for (const w of calibration.weights)
    if (w.calibrated !== w.configured) (w.kind === 'rule' ? rules : indicators).set(w.id, w.calibrated);
  if (rules.size === 0 && indicators.size === 0) return ruleSet;
  const calibratedIndicators: CompiledRuleSet['indicators'] = {};
  for (const [id, setting] of Object.entries(ruleSet.indicators) as [
    IndicatorId,
    { threshold: number; weight: number },
  ][]) {
    const weight = indicators.get(id);
    calibratedIndicators[id] = weight === undefined ? setting : { ...setting, weight };
  }
  return {
    ...ruleSet,
    indicators: calibratedIndicators,
    rules: ruleSet.rules.map((r) => {
      const weight = rules.get(r.id);
      return weight === undefined ? r : { ...r, weight };
    }),
    calibration: calibration.id,
  };
}

/** Renders a calibration for an analyst: the anchors and every weight that moved. */
export function renderCalibration(c: WeightCalibration): string {
  const pct = (h: number, n: number): string => (n > 0 ? `${((100 * h) / n).toFixed(1)}%` : '-');
  const head = `Weights calibrated by hit rate (${c.id}; prior ${c.priorStrength} inspections, at most ±${Math.round(100 * c.maxAdjustment)}%; hits / inspections each carried): random sample ${c.random.hits}/${c.random.inspections} (${pct(c.random.hits, c.random.inspections)}) = 0 points, targeted ${c.targeted.hits}/${c.targeted.inspections} (${pct(c.targeted.hits, c.targeted.inspections)}) = the red threshold`;
  if (c.skipped !== undefined) return `${head}\n  weights as configured: ${c.skipped}`;
  const moved = c.weights.filter((w) => w.calibrated !== w.configured);
  return [
    head,
    ...(moved.length === 0 ? ['  no weight moved'] : []),
    ...moved.map(
      (w) =>
        `  ${w.id.padEnd(28)} ${String(w.configured).padStart(4)} -> ${String(w.calibrated).padEnd(4)} (${w.hits}/${w.selections} hits)`,
    ),
  ].join('\n');
}

/** The learning step from outcomes to weights: the calibration and the rule set with its weights. */
export function calibrateFromOutcomes(
  ruleSet: CompiledRuleSet,
  outcomes: readonly InspectionOutcome[],
  opts: CalibrationOptions = {},
): { ruleSet: CompiledRuleSet; calibration: WeightCalibration } {
  const calibration = learnCalibration(ruleSet, outcomes, opts);
  return { ruleSet: calibrateRuleSet(ruleSet, calibration), calibration };
}
