/** Streaming reader and writer for the flat CSV template (one row per item). */
import { parse } from 'csv-parse';
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { csvColumns, csvColumnsByName, type CsvColumn } from './csv-columns.js';
import type { ByteSource, RawRecord } from './ndjson.js';
import { toPointer } from './pointer.js';

type Obj = Record<string, unknown>;
type Cells = Map<CsvColumn, string>;

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const LIST_SEPARATOR = /[;,\s]+/;

function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (let k = 0; k < keys.length - 1; k++) {
    const key = keys[k]!;
    const next = o[key];
    if (typeof next === 'object' && next !== null) o = next as Obj;
    else o = o[key] = {};
  }
  o[keys[keys.length - 1]!] = value;
}

function getPath(source: unknown, path: string): unknown {
  let o: unknown = source;
  for (const key of path.split('.')) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Obj)[key];
  }
  return o;
}

function cellValue(col: CsvColumn, cell: string, cells: Cells): unknown {
  switch (col.kind) {
    case 'number':
      // Non-numeric text is kept as text so validation reports the field precisely.
      return NUMERIC.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const lower = cell.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : cell;
    }
    case 'list':
      return cell.split(LIST_SEPARATOR).filter((s) => s !== '');
    case 'money': {
      const currencyCol = col.currency === undefined ? undefined : csvColumnsByName.get(col.currency);
      const currency = currencyCol === undefined ? undefined : cells.get(currencyCol);
      return currency === undefined ? { amount: cell } : { amount: cell, currency };
    }
    default:
      return cell;
  }
}

function fill(target: Obj, cells: Cells, level: CsvColumn['level']): void {
  for (const [col, cell] of cells) {
    if (col.level !== level || col.kind === 'currency') continue;
    setPath(target, col.path, cellValue(col, cell, cells));
  }
}

interface Group {
  ref: string;
  line: number;
  head: Cells;
  items: Obj[];
  /** Each consignment-level column rows disagree on, with the first line that disagrees. */
  conflicts?: Map<CsvColumn, number>;
  /** Line of the first row holding U+FFFD: bytes that were not UTF-8 (csv.encoding-invalid). */
  badEncoding?: number;
}

/** True when a row holds U+FFFD, what a decoder leaves for bytes that were not UTF-8 (`badBytes`). */
const undecodable = (record: readonly string[]): boolean => record.some((c) => c.includes('\uFFFD'));

/** The JSON Pointer of the field a consignment-level column fills (a currency column: the first amount it serves). */
function columnPointer(col: CsvColumn): string {
  const path =
    col.kind === 'money'
      ? `${col.path}.amount`
      : col.kind === 'currency'
        ? `${col.serves?.[0] ?? ''}.currency`
        : col.path;
  return toPointer(path.split('.').filter((k) => k !== ''));
}

function finish(group: Group): RawRecord {
  const issues: ValidationIssue[] = [];
  if (group.badEncoding !== undefined)
    issues.push({
      code: 'csv.encoding-invalid',
      path: '',
      message: `consignment "${group.ref}": line ${group.badEncoding} holds bytes that are not UTF-8 (U+FFFD); is the file UTF-8?`,
    });
  // Every column the rows disagree on, each at its field and naming the line that differs.
  for (const [col, line] of group.conflicts ?? [])
    issues.push({
      code: 'csv.inconsistent-rows',
      path: columnPointer(col),
      message: `rows of consignment "${group.ref}" disagree on column ${col.name}: line ${line} differs from line ${group.line}`,
    });
  if (issues.length > 0) return { line: group.line, error: issues[0], issues };
  const value: Obj = {};
  fill(value, group.head, 'consignment');
  value.items = group.items;
  return { line: group.line, value };
}

function headerError(header: string[]): RawRecord | undefined {
  const named = header.filter((h) => h !== '');
  const unknown = named.filter((h) => !csvColumnsByName.has(h));
  const duplicates = named.filter((h, k) => named.indexOf(h) !== k);
  // Spreadsheets write a trailing `,` for every column once used: name such columns by position.
  const unnamed = header.flatMap((h, k) => (h === '' ? [k + 1] : []));
  if (unknown.length === 0 && duplicates.length === 0 && unnamed.length === 0) return undefined;
  // A file separated by `;` or tabs (a spreadsheet's regional CSV, or "Unicode text") reads as one column.
  const separator = header.length === 1 ? [';', '\t'].find((sep) => header[0]!.includes(sep)) : undefined;
  const problems = [
    unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : '',
    duplicates.length > 0 ? `repeated column(s) ${duplicates.join(', ')}` : '',
    unnamed.length > 0 ? `column(s) without a name (column ${unnamed.join(', ')}; delete them)` : '',
  ].filter((s) => s !== '');
  const hint =
    separator === undefined
      ? ''
      : `; the file seems separated by ${separator === ';' ? '";"' : 'tabs'}: save it as comma-separated CSV (UTF-8)`;
  return {
    line: 1,
    error: {
      code: 'csv.unknown-column',
      path: '',
      message: `CSV header has ${problems.join(' and ')}${hint}; see docs/formats/csv.md for the template`,
    },
  };
}

interface ParsedRow {
  record: string[];
  /** The line the row starts on. */
  lines: number;
  /** The line it ends on, when a cell may span lines. */
  end?: number;
}

/**
 * Line breaks inside a row's cells (only quoted cells can hold them): `real` counts CRLF, LF and CR
 * once each; `counted` is what csv-parse adds to its line count (CR and LF each, so a CRLF twice).
 */
function lineBreaks(record: readonly string[]): { real: number; counted: number } {
  let real = 0;
  let counted = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
    for (let k = 0; k < cell.length; k++) {
      const c = cell.charCodeAt(k);
      if (c === 13) {
        counted++;
        real++;
        if (cell.charCodeAt(k + 1) === 10) {
          counted++;
          k++;
        }
      } else if (c === 10) {
        counted++;
        real++;
      }
    }
  }
  return { real, counted };
}

/** Row-by-row state of one template read (CSV or spreadsheet): header, current consignment group. */
export class CsvGrouper {
  columns: CsvColumn[] | undefined;
  group: Group | undefined;
  stopped = false;
  /** Set once the input held bytes that are not UTF-8: from then on a row with U+FFFD is refused. */
  badBytes = false;

  /** Takes one parsed row; returns the records it completes. */
  take(row: ParsedRow): RawRecord[] {
    if (this.columns === undefined) {
      const header = row.record.map((h) => h.toLowerCase());
      const bad = headerError(header);
      if (bad !== undefined) {
        this.stopped = true;
        return [bad];
      }
      this.columns = header.map((h) => csvColumnsByName.get(h)!);
      return [];
    }
    const cells: Cells = new Map();
    for (let k = 0; k < this.columns.length; k++) {
      const cell = row.record[k];
      if (cell !== undefined && cell !== '') cells.set(this.columns[k]!, cell);
    }
    const ref = cells.get(REF) ?? '';
    const item: Obj = {};
    fill(item, cells, 'item');
    const group = this.group;
    if (group !== undefined && ref !== '' && ref === group.ref) {
      // Past the schema's 999 items the group only needs to stay invalid, not to keep growing in memory.
      if (group.items.length < MAX_ITEMS_KEPT) group.items.push(item);
      for (const col of conflicts(group.head, cells, this.columns)) {
        group.conflicts ??= new Map();
        if (!group.conflicts.has(col)) group.conflicts.set(col, row.lines);
      }
      if (this.badBytes && group.badEncoding === undefined && undecodable(row.record))
        group.badEncoding = row.lines;
      return [];
    }
    this.group = { ref, line: row.lines, head: cells, items: [item] };
    if (this.badBytes && undecodable(row.record)) this.group.badEncoding = row.lines;
    return group === undefined ? [] : [finish(group)];
  }

  /** Completes the last consignment at the end of input. */
  end(): RawRecord[] {
    const group = this.group;
    this.group = undefined;
    return group === undefined ? [] : [finish(group)];
  }
}

const REF = csvColumnsByName.get('ref')!;
const MAX_ITEMS_KEPT = 1000;

/**
 * The most cell content one row may hold (1 MiB, as csv-parse counts it: characters, separators and
 * quotes not counted); a larger row stops reading with `csv.syntax` (documented in docs/formats/csv.md).
 */
export const maxCsvRowSize = 1024 * 1024;

/**
 * Reads the flat CSV template (header row, then one row per item). Consecutive rows with the same
 * non-empty `ref` form one consignment; empty cells are omitted. Values are not yet validated.
 */
export async function* readCsv(input: ByteSource): AsyncIterable<RawRecord> {
  const rows: ParsedRow[] = [];
  let overcount = 0;
  // Records are taken synchronously as each chunk is parsed, so memory is bounded by one chunk of rows
  // and no row is lost when a later one is malformed.
  const parser = parse({
    bom: true,
    trim: true,
    // One runaway quoted field must not grow without bound: it fails as csv.syntax instead.
    max_record_size: maxCsvRowSize,
    skip_empty_lines: true,
    // Any line end, mixed in one file (a Windows export with rows appended on Unix); the parser would
    // otherwise take the first one it meets as the only one.
    record_delimiter: ['\r\n', '\n', '\r'],
    on_record: (record: string[], context) => {
      // A row of empty cells only (`,,,` as spreadsheets write rows that were once formatted) is a blank
      // line, skipped as the .xlsx reader skips empty rows. It holds no line break to count.
      if (record.every((cell) => cell === '')) return null;
      // `context.lines` is the line a record ends on, as the parser counts: a quoted cell may hold line
      // breaks of its own, and the parser counts a CRLF inside one as two lines (`overcount` so far).
      const breaks = lineBreaks(record);
      const start = context.lines - overcount - breaks.counted;
      overcount += breaks.counted - breaks.real;
      rows.push({ record, lines: start, end: context.lines - overcount });
      return null;
    },
  });
  parser.on('error', () => undefined);
  const grouper = new CsvGrouper();
  let lastLine = 0;
  const drain = function* (): Generator<RawRecord> {
    for (const row of rows.splice(0)) {
      lastLine = row.end ?? row.lines;
      if (grouper.stopped) return;
      yield* grouper.take(row);
    }
  };
  // Checks the bytes as they come (a multi-byte character may span chunks): after bytes that are not
  // UTF-8, the U+FFFD they decode to marks the rows that hold them (a U+FFFD sent in UTF-8 is kept).
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      if (!grouper.badBytes && typeof chunk !== 'string') {
        try {
          utf8.decode(chunk, { stream: true });
        } catch {
          grouper.badBytes = true;
        }
      }
      parser.write(chunk);
      yield* drain();
      if (grouper.stopped || parser.errored) break;
    }
    if (!grouper.stopped && !parser.errored) {
      await new Promise<void>((resolve) => {
        parser.once('finish', resolve);
        parser.once('error', () => resolve());
        parser.end();
      });
      yield* drain();
    }
    if (grouper.stopped) return;
    if (!parser.errored) {
      yield* grouper.end();
      return;
    }
    // The consignment being read when the file broke may be incomplete: drop it rather than pass half of it.
    const pending = grouper.group;
    const dropped =
      pending === undefined ? '' : `; consignment "${pending.ref}" from line ${pending.line} was not read`;
    yield {
      line: pending?.line ?? lastLine + 1,
      error: {
        code: 'csv.syntax',
        path: '',
        message: `CSV is malformed after line ${lastLine}: ${parser.errored.message}${dropped}`,
      },
    };
  } finally {
    parser.destroy();
  }
}

function conflicts(head: Cells, cells: Cells, columns: readonly CsvColumn[]): CsvColumn[] {
  return columns.filter((col) => col.level === 'consignment' && head.get(col) !== cells.get(col));
}

function toCell(value: unknown, col: CsvColumn): string {
  if (value === undefined || value === null) return '';
  if (col.kind === 'list' && Array.isArray(value)) return value.join(';');
  if (col.kind === 'money') return String((value as Obj).amount ?? '');
  return String(value);
}

function cellsFor(source: unknown, col: CsvColumn): string {
  if (col.kind === 'currency') {
    for (const path of col.serves ?? []) {
      const currency = getPath(source, `${path}.currency`);
      if (currency !== undefined) return String(currency);
    }
    return '';
  }
  return toCell(getPath(source, col.path), col);
}

const QUOTE_NEEDED = /[",\r\n]|^\s|\s$/;

function quote(cell: string): string {
  return QUOTE_NEEDED.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Options for writeCsv. */
export interface WriteCsvOptions {
  /** Leave out columns that are empty in every row (default false: the full template). */
  onlyUsedColumns?: boolean;
}

/** Renders consignments as CSV template rows (header first); declarant and licences are not representable. */
export function writeCsv(consignments: Iterable<ConsignmentInput>, options: WriteCsvOptions = {}): string {
  const rows: string[][] = [];
  for (const consignment of consignments) {
    for (const item of consignment.items) {
      rows.push(csvColumns.map((col) => cellsFor(col.level === 'item' ? item : consignment, col)));
    }
  }
  const keep = csvColumns.map((_, k) => !options.onlyUsedColumns || rows.some((row) => row[k] !== ''));
  const line = (cells: readonly string[]): string =>
    cells
      .filter((_, k) => keep[k])
      .map(quote)
      .join(',');
  return [line(csvColumns.map((col) => col.name)), ...rows.map(line)].join('\n') + '\n';
}
