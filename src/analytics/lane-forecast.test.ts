import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forecast } from './forecast.js';
import { laneSeries, recommendLaneStaffing, selectionRate, type LaneVolumeRow } from './lane-forecast.js';
import { parseSeries } from './parse-series.js';
import { toSeriesCsv } from './generate-series.js';
import type { ForecastResult } from './types.js';
import { mulberry32 } from '../sim/prng.js';

const day = (i: number): string => new Date(Date.UTC(2025, 0, 6) + i * 86_400_000).toISOString().slice(0, 10);

// Known weekly shapes (Monday first): office A's red lane peaks early in the week, its green lane is
// flat; office B's red lane is busiest at the weekend. Log-normal noise (sd 5%) from a seeded generator.
const weekly: Record<string, number[]> = {
  'A|red': [300, 280, 260, 240, 220, 120, 80],
  'A|green': [1000, 1000, 1000, 1000, 1000, 1000, 1000],
  'B|red': [50, 50, 50, 50, 60, 200, 220],
};
const random = mulberry32(7);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const historyDays = 364;
const truthDays = 28;
const noise: number[][] = Array.from({ length: historyDays + truthDays }, () =>
  Object.keys(weekly).map(() => Math.exp(0.05 * gauss())),
);

function rows(days: number): LaneVolumeRow[] {
  const out: LaneVolumeRow[] = [];
  for (let i = 0; i < days; i++) {
    Object.entries(weekly).forEach(([key, shape], k) => {
      const [office, lane] = key.split('|') as [string, string];
      const count = Math.round(shape[i % 7]! * noise[i]![k]!);
      out.push({
        day: day(i),
        office,
        lane,
        count,
        inspected: lane === 'red' ? count : Math.floor(count / 50),
      });
    });
  }
  return out;
}

test('the series of one office and lane sums only its rows and fills missing days with zero', () => {
  const r: LaneVolumeRow[] = [
    { day: '2025-01-01', office: 'A', lane: 'red', count: 5, inspected: 5 },
    { day: '2025-01-01', office: 'A', lane: 'green', count: 7, inspected: 0 },
    { day: '2025-01-01', office: 'B', lane: 'red', count: 11, inspected: 11 },
    { day: '2025-01-03', office: 'A', lane: 'red', count: 2, inspected: 1 },
    { day: '2025-01-04', office: 'B', lane: 'green', count: 1, inspected: 0 },
  ];
  assert.deepEqual(laneSeries(r, { office: 'A', lane: 'red' }), [
    { date: '2025-01-01', count: 5 },
    { date: '2025-01-02', count: 0 },
    { date: '2025-01-03', count: 2 },
    { date: '2025-01-04', count: 0 },
  ]);
  assert.deepEqual(
    laneSeries(r, { lane: 'red' }).map((d) => d.count),
    [16, 0, 2, 0],
  );
  assert.deepEqual(
    laneSeries(r, { office: 'A' }).map((d) => d.count),
    [12, 0, 2, 0],
  );
  assert.deepEqual(laneSeries(r, { office: 'C' }), []);
  assert.deepEqual(selectionRate(r, { office: 'A', lane: 'red' }), {
    consignments: 7,
    inspected: 6,
    rate: 6 / 7,
  });
  assert.deepEqual(selectionRate(r, { office: 'C' }), { consignments: 0, inspected: 0, rate: 0 });
});

test('property: the lane series of every office and lane add up to the overall series', () => {
  const row = fc.record({
    day: fc.integer({ min: 0, max: 20 }).map(day),
    office: fc.constantFrom('A', 'B', null),
    lane: fc.constantFrom('green', 'yellow', 'red', 'blue'),
    count: fc.integer({ min: 0, max: 1000 }),
    inspected: fc.constant(0),
  });
  fc.assert(
    fc.property(fc.array(row, { minLength: 1, maxLength: 60 }), (r) => {
      const all = laneSeries(r, {});
      const parts = (['A', 'B', null] as const).flatMap((office) =>
        ['green', 'yellow', 'red', 'blue'].map((lane) =>
          laneSeries(
            r.filter((x) => x.office === office),
            { lane },
          ),
        ),
      );
      for (const [i, d] of all.entries()) {
        let sum = 0;
        for (const p of parts) sum += p.find((x) => x.date === d.date)?.count ?? 0;
        assert.equal(sum, d.count, `day ${i}`);
      }
    }),
  );
});

test("a known weekly pattern of one office and lane is forecast within the model's stated intervals", () => {
  const all = rows(historyDays + truthDays);
  const history = all.filter((r) => r.day < day(historyDays));
  const fitted = (office: string, lane: string): ForecastResult => {
    const parsed = parseSeries(toSeriesCsv(laneSeries(history, { office, lane })));
    assert.ok(parsed.ok);
    return forecast(parsed.series, { horizon: truthDays, events: false });
  };
  for (const key of ['A|red', 'B|red']) {
    const [office, lane] = key.split('|') as [string, string];
    const f = fitted(office, lane);
    const truth = laneSeries(
      all.filter((r) => r.day >= day(historyDays)),
      { office, lane },
    );
    assert.equal(f.points.length, truthDays);
    let inside95 = 0;
    for (const [i, p] of f.points.entries()) {
      assert.equal(p.date, truth[i]!.date);
      const actual = truth[i]!.count;
      if (actual >= p.lower95 && actual <= p.upper95) inside95 += 1;
      // The point forecast follows this office and lane's own weekday shape within 8%.
      const expected = weekly[key]![(historyDays + i) % 7]!;
      assert.ok(
        Math.abs(p.point - expected) <= 0.08 * expected,
        `${key} ${p.date}: ${p.point} vs ${expected}`,
      );
    }
    assert.ok(inside95 >= 0.9 * truthDays, `${key}: ${inside95} of ${truthDays} inside the 95% interval`);
  }
});

test('lane staffing adds each lane’s parcels × its selection rate, then rounds officers up', () => {
  const point = (date: string, v: number) => ({
    date,
    step: 1,
    point: v,
    lower80: v * 0.9,
    upper80: v * 1.1,
    lower95: v * 0.8,
    upper95: v * 1.2,
  });
  const result = (values: number[]): ForecastResult => ({
    frequency: 'daily',
    horizon: values.length,
    model: 'regression',
    points: values.map((v, i) => point(day(i), v)),
    candidates: [],
    validationOrigins: 0,
    events: false,
    eventEffects: [],
    notes: [],
  });
  const plan = recommendLaneStaffing(
    [
      { lane: 'red', result: result([400, 200]), selectionRate: 1 },
      { lane: 'green', result: result([10_000, 5_000]), selectionRate: 0.01 },
    ],
    { inspectionsPerOfficerPerDay: 40, quantile: 'point' },
  );
  // Day 1: 400 + 100 = 500 inspections -> 12.5 -> 13 officers; day 2: 200 + 50 = 250 -> 7.
  assert.deepEqual(
    plan.days.map((d) => [d.inspectionsPerDay, d.officersPerDay]),
    [
      [500, 13],
      [250, 7],
    ],
  );
  assert.deepEqual(plan.days[0]!.parcelsByLane, { red: 400, green: 10_000 });
  assert.equal(plan.peakOfficers, 13);
  const p80 = recommendLaneStaffing([{ lane: 'red', result: result([400]), selectionRate: 1 }], {
    inspectionsPerOfficerPerDay: 40,
  });
  assert.equal(p80.days[0]!.officersPerDay, 11, 'upper 80% bound: 440 inspections');
  assert.throws(
    () =>
      recommendLaneStaffing(
        [
          { lane: 'red', result: result([1, 2]), selectionRate: 1 },
          { lane: 'green', result: result([1]), selectionRate: 0 },
        ],
        { inspectionsPerOfficerPerDay: 40 },
      ),
    /forecast days differ/,
  );
});
