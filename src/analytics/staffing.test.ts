import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { recommendStaffing } from './staffing.js';
import { renderForecastReport, renderStaffing } from './render-report.js';
import { renderForecastSvg } from './render-svg.js';
import { seriesFromRows } from './generate-series.js';
import type { ForecastResult } from './types.js';

function result(
  frequency: ForecastResult['frequency'],
  points: [string, number, number, number][],
): ForecastResult {
  return {
    frequency,
    horizon: points.length,
    model: 'regression',
    points: points.map(([date, point, u80, u95], k) => ({
      date,
      step: k + 1,
      point,
      lower80: point * 0.9,
      upper80: u80,
      lower95: point * 0.8,
      upper95: u95,
    })),
    candidates: [{ model: 'regression', mase: 0.5 }],
    validationOrigins: 6,
    events: true,
    eventEffects: [{ event: 'singles-day', window: '+4..+7', percent: 42 }],
    notes: [],
  };
}

test('officers are the ceiling of inspections over capacity, sized on the chosen bound', () => {
  const r = result('daily', [['2025-11-18', 20_000, 24_000, 30_000]]);
  assert.equal(
    recommendStaffing(r, { selectionRate: 0.02, inspectionsPerOfficerPerDay: 40, quantile: 'point' }).days[0]
      ?.officersPerDay,
    10,
  );
  assert.equal(
    recommendStaffing(r, { selectionRate: 0.02, inspectionsPerOfficerPerDay: 40 }).days[0]?.officersPerDay,
    12,
  );
  assert.equal(
    recommendStaffing(r, { selectionRate: 0.02, inspectionsPerOfficerPerDay: 40, quantile: 'p95' }).days[0]
      ?.officersPerDay,
    15,
  );
  assert.equal(
    recommendStaffing(r, { selectionRate: 0.021, inspectionsPerOfficerPerDay: 40, quantile: 'point' }).days[0]
      ?.officersPerDay,
    11,
  );
});

test('weekly and monthly volumes are spread over the calendar days of the period', () => {
  const w = recommendStaffing(result('weekly', [['2025-11-17', 70_000, 70_000, 70_000]]), {
    selectionRate: 0.01,
    inspectionsPerOfficerPerDay: 50,
  });
  assert.equal(w.days[0]?.parcelsPerDay, 10_000);
  assert.equal(w.days[0]?.officersPerDay, 2);
  const m = recommendStaffing(result('monthly', [['2025-02-01', 28_000, 28_000, 28_000]]), {
    selectionRate: 0.05,
    inspectionsPerOfficerPerDay: 10,
  });
  assert.equal(m.days[0]?.parcelsPerDay, 1_000);
  assert.equal(m.days[0]?.officersPerDay, 5);
  assert.match(m.assumptions.join('\n'), /spread evenly/);
});

test('officers always cover the inspections and never by a whole spare officer', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 1, max: 500 }),
      (parcels, rate, capacity) => {
        const plan = recommendStaffing(result('daily', [['2025-01-01', parcels, parcels, parcels]]), {
          selectionRate: rate,
          inspectionsPerOfficerPerDay: capacity,
        });
        const officers = plan.days[0]?.officersPerDay ?? 0;
        const need = parcels * rate;
        assert.ok(officers * capacity >= need - 1e-6);
        assert.ok((officers - 1) * capacity < need + 1e-6 || officers === 0);
      },
    ),
  );
});

test('invalid staffing inputs are refused', () => {
  const r = result('daily', [['2025-01-01', 1, 1, 1]]);
  assert.throws(
    () => recommendStaffing(r, { selectionRate: 2, inspectionsPerOfficerPerDay: 10 }),
    RangeError,
  );
  assert.throws(
    () => recommendStaffing(r, { selectionRate: 0.1, inspectionsPerOfficerPerDay: 0 }),
    RangeError,
  );
});

test('the text report lists every forecast period with both intervals and the staffing assumptions', () => {
  const r = result('daily', [
    ['2025-11-18', 20_000, 24_000, 30_000],
    ['2025-11-19', 21_000, 25_000, 31_000],
  ]);
  const text = renderForecastReport(r);
  assert.match(text, /2025-11-18\s+20,000\s+18,000\s+24,000\s+16,000\s+30,000/);
  assert.match(text, /singles-day \+4\.\.\+7 \+42%/);
  const staffing = renderStaffing(
    recommendStaffing(r, { selectionRate: 0.02, inspectionsPerOfficerPerDay: 40 }),
  );
  assert.match(staffing, /peak 13 officers/);
  assert.match(staffing, /assumption: selection rate: 2\.00%/);
});

test('the SVG chart is a self-contained document with history, forecast and both bands', () => {
  const series = seriesFromRows(
    Array.from({ length: 30 }, (_, i) => ({
      date: new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10),
      count: 100 + i,
    })),
    'daily',
  );
  const svg = renderForecastSvg(
    series,
    result('daily', [
      ['2025-12-01', 130, 140, 150],
      ['2025-12-02', 131, 141, 152],
    ]),
  );
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/<polygon /g) ?? []).length, 2);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
  assert.match(svg, /<\/svg>\n$/);
  assert.doesNotMatch(svg, /NaN/);
});
