/**
 * Import of US Entry Type 86 entries (the JSON shape `toEntryType86` writes): shape checked element by
 * element, then the Type 86 rules, then each entry is checked as a consignment record by intake. A file
 * holds one entry or an array; one issue anywhere refuses the whole file before anything is written.
 */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import type { PipelineDeps, RequestContext, SubmitResult } from '../clearance/index.js';
import { partyFrom } from './dataset-parties.js';
import { MoneyJson, PartyJson, Str, readDataset, type DatasetRead } from './dataset-read.js';
import {
  checkDeclarationFile,
  importDeclarationFile,
  type DatasetImport,
  type DeclarationFormat,
} from './dataset-import.js';
import { validateT86, type T86Entry } from './entry-type-86.js';

const T86Json = Type.Object(
  {
    entryType: Type.Literal('86'),
    entryNumber: Type.Optional(Str(20)),
    billOfLading: Type.Optional(Str(35)),
    portOfEntry: Type.Optional(Str(4)),
    shipper: Type.Optional(PartyJson),
    consignee: Type.Optional(PartyJson),
    importerOfRecord: Type.Optional(Str(60)),
    destinationCountry: Str(2),
    lines: Type.Array(
      Type.Object(
        {
          description: Str(512),
          htsNumber: Type.Optional(Str(10)),
          countryOfOrigin: Str(2),
          quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
          fairRetailValue: MoneyJson,
        },
        { additionalProperties: false },
      ),
      { maxItems: 999 },
    ),
  },
  { additionalProperties: false },
);
const t86Check = TypeCompiler.Compile(T86Json);

/** The JSON schema of a Type 86 entry (for the docs). */
export const t86Schema = T86Json;

const T86_NAMES: Readonly<Record<string, string>> = {
  entryType: 'EntryType',
  entryNumber: 'EntryNumber',
  billOfLading: 'BillOfLading',
  portOfEntry: 'PortOfEntry',
  shipper: 'Shipper',
  consignee: 'Consignee',
  importerOfRecord: 'ImporterOfRecord',
  destinationCountry: 'DestinationCountry',
};
const LINE_NAMES: Readonly<Record<string, string>> = {
  description: 'Description',
  htsNumber: 'HTSNumber',
  countryOfOrigin: 'CountryOfOrigin',
  quantity: 'Quantity',
  fairRetailValue: 'FairRetailValue',
};
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);
const own = (table: Readonly<Record<string, string>>, key: string | undefined): string | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

/** The Type 86 element a JSON pointer into an entry stands for (`/lines/0/htsNumber` → `/T86/Line[0]/HTSNumber`). */
export function t86ElementOf(pointer: string): string {
  const [head = '', a, b] = pointer.split('/').slice(1);
  if (head === 'lines') {
    if (!isIndex(a)) return '/T86/Line';
    const sub = b === undefined ? '' : `/${own(LINE_NAMES, b) ?? b}`;
    return `/T86/Line[${a}]${sub}`;
  }
  const name = own(T86_NAMES, head);
  if (name === undefined) return head === '' ? '/T86' : `/T86/${head}`;
  return a === undefined ? `/T86/${name}` : `/T86/${name}/${cap(a)}`;
}

/**
 * Reads a Type 86 entry (parsed JSON): shape, then `validateT86` without a date — the de minimis
 * suspension is a matter of the day's US rules, which clearance applies to the record.
 */
export function readT86(json: unknown): DatasetRead<T86Entry> {
  return readDataset<T86Entry>(json, t86Check, 't86.format', t86ElementOf, (t) => validateT86(t));
}

/** The transport document kind of a B/L or AWB number: an S10 item id, an air waybill, or other. */
function transportDocumentOf(id: string): NonNullable<ConsignmentInput['transportDocument']> {
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(id)) return { type: 'S10', id };
  if (/^\d{3}-?\d{8}$/.test(id)) return { type: 'AWB', id };
  return { type: 'OTHER', id };
}

/**
 * Maps a Type 86 entry back to a canonical `declaration` record. Type 86 carries no net mass, no
 * country of dispatch and no CN23 category: items weigh 0 g, the dispatch country is the shipper's
 * (else the first line's origin), and the category is `sale`. The entry number becomes the external
 * reference, which `toEntryType86` writes back as the entry number.
 */
export function fromEntryType86(t: T86Entry): ConsignmentInput {
  const c: ConsignmentInput = {
    source: 'declaration',
    category: 'sale',
    items: t.lines.map((l) => ({
      description: l.description,
      ...(l.htsNumber === undefined ? {} : { hsCode: l.htsNumber }),
      quantity: l.quantity,
      unit: 'pcs' as const,
      netWeightGrams: 0,
      value: { ...l.fairRetailValue },
      origin: l.countryOfOrigin,
    })),
    routing: {
      dispatchCountry: t.shipper?.country ?? t.lines[0]?.countryOfOrigin ?? '',
      destinationCountry: t.destinationCountry,
    },
  };
  if (t.entryNumber !== undefined) c.externalRef = t.entryNumber;
  if (t.billOfLading !== undefined) c.transportDocument = transportDocumentOf(t.billOfLading);
  if (t.portOfEntry !== undefined) c.routing.officeOfEntry = t.portOfEntry;
  if (t.shipper) c.seller = partyFrom(t.shipper);
  if (t.consignee) {
    c.consignee = partyFrom(t.consignee);
    if (c.consignee.id === undefined && t.importerOfRecord !== undefined)
      c.consignee.id = { type: 'TIN', value: t.importerOfRecord };
  }
  return c;
}

/** Canonical pointer prefix -> Type 86 element, to name intake's findings after the Type 86 element. */
const T86_OF_POINTER: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^\/items\/(\d+)\/description/, (m) => `/T86/Line[${m[1]}]/Description`],
  [/^\/items\/(\d+)\/hsCode/, (m) => `/T86/Line[${m[1]}]/HTSNumber`],
  [/^\/items\/(\d+)\/quantity/, (m) => `/T86/Line[${m[1]}]/Quantity`],
  [/^\/items\/(\d+)\/value/, (m) => `/T86/Line[${m[1]}]/FairRetailValue`],
  [/^\/items\/(\d+)\/origin/, (m) => `/T86/Line[${m[1]}]/CountryOfOrigin`],
  [/^\/items\/(\d+)/, (m) => `/T86/Line[${m[1]}]`],
  [/^\/items/, () => '/T86/Line'],
  [/^\/transportDocument/, () => '/T86/BillOfLading'],
  [/^\/externalRef/, () => '/T86/EntryNumber'],
  [/^\/seller(\/.*)?/, (m) => `/T86/Shipper${m[1] ?? ''}`],
  [/^\/consignee(\/.*)?/, (m) => `/T86/Consignee${m[1] ?? ''}`],
  [/^\/routing\/destinationCountry/, () => '/T86/DestinationCountry'],
  [/^\/routing\/officeOfEntry/, () => '/T86/PortOfEntry'],
  [/^\/routing\/dispatchCountry/, () => '/T86/Shipper/Country'],
];

/** The Type 86 element a canonical record pointer stands for (the pointer itself when none does). */
export function t86ElementOfRecordPointer(pointer: string): string {
  for (const [re, name] of T86_OF_POINTER) {
    const m = re.exec(pointer);
    if (m) return name(m);
  }
  return pointer;
}

const T86_FORMAT: DeclarationFormat<T86Entry> = {
  read: readT86,
  toRecord: fromEntryType86,
  elementOf: t86ElementOfRecordPointer,
};

/** Reads Type 86 entries and checks each as a consignment record; nothing is submitted here. */
export function checkT86File(
  json: unknown,
  deps: Pick<PipelineDeps, 'snapshot'>,
  ctx: Pick<RequestContext, 'submitterId' | 'now'>,
): { ok: true; records: ConsignmentInput[] } | { ok: false; issues: ValidationIssue[] } {
  return checkDeclarationFile(T86_FORMAT, json, deps, ctx);
}

/**
 * Imports Type 86 entries as `declaration` records into the clearance pipeline, all or none: a file
 * with any issue is refused whole before anything is written.
 */
export async function importT86(
  json: unknown,
  deps: PipelineDeps,
  ctx: RequestContext,
): Promise<DatasetImport<SubmitResult>> {
  return importDeclarationFile(T86_FORMAT, json, deps, ctx);
}
