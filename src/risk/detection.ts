/** Detection quality against ground-truth labels: precision and recall at a fixed inspection rate. */

/** One assessed parcel as the evaluation sees it. */
export interface ScoredParcel {
  ref: string;
  score: number;
  lane: string;
  randomSelected: boolean;
  /** What made the score, as "id:points" (optional: only error listings read it). */
  hits?: readonly string[];
  /** The rules and indicators behind its selection (`selectingHitIds`; optional: only outcomes read it). */
  selecting?: readonly string[];
}

/** Ground truth of one parcel: the violations injected into it (empty when clean). */
export interface ParcelLabel {
  ref: string;
  violations: readonly string[];
}

/** Recall and precision for one violation type. */
export interface TypeDetection {
  type: string;
  /** Parcels carrying this violation. */
  violating: number;
  /** Of those, parcels inspected. */
  caught: number;
  recall: number;
  /** Share of inspections that found this violation type. */
  precision: number;
}

/** What `evaluateDetection` measured. */
export interface DetectionReport {
  inspectionRate: number;
  parcels: number;
  violating: number;
  /** Parcels inspected: the targeted top share plus the random sample. */
  inspected: number;
  targeted: number;
  random: number;
  /** Lowest score the targeted selection took. */
  scoreCutoff: number;
  overall: { caught: number; recall: number; precision: number };
  byType: TypeDetection[];
  /** Hit rate of the targeted (risk-selected) inspections. */
  targetedHitRate: number;
  /** Hit rate of the random control sample (the baseline violation rate). */
  randomHitRate: number;
  /** targetedHitRate / randomHitRate (Infinity when the random sample found nothing). */
  lift: number;
  /**
   * Highest recall any selection of this size could reach: every targeted slot on a violating parcel
   * outside the random sample, plus what the random sample found.
   */
  recallCeiling: number;
}

const LANE_RANK: Readonly<Record<string, number>> = { green: 0, blue: 1, yellow: 2, red: 3 };

// Score first; a lane set directly by a rule (e.g. weapons) breaks ties; then the ref, for a stable order.
function riskier(a: ScoredParcel, b: ScoredParcel): number {
  return (
    b.score - a.score ||
    (LANE_RANK[b.lane] ?? 0) - (LANE_RANK[a.lane] ?? 0) ||
    (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)
  );
}

// The top `rate` share of `sorted` (riskiest first) by risk, leaving out the random-control parcels.
function topShare(
  sorted: readonly ScoredParcel[],
  rate: number,
): { targeted: Set<string>; scoreCutoff: number } {
  const quota = Math.round(rate * sorted.length);
  const targeted = new Set<string>();
  let scoreCutoff = 0;
  for (const p of sorted) {
    if (targeted.size >= quota) break;
    if (p.randomSelected) continue;
    targeted.add(p.ref);
    scoreCutoff = p.score;
  }
  return { targeted, scoreCutoff };
}

/** The refs an inspection rate selects: the riskiest `inspectionRate` share plus every random-control parcel. */
export function selectForInspection(
  assessments: readonly ScoredParcel[],
  inspectionRate: number,
): Set<string> {
  const { targeted } = topShare([...assessments].sort(riskier), inspectionRate);
  for (const a of assessments) if (a.randomSelected) targeted.add(a.ref);
  return targeted;
}

const ratio = (x: number, of: number): number => (of > 0 ? x / of : 0);

/**
 * Inspects the top `inspectionRate` share of parcels by risk (plus every random-control parcel) and
 * measures precision and recall per violation type and overall against the labels.
 */
export function evaluateDetection(
  assessments: readonly ScoredParcel[],
  labels: readonly ParcelLabel[],
  inspectionRate: number,
): DetectionReport {
  if (!(inspectionRate >= 0 && inspectionRate <= 1)) throw new RangeError('inspectionRate must be in [0, 1]');
  const truth = new Map<string, readonly string[]>();
  for (const l of labels) {
    const held = truth.get(l.ref);
    truth.set(l.ref, held === undefined ? l.violations : [...new Set([...held, ...l.violations])]);
  }
  const byRef = new Map<string, ScoredParcel>();
  for (const a of assessments) {
    const held = byRef.get(a.ref);
    if (held === undefined || riskier(a, held) < 0)
      byRef.set(a.ref, { ...a, randomSelected: a.randomSelected || (held?.randomSelected ?? false) });
    else if (a.randomSelected) byRef.set(a.ref, { ...held, randomSelected: true });
  }
  const parcels = [...byRef.values()].sort(riskier);
  const { targeted, scoreCutoff } = topShare(parcels, inspectionRate);
  const totals = new Map<string, { violating: number; caught: number }>();
  let violating = 0;
  let caught = 0;
  let inspected = 0;
  let random = 0;
  let randomHits = 0;
  let targetedHits = 0;
  for (const p of parcels) {
    const v = truth.get(p.ref) ?? [];
    const isTargeted = targeted.has(p.ref);
    const isInspected = isTargeted || p.randomSelected;
    if (isInspected) inspected++;
    if (p.randomSelected) {
      random++;
      if (v.length > 0) randomHits++;
    }
    if (isTargeted && v.length > 0) targetedHits++;
    if (v.length > 0) {
      violating++;
      if (isInspected) caught++;
    }
    for (const type of v) {
      const t = totals.get(type) ?? { violating: 0, caught: 0 };
      t.violating++;
      if (isInspected) t.caught++;
      totals.set(type, t);
    }
  }
  const byType = [...totals]
    .map(([type, t]) => ({
      type,
      violating: t.violating,
      caught: t.caught,
      recall: ratio(t.caught, t.violating),
      precision: ratio(t.caught, inspected),
    }))
    .sort((a, b) => b.violating - a.violating || (a.type < b.type ? -1 : 1));
  const targetedHitRate = ratio(targetedHits, targeted.size);
  const randomHitRate = ratio(randomHits, random);
  return {
    inspectionRate,
    parcels: parcels.length,
    violating,
    inspected,
    targeted: targeted.size,
    random,
    scoreCutoff,
    overall: { caught, recall: ratio(caught, violating), precision: ratio(caught, inspected) },
    byType,
    targetedHitRate,
    randomHitRate,
    lift: randomHitRate > 0 ? targetedHitRate / randomHitRate : targetedHitRate > 0 ? Infinity : 0,
    recallCeiling: ratio(Math.min(targeted.size, violating - randomHits) + randomHits, violating),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Renders a detection report as a plain-text table. */
export function renderDetectionReport(r: DetectionReport): string {
  const lines = [
    `Detection at a ${pct(r.inspectionRate)} inspection rate: ${r.parcels} parcels, ${r.violating} violating`,
    `Inspected ${r.inspected} (${r.targeted} targeted at score >= ${r.scoreCutoff}, ${r.random} random control)`,
    '',
    `${'violation'.padEnd(24)} ${'parcels'.padStart(8)} ${'caught'.padStart(8)} ${'recall'.padStart(8)} ${'precision'.padStart(10)}`,
    ...r.byType.map(
      (t) =>
        `${t.type.padEnd(24)} ${String(t.violating).padStart(8)} ${String(t.caught).padStart(8)} ${pct(t.recall).padStart(8)} ${pct(t.precision).padStart(10)}`,
    ),
    `${'overall'.padEnd(24)} ${String(r.violating).padStart(8)} ${String(r.overall.caught).padStart(8)} ${pct(r.overall.recall).padStart(8)} ${pct(r.overall.precision).padStart(10)}`,
    '',
    `Hit rate: targeted ${pct(r.targetedHitRate)}, random sample ${pct(r.randomHitRate)} (lift ${Number.isFinite(r.lift) ? r.lift.toFixed(1) : 'inf'}x)`,
    `Recall ceiling at this rate: ${pct(r.recallCeiling)} (every targeted inspection a hit, plus the random sample's hits)`,
  ];
  return lines.join('\n');
}

/** A parcel the selection got wrong: clean but targeted, or violating but not inspected. */
export interface DetectionError {
  ref: string;
  score: number;
  hits: readonly string[];
  violations: readonly string[];
}

/** The clean parcels the targeted selection took and the violating parcels nobody inspected. */
export interface DetectionErrors {
  scoreCutoff: number;
  falsePositives: DetectionError[];
  missed: DetectionError[];
}

/** Lists the false positives and the missed violations of the selection `evaluateDetection` measures. */
export function detectionErrors(
  assessments: readonly ScoredParcel[],
  labels: readonly ParcelLabel[],
  inspectionRate: number,
): DetectionErrors {
  const truth = new Map<string, readonly string[]>();
  for (const l of labels) truth.set(l.ref, [...new Set([...(truth.get(l.ref) ?? []), ...l.violations])]);
  const sorted = [...assessments].sort(riskier);
  const { targeted, scoreCutoff } = topShare(sorted, inspectionRate);
  const falsePositives: DetectionError[] = [];
  const missed: DetectionError[] = [];
  for (const p of sorted) {
    const violations = truth.get(p.ref) ?? [];
    const e = { ref: p.ref, score: p.score, hits: p.hits ?? [], violations };
    if (targeted.has(p.ref) && violations.length === 0) falsePositives.push(e);
    else if (!targeted.has(p.ref) && !p.randomSelected && violations.length > 0) missed.push(e);
  }
  return { scoreCutoff, falsePositives, missed };
}

// The hits of a parcel without their points: its signature ("-" when nothing fired).
const signature = (e: DetectionError): string => e.hits.map((h) => h.split(':')[0]).join('+') || '-';

function tally<T>(xs: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * Renders the errors for an analyst: false positives by signature, missed violations per type by score
 * band and signature, and up to `examples` parcels of each list.
 */
export function renderDetectionErrors(e: DetectionErrors, examples = 10): string {
  const line = (x: DetectionError): string =>
    `    ${x.ref}  score ${x.score}  ${x.violations.join(',') || 'clean'}  ${x.hits.join(' ') || '(no hits)'}`;
  const out = [`False positives: ${e.falsePositives.length} clean parcels among the targeted`];
  for (const [sig, n] of tally(e.falsePositives, signature)) out.push(`  ${String(n).padStart(5)}  ${sig}`);
  out.push(...e.falsePositives.slice(0, examples).map(line));
  out.push(
    '',
    `Missed violations: ${e.missed.length} violating parcels not inspected (cut at score ${e.scoreCutoff})`,
  );
  const band = (score: number): string =>
    score === 0
      ? 'score 0'
      : score >= e.scoreCutoff
        ? `at the cut (${e.scoreCutoff})`
        : `score 1-${e.scoreCutoff - 1}`;
  for (const [type, n] of tally(
    e.missed.flatMap((m) => m.violations.map((v) => ({ v, m }))),
    (x) => x.v,
  )) {
    const of = e.missed.filter((m) => m.violations.includes(type));
    out.push(
      `  ${type}: ${n} (${tally(of, (m) => band(m.score))
        .map(([b, k]) => `${b}: ${k}`)
        .join(', ')})`,
    );
    for (const [sig, k] of tally(of, signature).slice(0, 5)) out.push(`    ${String(k).padStart(5)}  ${sig}`);
  }
  out.push(...e.missed.slice(0, examples).map(line));
  return out.join('\n');
}
