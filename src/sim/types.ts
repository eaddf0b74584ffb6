/** Public types of the synthetic flood: options, records and ground-truth labels. */
import type { ConsignmentInput, SourceKind } from '../domain/index.js';

/** The kinds of wrongdoing the flood injects, each a ground-truth label on the parcel. */
export type ViolationType =
  | 'undervaluation'
  | 'split-shipment'
  | 'prohibited'
  | 'counterfeit'
  | 'misdescribed-hs'
  | 'watchlisted-consignee'
  | 'vague-description'
  | 'gift-misuse';

/** Every violation type, in the order labels list them. */
export const VIOLATION_TYPES: readonly ViolationType[] = [
  'undervaluation',
  'split-shipment',
  'prohibited',
  'counterfeit',
  'misdescribed-hs',
  'watchlisted-consignee',
  'vague-description',
  'gift-misuse',
];

/** How to generate a flood. The same options always give byte-identical output. */
export interface FloodOptions {
  seed: number | string;
  /** Number of parcels (a parcel sent by two sources yields two records). */
  count: number;
  /** ISO date 'YYYY-MM-DD' on which the parcels arrive. */
  day: string;
  /** Destination countries (ISO alpha-2); default: EU-27 weighted by e-commerce volume. */
  destinations?: string[];
  /** Share of parcels carrying at least one injected violation; default 0.06. */
  violationRate?: number;
  /** Share of parcels also sent by the platform as an order record; default 0.3. */
  overlapRate?: number;
}

/** Ground truth for one record. */
export interface FloodLabel {
  /** = input.externalRef; unique per parcel, shared by every source record of that parcel. */
  ref: string;
  /** The parcel's transport document id (S10 item id or air waybill). */
  parcel: string;
  source: SourceKind;
  /** Every violation injected into the parcel (empty for a clean parcel). */
  violations: ViolationType[];
  /** For 'split-shipment': the id shared by the parcels of one split order. */
  splitGroup?: string;
}

/** One generated source record with its label. */
export interface FloodRecord {
  input: ConsignmentInput;
  label: FloodLabel;
}
