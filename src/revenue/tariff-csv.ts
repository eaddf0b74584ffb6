/**
 * Imports a tariff schedule from CSV so an administration can load its own (format: docs/rules/tariff-csv.md).
 * Returns every issue at once, each with its line, column and a stable code.
 */
import { parse } from 'csv-parse/sync';
import { Dec } from '../domain/index.js';
import { isCountryCode } from '../intake/index.js';
import type { ScheduleMeasure, Specific, TariffSchedule } from './tariff-schedule.js';

/** One problem in a CSV schedule: 1-based line, column name, stable code. */
export interface TariffCsvIssue {
  readonly line: number;
  readonly column: string;
  readonly code: string;
  readonly message: string;
}

/** The schedule or all issues found. */
export type TariffCsvResult =
  { ok: true; schedule: TariffSchedule } | { ok: false; issues: TariffCsvIssue[] };

/** Schedule-level facts the CSV does not carry. */
export interface TariffCsvOptions {
  version: string;
  currency: string;
  description?: string;
  defaultAdValorem?: string;
  source?: string;
}

/** The columns, in any order; `prefix` and `description` are required, the rest optional. */
export const TARIFF_CSV_COLUMNS = [
  'prefix',
  'origins',
  'ad_valorem',
  'specific_amount',
  'specific_per',
  'minimum',
  'maximum',
  'vat_rate',
  'excise_rate',
  'description',
  'verified',
  'source',
] as const;

// Up to 3 integer digits so that a percentage ("12", "145") reaches the range check and its hint.
const RATE = /^\d{1,3}(\.\d{1,6})?$/;
const PERCENT = /^(\d{1,3}(?:\.\d{1,6})?)\s*%$/;
const AMOUNT = /^\d{1,12}(\.\d{1,6})?$/;
const PER = new Set(['unit', 'kg-net', 'kg-gross']);

/**
 * What a rate column may hold, as a decimal fraction (docs/rules/tariff-csv.md): a duty or excise
 * rate from 0 to 5 (500%; real ad valorem duties exceed 100%, e.g. 145%), a VAT rate from 0 up to,
 * not including, 1.
 */
export const RATE_LIMITS = {
  duty: { max: '5', below: false },
  vat: { max: '1', below: true },
} as const;

/** The kind of rate a column holds: `duty` for ad_valorem and excise_rate, `vat` for vat_rate. */
export type RateKind = keyof typeof RATE_LIMITS;

const rangeText = (kind: RateKind): string =>
  kind === 'duty'
    ? 'ad valorem and excise rates are fractions from 0 to 5, i.e. up to 500%'
    : 'a VAT rate is a fraction from 0 up to, not including, 1';

/**
 * Why `text` is not a rate of this kind, or undefined when it is one. A value that would be a rate
 * as a percentage ("12", "20%") is named as one with the fraction to write (0.12, 0.2).
 */
export function rateProblem(text: string, kind: RateKind): string | undefined {
  const { max, below } = RATE_LIMITS[kind];
  const inRange = (v: Dec): boolean => (below ? v.lessThan(max) : v.lessThanOrEqualTo(max));
  const tooHigh = `"${text}" is too high (${rangeText(kind)})`;
  // As a percentage it would be in range: 12 -> 0.12, 145 -> 1.45 for a duty.
  const asPercent = (p: string): string => {
    const fraction = new Dec(p).div(100);
    return inRange(fraction)
      ? `"${text}" looks like a percentage: write ${p}% as ${fraction.toFixed()} (${rangeText(kind)})`
      : tooHigh;
  };
  const pct = PERCENT.exec(text);
  if (pct !== null) return asPercent(pct[1]!);
  if (!RATE.test(text))
    return `"${text}" is not a decimal rate of at most 6 places such as 0.12 (${rangeText(kind)})`;
  return inRange(new Dec(text)) ? undefined : asPercent(text);
}

/** One CSV record and the line it starts on (1-based; a quoted field may span lines). */
interface CsvRecord {
  line: number;
  row: string[];
}

/** A CSV syntax error: the line of the broken record, the index of the field, the parser's message. */
interface CsvSyntaxError {
  line: number;
  column: number | undefined;
  message: string;
}

const at = (column: number | undefined, header: readonly string[] | undefined): string =>
  column === undefined
    ? ''
    : ` (column ${column + 1}${header?.[column] !== undefined ? `, ${header[column]}` : ''})`;

/** A CSV parser error in words, without the parser's line (counted from where it resumed). */
function syntaxMessage(code: string | undefined, parser: string): string {
  switch (code) {
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside a field that does not start with one; quote the whole field and double the quotes inside ("")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a field; double the quotes inside a quoted field ("")';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed';
    default:
      return parser.replace(/ at line \d+/g, '');
  }
}

/**
 * Reads every record of `text`. On a syntax error (a stray or unclosed quote) the error is recorded
 * with its line and field, and reading resumes on the next line, so one broken line does not hide
 * the problems of the others. A quote never closed swallows the rest of the file for the parser: it
 * is reported on the line it opened, and reading resumes after that line.
 */
function readRecords(text: string): { records: CsvRecord[]; syntax: CsvSyntaxError[] } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineCount = starts.length;
  const blank = (line: number): boolean =>
    text.slice(starts[line - 1], starts[line] ?? text.length).trim() === '';
  const records: CsvRecord[] = [];
  const syntax: CsvSyntaxError[] = [];
  let from = 1;
  while (from <= lineCount) {
    const offset = from - 1;
    // The first line after the previous record that is not blank: where the next record starts.
    let lastEnd = offset;
    const nextStart = (): number => {
      let l = lastEnd + 1;
      while (l <= lineCount && blank(l)) l++;
      return l;
    };
    try {
      parse(text.slice(starts[offset]), {
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
        on_record: (row: string[], context: { lines: number }) => {
          records.push({ line: nextStart(), row });
          lastEnd = offset + context.lines;
          return row;
        },
      });
      break;
    } catch (e) {
      const err = e as { code?: string; lines?: number; column?: number | string; message?: string };
      const column = typeof err.column === 'number' ? err.column : undefined;
      const message = syntaxMessage(err.code, String(err.message ?? e));
      if (err.code === 'CSV_QUOTE_NOT_CLOSED' || err.lines === undefined) {
        const line = Math.min(nextStart(), lineCount);
        syntax.push({ line, column, message });
        from = line + 1;
      } else {
        const line = offset + err.lines;
        syntax.push({ line, column, message });
        from = Math.max(line, from) + 1;
      }
    }
  }
  return { records, syntax };
}

/** Parses a CSV tariff schedule (header row first). */
export function parseTariffCsv(text: string, options: TariffCsvOptions): TariffCsvResult {
  const issues: TariffCsvIssue[] = [];
  const issue = (line: number, column: string, code: string, message: string) =>
    issues.push({ line, column, code, message });
  const { records, syntax } = readRecords(text);
  const first = records[0];
  // No header when the file's first record is broken: its data lines cannot be read by column.
  const header =
    first !== undefined && (syntax[0] === undefined || syntax[0].line > first.line) ? first.row : undefined;
  const headerLine = first?.line ?? 1;
  // Where a field of a broken line sits: its header name, else its position.
  const columnOf = (index: number | undefined): string =>
    index === undefined ? '' : (header?.[index] ?? `column ${index + 1}`);
  for (const e of syntax)
    issue(e.line, columnOf(e.column), 'tariff-csv.syntax', `${e.message}${at(e.column, header)}`);
  if (header === undefined) {
    if (issues.length > 0) return { ok: false, issues };
    return {
      ok: false,
      issues: [{ line: 1, column: '', code: 'tariff-csv.empty', message: 'no header row' }],
    };
  }
  const known = new Set<string>(TARIFF_CSV_COLUMNS);
  const beforeHeader = issues.length;
  header.forEach((h) => {
    if (!known.has(h)) issue(headerLine, h, 'tariff-csv.unknown-column', `unknown column "${h}"`);
  });
  for (const required of ['prefix', 'description']) {
    if (!header.includes(required))
      issue(headerLine, required, 'tariff-csv.missing-column', `required column "${required}" is missing`);
  }
  if (issues.length > beforeHeader) return { ok: false, issues };
  const measures: ScheduleMeasure[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach(({ line, row }) => {
    const cell = (name: string): string => row[header.indexOf(name)] ?? '';
    const opt = (name: string, re: RegExp, code: string): string | undefined => {
      const v = cell(name);
      if (v === '') return undefined;
      if (!re.test(v)) issue(line, name, code, `"${v}" is not valid for ${name}`);
      return v;
    };
    const before = issues.length;
    const prefix = cell('prefix');
    if (!/^\d{2,10}$/.test(prefix))
      issue(line, 'prefix', 'tariff-csv.prefix', `"${prefix}" is not an HS prefix of 2-10 digits`);
    const originsText = cell('origins');
    const origins = originsText === '' ? undefined : originsText.split(';').map((o) => o.trim());
    origins?.forEach((o) => {
      if (!isCountryCode(o))
        issue(line, 'origins', 'tariff-csv.origin', `"${o}" is not an ISO 3166-1 alpha-2 country code`);
    });
    const rateOf = (name: string, kind: RateKind): string | undefined => {
      const v = cell(name);
      if (v === '') return undefined;
      const problem = rateProblem(v, kind);
      if (problem !== undefined) issue(line, name, 'tariff-csv.rate', problem);
      return v;
    };
    const adValorem = rateOf('ad_valorem', 'duty');
    const amount = opt('specific_amount', AMOUNT, 'tariff-csv.amount');
    const per = cell('specific_per');
    let specific: Specific | undefined;
    if (amount !== undefined) {
      if (!PER.has(per))
        issue(line, 'specific_per', 'tariff-csv.per', `"${per}" must be unit, kg-net or kg-gross`);
      else specific = { amount, per: per as Specific['per'] };
    } else if (per !== '') {
      issue(line, 'specific_amount', 'tariff-csv.amount', 'specific_per given without specific_amount');
    }
    const minimum = opt('minimum', AMOUNT, 'tariff-csv.amount');
    const maximum = opt('maximum', AMOUNT, 'tariff-csv.amount');
    const vatRate = rateOf('vat_rate', 'vat');
    const exciseRate = rateOf('excise_rate', 'duty');
    // A specific_amount with a bad specific_per is reported as tariff-csv.per only: the duty is there.
    if (adValorem === undefined && amount === undefined)
      issue(line, 'ad_valorem', 'tariff-csv.no-duty', 'a line needs ad_valorem, specific_amount or both');
    const description = cell('description');
    if (description === '') issue(line, 'description', 'tariff-csv.description', 'description is empty');
    const verifiedText = cell('verified');
    if (!['', 'true', 'false'].includes(verifiedText))
      issue(line, 'verified', 'tariff-csv.verified', `"${verifiedText}" must be true or false`);
    const key = `${prefix}|${origins?.join(';') ?? ''}`;
    const dup = seen.get(key);
    if (dup !== undefined)
      issue(line, 'prefix', 'tariff-csv.duplicate', `same prefix and origins as line ${dup}`);
    seen.set(key, line);
    if (issues.length > before) return;
    measures.push({
      prefix,
      ...(origins ? { origins } : {}),
      ...(adValorem !== undefined ? { adValorem } : {}),
      ...(specific ? { specific } : {}),
      ...(minimum !== undefined ? { minimum } : {}),
      ...(maximum !== undefined ? { maximum } : {}),
      ...(vatRate !== undefined ? { vatRate } : {}),
      ...(exciseRate !== undefined ? { exciseRate } : {}),
      description,
      verified: verifiedText === 'true',
      source: cell('source') || (options.source ?? 'imported CSV'),
    });
  });
  // Syntax errors were found first; report every issue in the order of the file.
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    schedule: {
      version: options.version,
      currency: options.currency,
      description: options.description ?? 'Imported CSV tariff schedule',
      default: {
        adValorem: options.defaultAdValorem ?? '0',
        verified: false,
        source: options.source ?? 'imported CSV default',
      },
      measures,
      additional: [],
    },
  };
}
