/**
 * The three documents of China cross-border retail import (order from the platform, payment from the
 * payment company, waybill from the logistics company) and the declaration list, in parcelgate's JSON
 * form. Element choice follows the CEB311 / CEB411 / CEB511 / CEB621 messages of the China e-commerce
 * clearance platform as far as public descriptions go; see docs/three-documents.md.
 */
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ValidationIssue } from '../../domain/index.js';
import { isRfc3339DateTime } from '../../intake/index.js';

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isRfc3339DateTime);

const Amount = Type.String({
  pattern: '^\\d{1,12}(\\.\\d{1,2})?$',
  description: 'CNY amount, e.g. "199.00"',
});
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const DateTime = Type.String({ format: 'date-time' });
const Currency = Type.Literal('CNY');

export const BuyerIdType = Type.Union([
  Type.Literal('resident-id'),
  Type.Literal('passport'),
  Type.Literal('other'),
]);

const Buyer = Type.Object(
  { name: Text(60), idType: BuyerIdType, idNumber: Text(40), phone: Type.Optional(Text(30)) },
  { additionalProperties: false },
);
const Consignee = Type.Object(
  { name: Text(60), address: Text(200), phone: Type.Optional(Text(30)) },
  { additionalProperties: false },
);
const Line = Type.Object(
  {
    description: Text(250),
    hsCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{2}){0,2}$' })),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }),
    unit: Type.Union([Type.Literal('pcs'), Type.Literal('kg'), Type.Literal('set'), Type.Literal('pair')]),
    totalPrice: Amount,
    origin: Type.String({ pattern: '^[A-Z]{2}$' }),
    productUrl: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** Order (CEB311-like), sent and signed by the e-commerce platform. */
export const CbecOrder = Type.Object(
  {
    orderNo: Text(60),
    platformCode: Text(40),
    orderedAt: DateTime,
    currency: Currency,
    goodsValue: Amount,
    freight: Amount,
    insurance: Type.Optional(Amount),
    discount: Type.Optional(Amount),
    actualPaid: Amount,
    buyer: Buyer,
    consignee: Consignee,
    items: Type.Array(Line, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);

/** Payment (CEB411-like), sent and signed by the payment company. */
export const CbecPayment = Type.Object(
  {
    orderNo: Text(60),
    paymentNo: Text(60),
    paymentCompany: Text(60),
    payerName: Text(60),
    payerIdType: BuyerIdType,
    payerIdNumber: Text(40),
    currency: Currency,
    amountPaid: Amount,
    paidAt: DateTime,
    productUrl: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** Waybill (CEB511-like), sent and signed by the logistics company. */
export const CbecWaybill = Type.Object(
  {
    orderNo: Text(60),
    logisticsNo: Text(60),
    logisticsCompany: Text(60),
    currency: Currency,
    freight: Amount,
    insurance: Type.Optional(Amount),
    grossWeightGrams: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    packages: Type.Integer({ minimum: 1, maximum: 999 }),
    consignee: Consignee,
    dispatchCountry: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  { additionalProperties: false },
);

/** Declaration list (CEB621-like), sent and signed by the e-commerce enterprise or its agent. */
export const CbecList = Type.Object(
  {
    orderNo: Text(60),
    logisticsNo: Text(60),
    paymentNo: Text(60),
    platformCode: Text(40),
    procedure: Type.Union([Type.Literal('9610'), Type.Literal('1210')]),
    seller: Type.Object(
      { name: Text(100), address: Text(200), country: Type.String({ pattern: '^[A-Z]{2}$' }) },
      { additionalProperties: false, description: 'The overseas e-commerce enterprise selling the goods' },
    ),
    officeOfEntry: Type.Optional(Text(35)),
    buyer: Buyer,
    consignee: Consignee,
    dispatchCountry: Type.String({ pattern: '^[A-Z]{2}$' }),
    currency: Currency,
    goodsValue: Amount,
    freight: Amount,
    insurance: Type.Optional(Amount),
    grossWeightGrams: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    items: Type.Array(Line, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);

export type CbecOrder = Static<typeof CbecOrder>;
export type CbecPayment = Static<typeof CbecPayment>;
export type CbecWaybill = Static<typeof CbecWaybill>;
export type CbecList = Static<typeof CbecList>;

/** The kinds of signed three-document records (the list is the fourth signed kind). */
export const documentKinds = ['order', 'payment', 'waybill'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const checkers = {
  order: TypeCompiler.Compile(CbecOrder),
  payment: TypeCompiler.Compile(CbecPayment),
  waybill: TypeCompiler.Compile(CbecWaybill),
  list: TypeCompiler.Compile(CbecList),
};

/** The document of each kind. */
export interface DocumentOf {
  order: CbecOrder;
  payment: CbecPayment;
  waybill: CbecWaybill;
  list: CbecList;
}

/** Parses and validates a payload of `kind`; every issue at once, with JSON Pointer paths. */
export function parseDocument<K extends keyof DocumentOf>(
  kind: K,
  payload: string,
): { ok: true; value: DocumentOf[K] } | { ok: false; issues: ValidationIssue[] } {
  if (payload.length > 1_000_000)
    return {
      ok: false,
      issues: [{ code: 'three-doc.too-large', path: '/payload', message: 'payload over 1 MB' }],
    };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (e) {
    return {
      ok: false,
      issues: [
        {
          code: 'three-doc.malformed',
          path: '/payload',
          message: `payload is not JSON: ${(e as Error).message}`,
        },
      ],
    };
  }
  const checker = checkers[kind];
  if (checker.Check(json)) return { ok: true, value: json as DocumentOf[K] };
  const issues = [...checker.Errors(json)].slice(0, 50).map((e) => ({
    code: 'three-doc.invalid',
    path: e.path,
    message: e.message,
  }));
  return { ok: false, issues };
}
