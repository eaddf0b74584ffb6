/**
 * The data elements intake requires of a record, per source kind, as named data sets. The `full` set
 * is what every submitter must send (the built-in requirements); a trusted operator's status may
 * grant a smaller set ("fewer data elements where the law allows", REFERENCE.md §5.1/§5.3). Sets are
 * plain data so they travel with a batch to a preparation worker; `requirementCheck` turns one into
 * the check intake runs. Element names are those of the data-quality scorecards (src/quality).
 */
import type { ValidationIssue } from '../domain/index.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const text = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** Source kinds a data set names requirements for. */
export const dataSetSources = [
  'declaration',
  'postal-item',
  'carrier-waybill',
  'platform-order',
  'payment',
] as const;
export type DataSetSource = (typeof dataSetSources)[number];

/** Elements each source kind must carry; a kind not listed requires nothing. */
export type RequiredElements = Partial<Record<DataSetSource, readonly string[]>>;

/** A named data set, as it crosses to a worker with the batch. */
export interface IntakeDataSet {
  name: string;
  required: RequiredElements;
}

/** One element: where it is and whether a record has it (the issues name the missing path). */
interface Element {
  what: string;
  missing: (c: Obj) => string[];
}

const at = (present: boolean, path: string): string[] => (present ? [] : [path]);
const items = (c: Obj): Obj[] => (Array.isArray(c.items) ? c.items.map((i) => obj(i) ?? {}) : []);

/** Every element a data set may require. */
export const intakeElements: Readonly<Record<string, Element>> = {
  transportDocument: {
    what: 'a transport document',
    missing: (c) => at(c.transportDocument !== undefined, '/transportDocument'),
  },
  seller: { what: 'the seller', missing: (c) => at(c.seller !== undefined, '/seller') },
  'seller.address.street': {
    what: "the seller's street",
    missing: (c) => at(text(obj(obj(c.seller)?.address)?.street), '/seller/address/street'),
  },
  consignee: { what: 'the consignee', missing: (c) => at(c.consignee !== undefined, '/consignee') },
  'consignee.address.postcode': {
    what: "the consignee's postcode",
    missing: (c) => at(text(obj(obj(c.consignee)?.address)?.postcode), '/consignee/address/postcode'),
  },
  'consignee.contact': {
    what: "the consignee's phone or e-mail",
    missing: (c) => at(text(obj(c.consignee)?.phone) || text(obj(c.consignee)?.email), '/consignee/phone'),
  },
  declarant: { what: 'the declarant', missing: (c) => at(c.declarant !== undefined, '/declarant') },
  'items.hsCode': {
    what: 'an HS code on every item',
    missing: (c) => items(c).flatMap((it, i) => at(text(it.hsCode), `/items/${i}/hsCode`)),
  },
  'items.netWeightGrams': {
    what: 'a net weight above 0 on every item',
    missing: (c) =>
      items(c).flatMap((it, i) =>
        at(typeof it.netWeightGrams === 'number' && it.netWeightGrams > 0, `/items/${i}/netWeightGrams`),
      ),
  },
  'totals.grossWeightGrams': {
    what: 'the gross weight',
    missing: (c) => at(obj(c.totals)?.grossWeightGrams !== undefined, '/totals/grossWeightGrams'),
  },
  'dates.acceptedOrDeparture': {
    what: 'the acceptance or departure date',
    missing: (c) => at(text(obj(c.dates)?.accepted) || text(obj(c.dates)?.departure), '/dates/accepted'),
  },
  'platform.orderId': {
    what: 'platform.orderId',
    missing: (c) => {
      const p = obj(c.platform);
      return p === undefined ? ['/platform'] : at(p.orderId !== undefined, '/platform/orderId');
    },
  },
  payment: { what: 'the payment', missing: (c) => at(c.payment !== undefined, '/payment') },
};

/** The built-in requirements: what intake asks of every submitter without a data-set policy. */
export const fullDataSet: IntakeDataSet = {
  name: 'full',
  required: {
    declaration: ['transportDocument', 'seller', 'consignee'],
    'postal-item': ['transportDocument', 'seller', 'consignee'],
    'carrier-waybill': ['transportDocument', 'seller', 'consignee'],
    'platform-order': ['platform.orderId', 'consignee'],
    payment: ['platform.orderId', 'payment'],
  },
};

/**
 * The default reduced set for operators whose status grants it (AEO-S/F style, China advanced
 * certified; parcelgate's default, configurable): a trusted carrier's or post's record may omit the
 * seller, which the platform's order and the payment name; everything else is as in `full`.
 */
export const reducedDataSet: IntakeDataSet = {
  name: 'reduced',
  required: {
    declaration: ['transportDocument', 'consignee'],
    'postal-item': ['transportDocument', 'consignee'],
    'carrier-waybill': ['transportDocument', 'consignee'],
    'platform-order': ['platform.orderId', 'consignee'],
    payment: ['platform.orderId', 'payment'],
  },
};

/** Checks a record's presence requirements: `source.required-field` issues, one per missing path. */
export type RequirementCheck = (source: string, record: Obj) => ValidationIssue[];

/** The check of a data set (unknown element names are skipped: check sets with the operators' `checkDataSet`). */
export function requirementCheck(set: IntakeDataSet): RequirementCheck {
  const by = set.name === 'full' ? '' : ` (${set.name} data set)`;
  return (source, record) => {
    const issues: ValidationIssue[] = [];
    for (const name of set.required[source as DataSetSource] ?? []) {
      const e = intakeElements[name];
      if (e === undefined) continue;
      for (const path of e.missing(record))
        issues.push({
          code: 'source.required-field',
          path,
          message: `a ${source} record must include ${e.what}${by}`,
        });
    }
    return issues;
  };
}
