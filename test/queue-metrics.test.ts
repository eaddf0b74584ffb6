import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../src/store/index.js';
import { queueStates } from '../src/store/console/port.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';
import { gatedStore } from './gated-store.js';

// Every parcel selected at random: many held, some not (the lanes differ by risk).
const snapshot = loadSnapshot({ randomRate: 0.5 });

/** `name{label="value"} n` lines of a metric, as label value -> number. */
function series(body: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of body.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{\\w+="([^"]*)"\\})? (\\S+)$`).exec(line);
    if (m !== null) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

test('/metrics gives the held queue per lane and office, the webhook backlog and batches in flight', async () => {
  const dir = scratchDir('pg-qmetrics-');
  const real = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  // A store whose commits wait while held, so a batch can be caught in flight.
  const { store, hold } = gatedStore(real);
  const app = await buildApp({
    store,
    exchange,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-29T10:00:00Z'),
  });
  try {
    const items = Array.from({ length: 40 }, (_, i) =>
      postalItem({}, String(10_000_000 + i * 7919).slice(0, 8)),
    );
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: { consignments: items },
    });
    assert.equal(sent.statusCode, 200);
    await exchange.addSubscription({
      id: 'sub_metrics',
      operatorId: 'post-a',
      url: 'https://example.invalid/hook',
      secret: 'whsec_dGVzdA==',
      eventTypes: [],
      active: true,
      cursor: 0,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      createdAt: '2026-11-29T10:00:00Z',
      updatedAt: '2026-11-29T10:00:00Z',
    });

    const stats = await real.stats();
    const heldTotal = queueStates.reduce((n, s) => n + (stats.byState[s] ?? 0), 0);
    assert.ok(heldTotal > 0 && heldTotal < stats.consignments, `held ${heldTotal} of ${stats.consignments}`);

    const release = hold();
    const pending = app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: postalItem({}, '87654321'),
    });
    let body = '';
    for (let i = 0; i < 200 && series(body, 'parcelgate_ingest_batches_in_flight').get('') !== 1; i++) {
      body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    }
    assert.equal(series(body, 'parcelgate_ingest_batches_in_flight').get(''), 1, 'one batch in flight');
    const byLane = series(body, 'parcelgate_queue_held');
    const byOffice = series(body, 'parcelgate_queue_held_by_office');
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    assert.equal(sum(byLane), heldTotal);
    assert.equal(sum(byOffice), heldTotal);
    assert.ok(
      [...byLane.keys()].every((lane) => ['green', 'yellow', 'red', 'dnl'].includes(lane)),
      [...byLane.keys()].join(),
    );
    assert.equal(series(body, 'parcelgate_webhook_backlog_events').get('sub_metrics'), stats.events);
    assert.equal(series(body, 'parcelgate_webhook_dead_letters_replaying').get(''), 0);

    release();
    assert.equal((await pending).statusCode, 201);
    const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.equal(series(after, 'parcelgate_ingest_batches_in_flight').get(''), 0);
    assert.equal(
      series(after, 'parcelgate_webhook_backlog_events').get('sub_metrics'),
      (await real.stats()).events,
    );
  } finally {
    await app.close();
    await exchange.close();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a held consignment without an office of entry is counted under office="(none)", as docs/operations.md says', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => loadSnapshot({ randomRate: 0 }),
    clock: () => new Date('2026-11-29T10:00:00Z'),
  });
  try {
    const made = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: teaParcel('64000001', { routing: { dispatchCountry: 'CN', destinationCountry: 'DE' } }),
    });
    assert.equal(made.json().state, 'held-for-information', made.body);
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const byOffice = series(body, 'parcelgate_queue_held_by_office');
    assert.deepEqual([...byOffice], [['(none)', 1]]);
    assert.match(body, /# HELP parcelgate_queue_held_by_office .*"\(none\)" when unset/);
    const doc = readFileSync(join(packageRoot, 'docs', 'operations.md'), 'utf8');
    const line = doc.split('\n').find((l) => l.includes('`parcelgate_queue_held_by_office{office}`'));
    assert.ok(line?.includes('`(none)` when unset'), line);
  } finally {
    await app.close();
    await store.close();
  }
});
