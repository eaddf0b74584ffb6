import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Dec } from '../domain/index.js';
import type { KpiFact } from '../store/console/port.js';
import { formatSeconds, kpiReport, kpiSlice, percentile, revenueByModel } from './kpi.js';

test('percentile is the nearest-rank element: at least q of the values are at or below it', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 200 }),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      (values, q) => {
        const sorted = [...values].sort((a, b) => a - b);
        const p = percentile(sorted, q)!;
        assert.ok(sorted.includes(p));
        const atOrBelow = sorted.filter((v) => v <= p).length;
        const below = sorted.filter((v) => v < p).length;
        assert.ok(atOrBelow >= q * sorted.length - 1e-9);
        assert.ok(below < q * sorted.length + 1e-9);
      },
    ),
  );
  assert.equal(percentile([], 0.5), null);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
});

test('revenue sums are exact decimals by model and currency, whatever the order', () => {
  const amount = fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
    .map(([u, c]) => `${u}.${String(c).padStart(2, '0')}`);
  const fact = fc.record({
    collectionModel: fc.constantFrom('border', 'vendor', 'intermediary'),
    currency: fc.constantFrom('EUR', 'GBP'),
    dueAtBorder: amount,
    prepaid: amount,
  });
  fc.assert(
    fc.property(fc.array(fact, { maxLength: 60 }), (facts) => {
      const out = revenueByModel(facts);
      const reversed = revenueByModel([...facts].reverse());
      assert.deepEqual(out, reversed);
      for (const row of out) {
        const mine = facts.filter(
          (f) => f.collectionModel === row.collectionModel && f.currency === row.currency,
        );
        assert.equal(row.consignments, mine.length);
        const cents = mine.reduce((s, f) => s + Math.round(Number(f.dueAtBorder) * 100), 0);
        assert.ok(new Dec(row.dueAtBorder).times(100).equals(cents));
      }
      assert.equal(
        out.reduce((s, r) => s + r.consignments, 0),
        facts.length,
      );
    }),
  );
  // 0.1 + 0.2 is exactly 0.30, never 0.30000000000000004.
  assert.equal(
    revenueByModel([
      { collectionModel: 'border', currency: 'EUR', dueAtBorder: '0.1', prepaid: '0' },
      { collectionModel: 'border', currency: 'EUR', dueAtBorder: '0.2', prepaid: '0' },
    ])[0]!.dueAtBorder,
    '0.30',
  );
});

test('revenue sums keep each currency’s minor units: yen and won have none, dinar three', () => {
  const out = revenueByModel([
    { collectionModel: 'border', currency: 'JPY', dueAtBorder: '1200', prepaid: '0' },
    { collectionModel: 'border', currency: 'JPY', dueAtBorder: '300', prepaid: '0' },
    { collectionModel: 'border', currency: 'KWD', dueAtBorder: '1.250', prepaid: '0.100' },
    { collectionModel: 'border', currency: 'EUR', dueAtBorder: '3', prepaid: '0' },
  ]);
  assert.deepEqual(
    out.map((r) => [r.currency, r.dueAtBorder, r.prepaid]),
    [
      ['EUR', '3.00', '0.00'],
      ['JPY', '1500', '0'],
      ['KWD', '1.250', '0.100'],
    ],
  );
});

const base: KpiFact = {
  id: 'c',
  office: 'DE000001',
  lane: 'green',
  receivedAt: '2026-11-27T10:00:00.000Z',
  decidedAt: '2026-11-27T10:00:00.000Z',
  releasedAt: '2026-11-27T10:00:00.000Z',
  releasedBeforeArrivalAt: '2026-11-27T10:00:00.000Z',
  arrivedAt: null,
  heldForInformation: false,
  inspected: false,
  finding: null,
  randomSelected: false,
};

test('KPIs read the event timestamps: release times, pre-arrival share, arrival to release, hit rates', () => {
  const facts: KpiFact[] = [
    { ...base, id: 'a' },
    { ...base, id: 'b', arrivedAt: '2026-11-28T08:00:00.000Z' },
    {
      ...base,
      id: 'c',
      lane: 'red',
      office: 'FR000001',
      releasedBeforeArrivalAt: null,
      arrivedAt: '2026-11-28T08:00:00.000Z',
      releasedAt: '2026-11-28T10:00:00.000Z',
      inspected: true,
      finding: 'nothing-found',
    },
    {
      ...base,
      id: 'd',
      lane: 'red',
      releasedAt: null,
      releasedBeforeArrivalAt: null,
      inspected: true,
      finding: 'counterfeit',
    },
    {
      ...base,
      id: 'e',
      receivedAt: '2026-11-28T09:00:00.000Z',
      decidedAt: '2026-11-28T09:00:01.000Z',
      releasedAt: null,
      releasedBeforeArrivalAt: null,
      inspected: true,
      finding: 'undervalued',
      randomSelected: true,
      heldForInformation: true,
    },
  ];
  const r = kpiReport(facts, []);
  assert.equal(r.volume, 5);
  assert.deepEqual(r.releasedBeforeArrival, { count: 2, share: 0.4 });
  assert.deepEqual(r.receivedToRelease, { count: 3, medianSeconds: 0, p90Seconds: 86_400 });
  // b was released before it arrived (0 s); c waited two hours after arrival.
  assert.deepEqual(r.arrivalToRelease, { count: 2, medianSeconds: 0, p90Seconds: 7200 });
  assert.deepEqual(r.receivedToDecision, { count: 5, medianSeconds: 0, p90Seconds: 1 });
  assert.deepEqual(r.hitRate.selected, { inspectedWithFinding: 2, hits: 1, rate: 0.5 });
  assert.deepEqual(r.hitRate.random, { inspectedWithFinding: 1, hits: 1, rate: 1 });
  assert.deepEqual(r.inspected, { count: 3, rate: 0.6 });
  assert.deepEqual(
    r.byDay.map((d) => [d.day, d.volume]),
    [
      ['2026-11-27', 4],
      ['2026-11-28', 1],
    ],
  );
  assert.deepEqual(
    r.byOffice.map((o) => [o.office, o.volume]),
    [
      ['DE000001', 4],
      ['FR000001', 1],
    ],
  );
});

test('slices of a split add up to the whole', () => {
  const fact = fc.record({
    office: fc.constantFrom('A', 'B', null),
    inspected: fc.boolean(),
    heldForInformation: fc.boolean(),
    rba: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(fact, { maxLength: 40 }), (rows) => {
      const facts = rows.map((r, i) => ({
        ...base,
        id: String(i),
        office: r.office,
        inspected: r.inspected,
        heldForInformation: r.heldForInformation,
        releasedBeforeArrivalAt: r.rba ? base.receivedAt : null,
      }));
      const whole = kpiSlice(facts);
      const r = kpiReport(facts, []);
      const sum = (f: (s: typeof whole) => number) => r.byOffice.reduce((s, o) => s + f(o), 0);
      assert.equal(
        sum((s) => s.volume),
        whole.volume,
      );
      assert.equal(
        sum((s) => s.inspected.count),
        whole.inspected.count,
      );
      assert.equal(
        sum((s) => s.releasedBeforeArrival.count),
        whole.releasedBeforeArrival.count,
      );
      assert.equal(
        sum((s) => s.heldForInformation.count),
        whole.heldForInformation.count,
      );
    }),
  );
});

test('durations print in the largest sensible unit', () => {
  assert.equal(formatSeconds(0.44), '0.4 s');
  assert.equal(formatSeconds(720), '12 min');
  assert.equal(formatSeconds(12_600), '3.5 h');
  assert.equal(formatSeconds(181_440), '2.1 d');
});
