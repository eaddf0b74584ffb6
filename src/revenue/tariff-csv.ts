/**
 * Imports a tariff schedule from CSV so an administration can load its own (format: docs/rules/tariff-csv.md).
 * Returns every issue at once, each with its line, column and a stable code.
 */
import { parse } from 'csv-parse/sync';
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

const RATE = /^\d{1,2}(\.\d{1,6})?$/;
const AMOUNT = /^\d{1,12}(\.\d{1,6})?$/;
const PER = new Set(['unit', 'kg-net', 'kg-gross']);

/** Parses a CSV tariff schedule (header row first). */
export function parseTariffCsv(text: string, options: TariffCsvOptions): TariffCsvResult {
  const issues: TariffCsvIssue[] = [];
  const issue = (line: number, column: string, code: string, message: string) =>
    issues.push({ line, column, code, message });
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    return { ok: false, issues: [{ line, column: '', code: 'tariff-csv.syntax', message: String(e) }] };
  }
  const header = rows[0];
  if (header === undefined) {
    return {
      ok: false,
      issues: [{ line: 1, column: '', code: 'tariff-csv.empty', message: 'no header row' }],
    };
  }
  const known = new Set<string>(TARIFF_CSV_COLUMNS);
  header.forEach((h) => {
    if (!known.has(h)) issue(1, h, 'tariff-csv.unknown-column', `unknown column "${h}"`);
  });
  for (const required of ['prefix', 'description']) {
    if (!header.includes(required))
      issue(1, required, 'tariff-csv.missing-column', `required column "${required}" is missing`);
  }
  if (issues.length > 0) return { ok: false, issues };
  const measures: ScheduleMeasure[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
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
      if (!/^[A-Z]{2}$/.test(o)) issue(line, 'origins', 'tariff-csv.origin', `"${o}" is not a country code`);
    });
    const adValorem = opt('ad_valorem', RATE, 'tariff-csv.rate');
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
    const vatRate = opt('vat_rate', RATE, 'tariff-csv.rate');
    const exciseRate = opt('excise_rate', RATE, 'tariff-csv.rate');
    if (adValorem === undefined && specific === undefined)
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
  if (issues.length > 0) return { ok: false, issues };
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
