/**
 * Detection quality on a labelled flood: groups records by parcel, merges their sources as the
 * matcher would, assesses every parcel with a same-day consignee history, and scores the
 * selection at an inspection rate against the ground truth.
 */
import type { ConsignmentInput, SourceKind, SourceRecord } from '../domain/index.js';
import { mergeSources } from '../match/index.js';
import { assessRevenue, notAssessedNote } from '../revenue/index.js';
import {
  assessRisk,
  consigneeKey,
  detectionErrors,
  evaluateDetection,
  inMemoryHistory,
  selectForInspection,
  selectingHitIds,
  sellerKey,
  type ConsigneeParcel,
  type InspectionOutcome,
  type DetectionErrors,
  type DetectionReport,
  type ReferencePriceTable,
  type RiskInput,
  type ScoredParcel,
} from '../risk/index.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** A labelled record: its data and the parcel it belongs to with the violations injected in it. */
export interface LabelledRecord {
  input: ConsignmentInput;
  label: { ref: string; violations: readonly string[] };
}

/** One parcel of a flood: merged data, mismatches, source kinds, ground truth, intrinsic value in EUR. */
export interface FloodParcel {
  ref: string;
  merged: ConsignmentInput;
  mismatches: ReturnType<typeof mergeSources>['mismatches'];
  sourceKinds: SourceKind[];
  violations: string[];
  valueEur: string | null;
}

/** The risk facts of a flood parcel: what assessRisk reads of it (merged data, mismatches, sources, EUR value). */
export function riskFactsOf(p: FloodParcel): RiskInput {
  return {
    consignmentId: p.ref,
    input: p.merged,
    mismatches: p.mismatches,
    sourceKinds: p.sourceKinds,
    intrinsicValueEur: p.valueEur,
  };
}

/** Groups records by parcel ref and merges each parcel's sources. */
export function groupParcels(
  records: Iterable<LabelledRecord>,
  snapshot: ReferenceSnapshot,
  now: string,
): FloodParcel[] {
  const groups = new Map<string, LabelledRecord[]>();
  for (const r of records) {
    const list = groups.get(r.label.ref);
    if (list) list.push(r);
    else groups.set(r.label.ref, [r]);
  }
  const out: FloodParcel[] = [];
  for (const [ref, rs] of groups) {
    const sources: SourceRecord[] = rs.map((r, i) => ({
      declarationId: `dcl_${ref}_${i}`,
      kind: r.input.source,
      submitterId: 'evaluation',
      receivedAt: now,
      hash: `${ref}-${i}`,
      data: r.input,
    }));
    const { merged, mismatches } = mergeSources(sources);
    const revenue = assessRevenue(merged, snapshot.revenue, now);
    out.push({
      ref,
      merged,
      mismatches,
      sourceKinds: rs.map((r) => r.input.source),
      violations: [...new Set(rs.flatMap((r) => r.label.violations))],
      valueEur:
        revenue.currency === 'EUR' && notAssessedNote(revenue) === undefined ? revenue.intrinsicValue : null,
    });
  }
  return out;
}

/** Assesses every parcel of a flood with a same-day consignee history; one scored parcel each. */
export function scoreParcels(
  parcels: readonly FloodParcel[],
  snapshot: ReferenceSnapshot,
  opts: { now: string; referencePrices?: ReferencePriceTable },
): ScoredParcel[] {
  const history = inMemoryHistory(
    parcels.flatMap((p) => {
      const key = consigneeKey(p.merged);
      if (key === null || p.valueEur === null) return [];
      const parcel: ConsigneeParcel = {
        value: p.valueEur,
        at: opts.now,
        seller: sellerKey(p.merged),
        ref: p.ref,
      };
      return [{ key, parcel }];
    }),
  );
  return parcels.map((p) => {
    const risk = assessRisk(riskFactsOf(p), {
      ruleSet: snapshot.ruleSet,
      watchlist: snapshot.watchlist,
      randomRate: snapshot.randomRate,
      randomSeed: snapshot.randomSeed,
      now: opts.now,
      history,
      ...(opts.referencePrices ? { referencePrices: opts.referencePrices } : {}),
      ...(snapshot.classifier ? { classifier: snapshot.classifier } : {}),
    });
    return {
      ref: p.ref,
      score: risk.score,
      lane: risk.lane,
      randomSelected: risk.randomSelected,
      hits: risk.hits.flatMap((h) => (h.kind === 'random' ? [] : [`${h.id}:${h.score}`])),
      selecting: selectingHitIds(risk.hits),
    };
  });
}

/** Assesses every parcel and reports precision and recall at `inspectionRate`. */
export function evaluateParcels(
  parcels: readonly FloodParcel[],
  snapshot: ReferenceSnapshot,
  opts: { now: string; inspectionRate: number; referencePrices?: ReferencePriceTable },
): DetectionReport {
  return evaluateParcelsWithErrors(parcels, snapshot, opts).report;
}

/**
 * What inspecting the selection at `inspectionRate` (the top share plus the random sample) would have
 * found, one outcome per inspected parcel: the rules and indicators that gave it points, its first
 * violation (or `nothing-found`) and whether it was a random draw. Labels of parcels nobody inspected
 * are not read: these are the outcomes officers would have recorded.
 */
export function inspectionOutcomes(
  parcels: readonly FloodParcel[],
  scored: readonly ScoredParcel[],
  inspectionRate: number,
): InspectionOutcome[] {
  const inspected = selectForInspection(scored, inspectionRate);
  const truth = new Map(parcels.map((p) => [p.ref, p.violations]));
  return scored
    .filter((s) => inspected.has(s.ref))
    .map((s) => ({
      consignmentId: s.ref,
      ruleIds: s.selecting ?? [],
      finding: truth.get(s.ref)?.[0] ?? 'nothing-found',
      random: s.randomSelected,
    }));
}

/**
 * evaluateParcels, with the false positives and missed violations of the same selection and the
 * outcomes its inspections would have recorded (`inspectionOutcomes`).
 */
export function evaluateParcelsWithErrors(
  parcels: readonly FloodParcel[],
  snapshot: ReferenceSnapshot,
  opts: { now: string; inspectionRate: number; referencePrices?: ReferencePriceTable },
): { report: DetectionReport; errors: DetectionErrors; outcomes: InspectionOutcome[] } {
  const scored = scoreParcels(parcels, snapshot, opts);
  const labels = parcels.map((p) => ({ ref: p.ref, violations: p.violations }));
  return {
    report: evaluateDetection(scored, labels, opts.inspectionRate),
    errors: detectionErrors(scored, labels, opts.inspectionRate),
    outcomes: inspectionOutcomes(parcels, scored, opts.inspectionRate),
  };
}
