/**
 * Deferred payment follows the submitter's AEO status when the amount becomes payable: a parcel assessed
 * on deferred terms, held, and released after the status was withdrawn or suspended pays at the border
 * and is not debited to the account. A statement is settled only once its month has ended, headroom
 * never exceeds the guarantee, and a period paid beyond what it nets shows the overpayment
 * (docs/operators.md "Deferred (periodic) payment", "Guarantee"). SQLite and, when
 * PARCELGATE_TEST_PG_URL is set, PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openPgRegistry, openSqliteRegistry } from '../src/registry/index.js';
import {
  openPostgresStore,
  openSqliteStore,
  sqliteFileName,
  type ClearanceStore,
} from '../src/store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const target = pgTestTarget();
const officer = { 'x-actor': 'officer:ana' };

interface Env {
  app: FastifyInstance;
  store: ClearanceStore;
  registry: RegistryServices;
  close(): Promise<void>;
}

async function openEnv(kind: 'sqlite' | 'postgres', clock: () => Date): Promise<Env> {
  const dir = scratchDir('parcelgate-aeo-release-');
  const schema = freshSchemaName();
  let store: ClearanceStore;
  let registry: RegistryServices;
  if (kind === 'postgres') {
    store = await openPostgresStore({ url: target.url!, schema, poolSize: 2 });
    registry = await openRegistryServices(
      await openPgRegistry({ url: target.url!, schema, poolSize: 2 }),
      store,
      {
        clock,
        gapGraceMs: 0,
      },
    );
  } else {
    store = openSqliteStore({ dataDir: dir });
    registry = await openRegistryServices(
      openSqliteRegistry({ file: path.join(dir, sqliteFileName) }),
      store,
      {
        clock,
      },
    );
  }
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot, clock, registry });
  await app.ready();
  return {
    app,
    store,
    registry,
    close: async () => {
      await app.close();
      await registry.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres') await dropSchemas(target.url!, [schema]);
    },
  };
}

/** Registers `id` as a post holding AEOF with a guarantee of `amount` EUR; returns the status id. */
async function aeoPost(app: FastifyInstance, id: string, amount = '1000.00'): Promise<string> {
  const made = await app.inject({
    method: 'POST',
    url: '/v1/operators',
    payload: { id, kind: 'postal-operator', name: id, country: 'NL', identifiers: [], contacts: [] },
  });
  assert.equal(made.statusCode, 201, made.body);
  const grant = await app.inject({
    method: 'POST',
    url: `/v1/operators/${id}/statuses`,
    headers: officer,
    payload: {
      level: 'AEOF',
      issuer: 'NL',
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2029-01-01T00:00:00Z',
    },
  });
  assert.equal(grant.statusCode, 201, grant.body);
  const g = await app.inject({
    method: 'PUT',
    url: `/v1/operators/${id}/guarantee`,
    headers: { 'x-actor': 'supervisor:eva' },
    payload: { amount, currency: 'EUR' },
  });
  assert.equal(g.statusCode, 200, g.body);
  return grant.json().id as string;
}

async function submitTea(app: FastifyInstance, serial: string) {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/consignments',
    headers: { 'x-submitter-id': 'opr_aeof' },
    payload: teaParcel(serial),
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().state, 'held-for-information');
  return r.json() as { consignmentId: string; dueAtBorder: string };
}

const decide = (app: FastifyInstance, id: string, action: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    headers: officer,
    payload: { action, reason: 'checked by the officer' },
  });

const kinds = [
  { kind: 'sqlite' as const, skip: false as const },
  { kind: 'postgres' as const, skip: target.skip },
];

for (const { kind, skip } of kinds) {
  test(
    `${kind}: a held AEO parcel released after the status is withdrawn pays at the border and is not debited`,
    { skip },
    async () => {
      let now = new Date('2026-11-27T10:00:00Z');
      const env = await openEnv(kind, () => now);
      try {
        const { app, store, registry } = env;
        const statusId = await aeoPost(app, 'opr_aeof');
        const made = await app.inject({
          method: 'POST',
          url: '/v1/consignments',
          headers: { 'x-submitter-id': 'opr_aeof' },
          payload: teaParcel('71000001'),
        });
        assert.equal(made.statusCode, 201, made.body);
        const id = made.json().consignmentId as string;
        const kept = await submitTea(app, '71000002');
        assert.equal(made.json().state, 'held-for-information');
        assert.equal((await store.get(id))?.assessment.payment?.mode, 'deferred', 'deferred at assessment');

        now = new Date('2026-11-27T11:00:00Z');
        const w = await app.inject({
          method: 'POST',
          url: `/v1/statuses/${statusId}/actions`,
          headers: officer,
          payload: { action: 'withdraw', reason: 'audit findings' },
        });
        assert.equal(w.statusCode, 200, w.body);
        now = new Date('2026-11-27T12:00:00Z');
        const rel = await decide(app, id, 'release');
        assert.equal(rel.statusCode, 200, rel.body);
        const r = rel.json().response;
        assert.equal(r.state, 'released-before-arrival');
        assert.equal(r.response, 'RELEASE_WITH_PAYMENT_DUE');
        assert.equal(r.payment.mode, 'per-consignment');
        assert.match(r.payment.reason, /withdrawn/);
        const stored = await store.get(id);
        assert.equal(stored?.assessment.payment, undefined);
        assert.equal(stored?.assessment.paymentFallback?.code, 'status-not-in-force');
        assert.ok(
          (await store.events(id)).some((e) => e.type === 'consignment.payment-not-deferred'),
          'the operator is told on its feed',
        );
        // Nothing is debited to the account, and nothing stays reserved on the guarantee.
        await registry.followPayments();
        const st = await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/account?period=2026-11' });
        assert.deepEqual(st.json().entries, []);
        const g = (await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/guarantee' })).json();
        assert.equal(g.utilised, '0.00');
        assert.equal(g.reserved, kept.dueAtBorder, 'only the parcel still held keeps its reservation');
      } finally {
        await env.close();
      }
    },
  );

  test(
    `${kind}: a held AEO parcel released while the status is in force stays deferred`,
    { skip },
    async () => {
      const now = new Date('2026-11-27T10:00:00Z');
      const env = await openEnv(kind, () => now);
      try {
        const { app, store, registry } = env;
        await aeoPost(app, 'opr_aeof');
        const c = await submitTea(app, '72000001');
        const rel = await decide(app, c.consignmentId, 'release');
        assert.equal(rel.statusCode, 200, rel.body);
        assert.equal(rel.json().response.response, 'RELEASE');
        assert.deepEqual(rel.json().response.payment, { mode: 'deferred', account: 'opr_aeof' });
        assert.equal((await store.get(c.consignmentId))?.assessment.paymentFallback, undefined);
        await registry.followPayments();
        const st = await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/account?period=2026-11' });
        assert.deepEqual(
          st.json().entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount]),
          [['debit', c.dueAtBorder]],
        );
      } finally {
        await env.close();
      }
    },
  );

  test(
    `${kind}: a parcel released and debited before its hold keeps its terms when released again`,
    { skip },
    async () => {
      let now = new Date('2026-11-27T10:00:00Z');
      const env = await openEnv(kind, () => now);
      try {
        const { app, registry } = env;
        const statusId = await aeoPost(app, 'opr_aeof');
        const made = await app.inject({
          method: 'POST',
          url: '/v1/consignments',
          headers: { 'x-submitter-id': 'opr_aeof' },
          payload: postalItem({}, '74000001'),
        });
        assert.equal(made.json().state, 'released-before-arrival', made.body);
        const id = made.json().consignmentId as string;
        assert.equal((await decide(app, id, 'inspect')).statusCode, 200);
        const w = await app.inject({
          method: 'POST',
          url: `/v1/statuses/${statusId}/actions`,
          headers: officer,
          payload: { action: 'withdraw', reason: 'audit findings' },
        });
        assert.equal(w.statusCode, 200, w.body);
        now = new Date('2026-11-27T12:00:00Z');
        const rel = await decide(app, id, 'release');
        assert.equal(rel.statusCode, 200, rel.body);
        assert.equal(rel.json().response.response, 'RELEASE', 'its amount was booked at the first release');
        await registry.followPayments();
        const st = await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/account?period=2026-11' });
        assert.deepEqual(
          st.json().entries.map((e: { kind: string }) => e.kind),
          ['debit'],
        );
      } finally {
        await env.close();
      }
    },
  );
  test(
    `${kind}: a month is settled only once it has ended, and credits after a settlement never add headroom`,
    { skip },
    async () => {
      let now = new Date('2026-11-20T10:00:00Z');
      const env = await openEnv(kind, () => now);
      try {
        const { app, registry } = env;
        await aeoPost(app, 'opr_aeof', '20.00');
        const c = await submitTea(app, '73000001');
        assert.equal((await decide(app, c.consignmentId, 'release')).statusCode, 200);
        await registry.followPayments();
        const settle = (period: string) =>
          app.inject({
            method: 'POST',
            url: '/v1/operators/opr_aeof/account/settlements',
            headers: { 'x-actor': 'supervisor:eva' },
            payload: { period },
          });
        // November is still running: refused, naming the field, and nothing leaves the utilisation.
        for (const period of ['2026-11', '2026-12']) {
          const early = await settle(period);
          assert.equal(early.statusCode, 409, early.body);
          assert.equal(early.json().code, 'account.period-not-ended');
          assert.equal(early.json().path, '/period');
        }
        const g0 = (await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/guarantee' })).json();
        assert.equal(g0.utilised, c.dueAtBorder);

        // In December, November is settled; then the carrier reports the parcel refused on 29 November
        // (a credit on the settled statement): the operator has paid more than November nets.
        now = new Date('2026-12-02T10:00:00Z');
        const paid = await settle('2026-11');
        assert.equal(paid.statusCode, 201, paid.body);
        for (const [type, at] of [
          ['arrived', '2026-11-28T08:00:00Z'],
          ['refused', '2026-11-29T08:00:00Z'],
        ] as const) {
          const ev = await app.inject({
            method: 'POST',
            url: `/v1/consignments/${c.consignmentId}/carrier-events`,
            headers: { 'x-submitter-id': 'opr_aeof' },
            payload: { type, at },
          });
          assert.equal(ev.statusCode, 200, ev.body);
        }
        await registry.followPayments();
        await registry.refresh();
        const g = (await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/guarantee' })).json();
        assert.equal(g.utilised, `-${c.dueAtBorder}`);
        assert.equal(g.available, '20.00', 'never more headroom than the guarantee');
        const st = (
          await app.inject({ method: 'GET', url: '/v1/operators/opr_aeof/account?period=2026-11' })
        ).json();
        assert.deepEqual(st.totals, [
          {
            currency: 'EUR',
            debits: c.dueAtBorder,
            credits: c.dueAtBorder,
            net: '0.00',
            entries: 2,
            settled: c.dueAtBorder,
            outstanding: `-${c.dueAtBorder}`,
          },
        ]);
      } finally {
        await env.close();
      }
    },
  );
}
