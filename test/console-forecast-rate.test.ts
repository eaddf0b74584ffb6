/**
 * The staffing of one lane follows from what the store observed (docs/forecasting.md): a lane none of
 * whose parcels was held for inspection is staffed at 0 %, as the per-lane plan does, and the answer
 * says where its rate came from (`observed`, `given`, or `assumed` when the selection has no parcels).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

test('a lane never inspected is staffed at its observed 0 %, as the per-lane plan staffs it', async () => {
  const store = openSqliteStore({ memory: true });
  const records = Array.from({ length: 20 }, (_, i) => postalItem({}, String(31_000_000 + i)));
  await submitBatch({ actor: 'test', submitterId: 'opr_post', now: '2026-11-27T10:00:00.000Z' }, records, {
    store,
    snapshot: () => snapshot,
  });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T12:00:00Z'),
  });
  try {
    const f = (await app.inject({ url: '/v1/forecast?lane=green&horizon=7' })).json();
    assert.deepEqual(f.observed, { consignments: 20, inspected: 0, rate: 0 });
    assert.equal(f.selectionRate, 0, 'no green parcel was inspected: the plan needs no officer for them');
    assert.equal(f.selectionRateSource, 'observed');
    assert.equal(f.staffing.peakOfficers, 0);
    const lanes = (await app.inject({ url: '/v1/forecast/lanes?horizon=7' })).json();
    const green = lanes.lanes.find((l: { lane: string }) => l.lane === 'green');
    assert.equal(green.selectionRate, f.selectionRate, 'both views staff the lane alike');

    const given = (await app.inject({ url: '/v1/forecast?lane=green&horizon=7&selectionRate=0.05' })).json();
    assert.equal(given.selectionRate, 0.05);
    assert.equal(given.selectionRateSource, 'given');
    const none = (await app.inject({ url: '/v1/forecast?lane=red&horizon=7' })).json();
    assert.equal(none.observed.consignments, 0);
    assert.equal(none.selectionRateSource, 'assumed');
    assert.equal(none.selectionRate, 0.02);
  } finally {
    await app.close();
    await store.close();
  }
});

test('a forecast for an office that has received no parcels carries a forecast.no-history warning', async () => {
  const store = openSqliteStore({ memory: true });
  const records = Array.from({ length: 5 }, (_, i) => postalItem({}, String(32_000_000 + i)));
  await submitBatch({ actor: 'test', submitterId: 'opr_post', now: '2026-11-27T10:00:00.000Z' }, records, {
    store,
    snapshot: () => snapshot,
  });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T12:00:00Z'),
  });
  try {
    const known = (await app.inject({ url: '/v1/forecast?horizon=7' })).json();
    assert.deepEqual(known.warnings, [], 'parcels were received: nothing to warn of');
    const res = await app.inject({ url: '/v1/forecast?office=NOPE&horizon=7' });
    assert.equal(res.statusCode, 200);
    const f = res.json();
    assert.equal(f.observed.consignments, 0);
    assert.equal(f.warnings.length, 1);
    assert.equal(f.warnings[0].code, 'forecast.no-history');
    assert.match(f.warnings[0].message, /^office NOPE has received no parcels; /);
    assert.match(f.warnings[0].message, /20,000 parcels a day and an assumed 2 % selection rate/);
    const given = (
      await app.inject({ url: '/v1/forecast?office=NOPE&lane=red&horizon=7&selectionRate=0.1' })
    ).json();
    assert.match(
      given.warnings[0].message,
      /^office NOPE \(lane red\) has received no parcels; .*the given 10 %/,
    );
  } finally {
    await app.close();
    await store.close();
  }
});
