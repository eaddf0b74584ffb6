/** What the matcher and the store know about a consignment beyond its submitted data. */
import type { ConsignmentInput, SourceKind } from './consignment-schema.js';

/** One accepted source record (a declaration) as received. */
export interface SourceRecord {
  declarationId: string;
  kind: SourceKind;
  submitterId: string;
  receivedAt: string;
  /** sha256 of the canonical JSON of `data`; identical resubmissions have the same hash. */
  hash: string;
  data: ConsignmentInput;
}

/** A disagreement between two sources of the same consignment, used as a risk indicator. */
export interface Mismatch {
  field: 'value' | 'quantity' | 'consignee' | 'hsCode' | 'items' | 'origin' | 'currency';
  /** Source kinds (or declaration ids) that disagree. */
  between: [string, string];
  values: [string, string];
  /** Item index where the mismatch is per item. */
  itemIndex?: number;
  message: string;
}
