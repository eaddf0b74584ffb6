/**
 * Readers of the JSON forms of the EU H7 declaration and the ICS2 PLACI house filing: the shape is
 * checked first (every problem named after the data element, with the JSON field and why), then the
 * dataset's own rules (`validateH7`, `validatePlaci`). A reader returns a value only when there is no
 * issue at all, so an importer never writes part of a file.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { gramsFromKg, partyFrom } from './dataset-parties.js';
import type { H7Declaration } from './h7.js';
import { validateH7 } from './h7-validate.js';
import { validatePlaci, type PlaciHouse } from './placi.js';

/** A string of at most `max` characters (shared with the Type 86 reader). */
export const Str = (max: number) => Type.String({ maxLength: max });
/** An amount and its ISO 4217 currency. */
export const MoneyJson = Type.Object(
  { amount: Str(40), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { additionalProperties: false },
);
/** A dataset party (see `DatasetParty`). */
export const PartyJson = Type.Object(
  {
    name: Str(200),
    street: Type.Optional(Str(200)),
    city: Type.Optional(Str(100)),
    postcode: Type.Optional(Str(20)),
    country: Str(2),
    identification: Type.Optional(
      Type.Object({ type: Str(20), value: Str(60) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
const TransportDocJson = Type.Object(
  { type: Type.Union([Type.Literal('S10'), Type.Literal('AWB'), Type.Literal('HAWB')]), id: Str(35) },
  { additionalProperties: false },
);

const H7Json = Type.Object(
  {
    declarationType: Type.Literal('IM'),
    additionalDeclarationType: Type.Union([Type.Literal('A'), Type.Literal('D')]),
    lrn: Type.Optional(Str(80)),
    procedure: Type.Literal('4000'),
    additionalProcedures: Type.Array(Str(3), { maxItems: 3 }),
    supportingDocuments: Type.Array(
      Type.Object(
        {
          type: Type.Union([Type.Literal('N380'), Type.Literal('LIC'), Type.Literal('CRT')]),
          reference: Str(80),
        },
        { additionalProperties: false },
      ),
      { maxItems: 41 },
    ),
    transportDocument: Type.Optional(TransportDocJson),
    exporter: Type.Optional(PartyJson),
    importer: Type.Optional(PartyJson),
    declarant: Type.Optional(
      Type.Composite([
        PartyJson,
        Type.Object({
          status: Type.Union([Type.Literal('self'), Type.Literal('direct'), Type.Literal('indirect')]),
        }),
      ]),
    ),
    additionalFiscalReference: Type.Optional(
      Type.Object({ role: Type.Literal('FR5'), vatId: Str(20) }, { additionalProperties: false }),
    ),
    transportAndInsuranceCosts: Type.Optional(MoneyJson),
    taxes: Type.Array(
      Type.Object(
        {
          taxType: Type.Union([Type.Literal('A00'), Type.Literal('B00')]),
          taxBase: Str(40),
          rate: Str(20),
          amount: Str(40),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    countryOfDispatch: Str(2),
    countryOfDestination: Str(2),
    officeOfPresentation: Type.Optional(Str(35)),
    grossMassKg: Type.Optional(Str(20)),
    goodsItems: Type.Array(
      Type.Object(
        {
          goodsItemNumber: Type.Integer({ minimum: 1, maximum: 999 }),
          description: Str(512),
          commodityCode: Type.Optional(Str(10)),
          netMassKg: Str(20),
          intrinsicValue: MoneyJson,
          countryOfOrigin: Str(2),
        },
        { additionalProperties: false },
      ),
      { maxItems: 999 },
    ),
  },
  { additionalProperties: false },
);

const PlaciJson = Type.Object(
  {
    transportDocument: Type.Optional(TransportDocJson),
    masterTransportDocument: Type.Optional(Str(35)),
    consignor: Type.Optional(PartyJson),
    consignee: Type.Optional(PartyJson),
    numberOfPackages: Type.Integer({ minimum: 1, maximum: 99_999 }),
    grossMassKg: Type.Optional(Str(20)),
    goodsDescription: Str(512),
    goodsItems: Type.Array(
      Type.Object({ description: Str(512), hs6: Type.Optional(Str(6)) }, { additionalProperties: false }),
      { maxItems: 999 },
    ),
    acceptanceCountry: Str(2),
    deliveryCountry: Str(2),
    routingCountries: Type.Array(Str(2), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const h7Check = TypeCompiler.Compile(H7Json);
const placiCheck = TypeCompiler.Compile(PlaciJson);

const H7_HEADER: Readonly<Record<string, string>> = {
  declarationType: 'DE 11 01',
  additionalDeclarationType: 'DE 11 02',
  lrn: 'DE 12 09',
  procedure: 'DE 11 09',
  additionalProcedures: 'DE 11 10',
  supportingDocuments: 'DE 12 03',
  transportDocument: 'DE 12 05',
  exporter: 'DE 13 01',
  importer: 'DE 13 04',
  declarant: 'DE 13 05',
  additionalFiscalReference: 'DE 13 16',
  transportAndInsuranceCosts: 'DE 14 15',
  taxes: 'DE 14 03',
  countryOfDispatch: 'DE 16 06',
  countryOfDestination: 'DE 16 03',
  officeOfPresentation: 'DE 17 10',
  grossMassKg: 'DE 18 04',
  goodsItems: 'DE 11 03',
};
const H7_ITEM: Readonly<Record<string, string>> = {
  goodsItemNumber: 'DE 11 03',
  description: 'DE 18 05',
  commodityCode: 'DE 18 09',
  netMassKg: 'DE 18 01',
  intrinsicValue: 'DE 14 14',
  countryOfOrigin: 'DE 16 08',
};
const PARTIES = new Set(['exporter', 'importer', 'declarant', 'consignor', 'consignee']);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);
/** A table entry by own key only (a key like `toString` must not find Object.prototype's). */
const own = (table: Readonly<Record<string, string>>, key: string | undefined): string | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

/** The H7 data element a JSON pointer into an H7 declaration stands for (`/goodsItems/1/commodityCode` → `DE 18 09[2]`). */
export function h7ElementOf(pointer: string): string {
  const [head = '', a, b] = pointer.split('/').slice(1);
  const de = own(H7_HEADER, head);
  if (de === undefined) return head === '' ? 'H7' : `H7/${head}`;
  if (head === 'goodsItems' && isIndex(a)) {
    const n = Number(a) + 1;
    return b === undefined ? `DE 11 03[${n}]` : `${own(H7_ITEM, b) ?? `DE 11 03/${b}`}[${n}]`;
  }
  if (isIndex(a)) return `${de}[${Number(a) + 1}]`;
  if (PARTIES.has(head) && a !== undefined) return `${de}/${cap(a)}`;
  return de;
}

const PLACI_NAMES: Readonly<Record<string, string>> = {
  transportDocument: 'TransportDocument',
  masterTransportDocument: 'MasterTransportDocument',
  numberOfPackages: 'NumberOfPackages',
  grossMassKg: 'GrossMass',
  goodsDescription: 'GoodsDescription',
  acceptanceCountry: 'CountryOfAcceptance',
  deliveryCountry: 'CountryOfDelivery',
  routingCountries: 'CountriesOfRouting',
  consignor: 'Consignor',
  consignee: 'Consignee',
};

/** The PLACI element a JSON pointer into a PLACI house filing stands for (`/goodsItems/0/hs6` → `/PLACI/GoodsItem[0]/CommodityCode`). */
export function placiElementOf(pointer: string): string {
  const [head = '', a, b] = pointer.split('/').slice(1);
  if (head === 'goodsItems') {
    if (!isIndex(a)) return '/PLACI/GoodsItem';
    const sub = b === undefined ? '' : `/${b === 'hs6' ? 'CommodityCode' : cap(b)}`;
    return `/PLACI/GoodsItem[${a}]${sub}`;
  }
  const name = own(PLACI_NAMES, head);
  if (name === undefined) return head === '' ? '/PLACI' : `/PLACI/${head}`;
  if (isIndex(a)) return `/PLACI/${name}[${a}]`;
  return a === undefined ? `/PLACI/${name}` : `/PLACI/${name}/${cap(a)}`;
}

function shapeIssues(
  check: { Errors(v: unknown): Iterable<{ path: string; message: string }> },
  value: unknown,
  code: string,
  element: (pointer: string) => string,
): ValidationIssue[] {
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const e of check.Errors(value)) {
    const path = element(e.path);
    const field = e.path === '' ? 'the document' : e.path.slice(1);
    const key = `${path} ${field}`;
    // TypeBox reports a union once per member; one issue per field is enough.
    if (seen.has(key)) continue;
    seen.add(key);
    const why =
      e.message === 'Expected required property'
        ? 'is required'
        : e.message === 'Unexpected property'
          ? 'is not an element of this dataset'
          : e.message;
    out.push({ code, path, message: `${field}: ${why}` });
    if (out.length >= 50) break;
  }
  return out;
}

/** The outcome of reading one dataset document: the value only when no issue was found. */
export type DatasetRead<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Checks the shape, then the dataset's own rules; a value only when there is no issue. */
export function readDataset<T>(
  json: unknown,
  check: { Check(v: unknown): boolean; Errors(v: unknown): Iterable<{ path: string; message: string }> },
  code: string,
  element: (pointer: string) => string,
  rules: (v: T) => ValidationIssue[],
): DatasetRead<T> {
  if (!check.Check(json)) return { ok: false, issues: shapeIssues(check, json, code, element) };
  const issues = rules(json as T);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: json as T };
}

/** Reads an H7 declaration (parsed JSON): shape, then `validateH7`; issue paths are data elements. */
export function readH7(json: unknown): DatasetRead<H7Declaration> {
  return readDataset<H7Declaration>(json, h7Check, 'h7.format', h7ElementOf, (h7) => {
    const numbering = h7.goodsItems.flatMap((g, i): ValidationIssue[] =>
      g.goodsItemNumber === i + 1
        ? []
        : [
            {
              code: 'h7.format',
              path: `DE 11 03[${i + 1}]`,
              message: `goods item numbers run 1, 2, 3…: item ${i + 1} is numbered ${g.goodsItemNumber}`,
            },
          ],
    );
    return [...numbering, ...validateH7(h7)];
  });
}

/** Reads a PLACI house filing (parsed JSON): shape, then `validatePlaci`; issue paths are PLACI elements. */
export function readPlaci(json: unknown): DatasetRead<PlaciHouse> {
  return readDataset<PlaciHouse>(json, placiCheck, 'placi.format', placiElementOf, validatePlaci);
}

/** The canonical fields a PLACI house filing carries (it has no values, quantities or net masses). */
export interface PlaciRecord {
  source: 'carrier-waybill';
  transportDocument?: ConsignmentInput['transportDocument'];
  masterReference?: string;
  seller?: ConsignmentInput['seller'];
  consignee?: ConsignmentInput['consignee'];
  items: { description: string; hsCode?: string }[];
  totals?: { grossWeightGrams: number };
  routing: { dispatchCountry: string; destinationCountry: string; countries: string[] };
}

/** Maps a PLACI house filing back to the canonical fields it carries. */
export function fromPlaci(p: PlaciHouse): PlaciRecord {
  const r: PlaciRecord = {
    source: 'carrier-waybill',
    items: p.goodsItems.map((g) =>
      g.hs6 === undefined ? { description: g.description } : { description: g.description, hsCode: g.hs6 },
    ),
    routing: {
      dispatchCountry: p.acceptanceCountry,
      destinationCountry: p.deliveryCountry,
      countries: [...p.routingCountries],
    },
  };
  if (p.transportDocument)
    r.transportDocument = { ...p.transportDocument } as ConsignmentInput['transportDocument'];
  if (p.masterTransportDocument !== undefined) r.masterReference = p.masterTransportDocument;
  if (p.consignor) r.seller = partyFrom(p.consignor);
  if (p.consignee) r.consignee = partyFrom(p.consignee);
  const gross = p.grossMassKg === undefined ? undefined : gramsFromKg(p.grossMassKg);
  if (gross !== undefined) r.totals = { grossWeightGrams: gross };
  return r;
}

/** The JSON schemas of the two documents (for the docs and the API). */
export const datasetSchemas: Readonly<Record<'h7' | 'placi', TSchema>> = { h7: H7Json, placi: PlaciJson };
