/**
 * Exports of stored consignments for analysis or hand-over, with personal data scrubbed per data
 * class. Two passes make sure nothing of a scrubbed class leaks:
 * 1. structural: every party object (seller, consignee, declarant) at any depth of the consignment,
 *    its source records and its earlier versions has the fields of the class replaced (`scrub`);
 * 2. by value: every value of a scrubbed class found in the consignment's parties is then replaced
 *    wherever else it appears in the exported text (a mismatch between two consignee names, a
 *    watchlist hit's reason, a free-text note), as it is and case-insensitively.
 * Without scrubbing (`classes` empty) the export is whole; the CLI asks for that explicitly.
 */
import type { ClearanceStore, ListQuery, StoredConsignment } from '../store/port.js';
import { dataClasses, eachParty, replacePartyFields, type DataClass } from './fields.js';

/** Placeholder of a value removed from an export. */
export const redactedValue = '[redacted]';

/**
 * Output formats: one JSON object per line, CSV with a header row, or an .xlsx workbook (the bulk
 * template plus the customs responses; `exportWorkbook` in export-xlsx.ts).
 */
export const exportFormats = ['ndjson', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** Data classes removed from the output (all three unless the caller chooses). */
  classes: readonly DataClass[];
  /** Only consignments matching these list filters. */
  filter?: Omit<ListQuery, 'cursor' | 'limit'>;
  /** Stop after this many consignments. */
  limit?: number;
}

/** What an export wrote. */
export interface ExportReport {
  consignments: number;
  format: ExportFormat;
  scrubbed: DataClass[];
  /** Values replaced (structural pass plus value sweep). */
  redactions: number;
}

type Json = Record<string, unknown>;

/** The personal values of the given classes held by the parties of `doc` (at any depth). */
export function personalValues(doc: unknown, classes: readonly DataClass[]): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= 3) out.add(v.trim());
  };
  eachParty(doc, (p) => {
    if (classes.includes('identity')) add((p.id as Json | undefined)?.value);
    if (classes.includes('contact')) {
      add(p.phone);
      add(p.email);
    }
    if (classes.includes('party')) {
      add(p.name);
      const a = p.address as Json | undefined;
      if (a !== null && typeof a === 'object') {
        for (const [k, v] of Object.entries(a)) if (!['country', 'city', 'postcode'].includes(k)) add(v);
      }
    }
  });
  return out;
}

/** Replaces the class fields of every party in `doc` (in place) by `redactedValue`; returns how many. */
function scrubParties(doc: unknown, classes: readonly DataClass[]): number {
  return replacePartyFields(doc, classes, redactedValue, (v) => v !== undefined);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces every occurrence of `values` in every string of `doc` (in place); returns how many. */
function sweepValues(doc: unknown, values: ReadonlySet<string>): number {
  if (values.size === 0) return 0;
  // Longest first, so a name is replaced before a shorter value contained in it.
  const pattern = new RegExp(
    [...values]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'giu',
  );
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(pattern, () => {
        n += 1;
        return redactedValue;
      });
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Json)) (v as Json)[k] = walk(x);
    }
    return v;
  };
  walk(doc);
  return n;
}

/** One consignment as exported: a deep copy, scrubbed of `classes`. */
export function scrubbedConsignment(
  c: StoredConsignment,
  history: readonly StoredConsignment[],
  classes: readonly DataClass[],
): { doc: Json; redactions: number } {
  const doc = JSON.parse(JSON.stringify({ ...c, versions: history })) as Json;
  if (classes.length === 0) return { doc, redactions: 0 };
  const values = personalValues(doc, classes);
  const redactions = scrubParties(doc, classes) + sweepValues(doc, values);
  return { doc, redactions };
}

/** CSV columns: the summary, where the parcel goes, what it is worth, and the consignee as far as kept. */
export const csvColumns = [
  'id',
  'version',
  'state',
  'lane',
  'decision',
  'riskScore',
  'submitterId',
  'destination',
  'office',
  'consigneeName',
  'consigneeStreet',
  'consigneeCity',
  'consigneePostcode',
  'consigneeCountry',
  'consigneeId',
  'consigneePhone',
  'consigneeEmail',
  'sellerName',
  'sellerCountry',
  'items',
  'goodsDescriptions',
  'dueAtBorder',
  'currency',
  'createdAt',
  'updatedAt',
] as const;

/** One CSV field: quoted when it holds a comma, quote, CR or LF; a leading =,+,-,@ is defused. */
export function csvField(v: unknown): string {
  let s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Spreadsheet formula injection: a cell starting with these is prefixed with a quote.
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(doc: Json): string {
  const merged = (doc.merged ?? {}) as Json;
  const parties = (merged.parties ?? merged) as Json;
  const consignee = (parties.consignee ?? {}) as Json;
  const address = (consignee.address ?? {}) as Json;
  const seller = (parties.seller ?? {}) as Json;
  const assessment = (doc.assessment ?? {}) as Json;
  const risk = (assessment.risk ?? {}) as Json;
  const revenue = (assessment.revenue ?? {}) as Json;
  const routing = (merged.routing ?? {}) as Json;
  const items = Array.isArray(merged.items) ? (merged.items as Json[]) : [];
  const values: Record<(typeof csvColumns)[number], unknown> = {
    id: doc.id,
    version: doc.version,
    state: doc.state,
    lane: risk.lane,
    decision: assessment.decision,
    riskScore: risk.score,
    submitterId: doc.submitterId,
    destination: routing.destinationCountry,
    office: routing.officeOfEntry,
    consigneeName: consignee.name,
    consigneeStreet: address.street,
    consigneeCity: address.city,
    consigneePostcode: address.postcode,
    consigneeCountry: address.country,
    consigneeId: (consignee.id as Json | undefined)?.value,
    consigneePhone: consignee.phone,
    consigneeEmail: consignee.email,
    sellerName: seller.name,
    sellerCountry: (seller.address as Json | undefined)?.country,
    items: items.length,
    goodsDescriptions: items.map((i) => i.description).join(' | '),
    dueAtBorder: revenue.dueAtBorder,
    currency: revenue.currency,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
  return csvColumns.map((k) => csvField(values[k])).join(',');
}

/** Pages through the store (newest first), yielding every consignment that matches `filter`. */
export async function* consignmentsOf(
  store: ClearanceStore,
  filter: ExportOptions['filter'],
  limit: number,
): AsyncGenerator<StoredConsignment> {
  let cursor: string | undefined;
  let n = 0;
  for (;;) {
    const page = await store.list({ ...filter, limit: 500, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) {
      if (n >= limit) return;
      const c = await store.get(s.id);
      if (c === undefined) continue;
      n += 1;
      yield c;
    }
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}

/**
 * Writes the export line by line through `write` (await it for back-pressure) and reports what was
 * written. Every consignment is read with its earlier versions (NDJSON only) and scrubbed before it
 * is written.
 */
export async function exportConsignments(
  store: ClearanceStore,
  opts: ExportOptions,
  write: (line: string) => Promise<void> | void,
): Promise<ExportReport> {
  if (opts.format === 'xlsx') throw new Error('an xlsx export is one workbook: use exportWorkbook');
  const classes = dataClasses.filter((c) => opts.classes.includes(c));
  const report: ExportReport = { consignments: 0, format: opts.format, scrubbed: classes, redactions: 0 };
  if (opts.format === 'csv') await write(`${csvColumns.join(',')}\n`);
  for await (const c of consignmentsOf(store, opts.filter, opts.limit ?? Number.POSITIVE_INFINITY)) {
    const history = opts.format === 'ndjson' ? await store.history(c.id) : [];
    const { doc, redactions } = scrubbedConsignment(c, history, classes);
    report.redactions += redactions;
    report.consignments += 1;
    if (opts.format === 'csv') {
      await write(`${csvRow(doc)}\n`);
    } else {
      await write(`${JSON.stringify(doc)}\n`);
    }
  }
  return report;
}
