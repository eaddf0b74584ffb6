import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { backtest } from './backtest.js';
import { forecast, isotonic } from './forecast.js';
import { generateParcelSeries, seriesFromRows } from './generate-series.js';
import { parseSeries } from './parse-series.js';
import type { BacktestResult, Series } from './types.js';

function sample(name: string): Series {
  const text = readFileSync(new URL(`../../../docs/samples/series/${name}`, import.meta.url), 'utf8');
  const r = parseSeries(text);
  if (!r.ok) assert.fail(r.error);
  return r.series;
}

const results = new Map<string, BacktestResult>();
function backtestOf(name: string, horizon: number): BacktestResult {
  const key = `${name}:${horizon}`;
  const cached = results.get(key);
  if (cached) return cached;
  const bt = backtest(sample(name), { horizon });
  results.set(key, bt);
  return bt;
}

test('on the daily sample the forecast beats seasonal naive on backtest MASE', () => {
  const bt = backtestOf('daily-office.csv', 28);
  assert.equal(bt.origins.length, 6);
  assert.ok(bt.model.mase < bt.baseline.mase, `${bt.model.mase} vs ${bt.baseline.mase}`);
});

test('on the daily sample the 80% intervals cover between 65% and 95% of the actuals', () => {
  const bt = backtestOf('daily-office.csv', 28);
  assert.ok(bt.model.coverage80 >= 0.65 && bt.model.coverage80 <= 0.95, String(bt.model.coverage80));
  assert.ok(bt.model.coverage95 >= bt.model.coverage80);
});

test('on the weekly sample the forecast beats seasonal naive on backtest MASE', () => {
  const bt = backtestOf('weekly-office.csv', 13);
  assert.equal(bt.frequency, 'weekly');
  assert.ok(bt.model.mase < bt.baseline.mase, `${bt.model.mase} vs ${bt.baseline.mase}`);
});

test('on the monthly sample the forecast beats seasonal naive on backtest MASE', () => {
  const bt = backtestOf('monthly-national.csv', 12);
  assert.equal(bt.frequency, 'monthly');
  assert.ok(bt.model.mase < bt.baseline.mase, `${bt.model.mase} vs ${bt.baseline.mase}`);
});

test('a forecast has one period per step with dates following the history', () => {
  const s = sample('weekly-office.csv');
  const f = forecast(s, { horizon: 5 });
  assert.equal(f.points.length, 5);
  assert.equal(f.points[0]?.step, 1);
  const last = Date.parse(s.dates[s.dates.length - 1] ?? '');
  f.points.forEach((p, k) => assert.equal(Date.parse(p.date) - last, 7 * (k + 1) * 86_400_000));
});

test('a history too short to validate falls back to naive with intervals', () => {
  const s = seriesFromRows(
    [1, 2, 3, 4, 5].map((c, i) => ({ date: `2024-01-0${i + 1}`, count: c * 10 })),
    'daily',
  );
  const f = forecast(s, { horizon: 3 });
  assert.equal(f.model, 'naive');
  assert.equal(f.points[0]?.point, 50);
  assert.ok((f.points[0]?.upper95 ?? 0) >= 50);
});

test('an all-zero history forecasts zero without failing', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({
    date: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    count: 0,
  }));
  const f = forecast(seriesFromRows(rows, 'daily'), { horizon: 7 });
  f.points.forEach((p) => assert.ok(p.point >= 0 && p.point < 1e-6 && p.upper95 < 1e-6));
  const bt = backtest(seriesFromRows(rows, 'daily'), { horizon: 7 });
  assert.equal(bt.mapeSkippedZeros > 0, true);
});

test('a horizon that is not a positive integer is refused', () => {
  assert.throws(() => forecast(sample('monthly-national.csv'), { horizon: 0 }), RangeError);
});

test('intervals are nested around the forecast for any generated series and horizon', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 60, max: 500 }),
      fc.integer({ min: 1, max: 30 }),
      (seed, days, horizon) => {
        const s = seriesFromRows(
          generateParcelSeries({ seed, start: '2023-03-01', days, baseLevel: 500 }),
          'daily',
        );
        for (const p of forecast(s, { horizon }).points) {
          assert.ok(
            p.lower95 <= p.lower80 && p.lower80 <= p.point && p.point <= p.upper80 && p.upper80 <= p.upper95,
          );
          assert.ok(p.lower95 >= 0 && Number.isFinite(p.upper95));
        }
      },
    ),
    { numRuns: 15 },
  );
});

test('the isotonic fit is non-decreasing and keeps the mean', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
      (values) => {
        const fit = isotonic(values);
        assert.equal(fit.length, values.length);
        for (let i = 1; i < fit.length; i++) assert.ok((fit[i] ?? 0) >= (fit[i - 1] ?? 0) - 1e-9);
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum(fit) - sum(values)) < 1e-6 * (1 + Math.abs(sum(values))) + 1e-6);
      },
    ),
  );
});
