/**
 * The deferred-payment guarantee holds across processes: two parcelgate processes on one database
 * (two store connections, two registries, two apps, as two `serve` processes would have) submitting at
 * once against a guarantee worth two and a half parcels defer exactly two, because the reservation is
 * booked and checked in the batch's own transaction (src/store/guarantee-reservations.ts). The store
 * refuses a batch that would overshoot and writes nothing of it. SQLite and PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { ParcelgateError } from '../src/domain/index.js';
import { openPgRegistry, openSqliteRegistry, type RegistryStore } from '../src/registry/index.js';
import {
  openPostgresStore,
  openSqliteStore,
  sqliteFileName,
  type ClearanceStore,
} from '../src/store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const target = pgTestTarget();
const now = new Date('2026-12-04T09:00:00Z');
const clock = () => now;

interface Proc {
  store: ClearanceStore;
  registry: RegistryServices;
  app: FastifyInstance;
}

type Kind = 'sqlite' | 'postgres';

/** One "process": its own store connection(s), registry and app on the shared database. */
async function openProcess(kind: Kind, where: string, writerThread: boolean): Promise<Proc> {
  const store =
    kind === 'sqlite'
      ? openSqliteStore({ dataDir: where, writerThread })
      : await openPostgresStore({ url: target.url!, schema: where, poolSize: 3 });
  const reg: RegistryStore =
    kind === 'sqlite'
      ? openSqliteRegistry({ file: path.join(where, sqliteFileName) })
      : await openPgRegistry({ url: target.url!, schema: where, poolSize: 2 });
  const registry = await openRegistryServices(reg, store, { clock, gapGraceMs: 0 });
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot, clock, registry });
  await app.ready();
  return { store, registry, app };
}

async function closeProcess(p: Proc): Promise<void> {
  await p.app.close();
  await p.registry.close();
  await p.store.close();
}

async function withTwoProcesses(kind: Kind, body: (a: Proc, b: Proc) => Promise<void>): Promise<void> {
  const where = kind === 'sqlite' ? scratchDir('parcelgate-guarantee-') : freshSchemaName('pgguar');
  // Migrate once before the two open (as `parcelgate migrate` would), then open both.
  const a = await openProcess(kind, where, true);
  const b = await openProcess(kind, where, false);
  try {
    await body(a, b);
  } finally {
    await closeProcess(a);
    await closeProcess(b);
    if (kind === 'sqlite') fs.rmSync(where, { recursive: true, force: true });
    else await dropSchemas(target.url!, [where]);
  }
}

const ok = async (r: Promise<{ statusCode: number; body: string }>, status = 200) => {
  const res = await r;
  assert.equal(res.statusCode, status, res.body);
  return JSON.parse(res.body) as Record<string, unknown>;
};

const submitBatch = (p: Proc, serials: readonly number[]) =>
  ok(
    p.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: { 'x-submitter-id': 'opr_g' },
      payload: { consignments: serials.map((s) => postalItem({}, String(s))) },
    }),
  ).then((r) => (r.results as { consignmentId: string }[]).map((x) => x.consignmentId));

const paymentOf = async (p: Proc, id: string) =>
  (await ok(p.app.inject({ method: 'GET', url: `/v1/consignments/${id}/response` }))).payment as {
    mode: string;
    reason?: string;
  };

const guaranteeOf = (p: Proc) => ok(p.app.inject({ method: 'GET', url: '/v1/operators/opr_g/guarantee' }));

async function twoProcessesDeferWithinTheGuarantee(kind: Kind): Promise<void> {
  now.setTime(Date.parse('2026-12-04T09:00:00Z'));
  await withTwoProcesses(kind, async (a, b) => {
    await ok(
      a.app.inject({
        method: 'POST',
        url: '/v1/operators',
        payload: {
          id: 'opr_g',
          kind: 'postal-operator',
          name: 'g',
          country: 'NL',
          identifiers: [],
          contacts: [],
        },
      }),
      201,
    );
    await ok(
      a.app.inject({
        method: 'POST',
        url: '/v1/operators/opr_g/statuses',
        payload: { level: 'AEOC', issuer: 'NL', validFrom: '2026-01-01T00:00:00Z' },
      }),
      201,
    );
    // What one parcel owes (no guarantee yet: it pays at the border).
    const [first] = await submitBatch(a, [65000001]);
    const due = new Decimal(
      (await ok(a.app.inject({ method: 'GET', url: `/v1/consignments/${first}/response` })))
        .dueAtBorder as string,
    );
    assert.ok(due.gt(0));
    const limit = due.times(2.5).toFixed(2);
    await ok(
      a.app.inject({
        method: 'PUT',
        url: '/v1/operators/opr_g/guarantee',
        headers: { 'x-actor': 'supervisor:eva' },
        payload: { amount: limit, currency: 'EUR' },
      }),
    );
    // Process b learns of the operator, its status and its guarantee as its refresh tick would.
    await b.registry.refresh();
    assert.equal((await guaranteeOf(b)).available, limit);

    // Round 1: one batch of three from each process, at once.
    const ids = (
      await Promise.all([
        submitBatch(a, [65000010, 65000011, 65000012]),
        submitBatch(b, [65000020, 65000021, 65000022]),
      ])
    ).flat();
    const modes = await Promise.all(ids.map((id) => paymentOf(a, id)));
    assert.equal(modes.filter((m) => m.mode === 'deferred').length, 2, JSON.stringify(modes));
    for (const m of modes.filter((x) => x.mode !== 'deferred'))
      assert.match(m.reason ?? '', /guarantee of .* has .* left/);
    for (const p of [a, b]) {
      const g = await guaranteeOf(p);
      assert.equal(g.utilised, due.times(2).toFixed(2), 'both releases booked against the guarantee');
      assert.equal(g.reserved, '0.00', 'nothing reserved once the releases are booked');
      assert.ok(new Decimal(g.utilised as string).lte(limit), 'never past the guarantee');
    }

    // Settling (once December has ended) frees the guarantee; round 2: six single parcels, three from
    // each process, all at once.
    now.setTime(Date.parse('2027-01-04T09:00:00Z'));
    await ok(
      a.app.inject({
        method: 'POST',
        url: '/v1/operators/opr_g/account/settlements',
        headers: { 'x-actor': 'supervisor:eva' },
        payload: { period: '2026-12' },
      }),
      201,
    );
    await b.registry.refresh();
    assert.equal((await guaranteeOf(b)).utilised, '0.00');
    const singles = (
      await Promise.all([0, 1, 2, 3, 4, 5].map((i) => submitBatch(i % 2 === 0 ? a : b, [65000030 + i])))
    ).flat();
    const again = await Promise.all(singles.map((id) => paymentOf(b, id)));
    assert.equal(again.filter((m) => m.mode === 'deferred').length, 2, JSON.stringify(again));
    const g = await guaranteeOf(b);
    assert.equal(g.utilised, due.times(2).toFixed(2));
    assert.ok(new Decimal(g.utilised as string).lte(limit));
  });
}

/** The store's own check: a batch whose reservation would overshoot is refused and writes nothing. */
async function storeRefusesAnOvershootingBatch(kind: Kind): Promise<void> {
  await withTwoProcesses(kind, async (a, b) => {
    await a.registry.store.write([
      {
        collection: 'payment-guarantee',
        id: 'opr_x',
        owner: 'opr_x',
        doc: {
          operatorId: 'opr_x',
          amount: '10.00',
          currency: 'EUR',
          utilised: { EUR: '4.00' },
          settled: {},
        },
        expectVersion: 0,
      },
    ]);
    const reserve = (s: ClearanceStore, consignmentId: string, amount: string) =>
      s.transact({ keys: [], ids: [] }, () => ({
        writes: {
          upserts: [],
          archive: [],
          declarations: [],
          events: [],
          guarantee: { reserve: [{ consignmentId, account: 'opr_x', currency: 'EUR', amount }], clear: [] },
        },
        result: consignmentId,
      }));
    await reserve(a.store, 'csg_a', '5.00');
    // 4.00 booked + 5.00 reserved by the other connection + 1.01 > 10.00.
    await assert.rejects(reserve(b.store, 'csg_b', '1.01'), (e: unknown) => {
      assert.ok(e instanceof ParcelgateError);
      assert.equal(e.code, 'guarantee.headroom-taken');
      assert.equal(e.status, 409);
      assert.equal(e.details?.account, 'opr_x');
      return true;
    });
    await reserve(b.store, 'csg_c', '1.00'); // exactly the guarantee: allowed
    const rows = await b.registry.store.guaranteeReservations(['opr_x']);
    assert.deepEqual(rows.map((r) => [r.consignmentId, r.amount, r.settled]).sort(), [
      ['csg_a', '5.00', false],
      ['csg_c', '1.00', false],
    ]);
    // A re-assessment without deferral gives the reservation back.
    await b.store.transact({ keys: [], ids: [] }, () => ({
      writes: {
        upserts: [],
        archive: [],
        declarations: [],
        events: [],
        guarantee: { reserve: [], clear: ['csg_a'] },
      },
      result: null,
    }));
    await reserve(a.store, 'csg_d', '5.00');
    assert.deepEqual(
      (await a.registry.store.guaranteeReservations(['opr_x'])).map((r) => r.consignmentId).sort(),
      ['csg_c', 'csg_d'],
    );
  });
}

test('two processes on one SQLite database defer exactly two parcels against a guarantee worth two and a half', () =>
  twoProcessesDeferWithinTheGuarantee('sqlite'));

test(
  'two processes on one PostgreSQL database defer exactly two parcels against a guarantee worth two and a half',
  {
    skip: target.skip,
  },
  () => twoProcessesDeferWithinTheGuarantee('postgres'),
);

test('the SQLite store refuses a batch whose deferral would take the account past its guarantee, writing nothing', () =>
  storeRefusesAnOvershootingBatch('sqlite'));

test(
  'the PostgreSQL store refuses a batch whose deferral would take the account past its guarantee, writing nothing',
  {
    skip: target.skip,
  },
  () => storeRefusesAnOvershootingBatch('postgres'),
);
