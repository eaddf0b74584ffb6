/**
 * The parcelgate postal item format (ITMATT-style): element names, code lists and the map from
 * canonical-model JSON Pointers to element paths. Documented field by field in docs/formats/postal.md.
 */
import type { Category } from '../domain/index.js';

/** Root element of an item-attribute document. */
export const ITMATT_ROOT = 'ITMATT';
/** Format version written in the root's `version` attribute. */
export const POSTAL_FORMAT_VERSION = 'parcelgate-1';

/** CN22/CN23 category of item, as written in `<Category>` (parcelgate's own codes; M33 code list not public). */
export const categoryCodes: Readonly<Record<Category, string>> = Object.freeze({
  sale: 'SALE_OF_GOODS',
  gift: 'GIFT',
  sample: 'COMMERCIAL_SAMPLE',
  documents: 'DOCUMENTS',
  returned: 'RETURNED_GOODS',
  other: 'OTHER',
});

/** Reverse of `categoryCodes`. */
export const categoryByCode: ReadonlyMap<string, Category> = new Map(
  Object.entries(categoryCodes).map(([k, v]) => [v, k as Category]),
);

/** The party blocks of an item, with the element that carries the party's identifier. */
export const partyElements = {
  seller: { element: 'Sender', idElement: 'CustomsReference' },
  consignee: { element: 'Addressee', idElement: 'ImporterReference' },
  declarant: { element: 'Declarant', idElement: 'Identifier' },
} as const;

export const PARTY_CHILDREN = [
  'Name',
  'Street',
  'City',
  'Postcode',
  'Region',
  'CountryCode',
  'Phone',
  'Email',
];

export const CONTENT_CHILDREN = [
  'Description',
  'Quantity',
  'NetWeight',
  'Value',
  'HSCode',
  'OriginCountry',
  'Brand',
  'SKU',
  'ProductUrl',
];

export const ITEM_CHILDREN = [
  'ItemId',
  'SenderReference',
  'MasterReference',
  'Category',
  'Sender',
  'Addressee',
  'Declarant',
  'Content',
  'TotalGrossWeight',
  'TotalValue',
  'PostalCharges',
  'TransportCost',
  'InsuranceCost',
  'TransportIncludedInPrice',
  'TaxReference',
  'TaxPaid',
  'AdditionalProcedureCode',
  'InvoiceNumber',
  'LicenceNumber',
  'CertificateNumber',
  'PostingOffice',
  'OfficeOfEntry',
  'OriginCountry',
  'DestinationCountry',
  'RoutingCountry',
  'OrderDate',
  'PostingDate',
  'DepartureDate',
  'ExpectedArrivalDate',
  'Platform',
  'Payment',
];

const PARTY_POINTERS: Record<string, string> = {
  '/name': 'Name',
  '/address/street': 'Street',
  '/address/city': 'City',
  '/address/postcode': 'Postcode',
  '/address/region': 'Region',
  '/address/country': 'CountryCode',
  '/address': 'CountryCode',
  '/phone': 'Phone',
  '/email': 'Email',
  '/status': '@status',
};

const CONTENT_POINTERS: Record<string, string> = {
  '/description': 'Description',
  '/quantity': 'Quantity',
  '/unit': 'Quantity/@unit',
  '/netWeightGrams': 'NetWeight',
  '/value/currency': 'Value/@currency',
  '/value': 'Value',
  '/hsCode': 'HSCode',
  '/origin': 'OriginCountry',
  '/brand': 'Brand',
  '/sku': 'SKU',
  '/productUrl': 'ProductUrl',
};

const TOP_POINTERS: Record<string, string> = {
  '/transportDocument/type': 'ItemId/@type',
  '/transportDocument': 'ItemId',
  '/externalRef': 'SenderReference',
  '/masterReference': 'MasterReference',
  '/category': 'Category',
  '/totals/grossWeightGrams': 'TotalGrossWeight',
  '/totals/declaredValue': 'TotalValue',
  '/totals/postalCharges': 'PostalCharges',
  '/totals/transport': 'TransportCost',
  '/totals/insurance': 'InsuranceCost',
  '/totals/transportIncludedInPrice': 'TransportIncludedInPrice',
  '/taxCollection/taxPaid': 'TaxPaid',
  '/taxCollection/scheme': 'TaxReference/@scheme',
  '/taxCollection': 'TaxReference',
  '/additionalProcedureCodes': 'AdditionalProcedureCode',
  '/documents/invoice': 'InvoiceNumber',
  '/documents/licences': 'LicenceNumber',
  '/documents/certificates': 'CertificateNumber',
  '/routing/placeOfLoading': 'PostingOffice',
  '/routing/officeOfEntry': 'OfficeOfEntry',
  '/routing/dispatchCountry': 'OriginCountry',
  '/routing/destinationCountry': 'DestinationCountry',
  '/routing/countries': 'RoutingCountry',
  '/routing': 'DestinationCountry',
  '/dates/ordered': 'OrderDate',
  '/dates/accepted': 'PostingDate',
  '/dates/departure': 'DepartureDate',
  '/dates/expectedArrival': 'ExpectedArrivalDate',
  '/dates': 'PostingDate',
  '/platform/id': 'Platform/Id',
  '/platform/orderId': 'Platform/OrderId',
  '/platform/sellerId': 'Platform/SellerId',
  '/platform/productUrl': 'Platform/ProductUrl',
  '/platform': 'Platform',
  '/payment/reference': 'Payment/Reference',
  '/payment/provider': 'Payment/Provider',
  '/payment/amount': 'Payment/Amount',
  '/payment/paidAt': 'Payment/PaidAt',
  '/payment': 'Payment',
  '/items': 'Content',
};

/** Longest table entry that prefixes `pointer`; a trailing array index becomes `[n]`. */
function lookup(table: Record<string, string>, pointer: string): string | undefined {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if ((pointer === key || pointer.startsWith(`${key}/`)) && key.length > (best?.length ?? -1)) best = key;
  }
  if (best === undefined) return undefined;
  const element = table[best] ?? '';
  const index = /^\/(\d+)/.exec(pointer.slice(best.length));
  return index ? `${element}[${index[1] ?? ''}]` : element;
}

/** Element path (relative to one `<Item>`) of the field a canonical JSON Pointer names. */
export function elementForPointer(pointer: string): string {
  const content = /^\/items\/(\d+)(\/.*)?$/.exec(pointer);
  if (content) {
    const sub = content[2] === undefined ? undefined : lookup(CONTENT_POINTERS, content[2]);
    return `Content[${content[1] ?? ''}]${sub === undefined ? '' : `/${sub}`}`;
  }
  for (const [key, { element, idElement }] of Object.entries(partyElements)) {
    if (pointer !== `/${key}` && !pointer.startsWith(`/${key}/`)) continue;
    const rest = pointer.slice(key.length + 1);
    if (rest === '') return element;
    if (rest === '/id/type') return `${element}/${idElement}/@type`;
    if (rest.startsWith('/id')) return `${element}/${idElement}`;
    const sub = lookup(PARTY_POINTERS, rest);
    return sub === undefined ? element : `${element}/${sub}`;
  }
  return lookup(TOP_POINTERS, pointer) ?? '';
}
