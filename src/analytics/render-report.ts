/** Plain-text rendering of a forecast, its backtest and a staffing plan. */
import type { BacktestMetrics, BacktestResult, ForecastResult, StaffingPlan } from './types.js';

function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(value: number): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : 'n/a';
}

/** Lays rows out as right-aligned columns under a header and a rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function metricRow(name: string, m: BacktestMetrics): string[] {
  return [
    name,
    fmt(m.mase, 3),
    `${fmt(m.mape, 1)}%`,
    `${fmt(m.smape, 1)}%`,
    pct(m.coverage80),
    pct(m.coverage95),
  ];
}

/** Renders the backtest as a table of both methods with the MASE ratio and notes. */
export function renderBacktest(bt: BacktestResult): string {
  if (bt.origins.length === 0) return `Backtest: ${bt.notes.join('; ')}`;
  const lines = [
    `Backtest: ${bt.origins.length} rolling origins (${bt.origins[0]} .. ${bt.origins[bt.origins.length - 1]}), ` +
      `horizon ${bt.horizon}, ${bt.scoredPeriods} periods scored`,
    table(
      ['method', 'MASE', 'MAPE', 'sMAPE', 'cover 80%', 'cover 95%'],
      [metricRow('forecast', bt.model), metricRow('seasonal naive', bt.baseline)],
    ),
    `MASE ratio forecast / seasonal naive: ${fmt(bt.maseRatio, 3)} ` +
      (bt.maseRatio < 1 ? '(forecast beats the baseline)' : '(forecast does NOT beat the baseline)'),
    `models chosen per origin: ${bt.chosen.join(', ')}`,
  ];
  for (const n of bt.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/**
 * Renders the forecast as a plain-text table (date, median, 80% and 95% intervals), followed by the
 * backtest table when one is given.
 */
export function renderForecastReport(result: ForecastResult, backtest?: BacktestResult): string {
  const lines = [
    `Forecast: ${result.horizon} ${result.frequency} periods, model ${result.model}` +
      (result.events && (result.model === 'regression' || result.model === 'blend')
        ? ', with shopping-event calendar'
        : ''),
    table(
      ['date', 'forecast', '80% low', '80% high', '95% low', '95% high'],
      result.points.map((p) => [
        p.date,
        fmt(p.point),
        fmt(p.lower80),
        fmt(p.upper80),
        fmt(p.lower95),
        fmt(p.upper95),
      ]),
    ),
  ];
  if (result.candidates.length > 0)
    lines.push(
      `validation MASE (${result.validationOrigins} origins): ` +
        result.candidates.map((c) => `${c.model} ${fmt(c.mase, 3)}`).join(', '),
    );
  const strong = result.eventEffects.filter((e) => Math.abs(e.percent) >= 10);
  if (strong.length > 0)
    lines.push(
      'learnt event effects (|effect| >= 10%): ' +
        strong
          .map((e) => `${e.event} ${e.window} ${e.percent > 0 ? '+' : ''}${e.percent.toFixed(0)}%`)
          .join(', '),
    );
  for (const n of result.notes) lines.push(`note: ${n}`);
  if (backtest) lines.push('', renderBacktest(backtest));
  return lines.join('\n') + '\n';
}

/** Renders a staffing plan: officers per day with the assumptions listed. */
export function renderStaffing(plan: StaffingPlan): string {
  return (
    [
      `Inspection staffing (sized on ${plan.quantile}), peak ${plan.peakOfficers} officers per day`,
      table(
        ['date', 'parcels/day', 'inspections/day', 'officers/day'],
        plan.days.map((d) => [
          d.date,
          fmt(d.parcelsPerDay),
          fmt(d.inspectionsPerDay, 1),
          String(d.officersPerDay),
        ]),
      ),
      ...plan.assumptions.map((a) => `assumption: ${a}`),
    ].join('\n') + '\n'
  );
}
