/**
 * Gross weight below the goods' net weight: physically impossible, so the declared weights (and with
 * them, often, the declared contents) are wrong. A data-quality signal for the explanation and the score,
 * never a rejection: carriers do send such data (a weight keyed per item instead of per parcel, grams
 * read as kilograms), and refusing it would stop the parcel for a clerical slip.
 */
import type { ConsignmentInput } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';

/** Module version recorded on hits. */
export const GROSS_WEIGHT_VERSION = 1;

/**
 * Scores a parcel whose `totals.grossWeightGrams` is below the sum of its items' `netWeightGrams`: 0.5 for
 * a gram missing, rising with the missing share of the net weight to 1 (a gross weight of 0). Quiet without
 * a gross weight.
 */
export function assessGrossWeight(c: ConsignmentInput): IndicatorResult {
  const gross = c.totals?.grossWeightGrams;
  if (gross === undefined) return quiet('gross-weight', GROSS_WEIGHT_VERSION);
  let net = 0;
  for (const item of c.items) net += item.netWeightGrams;
  if (!(gross < net)) return quiet('gross-weight', GROSS_WEIGHT_VERSION);
  const missing = net - gross;
  return {
    id: 'gross-weight',
    version: GROSS_WEIGHT_VERSION,
    score: round2(0.5 + 0.5 * Math.min(1, missing / net)),
    reason: `gross weight ${gross} g is less than the ${net} g the items weigh net (${missing} g missing)`,
    inputs: { grossWeightGrams: gross, netWeightGrams: net },
  };
}
