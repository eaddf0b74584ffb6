/** Names shared by the compiler and the engine: indicators, watchlists, mismatch fields. */

/** Every indicator the engine computes, in the order hits are reported. */
export const indicatorIds = [
  'vague-description',
  'hs-description-consistency',
  'watchlist',
  'brand-price',
  'source-mismatch',
  'undervaluation',
  'split-shipment',
  'hs-usage',
  'prepaid-tax',
  'repeat-offender',
  'operator-trust',
  'threshold-hugging',
  'gross-weight',
] as const;

/** An indicator id. */
export type IndicatorId = (typeof indicatorIds)[number];

/** Watchlist names and the party of the consignment each one is matched against. */
export const watchlistParties = {
  consignees: 'consignee',
  sellers: 'seller',
  declarants: 'declarant',
} as const;

/** A watchlist name. */
export type WatchlistName = keyof typeof watchlistParties;

/** Fields a source Mismatch can name (see domain Mismatch). */
export const mismatchFieldNames = [
  'value',
  'quantity',
  'consignee',
  'hsCode',
  'items',
  'origin',
  'currency',
] as const;
