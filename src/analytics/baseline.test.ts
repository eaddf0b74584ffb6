import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { effectivePeriod, seasonalNaive, seasonalNaiveScale } from './baseline.js';
import { cholesky, choleskySolve, quantile, ridgeSolve } from './linalg.js';

test('seasonal naive repeats the last full week', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 10, 20, 30, 40, 50, 60, 70];
  assert.deepEqual(seasonalNaive(values, 7, 10), [10, 20, 30, 40, 50, 60, 70, 10, 20, 30]);
});

test('seasonal naive falls back to the last value with less than two seasons of history', () => {
  assert.equal(effectivePeriod(20, 12), 1);
  assert.deepEqual(
    seasonalNaive([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], 12, 3),
    [24, 24, 24],
  );
});

test('every seasonal-naive forecast equals the observation a whole number of seasons earlier', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(1000), { minLength: 24, maxLength: 100 }),
      fc.integer({ min: 1, max: 40 }),
      (values, h) => {
        const f = seasonalNaive(values, 12, h);
        f.forEach((v, k) => {
          const target = values.length + k;
          const back = 12 * Math.ceil((k + 1) / 12);
          assert.equal(v, values[target - back]);
        });
      },
    ),
  );
});

test('the MASE scale is the mean absolute one-season difference', () => {
  assert.equal(
    seasonalNaiveScale([1, 2, 3, 4, 5, 6, 7, 3, 2, 3, 4, 5, 6, 9], 7),
    (2 + 0 + 0 + 0 + 0 + 0 + 2) / 7,
  );
});

test('Cholesky solves random symmetric positive-definite systems', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 9, maxLength: 9 }),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
      (m, b) => {
        // A = MᵀM + I is symmetric positive definite.
        const a: number[] = [];
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            let s = i === j ? 1 : 0;
            for (let k = 0; k < 3; k++) s += (m[k * 3 + i] ?? 0) * (m[k * 3 + j] ?? 0);
            a.push(s);
          }
        const l = cholesky(a, 3);
        assert.ok(l);
        const x = choleskySolve(l, 3, b);
        for (let i = 0; i < 3; i++) {
          let s = 0;
          for (let j = 0; j < 3; j++) s += (a[i * 3 + j] ?? 0) * (x[j] ?? 0);
          assert.ok(Math.abs(s - (b[i] ?? 0)) < 1e-6 * (1 + Math.abs(b[i] ?? 0)));
        }
      },
    ),
  );
});

test('ridge least squares recovers an exact linear relation and survives duplicated columns', () => {
  const rows = [0, 1, 2, 3, 4, 5].map((x) => [1, x, x]);
  const y = rows.map((r) => 2 + 3 * (r[1] ?? 0));
  const beta = ridgeSolve(
    rows,
    y,
    y.map(() => 1),
    [0, 1e-9, 1e-9],
  );
  assert.ok(Math.abs((beta[0] ?? 0) - 2) < 1e-4);
  assert.ok(Math.abs((beta[1] ?? 0) + (beta[2] ?? 0) - 3) < 1e-4);
});

test('quantile interpolates between order statistics', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3], 1), 3);
});
