/** `forecast`: volume forecast with intervals, rolling-origin backtest and a staffing recommendation. */
import { writeFileSync } from 'node:fs';
import {
  backtest,
  forecast,
  readSeriesFile,
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
}): number {
  if (!opts.series) throw new UsageError('--series FILE.csv is required');
  const horizon = positiveInt('horizon', opts.horizon, 28);
  const parsed = readSeriesFile(opts.series);
  if (!parsed.ok) throw new UsageError(`${opts.series}: ${parsed.error}`);
  const events = opts.events !== false;
  const f = forecast(parsed.series, { horizon, events });
  const bt = backtest(parsed.series, { horizon, events, origins: positiveInt('origins', opts.origins, 6) });
  process.stdout.write(renderForecastReport(f, bt) + '\n');
  if (parsed.series.frequency === 'daily') {
    const plan = recommendStaffing(f, {
      selectionRate: rate('selection-rate', opts.selectionRate, 0.02),
      inspectionsPerOfficerPerDay: rate('inspections-per-officer', opts.inspectionsPerOfficer, 40),
    });
    process.stdout.write('\n' + renderStaffing(plan) + '\n');
  }
  if (opts.chart) {
    writeFileSync(opts.chart, renderForecastSvg(parsed.series, f));
    process.stderr.write(`chart written to ${opts.chart}\n`);
  }
  return 0;
}
