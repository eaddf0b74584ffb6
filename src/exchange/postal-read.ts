/** Reads an ITMATT-style postal item document into canonical consignment records, validated by intake. */
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { validateConsignment } from '../intake/index.js';
import { loadHs2022, type HsNomenclature } from '../reference/index.js';
import { ElementReader, nonEmpty, put } from './element-reader.js';
import {
  CONTENT_CHILDREN,
  ITEM_CHILDREN,
  ITMATT_ROOT,
  PARTY_CHILDREN,
  categoryByCode,
  elementForPointer,
  partyElements,
} from './postal-format.js';
import { parseXmlDocument, type XmlLimits } from './xml-safety.js';

/** One `<Item>` of a postal document: its 0-based position, and the record or what is wrong with it. */
export interface PostalItemRecord {
  index: number;
  /** The canonical record (normalised by intake; unchecked when not validated, see `validate`). */
  value?: ConsignmentInput;
  issues?: ValidationIssue[];
}

/** Options for `parsePostalItemXml`. */
export interface PostalParseOptions extends XmlLimits {
  /** HS nomenclature for intake checks (default: the shipped HS 2022). */
  hs?: HsNomenclature;
  /**
   * Run intake's `validateConsignment` on each item (default true). `'refused'`: only on the items the
   * reader refuses itself (so their rejection lists every issue, intake's too); an item read without
   * fault is returned unchecked, for a caller that validates every record it is given (no item is then
   * validated twice).
   */
  validate?: boolean | 'refused';
  /** Maximum number of `<Item>` elements (default 100 000). */
  maxItems?: number;
}

type Raw = Record<string, unknown>;

const KG = /^\d{1,9}(\.\d{1,3})?$/;
const NUMBER = /^\d{1,12}(\.\d{1,9})?$/;

function grams(r: ElementReader, name: string): number | undefined {
  const t = r.text(name);
  if (t === undefined) return undefined;
  const m = KG.exec(t);
  if (!m) {
    r.report('postal.number', `${name} must be a weight in kg with at most 3 decimals, got "${t}"`, name);
    return undefined;
  }
  const [whole = '0', frac = ''] = t.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

function money(r: ElementReader, name: string): Raw | undefined {
  const el = r.one(name);
  if (!el) return undefined;
  const m: Raw = {};
  put(m, 'amount', el.value());
  put(m, 'currency', el.attr('currency'));
  return m;
}

function flag(r: ElementReader, name: string): boolean | undefined {
  const t = r.text(name);
  if (t === undefined) return undefined;
  if (t === 'true' || t === 'false') return t === 'true';
  r.report('postal.boolean', `${name} must be true or false, got "${t}"`, name);
  return undefined;
}

function texts(r: ElementReader, name: string): string[] | undefined {
  const list = r.many(name).map((e) => e.value() ?? '');
  return list.length === 0 ? undefined : list;
}

function readParty(item: ElementReader, role: keyof typeof partyElements): Raw | undefined {
  const { element, idElement } = partyElements[role];
  const el = item.one(element);
  if (!el) return undefined;
  el.only(new Set([...PARTY_CHILDREN, idElement]));
  const address: Raw = {};
  put(address, 'street', el.text('Street'));
  put(address, 'city', el.text('City'));
  put(address, 'postcode', el.text('Postcode'));
  put(address, 'region', el.text('Region'));
  put(address, 'country', el.text('CountryCode'));
  const party: Raw = {};
  put(party, 'name', el.text('Name'));
  party.address = address;
  put(party, 'phone', el.text('Phone'));
  put(party, 'email', el.text('Email'));
  const ref = el.one(idElement);
  if (ref) {
    const id: Raw = {};
    put(id, 'type', ref.attr('type'));
    put(id, 'value', ref.value());
    party.id = id;
  }
  if (role === 'declarant') put(party, 'status', el.attr('status'));
  return party;
}

function readContent(c: ElementReader): Raw {
  c.only(new Set(CONTENT_CHILDREN));
  const item: Raw = {};
  put(item, 'description', c.text('Description'));
  put(item, 'hsCode', c.text('HSCode'));
  const q = c.one('Quantity');
  const qt = q?.value();
  if (qt !== undefined) {
    if (NUMBER.test(qt)) item.quantity = Number(qt);
    else c.report('postal.number', `Quantity must be a positive decimal number, got "${qt}"`, 'Quantity');
  }
  put(item, 'unit', q?.attr('unit'));
  put(item, 'netWeightGrams', grams(c, 'NetWeight'));
  put(item, 'value', money(c, 'Value'));
  put(item, 'origin', c.text('OriginCountry'));
  put(item, 'brand', c.text('Brand'));
  put(item, 'sku', c.text('SKU'));
  put(item, 'productUrl', c.text('ProductUrl'));
  return item;
}

function readSub(r: ElementReader, name: string, fields: Record<string, string>): Raw | undefined {
  const el = r.one(name);
  if (!el) return undefined;
  el.only(new Set(Object.values(fields)));
  const out: Raw = {};
  for (const [key, child] of Object.entries(fields))
    put(out, key, child === 'Amount' ? money(el, child) : el.text(child));
  return out;
}

/** Maps one `<Item>` element to a canonical-shaped record (unvalidated); issues go to the reader. */
function readItem(item: ElementReader): Raw {
  item.only(new Set(ITEM_CHILDREN));
  const rec: Raw = { source: 'postal-item' };
  const id = item.one('ItemId');
  if (id) {
    const doc: Raw = { type: id.attr('type') ?? 'S10' };
    put(doc, 'id', id.value());
    rec.transportDocument = doc;
  }
  put(rec, 'externalRef', item.text('SenderReference'));
  put(rec, 'masterReference', item.text('MasterReference'));
  const cat = item.text('Category');
  if (cat !== undefined) {
    const known = categoryByCode.get(cat.toUpperCase());
    if (known) rec.category = known;
    else item.report('postal.code', `Category "${cat}" is not a CN23 category code`, 'Category');
  }
  put(rec, 'seller', readParty(item, 'seller'));
  put(rec, 'consignee', readParty(item, 'consignee'));
  put(rec, 'declarant', readParty(item, 'declarant'));
  rec.items = item.many('Content').map(readContent);
  const totals: Raw = {};
  put(totals, 'transport', money(item, 'TransportCost'));
  put(totals, 'insurance', money(item, 'InsuranceCost'));
  put(totals, 'transportIncludedInPrice', flag(item, 'TransportIncludedInPrice'));
  put(totals, 'grossWeightGrams', grams(item, 'TotalGrossWeight'));
  put(totals, 'declaredValue', money(item, 'TotalValue'));
  put(totals, 'postalCharges', money(item, 'PostalCharges'));
  put(rec, 'totals', nonEmpty(totals));
  const tax = item.one('TaxReference');
  const taxPaid = money(item, 'TaxPaid');
  if (tax || taxPaid) {
    const tc: Raw = {};
    put(tc, 'scheme', tax?.attr('scheme'));
    put(tc, 'number', tax?.value());
    put(tc, 'taxPaid', taxPaid);
    rec.taxCollection = tc;
  }
  put(rec, 'additionalProcedureCodes', texts(item, 'AdditionalProcedureCode'));
  const documents: Raw = {};
  put(documents, 'invoice', item.text('InvoiceNumber'));
  put(documents, 'licences', texts(item, 'LicenceNumber'));
  put(documents, 'certificates', texts(item, 'CertificateNumber'));
  put(rec, 'documents', nonEmpty(documents));
  const routing: Raw = {};
  put(routing, 'dispatchCountry', item.text('OriginCountry'));
  put(routing, 'destinationCountry', item.text('DestinationCountry'));
  put(routing, 'countries', texts(item, 'RoutingCountry'));
  put(routing, 'placeOfLoading', item.text('PostingOffice'));
  put(routing, 'officeOfEntry', item.text('OfficeOfEntry'));
  rec.routing = routing;
  const dates: Raw = {};
  put(dates, 'ordered', item.text('OrderDate'));
  put(dates, 'accepted', item.text('PostingDate'));
  put(dates, 'departure', item.text('DepartureDate'));
  put(dates, 'expectedArrival', item.text('ExpectedArrivalDate'));
  put(rec, 'dates', nonEmpty(dates));
  const platform = { id: 'Id', orderId: 'OrderId', sellerId: 'SellerId', productUrl: 'ProductUrl' };
  put(rec, 'platform', readSub(item, 'Platform', platform));
  const payment = { reference: 'Reference', provider: 'Provider', amount: 'Amount', paidAt: 'PaidAt' };
  put(rec, 'payment', readSub(item, 'Payment', payment));
  return rec;
}

/**
 * The path of an issue found in the canonical record of item `index` (a JSON Pointer, as intake and
 * submission report them) as the element of the postal document that carries the field.
 */
export function postalIssuePath(index: number, pointer: string): string {
  const element = elementForPointer(pointer);
  const item = `/${ITMATT_ROOT}/Item[${index}]`;
  return element === '' ? item : `${item}/${element}`;
}

/**
 * Issues found in the canonical record of item `index` after reading (by submission: an intake data
 * set's requirements, linking), each named by the element that carries the field.
 */
export function postalItemIssues(index: number, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((i) => ({ ...i, path: postalIssuePath(index, i.path) }));
}

let defaultHs: HsNomenclature | undefined;

function check(
  rec: Raw,
  path: string,
  readerIssues: ValidationIssue[],
  hs: HsNomenclature,
): PostalItemRecord {
  const result = validateConsignment(rec, hs);
  const seen = new Set(readerIssues.map((i) => i.path));
  const mapped = result.ok
    ? []
    : result.error
        .map((i) => {
          const element = elementForPointer(i.path);
          return { ...i, path: element === '' ? path : `${path}/${element}` };
        })
        .filter((i) => !seen.has(i.path));
  const issues = readerIssues.concat(mapped);
  return issues.length === 0 && result.ok ? { index: 0, value: result.value } : { index: 0, issues };
}

/**
 * Parses an ITMATT-style postal item document; each `<Item>` becomes a `postal-item` record checked by
 * intake, with issue paths naming the failing element. Never throws.
 */
export function parsePostalItemXml(
  xml: string,
  opts: PostalParseOptions = {},
): { records: PostalItemRecord[]; issues: ValidationIssue[] } {
  const parsed = parseXmlDocument(xml, opts);
  if (!parsed.ok) return { records: [], issues: parsed.error };
  const { name, node } = parsed.value;
  const rootPath = `/${name}`;
  if (name !== ITMATT_ROOT)
    return {
      records: [],
      issues: [{ code: 'postal.root', path: rootPath, message: `root element must be ${ITMATT_ROOT}` }],
    };
  const issues: ValidationIssue[] = [];
  const root = new ElementReader(node, rootPath, issues);
  root.only(new Set(['Item']));
  const items = root.many('Item');
  const maxItems = opts.maxItems ?? 100_000;
  if (items.length === 0)
    issues.push({ code: 'postal.no-items', path: rootPath, message: 'no Item element' });
  if (items.length > maxItems) {
    const message = `${items.length} Item elements; at most ${maxItems} are accepted`;
    return { records: [], issues: issues.concat({ code: 'postal.too-many-items', path: rootPath, message }) };
  }
  const validate = opts.validate ?? true;
  const hs = validate === false ? undefined : (opts.hs ?? (defaultHs ??= loadHs2022()));
  const records = items.map((item, index): PostalItemRecord => {
    const own: ValidationIssue[] = [];
    const reader = new ElementReader(item.node, item.path, own);
    const rec = readItem(reader);
    if (hs === undefined || (validate === 'refused' && own.length === 0))
      return own.length === 0
        ? { index, value: rec as ConsignmentInput }
        : { index, value: rec as ConsignmentInput, issues: own };
    return { ...check(rec, item.path, own, hs), index };
  });
  return { records, issues };
}
