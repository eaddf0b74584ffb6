/** Writes canonical consignments as an ITMATT-style postal item document (the inverse of postal-read). */
import { XMLBuilder } from 'fast-xml-parser';
import type { ConsignmentInput, Item, Money, Party } from '../domain/index.js';
import { ITMATT_ROOT, POSTAL_FORMAT_VERSION, categoryCodes, partyElements } from './postal-format.js';

type El = Record<string, unknown>;

/** Shared builder: attributes prefixed `@_`, text in `#text`, indented output, entities escaped. */
export const xmlBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/** The XML declaration every exported document starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Sets `el[name]` when `value` is defined (keeps element order = insertion order). */
export function add(el: El, name: string, value: unknown): void {
  if (value !== undefined && value !== '') el[name] = value;
}

/** An amount element: `<Value currency="EUR">25.90</Value>`. */
export function moneyEl(m: Money | undefined): El | undefined {
  return m === undefined ? undefined : { '@_currency': m.currency, '#text': m.amount };
}

/** Grams as kilograms with exactly three decimals, computed in integers (no float rounding). */
export function kg(grams: number | undefined): string | undefined {
  if (grams === undefined) return undefined;
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`;
}

function partyEl(p: Party | undefined, role: keyof typeof partyElements, status?: string): El | undefined {
  if (p === undefined) return undefined;
  const el: El = {};
  if (status !== undefined) el['@_status'] = status;
  add(el, 'Name', p.name);
  add(el, 'Street', p.address.street);
  add(el, 'City', p.address.city);
  add(el, 'Postcode', p.address.postcode);
  add(el, 'Region', p.address.region);
  add(el, 'CountryCode', p.address.country);
  add(el, 'Phone', p.phone);
  add(el, 'Email', p.email);
  if (p.id) add(el, partyElements[role].idElement, { '@_type': p.id.type, '#text': p.id.value });
  return el;
}

function contentEl(i: Item): El {
  const el: El = {};
  add(el, 'Description', i.description);
  add(
    el,
    'Quantity',
    i.unit === undefined ? String(i.quantity) : { '@_unit': i.unit, '#text': String(i.quantity) },
  );
  add(el, 'NetWeight', kg(i.netWeightGrams));
  add(el, 'Value', moneyEl(i.value));
  add(el, 'HSCode', i.hsCode);
  add(el, 'OriginCountry', i.origin);
  add(el, 'Brand', i.brand);
  add(el, 'SKU', i.sku);
  add(el, 'ProductUrl', i.productUrl);
  return el;
}

function list(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined || values.length === 0 ? undefined : [...values];
}

function itemEl(c: ConsignmentInput): El {
  const el: El = {};
  const doc = c.transportDocument;
  if (doc) add(el, 'ItemId', doc.type === 'S10' ? doc.id : { '@_type': doc.type, '#text': doc.id });
  add(el, 'SenderReference', c.externalRef);
  add(el, 'MasterReference', c.masterReference);
  add(el, 'Category', categoryCodes[c.category]);
  add(el, 'Sender', partyEl(c.seller, 'seller'));
  add(el, 'Addressee', partyEl(c.consignee, 'consignee'));
  add(el, 'Declarant', partyEl(c.declarant, 'declarant', c.declarant?.status));
  add(el, 'Content', c.items.map(contentEl));
  const t = c.totals;
  add(el, 'TotalGrossWeight', kg(t?.grossWeightGrams));
  add(el, 'TotalValue', moneyEl(t?.declaredValue));
  add(el, 'PostalCharges', moneyEl(t?.postalCharges));
  add(el, 'TransportCost', moneyEl(t?.transport));
  add(el, 'InsuranceCost', moneyEl(t?.insurance));
  add(el, 'TransportIncludedInPrice', t?.transportIncludedInPrice?.toString());
  const tax = c.taxCollection;
  if (tax) add(el, 'TaxReference', { '@_scheme': tax.scheme, '#text': tax.number });
  add(el, 'TaxPaid', moneyEl(tax?.taxPaid));
  add(el, 'AdditionalProcedureCode', list(c.additionalProcedureCodes));
  add(el, 'InvoiceNumber', c.documents?.invoice);
  add(el, 'LicenceNumber', list(c.documents?.licences));
  add(el, 'CertificateNumber', list(c.documents?.certificates));
  const r = c.routing;
  add(el, 'PostingOffice', r.placeOfLoading);
  add(el, 'OfficeOfEntry', r.officeOfEntry);
  add(el, 'OriginCountry', r.dispatchCountry);
  add(el, 'DestinationCountry', r.destinationCountry);
  add(el, 'RoutingCountry', list(r.countries));
  add(el, 'OrderDate', c.dates?.ordered);
  add(el, 'PostingDate', c.dates?.accepted);
  add(el, 'DepartureDate', c.dates?.departure);
  add(el, 'ExpectedArrivalDate', c.dates?.expectedArrival);
  if (c.platform) {
    const p = c.platform;
    const pl: El = {};
    add(pl, 'Id', p.id);
    add(pl, 'OrderId', p.orderId);
    add(pl, 'SellerId', p.sellerId);
    add(pl, 'ProductUrl', p.productUrl);
    add(el, 'Platform', pl);
  }
  if (c.payment) {
    const p = c.payment;
    const pay: El = {};
    add(pay, 'Reference', p.reference);
    add(pay, 'Provider', p.provider);
    add(pay, 'Amount', moneyEl(p.amount));
    add(pay, 'PaidAt', p.paidAt);
    add(el, 'Payment', pay);
  }
  return el;
}

/** Writes consignments as one ITMATT-style document, one `<Item>` per consignment. */
export function toPostalItemXml(inputs: readonly ConsignmentInput[]): string {
  const root = { [ITMATT_ROOT]: { '@_version': POSTAL_FORMAT_VERSION, Item: inputs.map(itemEl) } };
  return XML_DECLARATION + (xmlBuilder.build(root) as string);
}
