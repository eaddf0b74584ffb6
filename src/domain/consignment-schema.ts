/**
 * The canonical e-commerce consignment (house level) and its items, defined once.
 * Types, validation, OpenAPI and docs/data-model.md are all derived from these schemas.
 * Element coverage follows the WCO/UPU/EU data elements listed in docs/data-model.md.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const doc = <T extends TSchema>(description: string, schema: T): T => ({ ...schema, description }) as T;

/** Exact decimal amount as a string ("12.50"); numbers are accepted on input and normalised. */
export const DecimalString = Type.String({
  pattern: '^-?\\d{1,15}(\\.\\d{1,6})?$',
  description: 'Exact decimal amount, e.g. "12.50". Never a binary float.',
  examples: ['19.99'],
});
export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2 country code',
  examples: ['CN'],
});
export const CurrencyCode = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code',
  examples: ['EUR'],
});
export const DateTime = Type.String({
  format: 'date-time',
  description: 'RFC 3339 timestamp, in the years 1970 to 2099',
});

export const Money = Type.Object(
  { amount: DecimalString, currency: CurrencyCode },
  { additionalProperties: false, description: 'An exact amount in a currency' },
);

export const Address = Type.Object(
  {
    street: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    postcode: Type.Optional(Type.String({ maxLength: 20 })),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    country: CountryCode,
  },
  { additionalProperties: false },
);

export const PartyIdType = Type.Union(
  [
    Type.Literal('EORI'),
    Type.Literal('VAT'),
    Type.Literal('TIN'),
    Type.Literal('PERSONAL'),
    Type.Literal('PCCC'),
    Type.Literal('OTHER'),
  ],
  { description: 'Kind of identifier: EORI, VAT number, tax id, personal id, Korean PCCC, other' },
);

export const Party = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    address: Address,
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    id: Type.Optional(
      Type.Object(
        { type: PartyIdType, value: Type.String({ minLength: 1, maxLength: 60 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Declarant = Type.Composite([
  Party,
  Type.Object({
    status: Type.Union([Type.Literal('self'), Type.Literal('direct'), Type.Literal('indirect')], {
      description: 'Representation status of the declarant (H7 DE 13 06)',
    }),
  }),
]);

export const TransportDocument = Type.Object(
  {
    type: Type.Union(
      [Type.Literal('S10'), Type.Literal('AWB'), Type.Literal('HAWB'), Type.Literal('OTHER')],
      {
        description: 'S10 = UPU postal item id (check digit verified); AWB/HAWB = air waybill (house)',
      },
    ),
    id: Type.String({ minLength: 1, maxLength: 35 }),
  },
  { additionalProperties: false },
);

export const Platform = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 60, description: 'Platform / marketplace identifier' }),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    sellerId: Type.Optional(Type.String({ maxLength: 80, description: "Seller's id on the platform" })),
    productUrl: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const Payment = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 80, description: 'Payment transaction / flow number' }),
    provider: Type.Optional(Type.String({ maxLength: 80 })),
    amount: Type.Optional(Money),
    paidAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const TaxScheme = Type.Union(
  [
    Type.Literal('IOSS'),
    Type.Literal('VOEC'),
    Type.Literal('ABN'),
    Type.Literal('ARN'),
    Type.Literal('UKVAT'),
    Type.Literal('OVR'),
    Type.Literal('NZGST'),
  ],
  { description: 'Vendor/platform tax-collection scheme whose number travels with the parcel' },
);

export const TaxCollection = Type.Object(
  {
    scheme: TaxScheme,
    number: Type.String({ minLength: 1, maxLength: 30 }),
    taxPaid: Type.Optional(doc('Tax charged at checkout, as declared by the seller/platform', Money)),
  },
  { additionalProperties: false },
);

export const Category = Type.Union(
  [
    Type.Literal('sale'),
    Type.Literal('gift'),
    Type.Literal('sample'),
    Type.Literal('documents'),
    Type.Literal('returned'),
    Type.Literal('other'),
  ],
  { description: 'CN22/CN23 category of item' },
);

export const Item = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 512, description: 'Specific goods description' }),
    hsCode: Type.Optional(
      Type.String({
        pattern: '^\\d{6}(\\d{2}){0,2}$',
        description: 'HS code, 6, 8 or 10 digits; the first 6 must be an HS 2022 subheading',
      }),
    ),
    quantity: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1e9,
      description: 'Quantity in `unit`: a whole number for pcs, pair and set',
    }),
    unit: Type.Union(
      [
        Type.Literal('pcs'),
        Type.Literal('pair'),
        Type.Literal('set'),
        Type.Literal('kg'),
        Type.Literal('g'),
        Type.Literal('l'),
        Type.Literal('ml'),
        Type.Literal('m'),
        Type.Literal('m2'),
      ],
      { default: 'pcs' },
    ),
    netWeightGrams: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    value: doc('Value of this line (all units) in the transaction currency', Money),
    origin: doc('Country of origin', CountryCode),
    brand: Type.Optional(Type.String({ maxLength: 100 })),
    sku: Type.Optional(Type.String({ maxLength: 100 })),
    productUrl: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const Totals = Type.Object(
  {
    transport: Type.Optional(doc('Transport cost to the destination', Money)),
    insurance: Type.Optional(doc('Insurance cost to the destination', Money)),
    transportIncludedInPrice: Type.Optional(
      Type.Boolean({
        description: 'True when transport/insurance are included in item prices and not shown separately',
      }),
    ),
    grossWeightGrams: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    declaredValue: Type.Optional(doc('Total declared value as printed on the CN23/invoice', Money)),
    postalCharges: Type.Optional(Money),
  },
  { additionalProperties: false },
);

export const Dates = Type.Object(
  {
    ordered: Type.Optional(DateTime),
    accepted: Type.Optional(doc('Posting / acceptance by the carrier', DateTime)),
    departure: Type.Optional(DateTime),
    expectedArrival: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const Routing = Type.Object(
  {
    dispatchCountry: doc('Country of dispatch / acceptance', CountryCode),
    destinationCountry: doc('Country of destination (delivery)', CountryCode),
    countries: Type.Optional(
      Type.Array(CountryCode, { maxItems: 20, description: 'Routing countries in order' }),
    ),
    placeOfLoading: Type.Optional(Type.String({ maxLength: 35 })),
    officeOfEntry: Type.Optional(
      Type.String({ maxLength: 35, description: 'Customs office of entry / presentation' }),
    ),
  },
  { additionalProperties: false },
);

export const SourceKind = Type.Union(
  [
    Type.Literal('declaration'),
    Type.Literal('platform-order'),
    Type.Literal('payment'),
    Type.Literal('carrier-waybill'),
    Type.Literal('postal-item'),
  ],
  { description: 'Which party and document this record comes from' },
);

export const Documents = Type.Object(
  {
    invoice: Type.Optional(Type.String({ maxLength: 80 })),
    licences: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
    certificates: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

/** One consignment record as a submitter sends it. */
export const ConsignmentInput = Type.Object(
  {
    source: SourceKind,
    externalRef: Type.Optional(Type.String({ maxLength: 80, description: "Submitter's own reference" })),
    transportDocument: Type.Optional(TransportDocument),
    masterReference: Type.Optional(
      Type.String({ maxLength: 35, description: 'Master air waybill / conveyance reference' }),
    ),
    seller: Type.Optional(Party),
    consignee: Type.Optional(Party),
    declarant: Type.Optional(Declarant),
    platform: Type.Optional(Platform),
    payment: Type.Optional(Payment),
    taxCollection: Type.Optional(TaxCollection),
    category: Category,
    additionalProcedureCodes: Type.Optional(
      Type.Array(Type.Union([Type.Literal('F48'), Type.Literal('F49'), Type.Literal('C07')]), {
        maxItems: 3,
        uniqueItems: true,
        description: 'EU H7 additional procedure codes: F48 IOSS, F49 special arrangements, C07 relief',
      }),
    ),
    items: Type.Array(Item, { minItems: 1, maxItems: 999 }),
    totals: Type.Optional(Totals),
    dates: Type.Optional(Dates),
    routing: Routing,
    documents: Type.Optional(Documents),
  },
  { additionalProperties: false, $id: 'ConsignmentInput', title: 'ConsignmentInput' },
);

export type Money = Static<typeof Money>;
export type Address = Static<typeof Address>;
export type Party = Static<typeof Party>;
export type Declarant = Static<typeof Declarant>;
export type TransportDocument = Static<typeof TransportDocument>;
export type Platform = Static<typeof Platform>;
export type Payment = Static<typeof Payment>;
export type TaxScheme = Static<typeof TaxScheme>;
export type TaxCollection = Static<typeof TaxCollection>;
export type Category = Static<typeof Category>;
export type Item = Static<typeof Item>;
export type Totals = Static<typeof Totals>;
export type Routing = Static<typeof Routing>;
export type SourceKind = Static<typeof SourceKind>;
export type ConsignmentInput = Static<typeof ConsignmentInput>;
