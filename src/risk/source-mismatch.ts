/** Disagreements between sources (platform order, payment, waybill, postal data) as a risk signal. */
import type { Mismatch } from '../domain/index.js';
import { quiet, type IndicatorResult } from './indicator-result.js';

/** How strongly a disagreement on each field suggests misdeclaration (0..1). */
export const mismatchWeights: Readonly<Record<Mismatch['field'], number>> = {
  value: 1,
  consignee: 0.8,
  quantity: 0.6,
  items: 0.6,
  hsCode: 0.5,
  origin: 0.5,
  currency: 0.3,
};

/** Module version recorded on hits. */
export const SOURCE_MISMATCH_VERSION = 1;

/** Scores the strongest mismatch; evidence lists every mismatch. */
export function assessSourceMismatch(mismatches: readonly Mismatch[]): IndicatorResult {
  if (mismatches.length === 0) return quiet('source-mismatch', SOURCE_MISMATCH_VERSION);
  let score = 0;
  let strongest = mismatches[0] as Mismatch;
  for (const m of mismatches) {
    const w = mismatchWeights[m.field] ?? 0.3;
    if (w > score) {
      score = w;
      strongest = m;
    }
  }
  const fields = [...new Set(mismatches.map((m) => m.field))];
  return {
    id: 'source-mismatch',
    version: SOURCE_MISMATCH_VERSION,
    score,
    reason: `the sources of this consignment disagree on ${fields.join(', ')} (${strongest.message})`,
    inputs: {
      mismatches: mismatches.map((m) => ({
        field: m.field,
        between: m.between,
        values: m.values,
        itemIndex: m.itemIndex,
      })),
    },
  };
}
