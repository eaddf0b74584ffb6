/** `forecast`: volume forecast with intervals, rolling-origin backtest and a staffing recommendation. */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  backtest,
  forecast,
  forecastLanes,
  laneSeries,
  parseLaneCsv,
  parseSeries,
  readSeriesFile,
  recommendLaneStaffing,
  selectionRate,
  toSeriesCsv,
  recommendStaffing,
  renderForecastReport,
  renderForecastSvg,
  renderStaffing,
} from '../analytics/index.js';
import { UsageError, positiveInt } from './io.js';

function rate(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return n;
}

/** Forecasts a `date,count` series and backtests the forecast against seasonal naive. */
export function forecastCommand(opts: {
  series?: string;
  horizon?: string;
  origins?: string;
  chart?: string;
  selectionRate?: string;
  inspectionsPerOfficer?: string;
  events?: boolean;
  office?: string;
  lane?: string;
  byLane?: boolean;
}): number {
  if (!opts.series) throw new UsageError('--series FILE.csv is required');
  const horizon = positiveInt('horizon', opts.horizon, 28);
  const events = opts.events !== false;
  const perOfficer = rate('inspections-per-officer', opts.inspectionsPerOfficer, 40);
  const long = opts.office !== undefined || opts.lane !== undefined || opts.byLane === true;
  let observedRate: number | undefined;
  let parsed: ReturnType<typeof readSeriesFile>;
  if (long) {
    // A long-format file: date,office,lane,count[,inspected]; one office and/or lane is picked out.
    let text: string;
    try {
      text = readFileSync(opts.series, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${opts.series}: ${(e as Error).message}`);
    }
    const rows = parseLaneCsv(text);
    if (!rows.ok) throw new UsageError(`${opts.series}: ${rows.error}`);
    if (opts.byLane) return byLane(rows.rows, opts.office, horizon, events, perOfficer);
    const sel = { office: opts.office, lane: opts.lane };
    const series = laneSeries(rows.rows, sel);
    if (series.length === 0)
      throw new UsageError(
        `${opts.series}: no rows for office ${opts.office ?? '(any)'} and lane ${opts.lane ?? '(any)'}`,
      );
    const observed = selectionRate(rows.rows, sel);
    if (observed.inspected > 0) observedRate = observed.rate;
    parsed = parseSeries(toSeriesCsv(series));
    process.stdout.write(`Series: office ${opts.office ?? '(all)'}, lane ${opts.lane ?? '(all)'}\n`);
  } else parsed = readSeriesFile(opts.series);
  if (!parsed.ok) throw new UsageError(`${opts.series}: ${parsed.error}`);
  const f = forecast(parsed.series, { horizon, events });
  const bt = backtest(parsed.series, { horizon, events, origins: positiveInt('origins', opts.origins, 6) });
  process.stdout.write(renderForecastReport(f, bt) + '\n');
  if (parsed.series.frequency === 'daily') {
    const plan = recommendStaffing(f, {
      selectionRate: rate('selection-rate', opts.selectionRate, observedRate ?? 0.02),
      inspectionsPerOfficerPerDay: perOfficer,
    });
    process.stdout.write('\n' + renderStaffing(plan) + '\n');
  }
  if (opts.chart) {
    writeFileSync(opts.chart, renderForecastSvg(parsed.series, f));
    process.stderr.write(`chart written to ${opts.chart}\n`);
  }
  return 0;
}

/** Each lane of an office forecast on its own, and officers per day from the lanes' selection rates. */
function byLane(
  rows: Parameters<typeof laneSeries>[0],
  office: string | undefined,
  horizon: number,
  events: boolean,
  perOfficer: number,
): number {
  const lanes = [...new Set(rows.map((r) => r.lane))].sort(
    (a, b) => forecastLanes.indexOf(a as never) - forecastLanes.indexOf(b as never),
  );
  const inputs = [];
  const lines = [`Forecast by lane, office ${office ?? '(all)'}, next ${horizon} days`];
  lines.push('lane      model           parcels (median)   80% high   selection rate');
  for (const lane of lanes) {
    const sel = { office, lane };
    const series = laneSeries(rows, sel);
    const observed = selectionRate(rows, sel);
    if (observed.consignments === 0) continue;
    const parsed = parseSeries(toSeriesCsv(series));
    if (!parsed.ok) throw new UsageError(`lane ${lane}: ${parsed.error}`);
    if (parsed.series.frequency !== 'daily') throw new UsageError('--by-lane needs daily rows');
    const result = forecast(parsed.series, { horizon, events });
    inputs.push({ lane, result, selectionRate: observed.rate });
    const sum = (k: 'point' | 'upper80') => result.points.reduce((a, p) => a + p[k], 0);
    lines.push(
      [
        lane.padEnd(9),
        result.model.padEnd(15),
        Math.round(sum('point')).toLocaleString('en').padStart(16),
        Math.round(sum('upper80')).toLocaleString('en').padStart(10),
        `${(observed.rate * 100).toFixed(2)}%`.padStart(16),
      ].join(' '),
    );
  }
  if (inputs.length === 0) throw new UsageError(`no rows for office ${office ?? '(any)'}`);
  process.stdout.write(lines.join('\n') + '\n\n');
  const plan = recommendLaneStaffing(inputs, { inspectionsPerOfficerPerDay: perOfficer });
  process.stdout.write(renderStaffing({ ...plan, days: plan.days }) + '\n');
  return 0;
}
