/**
 * Goods under customs supervision go back only on customs' decision: a carrier cannot refuse or return
 * an arrived parcel customs still holds, by a carrier event or through /v1/returns, while an officer's
 * customs return still sends it back; and a customs return respects another officer's queue claim as a
 * decision does (docs/returns.md, docs/console.md "Claims"). SQLite and, when PARCELGATE_TEST_PG_URL is
 * set, PostgreSQL.
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
const post = { 'x-submitter-id': 'opr_post' };
const ana = { 'x-actor': 'officer:ana' };
const bob = { 'x-actor': 'officer:bob' };

async function withApp(
  kind: 'sqlite' | 'postgres',
  run: (app: FastifyInstance, store: ClearanceStore) => Promise<void>,
): Promise<void> {
  const dir = scratchDir('parcelgate-customs-control-');
  const schema = freshSchemaName();
  const clock = () => new Date('2026-11-27T10:00:00Z');
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
  try {
    await run(app, store);
  } finally {
    await app.close();
    await registry.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchemas(target.url!, [schema]);
  }
}

async function submit(app: FastifyInstance, payload: object): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/v1/consignments', headers: post, payload });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().consignmentId as string;
}
const carrier = (app: FastifyInstance, id: string, type: string) =>
  app.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    headers: post,
    payload: { type },
  });
const registerReturn = (app: FastifyInstance, headers: Record<string, string>, payload: object) =>
  app.inject({ method: 'POST', url: '/v1/returns', headers, payload });

const kinds = [
  { kind: 'sqlite' as const, skip: false as const },
  { kind: 'postgres' as const, skip: target.skip },
];

for (const { kind, skip } of kinds) {
  test(
    `${kind}: a carrier cannot deliver, return or refuse an arrived parcel customs holds; an officer's customs return can`,
    { skip },
    async () => {
      await withApp(kind, async (app, store) => {
        const held = await submit(app, teaParcel('81000001'));
        assert.equal((await store.get(held))?.state, 'held-for-information');
        assert.equal((await carrier(app, held, 'arrived')).statusCode, 200);
        const events = (await store.events(held)).length;
        for (const type of ['delivered', 'refused', 'returned']) {
          const r = await carrier(app, held, type);
          assert.equal(r.statusCode, 409, r.body);
          assert.equal(r.json().code, 'state.transition-not-allowed');
          assert.equal(r.json().state, 'arrived');
          assert.equal(r.json().held, true);
          assert.ok(r.json().allowed.includes('officer.return'), r.body);
          assert.ok(!r.json().allowed.includes(`carrier.${type}`), r.body);
        }
        for (const k of ['refused', 'undeliverable']) {
          const r = await registerReturn(app, post, {
            consignmentId: held,
            kind: k,
            reason: 'not-collected',
          });
          assert.equal(r.statusCode, 409, r.body);
          assert.equal(r.json().code, 'state.transition-not-allowed');
        }
        assert.equal((await store.get(held))?.state, 'arrived', 'still under customs control');
        assert.equal((await store.events(held)).length, events, 'nothing written');
        const byCustoms = await registerReturn(app, ana, {
          consignmentId: held,
          kind: 'customs-return',
          reason: 'prohibited',
        });
        assert.equal(byCustoms.statusCode, 201, byCustoms.body);
        assert.equal((await store.get(held))?.state, 'returned');

        // A parcel released before arrival is the carrier's to send back once it has arrived.
        const released = await submit(app, postalItem({}, '81000002'));
        assert.equal((await store.get(released))?.state, 'released-before-arrival');
        assert.equal((await carrier(app, released, 'arrived')).statusCode, 200);
        const refused = await registerReturn(app, post, {
          consignmentId: released,
          kind: 'refused',
          reason: 'duties-not-accepted',
        });
        assert.equal(refused.statusCode, 201, refused.body);
        assert.equal((await store.get(released))?.state, 'returned');
      });
    },
  );

  test(
    `${kind}: a customs return respects another officer's queue claim like a decision`,
    { skip },
    async () => {
      await withApp(kind, async (app, store) => {
        const id = await submit(app, teaParcel('82000001'));
        const claimed = await app.inject({ method: 'POST', url: `/v1/console/claims/${id}`, headers: ana });
        assert.equal(claimed.statusCode, 200, claimed.body);
        const events = (await store.events(id)).length;
        const blocked = await registerReturn(app, bob, {
          consignmentId: id,
          kind: 'customs-return',
          reason: 'prohibited',
        });
        assert.equal(blocked.statusCode, 409, blocked.body);
        assert.equal(blocked.json().code, 'claim.held-by-other');
        assert.equal((await store.get(id))?.state, 'held-for-information');
        assert.equal((await store.events(id)).length, events, 'nothing written');
        const list = await app.inject({ method: 'GET', url: `/v1/returns?consignment=${id}`, headers: ana });
        assert.equal(list.statusCode, 200, list.body);
        assert.deepEqual(list.json().items, [], 'the refused return is not kept');
        const byHolder = await registerReturn(app, ana, {
          consignmentId: id,
          kind: 'customs-return',
          reason: 'prohibited',
        });
        assert.equal(byHolder.statusCode, 201, byHolder.body);
        assert.equal((await store.get(id))?.state, 'returned');
      });
    },
  );
}
