/** The flat CSV template: one row per item, consignment columns repeated; rows sharing `ref` form one consignment. */

/** How a cell is turned into a JSON value. */
export type CsvKind = 'string' | 'number' | 'boolean' | 'list' | 'money' | 'currency';

/** One column of the CSV template. */
export interface CsvColumn {
  name: string;
  level: 'consignment' | 'item';
  /** Dotted path in the consignment (or in the item for item-level columns). */
  path: string;
  kind: CsvKind;
  /** For money columns: the column holding the currency. For currency columns: the money paths it serves. */
  currency?: string;
  serves?: string[];
  required: string;
  meaning: string;
  example: string;
}

const c = (
  name: string,
  path: string,
  required: string,
  meaning: string,
  example: string,
  kind: CsvKind = 'string',
  extra: Partial<CsvColumn> = {},
): CsvColumn => ({ name, level: 'consignment', path, kind, required, meaning, example, ...extra });

const i = (
  name: string,
  path: string,
  required: string,
  meaning: string,
  example: string,
  kind: CsvKind = 'string',
  extra: Partial<CsvColumn> = {},
): CsvColumn => ({ name, level: 'item', path, kind, required, meaning, example, ...extra });

type PartyExamples = Record<
  'name' | 'street' | 'city' | 'postcode' | 'region' | 'country' | 'phone' | 'email' | 'idType' | 'idValue',
  string
>;

// The ten columns of a party block (seller, consignee), the same shape for each party.
const partyColumns = (
  key: 'seller' | 'consignee',
  label: string,
  nameMeaning: string,
  regionMeaning: string,
  ex: PartyExamples,
): CsvColumn[] => [
  c(`${key}_name`, `${key}.name`, 'by source', nameMeaning, ex.name),
  c(`${key}_street`, `${key}.address.street`, 'no', `${label} street and number`, ex.street),
  c(`${key}_city`, `${key}.address.city`, 'no', `${label} city`, ex.city),
  c(`${key}_postcode`, `${key}.address.postcode`, 'no', `${label} postcode`, ex.postcode),
  c(`${key}_region`, `${key}.address.region`, 'no', regionMeaning, ex.region),
  c(
    `${key}_country`,
    `${key}.address.country`,
    `with ${key}`,
    `${label} country (ISO 3166 alpha-2)`,
    ex.country,
  ),
  c(`${key}_phone`, `${key}.phone`, 'no', `${label} phone`, ex.phone),
  c(`${key}_email`, `${key}.email`, 'no', `${label} e-mail`, ex.email),
  c(`${key}_id_type`, `${key}.id.type`, 'no', 'EORI, VAT, TIN, PERSONAL, PCCC or OTHER', ex.idType),
  c(`${key}_id_value`, `${key}.id.value`, `with ${key}_id_type`, `${label} identifier`, ex.idValue),
];

const COST_PATHS = ['totals.transport', 'totals.insurance', 'totals.declaredValue', 'totals.postalCharges'];

/** Every column of the CSV template, in the canonical order. */
export const csvColumns: readonly CsvColumn[] = [
  c(
    'ref',
    'externalRef',
    'yes (to group rows)',
    "Submitter's consignment reference; consecutive rows with the same ref form one consignment",
    'ORD-2025-0001',
  ),
  c(
    'source',
    'source',
    'yes',
    'declaration, platform-order, payment, carrier-waybill or postal-item',
    'declaration',
  ),
  c('category', 'category', 'yes', 'sale, gift, sample, documents, returned or other', 'sale'),
  c('transport_doc_type', 'transportDocument.type', 'by source', 'S10, AWB, HAWB or OTHER', 'S10'),
  c(
    'transport_doc_id',
    'transportDocument.id',
    'by source',
    'Postal item id (S10) or waybill number',
    'RR123456785CN',
  ),
  c('master_ref', 'masterReference', 'no', 'Master air waybill / conveyance reference', '16012345675'),
  ...partyColumns('seller', 'Seller', 'Seller / consignor name', 'Seller region / province', {
    name: 'Shenzhen Bright Trading Co',
    street: '88 Keji Rd',
    city: 'Shenzhen',
    postcode: '518057',
    region: 'Guangdong',
    country: 'CN',
    phone: '+86 755 1234 5678',
    email: 'sales@bright.example.cn',
    idType: 'TIN',
    idValue: '91440300MA5F',
  }),
  ...partyColumns('consignee', 'Consignee', 'Buyer / consignee name', 'Consignee region', {
    name: 'Anna Schmidt',
    street: 'Hauptstr. 5',
    city: 'Berlin',
    postcode: '10115',
    region: 'Berlin',
    country: 'DE',
    phone: '+49 30 1234567',
    email: 'anna@example.de',
    idType: 'PERSONAL',
    idValue: 'P12345678',
  }),
  c('platform_id', 'platform.id', 'with order_id', 'Platform / marketplace identifier', 'shopmall'),
  c('order_id', 'platform.orderId', 'platform-order, payment', 'Order number on the platform', 'SM-99812'),
  c('platform_seller_id', 'platform.sellerId', 'no', "Seller's id on the platform", 'S-4411'),
  c('product_url', 'platform.productUrl', 'no', 'Product page of the order', 'https://shopmall.example/p/1'),
  c('payment_ref', 'payment.reference', 'payment', 'Payment transaction reference', 'PAY-77120'),
  c('payment_provider', 'payment.provider', 'no', 'Payment provider', 'cardpay'),
  c('payment_amount', 'payment.amount', 'no', 'Amount paid', '45.90', 'money', {
    currency: 'payment_currency',
  }),
  c('payment_currency', '', 'with payment_amount', 'Currency of payment_amount', 'EUR', 'currency', {
    serves: ['payment.amount'],
  }),
  c('paid_at', 'payment.paidAt', 'no', 'Payment time (RFC 3339)', '2025-03-01T09:12:00Z'),
  c(
    'tax_scheme',
    'taxCollection.scheme',
    'with tax_number',
    'IOSS, VOEC, ABN, ARN, UKVAT, OVR or NZGST',
    'IOSS',
  ),
  c(
    'tax_number',
    'taxCollection.number',
    'with tax_scheme',
    'Tax-collection registration number',
    'IM2760000001',
  ),
  c('tax_paid', 'taxCollection.taxPaid', 'no', 'Tax charged at checkout', '8.72', 'money', {
    currency: 'tax_paid_currency',
  }),
  c('tax_paid_currency', '', 'with tax_paid', 'Currency of tax_paid', 'EUR', 'currency', {
    serves: ['taxCollection.taxPaid'],
  }),
  c(
    'procedure_codes',
    'additionalProcedureCodes',
    'no',
    'EU additional procedure codes, separated by ";"',
    'F48',
    'list',
  ),
  c('dispatch_country', 'routing.dispatchCountry', 'yes', 'Country of dispatch / acceptance', 'CN'),
  c('destination_country', 'routing.destinationCountry', 'yes', 'Country of destination', 'DE'),
  c(
    'routing_countries',
    'routing.countries',
    'no',
    'Routing countries in order, separated by ";"',
    'CN;DE',
    'list',
  ),
  c('place_of_loading', 'routing.placeOfLoading', 'no', 'Place of loading', 'SZX'),
  c('office_of_entry', 'routing.officeOfEntry', 'no', 'Customs office of entry', 'DE004853'),
  c('transport_cost', 'totals.transport', 'no', 'Transport cost to destination', '4.50', 'money', {
    currency: 'cost_currency',
  }),
  c('insurance_cost', 'totals.insurance', 'no', 'Insurance cost to destination', '0.50', 'money', {
    currency: 'cost_currency',
  }),
  c(
    'declared_value',
    'totals.declaredValue',
    'no',
    'Total declared value (CN23 / invoice)',
    '45.90',
    'money',
    { currency: 'cost_currency' },
  ),
  c('postal_charges', 'totals.postalCharges', 'no', 'Postal charges', '3.00', 'money', {
    currency: 'cost_currency',
  }),
  c(
    'cost_currency',
    '',
    'with any cost',
    'Currency of the transport, insurance, declared value and postal charges',
    'EUR',
    'currency',
    { serves: COST_PATHS },
  ),
  c(
    'transport_included',
    'totals.transportIncludedInPrice',
    'no',
    'true when transport is included in item prices',
    'false',
    'boolean',
  ),
  c(
    'gross_weight_g',
    'totals.grossWeightGrams',
    'no',
    'Gross weight of the parcel in grams',
    '640',
    'number',
  ),
  c('ordered_at', 'dates.ordered', 'no', 'Order time (RFC 3339)', '2025-03-01T09:10:00Z'),
  c('accepted_at', 'dates.accepted', 'no', 'Acceptance by the carrier (RFC 3339)', '2025-03-02T08:00:00Z'),
  c('departure_at', 'dates.departure', 'no', 'Departure (RFC 3339)', '2025-03-03T22:00:00Z'),
  c('expected_arrival', 'dates.expectedArrival', 'no', 'Expected arrival (RFC 3339)', '2025-03-06T06:00:00Z'),
  c('invoice', 'documents.invoice', 'no', 'Invoice number', 'INV-2025-118'),
  i('item_description', 'description', 'yes', 'Specific goods description', "Men's cotton T-shirt"),
  i('item_hs_code', 'hsCode', 'no', 'HS code, 6, 8 or 10 digits (dots and spaces allowed)', '6109.10'),
  i('item_quantity', 'quantity', 'yes', 'Quantity (greater than 0)', '2', 'number'),
  i('item_unit', 'unit', 'no (pcs)', 'pcs, pair, set, kg, g, l, ml, m or m2', 'pcs'),
  i(
    'item_net_weight_g',
    'netWeightGrams',
    'yes',
    'Net weight of the line in grams (integer)',
    '300',
    'number',
  ),
  i('item_value', 'value', 'yes', 'Value of the line (all units)', '25.90', 'money', {
    currency: 'item_currency',
  }),
  i('item_currency', '', 'yes', 'Currency of item_value (ISO 4217)', 'EUR', 'currency', {
    serves: ['value'],
  }),
  i('item_origin', 'origin', 'yes', 'Country of origin', 'CN'),
  i('item_brand', 'brand', 'no', 'Brand name', 'Nike'),
  i('item_sku', 'sku', 'no', 'Seller SKU', 'TS-BLK-M'),
  i('item_url', 'productUrl', 'no', 'Product page of the item', 'https://shopmall.example/p/1'),
];

/** Column lookup by header name. */
export const csvColumnsByName: ReadonlyMap<string, CsvColumn> = new Map(
  csvColumns.map((col) => [col.name, col]),
);
