import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDesign, designColumns, designRows } from './features.js';
import { dot } from './linalg.js';
import { fitRegression, regressionCoefficients } from './regression.js';
import { blackFriday, eventFeatures } from './events.js';
import { isoDate, parseIsoDate } from './dates.js';

const START = parseIsoDate('2021-01-04') ?? 0;

/** A noise-free daily series built from the model's own design and known coefficients. */
function synthetic(length: number): { values: number[]; beta: number[]; names: string[] } {
  const spec = chooseDesign('daily', START, length, true);
  const columns = designColumns(spec);
  const beta = columns.map((c, j) => {
    if (c.name === 'intercept') return 9;
    if (c.name === 'trend') return 0.4;
    if (c.kind === 'trend') return j % 3 === 0 ? 0.2 : 0;
    if (c.name.startsWith('weekday')) return [-0.05, -0.1, -0.15, -0.4, -0.6, 0.1][j % 6] ?? 0;
    if (c.kind === 'season') return 0.05 / (1 + (j % 5));
    return c.name.includes('singles-day') ? 0.5 : c.name.includes('lunar') ? -0.4 : 0.1;
  });
  const rows = designRows(
    spec,
    Array.from({ length }, (_, i) => i),
  );
  return { values: rows.map((x) => Math.expm1(dot(x, beta))), beta, names: columns.map((c) => c.name) };
}

test('the regression recovers known coefficients on noise-free synthetic data', () => {
  const { values, beta, names } = synthetic(3 * 365);
  const fit = regressionCoefficients('daily', START, values, true);
  assert.deepEqual(fit.names, names);
  fit.beta.forEach((b, j) =>
    assert.ok(Math.abs(b - (beta[j] ?? 0)) < 1e-3, `${names[j]}: ${b} vs ${beta[j]}`),
  );
});

test('the fitted regression forecasts a noise-free future almost exactly', () => {
  const length = 3 * 365;
  const { values } = synthetic(length + 30);
  const train = values.slice(0, length);
  const fit = fitRegression(
    'daily',
    isoDate(START),
    train,
    train.map(() => false),
    {
      events: true,
      horizon: 30,
      seasonalLag: 7,
    },
  );
  const pred = fit.predictLog(30);
  // The damped trend bends the extrapolation slightly; within 30 days the error stays below 1%.
  pred.forEach((p, k) => assert.ok(Math.abs(Math.expm1(p) / (values[length + k] ?? 1) - 1) < 0.01));
});

test('the regression is not dragged by a single huge outlier', () => {
  const { values } = synthetic(2 * 365);
  const spoiled = [...values];
  spoiled[400] = (spoiled[400] ?? 0) * 50;
  const fit = fitRegression(
    'daily',
    isoDate(START),
    spoiled,
    spoiled.map(() => false),
    {
      events: true,
      horizon: 7,
      seasonalLag: 7,
    },
  );
  const clean = fitRegression(
    'daily',
    isoDate(START),
    values,
    values.map(() => false),
    {
      events: true,
      horizon: 7,
      seasonalLag: 7,
    },
  );
  const a = fit.predictLog(7);
  const b = clean.predictLog(7);
  a.forEach((v, k) => assert.ok(Math.abs(v - (b[k] ?? 0)) < 0.05));
});

test('Black Friday is the day after the fourth Thursday of November', () => {
  assert.equal(isoDate(blackFriday(2023)), '2023-11-24');
  assert.equal(isoDate(blackFriday(2024)), '2024-11-29');
  assert.equal(isoDate(blackFriday(2025)), '2025-11-28');
  assert.equal(isoDate(blackFriday(2019)), '2019-11-29');
});

test('monthly event regressors hold the share of event days in each month', () => {
  const jan = parseIsoDate('2023-01-01') ?? 0;
  const feb = parseIsoDate('2023-02-01') ?? 0;
  const rows = eventFeatures('monthly', [jan, feb]);
  // Lunar New Year 2023 was 22 January; its window -7..+13 covers 15-31 Jan and 1-4 Feb.
  const lny = rows.map((r) => r[r.length - 1] ?? 0);
  assert.ok(Math.abs((lny[0] ?? 0) - 17 / 31) < 1e-9);
  assert.ok(Math.abs((lny[1] ?? 0) - 4 / 28) < 1e-9);
});
