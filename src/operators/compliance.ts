/**
 * The compliance score of an operator (0-100, higher is better), explained component by component.
 * Pure: counts in, score and explanation out. See docs/operators.md "Scoring model".
 *
 * Each component is a rate of bad outcomes (inspections with findings, seizures, amendments, late
 * filings, requests for missing data) smoothed towards a prior with `priorWeight` pseudo-observations,
 * so a newcomer with two parcels is neither trusted nor condemned. A component scores
 * 100 × (1 − min(1, rate / tolerance)); the internal score is their weighted mean; external ratings
 * (a platform's seller rating, a credit bureau score, on 0-100) are mixed in with their own weights.
 */

/** Counts of what an operator's consignments went through. */
export interface ComplianceCounts {
  declarations: number;
  inspections: number;
  inspectionFindings: number;
  seizures: number;
  amendments: number;
  lateFilings: number;
  missingData: number;
}

/** An external rating on 0-100 with the weight it gets against the internal score (weight 1). */
export interface ExternalRating {
  source: string;
  value: number;
  weight: number;
  at: string;
}

export type ComponentId = 'inspections' | 'seizures' | 'amendments' | 'late-filing' | 'missing-data';

/** Tolerance (the bad-outcome rate that costs all of a component's points) and weight per component. */
export interface ScoreModel {
  components: Record<ComponentId, { tolerance: number; weight: number }>;
  /** Pseudo-observations of the prior. */
  priorWeight: number;
  /** Prior rate as a share of the tolerance. */
  priorShare: number;
  bands: { high: number; medium: number };
}

/** The default model (weights sum to 100, so a component's weight is the points it can cost). */
export const defaultScoreModel: ScoreModel = {
  components: {
    inspections: { tolerance: 0.2, weight: 35 },
    seizures: { tolerance: 0.01, weight: 25 },
    amendments: { tolerance: 0.1, weight: 10 },
    'late-filing': { tolerance: 0.05, weight: 15 },
    'missing-data': { tolerance: 0.1, weight: 15 },
  },
  priorWeight: 20,
  priorShare: 0.25,
  bands: { high: 85, medium: 60 },
};

/** One line of the explanation. */
export interface ComponentScore {
  id: ComponentId;
  bad: number;
  of: number;
  /** Smoothed rate. */
  rate: number;
  tolerance: number;
  weight: number;
  score: number;
  explanation: string;
}

/** The score with its explanation. */
export interface ComplianceScore {
  score: number;
  internal: number;
  band: 'high' | 'medium' | 'low';
  observations: number;
  components: ComponentScore[];
  ratings: (ExternalRating & { contribution: number })[];
  explanation: string;
}

/** No observations. */
export const emptyCounts = (): ComplianceCounts => ({
  declarations: 0,
  inspections: 0,
  inspectionFindings: 0,
  seizures: 0,
  amendments: 0,
  lateFilings: 0,
  missingData: 0,
});

/** Adds two sets of counts (the fold is commutative and associative: order of events never matters). */
export function addCounts(a: ComplianceCounts, b: ComplianceCounts): ComplianceCounts {
  return {
    declarations: a.declarations + b.declarations,
    inspections: a.inspections + b.inspections,
    inspectionFindings: a.inspectionFindings + b.inspectionFindings,
    seizures: a.seizures + b.seizures,
    amendments: a.amendments + b.amendments,
    lateFilings: a.lateFilings + b.lateFilings,
    missingData: a.missingData + b.missingData,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const labels: Record<ComponentId, string> = {
  inspections: 'inspections with findings',
  seizures: 'seizures per declaration',
  amendments: 'amendments per declaration',
  'late-filing': 'declarations filed after loading or arrival',
  'missing-data': 'requests for missing information per declaration',
};

/** Computes the score from counts and external ratings. */
export function complianceScore(
  counts: ComplianceCounts,
  ratings: readonly ExternalRating[] = [],
  model: ScoreModel = defaultScoreModel,
): ComplianceScore {
  const pairs: Record<ComponentId, [number, number]> = {
    inspections: [counts.inspectionFindings, counts.inspections],
    seizures: [counts.seizures, counts.declarations],
    amendments: [counts.amendments, counts.declarations],
    'late-filing': [counts.lateFilings, counts.declarations],
    'missing-data': [counts.missingData, counts.declarations],
  };
  let sum = 0;
  let weights = 0;
  const components: ComponentScore[] = [];
  for (const id of Object.keys(pairs) as ComponentId[]) {
    const { tolerance, weight } = model.components[id];
    const [rawBad, rawOf] = pairs[id];
    const of = Math.max(0, rawOf);
    const bad = Math.min(Math.max(0, rawBad), of);
    const prior = tolerance * model.priorShare;
    const rate = (bad + model.priorWeight * prior) / (of + model.priorWeight);
    const score = 100 * (1 - Math.min(1, rate / tolerance));
    sum += weight * score;
    weights += weight;
    components.push({
      id,
      bad,
      of,
      rate,
      tolerance,
      weight,
      score: round1(score),
      explanation: `${bad} of ${of} ${labels[id]}: smoothed rate ${(rate * 100).toFixed(2)}% against a tolerance of ${(tolerance * 100).toFixed(1)}%, ${round1(((100 - score) * weight) / 100)} of ${weight} points lost`,
    });
  }
  const internal = weights > 0 ? sum / weights : 100;
  let total = internal;
  let totalWeight = 1;
  const usable = ratings.filter((r) => Number.isFinite(r.value) && r.weight > 0);
  for (const r of usable) {
    total += r.weight * Math.min(100, Math.max(0, r.value));
    totalWeight += r.weight;
  }
  const score = round1(total / totalWeight);
  const band = score >= model.bands.high ? 'high' : score >= model.bands.medium ? 'medium' : 'low';
  const rated = usable.map((r) => ({
    ...r,
    contribution: round1((r.weight * (r.value - internal)) / totalWeight),
  }));
  return {
    score,
    internal: round1(internal),
    band,
    observations: counts.declarations,
    components,
    ratings: rated,
    explanation:
      `internal ${round1(internal)} from ${counts.declarations} declaration(s) and ${counts.inspections} inspection(s)` +
      (rated.length > 0
        ? `; external ratings ${rated.map((r) => `${r.source} ${r.value} (weight ${r.weight})`).join(', ')} give ${score}`
        : '') +
      `; band ${band}`,
  };
}
