/**
 * Threshold hugging (REFERENCE.md §6.1, undervaluation: "value exactly below threshold, e.g. €149.99"):
 * a consignment declared just under the relief threshold whose main item normally costs well above it.
 * A value just under the threshold alone is common and innocent; goods whose reference price is twice
 * the declared value are not. This catches what the undervaluation indicator misses when the reference
 * spread is wide (drones, laptops: a declared EUR 149 against a EUR 340 median is only 1.2 spreads low).
 */
import type { ConsignmentInput, Item } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { eurFactor, referenceFor, unitEur, type ReferencePriceTable } from './reference-prices.js';
import { toNumber } from './values.js';

/**
 * Module version recorded on hits. v2: the ratio is the consignment's usual value (the main item at its
 * reference price, the other items as declared) over its declared value, not the main item's alone.
 */
export const THRESHOLD_HUGGING_VERSION = 2;

/** The EU customs-duty relief threshold the indicator watches (Regulation 1186/2009 art. 23, until 2026-07-01). */
export const RELIEF_THRESHOLD_EUR = 150;

// The band under the threshold that counts as hugging it (10%: EUR 135 to 149.99).
const BAND = 0.1;
// Share of the declared value the main item must carry (a basket of many items is not one item hugging).
const MAIN_SHARE = 0.8;
// Usual value of the consignment over its declared value: the score starts at 1.25x and is full at 2x.
const START_RATIO = 1.25;
const FULL_RATIO = 2;

/**
 * Scores a consignment whose intrinsic EUR value lies in the band just under `thresholdEur` and whose
 * main item (at least 80% of the value) has a reference price at or above the threshold, by how far the
 * consignment's usual value (that item at its reference) exceeds the declared value. Quiet without
 * reference prices or an EUR value.
 */
export function assessThresholdHugging(
  c: ConsignmentInput,
  intrinsicValueEur: string | null,
  table: ReferencePriceTable | undefined,
  thresholdEur = RELIEF_THRESHOLD_EUR,
): IndicatorResult {
  const none = quiet('threshold-hugging', THRESHOLD_HUGGING_VERSION);
  if (table === undefined || intrinsicValueEur === null) return none;
  const value = toNumber(intrinsicValueEur);
  if (!(value >= thresholdEur * (1 - BAND) && value < thresholdEur)) return none;
  const factor = eurFactor(c, intrinsicValueEur);
  if (factor === null) return none;
  let main: { item: Item; index: number; unit: number } | undefined;
  for (let i = 0; i < c.items.length; i++) {
    const item = c.items[i] as Item;
    const unit = unitEur(item, factor);
    if (unit !== null && unit * item.quantity >= MAIN_SHARE * value) main = { item, index: i, unit };
  }
  if (main === undefined) return none;
  const ref = referenceFor(main.item, table);
  if (ref === undefined || ref.price.medianEur < thresholdEur) return none;
  // What hugging hides is the consignment's value: with its main item at the usual price (the other items
  // as declared, they are not what it is suspected of) it would be worth `usual`. A EUR 116 phone among
  // EUR 26 of other goods in a EUR 142 parcel hides EUR 77 of a usual EUR 219, not 40 % of the parcel.
  const line = main.unit * main.item.quantity;
  const usual = ref.price.medianEur * main.item.quantity + (value - line);
  const ratio = usual / value;
  if (!(ratio > START_RATIO)) return none;
  const score = round2(Math.min(1, Math.log(ratio / START_RATIO) / Math.log(FULL_RATIO / START_RATIO)));
  return {
    id: 'threshold-hugging',
    version: THRESHOLD_HUGGING_VERSION,
    score,
    reason: `declared at €${value.toFixed(2)}, just under the €${thresholdEur} threshold, while "${main.item.description}" is usually priced at €${ref.price.medianEur}${line < value - 0.005 ? `, which makes the consignment usually worth €${usual.toFixed(2)}` : ''} (${ratio.toFixed(1)}x the declared value)`,
    inputs: {
      itemIndex: main.index,
      intrinsicValueEur,
      thresholdEur,
      unitValueEur: main.unit.toFixed(2),
      referenceEur: ref.price.medianEur,
      referenceKey: ref.key,
      usualValueEur: usual.toFixed(2),
      support: ref.price.support,
    },
  };
}
