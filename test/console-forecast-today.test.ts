/**
 * The staffing forecast reads complete days only (docs/forecasting.md): on a running server today's
 * count is partial (at 01:00 UTC it holds an hour of parcels), and a history ending on it would start
 * the forecast, and the staffing planned from it, from a day that looks nearly empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const dayMs = 86_400_000;

test('the forecast history ends at the last complete UTC day, not at the partial day of today', async () => {
  const store = openSqliteStore({ memory: true });
  const first = Date.parse('2026-09-01T00:00:00Z');
  const days = 60;
  let serial = 30_000_000;
  // 60 complete days of 6 parcels, then today (day 61) with 1 parcel by 01:00 UTC.
  for (let d = 0; d <= days; d++) {
    const now = new Date(first + d * dayMs + 3_600_000).toISOString();
    const n = d < days ? 6 : 1;
    const records = Array.from({ length: n }, () => postalItem({}, String(serial++)));
    await submitBatch({ actor: 'test', submitterId: 'opr_post', now }, records, {
      store,
      snapshot: () => snapshot,
    });
  }
  const today = new Date(first + days * dayMs).toISOString().slice(0, 10);
  const yesterday = new Date(first + (days - 1) * dayMs).toISOString().slice(0, 10);
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date(`${today}T01:30:00Z`),
  });
  try {
    const f = (await app.inject({ url: '/v1/forecast?horizon=7&inspectionsPerOfficer=1' })).json();
    assert.equal(f.source, 'store');
    assert.deepEqual(f.history.at(-1), { date: yesterday, count: 6 });
    assert.ok(f.points[0].point > 4, `a flat 6 a day is forecast near 6, got ${f.points[0].point}`);
    const lanes = (await app.inject({ url: '/v1/forecast/lanes?horizon=7' })).json();
    assert.deepEqual(lanes.lanes[0].history.at(-1), { date: yesterday, count: 6 });
  } finally {
    await app.close();
    await store.close();
  }
});
