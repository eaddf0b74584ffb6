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
