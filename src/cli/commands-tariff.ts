/** `parcelgate tariff-import` and `quote --tariff`: an administration's own tariff schedule (docs/rules/tariff-csv.md). */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  loadRevenueContext,
  loadTariffSpecs,
  parseTariffCsv,
  rateProblem,
  type RevenueContext,
} from '../revenue/index.js';
import { UsageError, outputFile, usageErrorOf } from './io.js';

/** Repeatable `--tariff <profile>=<file>` values: the administration's schedules (see loadTariffSpecs). */
export function tariffOptions(values: readonly string[], revenue: RevenueContext): RevenueContext {
  try {
    return loadTariffSpecs(revenue, values);
  } catch (e) {
    throw usageErrorOf(e);
  }
}

/**
 * `parcelgate tariff-import <csv>`: checks an administration's CSV schedule (every problem listed with
 * line and column) and writes it as a schedule JSON a profile's `tariff` can name.
 */
export async function tariffImportCommand(
  file: string,
  opts: {
    profile?: string;
    scheduleVersion?: string;
    currency?: string;
    defaultRate?: string;
    source?: string;
    out?: string;
    force?: boolean;
  },
) {
  if (!opts.scheduleVersion)
    throw new UsageError('--schedule-version is required (it is recorded in every assessment)');
  const defaultProblem = opts.defaultRate === undefined ? undefined : rateProblem(opts.defaultRate, 'duty');
  if (defaultProblem !== undefined) throw new UsageError(`--default-rate ${defaultProblem}`);
  let currency = opts.currency;
  if (currency === undefined) {
    if (!opts.profile) throw new UsageError('give --currency, or --profile to take its currency');
    const p = loadRevenueContext().profiles.find((x) => x.raw.id === opts.profile);
    if (p === undefined) throw new UsageError(`no jurisdiction profile '${opts.profile}'`);
    currency = p.raw.currency;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const outFlags = opts.out
    ? outputFile('--out', opts.out, { force: opts.force, inputs: [file] })
    : undefined;
  const r = parseTariffCsv(text, {
    version: opts.scheduleVersion,
    currency,
    ...(opts.defaultRate ? { defaultAdValorem: opts.defaultRate } : {}),
    ...(opts.source ? { source: opts.source } : {}),
  });
  if (!r.ok) {
    for (const i of r.issues)
      process.stderr.write(`line ${i.line}${i.column ? `, ${i.column}` : ''}: ${i.code}: ${i.message}\n`);
    return 1;
  }
  const json = JSON.stringify(r.schedule, null, 2) + '\n';
  if (opts.out) writeFileSync(opts.out, json, { flag: outFlags?.flags });
  else process.stdout.write(json);
  process.stderr.write(`${r.schedule.measures.length} measures, version ${r.schedule.version}\n`);
  return 0;
}
