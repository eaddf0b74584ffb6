/**
 * An administration's own tariff schedule in place of a profile's shipped sample: from a CSV
 * (`parseTariffCsv`, docs/rules/tariff-csv.md) or a schedule JSON, validated, and a revenue context
 * that uses it. The assessments name the schedule's version in `versions.tariff`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ParcelgateError, type ValidationIssue } from '../domain/index.js';
import { isCountryCode } from '../intake/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import { compileGenericProfile, parseTariffSchedule } from './generic-profile.js';
import { parseTariffCsv, rateProblem, type RateKind } from './tariff-csv.js';
import type { TariffSchedule } from './tariff-schedule.js';

/** A context whose profiles named in `schedules` (by profile id, e.g. `eu`) use the given schedule. */
export function withSchedules(
  ctx: RevenueContext,
  schedules: Readonly<Record<string, TariffSchedule>>,
): RevenueContext {
  const known = new Set(ctx.profiles.map((p) => p.raw.id));
  for (const id of Object.keys(schedules))
    if (!known.has(id))
      throw new ParcelgateError(
        'revenue.profile-invalid',
        `no jurisdiction profile '${id}' to load a tariff schedule for; known: ${[...known].join(', ')}`,
        400,
      );
  const profiles = ctx.profiles.map((p) => {
    const s = schedules[p.raw.id];
    if (s === undefined) return p;
    if (s.currency !== p.raw.currency)
      throw new ParcelgateError(
        'revenue.profile-invalid',
        `the ${p.raw.id} schedule is in ${s.currency}; the profile's currency is ${p.raw.currency}`,
        400,
      );
    return compileGenericProfile(p.raw, s, p.rates);
  });
  return createRevenueContext(profiles, ctx.fx, ctx.feeds);
}

/**
 * Reads a schedule file's text: a JSON schedule (`.json`) or a CSV (version and currency given, the
 * currency defaulting to the profile's). Throws revenue.tariff-invalid with every issue.
 */
export function readSchedule(
  name: string,
  text: string,
  csv: { version: string; currency: string; defaultAdValorem?: string; source?: string },
): TariffSchedule {
  if (name.endsWith('.json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new ParcelgateError(
        'revenue.tariff-invalid',
        `${name} is not JSON: ${(e as Error).message}`,
        400,
      );
    }
    let schedule: TariffSchedule;
    try {
      schedule = parseTariffSchedule(json, name);
    } catch (e) {
      throw new ParcelgateError('revenue.tariff-invalid', (e as Error).message, 400);
    }
    const issues = scheduleIssues(schedule);
    if (issues.length === 0) return schedule;
    throw new ParcelgateError(
      'revenue.tariff-invalid',
      `${name} has ${issues.length} problem(s): ` +
        issues
          .slice(0, 20)
          .map((i) => `${i.path}: ${i.message} (${i.code})`)
          .join('; '),
      400,
      { issues },
    );
  }
  const r = parseTariffCsv(text, csv);
  if (r.ok) return r.schedule;
  throw new ParcelgateError(
    'revenue.tariff-invalid',
    `${name} has ${r.issues.length} problem(s): ` +
      r.issues
        .slice(0, 20)
        .map((i) => `line ${i.line}${i.column ? ` ${i.column}` : ''}: ${i.message} (${i.code})`)
        .join('; '),
    400,
    { issues: r.issues },
  );
}

/**
 * What the schema of a schedule JSON cannot say, checked as for a CSV (docs/rules/tariff-csv.md):
 * rates in range (a percentage such as "12" is named as one) and origins that are ISO countries.
 */
function scheduleIssues(s: TariffSchedule): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const rate = (path: string, value: string | undefined, kind: RateKind) => {
    const problem = value === undefined ? undefined : rateProblem(value, kind);
    if (problem !== undefined) issues.push({ code: 'tariff-csv.rate', path, message: problem });
  };
  const origins = (path: string, list: readonly string[] | undefined) =>
    list?.forEach((o, i) => {
      if (!isCountryCode(o))
        issues.push({
          code: 'tariff-csv.origin',
          path: `${path}/origins/${i}`,
          message: `"${o}" is not an ISO 3166-1 alpha-2 country code`,
        });
    });
  rate('/default/adValorem', s.default.adValorem, 'duty');
  s.measures.forEach((m, i) => {
    const at = `/measures/${i}`;
    origins(at, m.origins);
    rate(`${at}/adValorem`, m.adValorem, 'duty');
    rate(`${at}/vatRate`, m.vatRate, 'vat');
    rate(`${at}/exciseRate`, m.exciseRate, 'duty');
  });
  s.additional.forEach((m, i) => {
    origins(`/additional/${i}`, m.origins);
    rate(`/additional/${i}/adValorem`, m.adValorem, 'duty');
  });
  return issues;
}

/**
 * Applies `PROFILE=FILE` tariff specs (the `--tariff` option of quote, assess, ingest, serve, demo and
 * replay): each file (CSV or schedule JSON) replaces the shipped sample schedule of that profile; its
 * version (`<profile>-<file name>` for a CSV, the JSON's own) is recorded in every assessment's
 * `versions.tariff`. Throws revenue.tariff-invalid for a bad spec, an unreadable file or a bad schedule.
 */
export function loadTariffSpecs(ctx: RevenueContext, specs: readonly string[]): RevenueContext {
  if (specs.length === 0) return ctx;
  const schedules: Record<string, TariffSchedule> = {};
  for (const spec of specs) {
    const m = /^([a-z0-9-]+)=(.+)$/.exec(spec);
    if (m === null)
      throw new ParcelgateError(
        'revenue.tariff-invalid',
        `--tariff must be <profile>=<file>, got '${spec}'`,
        400,
      );
    const [, id, path] = m as unknown as [string, string, string];
    const profile = ctx.profiles.find((p) => p.raw.id === id);
    if (profile === undefined)
      throw new ParcelgateError(
        'revenue.tariff-invalid',
        `--tariff: no jurisdiction profile '${id}'; known: ${ctx.profiles.map((p) => p.raw.id).join(', ')}`,
        400,
      );
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ParcelgateError(
        'revenue.tariff-invalid',
        `--tariff ${id}: cannot read ${path}: ${(e as Error).message}`,
        400,
      );
    }
    schedules[id] = readSchedule(path, text, {
      version: `${id}-${basename(path)}`,
      currency: profile.raw.currency,
    });
  }
  return withSchedules(ctx, schedules);
}
