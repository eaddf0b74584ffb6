/**
 * The tax point over HTTP: a submitter cannot choose an older regime by back-dating the expected
 * arrival; the carrier's arrival sets the revenue due; the quote keeps a future expected arrival as
 * its estimate (docs/revenue.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { demoLodgingTime } from '../src/cli/commands-store.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import { assessRevenue } from '../src/revenue/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

async function app(start: string) {
  let now = new Date(start);
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({ store, snapshot: () => snapshot, clock: () => now });
  return { a, store, setNow: (iso: string) => (now = new Date(iso)) };
}

/** A postal item to DE (one T-shirt, EUR 24): duty relief before 1 July 2026, EUR 3 per subheading from then. */
const tshirt = (serial: string, expectedArrival?: string): ConsignmentInput => ({
  ...postalItem({}, serial),
  dates: { accepted: '2026-06-15T08:00:00Z', ...(expectedArrival ? { expectedArrival } : {}) },
});
const flat = (revenue: { lines: { type: string; rate: string }[] }) =>
  revenue.lines.some((l) => l.type === 'duty' && l.rate === '3.00 EUR per tariff subheading');

test('a back-dated expected arrival is assessed on the lodging date, and says so', async () => {
  const { a } = await app('2026-11-30T10:00:00Z');
  const res = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: tshirt('50000001', '2026-06-30T06:00:00Z'),
  });
  assert.equal(res.statusCode, 201);
  const c = (await a.inject({ method: 'GET', url: `/v1/consignments/${res.json().consignmentId}` })).json();
  assert.ok(flat(c.assessment.revenue), JSON.stringify(c.assessment.revenue.lines));
  assert.equal(c.assessment.revenue.taxPoint.date, '2026-11-30');
  assert.ok(
    c.assessment.revenue.notes.includes(
      'expected arrival 2026-06-30 is before the data was lodged on 2026-11-30; assessed on 2026-11-30',
    ),
  );
});

test('the carrier arrival re-assesses the revenue on the actual date; the response shows what is due', async () => {
  const { a, setNow } = await app('2026-06-20T10:00:00Z');
  const created = (
    await a.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: tshirt('50000002', '2026-06-25T06:00:00Z'),
    })
  ).json();
  const id = created.consignmentId;
  const before = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}` })).json();
  assert.equal(flat(before.assessment.revenue), false);
  assert.equal(before.assessment.revenue.taxPoint.basis, 'expected-arrival');
  // It arrives a week late, after the 1 July 2026 change.
  setNow('2026-07-02T09:00:00Z');
  const arrived = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'arrived', at: '2026-07-02T08:00:00Z' },
  });
  assert.equal(arrived.statusCode, 200);
  const after = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}` })).json();
  assert.ok(flat(after.assessment.revenue));
  assert.deepEqual(after.assessment.revenue.taxPoint, {
    date: '2026-07-02',
    basis: 'arrival',
    lodged: '2026-06-20',
  });
  assert.equal(arrived.json().response.dueAtBorder, after.assessment.revenue.dueAtBorder);
  assert.ok(Number(after.assessment.revenue.dueAtBorder) > Number(before.assessment.revenue.dueAtBorder));
  assert.equal(after.assessment.decision, before.assessment.decision);
});

test('the quote keeps a future expected arrival as its estimate, and bounds a back-dated one by its date', async () => {
  const { a } = await app('2026-06-20T10:00:00Z');
  const quote = async (payload: ConsignmentInput, date?: string) =>
    (await a.inject({ method: 'POST', url: `/v1/quote${date ? `?date=${date}` : ''}`, payload })).json();
  // A platform pre-checking checkout in June for a parcel due in July sees the July regime.
  assert.ok(flat(await quote(tshirt('50000003', '2026-07-05T06:00:00Z'))));
  assert.equal(flat(await quote(tshirt('50000003', '2026-06-28T06:00:00Z'))), false);
  // As of 30 November, an arrival of 30 June is not used.
  const late = await quote(tshirt('50000003', '2026-06-30T06:00:00Z'), '2026-11-30');
  assert.ok(flat(late));
  assert.equal(late.taxPoint.basis, 'lodged');
});

test('the demo of a past day lodges its records on that day: they are assessed on their arrival day', () => {
  const now = '2026-11-30T10:11:12.000Z';
  assert.equal(demoLodgingTime('2026-06-15', now), '2026-06-15T10:11:12.000Z');
  assert.equal(demoLodgingTime('2026-11-30', now), now);
  assert.equal(demoLodgingTime('2026-12-03', now), now);
  for (const day of ['2026-06-15', '2026-11-30', '2026-12-03']) {
    const at = demoLodgingTime(day, now);
    // A record that declares no expected arrival (some second sources) is assessed on its lodging date.
    for (const r of generateFlood({ seed: 'tax-point', count: 20, day }))
      assert.equal(
        assessRevenue(r.input, snapshot.revenue, at).taxPoint?.date,
        r.input.dates?.expectedArrival === undefined ? at.slice(0, 10) : day,
      );
  }
});
