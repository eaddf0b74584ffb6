/**
 * The data elements a record should carry beyond what the schema enforces, after the WCO data-quality
 * guidance and the consolidated element list (REFERENCE.md §1.4). The reduced set applies to submitters
 * whose status grants a reduced data set (AEO-S/F style) where the law allows.
 */
import type { ConsignmentInput } from '../domain/index.js';

/** One checked element: its name and whether a record has it. */
export interface ElementCheck {
  element: string;
  reducedSet: boolean;
  present: (c: ConsignmentInput) => boolean;
}

const every = (c: ConsignmentInput, f: (i: ConsignmentInput['items'][number]) => boolean) => c.items.every(f);

/** The checked elements; `reducedSet: true` ones are still required from a reduced-data-set submitter. */
export const qualityElements: readonly ElementCheck[] = [
  { element: 'transportDocument', reducedSet: true, present: (c) => c.transportDocument !== undefined },
  // The default reduced intake set lets a trusted post or carrier leave the seller out (the platform's
  // order and the payment name it): src/intake/data-set.ts `reducedDataSet`.
  { element: 'seller', reducedSet: false, present: (c) => c.seller !== undefined },
  { element: 'seller.address.street', reducedSet: false, present: (c) => !!c.seller?.address.street },
  { element: 'consignee', reducedSet: true, present: (c) => c.consignee !== undefined },
  {
    element: 'consignee.address.postcode',
    reducedSet: true,
    present: (c) => !!c.consignee?.address.postcode,
  },
  {
    element: 'consignee.contact',
    reducedSet: false,
    present: (c) => !!(c.consignee?.phone || c.consignee?.email),
  },
  { element: 'items.hsCode', reducedSet: true, present: (c) => every(c, (i) => i.hsCode !== undefined) },
  {
    element: 'items.netWeightGrams',
    reducedSet: false,
    present: (c) => every(c, (i) => i.netWeightGrams > 0),
  },
  {
    element: 'totals.grossWeightGrams',
    reducedSet: false,
    present: (c) => c.totals?.grossWeightGrams !== undefined,
  },
  {
    element: 'dates.acceptedOrDeparture',
    reducedSet: false,
    present: (c) => !!(c.dates?.accepted || c.dates?.departure),
  },
  {
    element: 'platform.orderId',
    reducedSet: true,
    present: (c) => c.source !== 'platform-order' || !!c.platform?.orderId,
  },
  {
    element: 'payment.reference',
    reducedSet: true,
    present: (c) => c.source !== 'payment' || !!c.payment?.reference,
  },
];

/** Elements a record lacks (of the full set, or of the reduced set). */
export function missingElements(c: ConsignmentInput, reduced = false): string[] {
  const out: string[] = [];
  for (const e of qualityElements) if ((!reduced || e.reducedSet) && !e.present(c)) out.push(e.element);
  return out;
}
