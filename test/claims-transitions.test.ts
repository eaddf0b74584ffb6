/**
 * Work-queue claims and the transitions around them (docs/console.md "Claims"), on SQLite and
 * PostgreSQL with two processes (two store connections, two apps) on one database:
 *
 * - a claimed consignment that leaves the queue without an officer decision (here a carrier arrival)
 *   loses its claim in that transition, and the audit chain records the release by the system with the
 *   reason; a transition that keeps it queued keeps the claim;
 * - the claim check is part of the decision's transaction: officer A, whose claim expired, decides
 *   while officer B takes the claim over and decides; A's decision reaches its transaction only after
 *   B's takeover, and is refused (409 `claim.held-by-other`) although A's claim looked free to A before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { AuditLog } from '../src/audit/index.js';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openPgSecurityStore, openSqliteSecurityStore, type SecurityStore } from '../src/secstore/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { teaParcel } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

type Kind = 'sqlite' | 'postgres';
const target = pgTestTarget();
const start = Date.parse('2026-11-27T10:00:00Z');
let now = new Date(start);
const clock = () => now;
const snapshot = loadSnapshot({ randomRate: 0 });

/** `store` whose `transact` first waits for `gate.hold` when one is set (and says it got there). */
function gated(store: ClearanceStore) {
  const gate: { hold?: Promise<void>; reached?: () => void } = {};
  const proxy = new Proxy(store, {
    get(t, prop) {
      if (prop === 'transact')
        return async (...args: Parameters<ClearanceStore['transact']>) => {
          if (gate.hold) {
            gate.reached?.();
            await gate.hold;
          }
          return t.transact(...args);
        };
      const v: unknown = Reflect.get(t, prop, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { store: proxy, gate };
}

interface World {
  a: FastifyInstance;
  b: FastifyInstance;
  storeA: ClearanceStore;
  gate: ReturnType<typeof gated>['gate'];
  security: SecurityStore;
}

async function withWorld(kind: Kind, body: (w: World) => Promise<void>): Promise<void> {
  now = new Date(start);
  const where = kind === 'sqlite' ? scratchDir('parcelgate-claims-tx-') : freshSchemaName('pgclaim');
  const open = async (): Promise<ClearanceStore> =>
    kind === 'sqlite'
      ? openSqliteStore({ dataDir: where })
      : openPostgresStore({ url: target.url!, schema: where, poolSize: 3 });
  const storeA = await open();
  const storeB = await open();
  const security =
    kind === 'sqlite'
      ? openSqliteSecurityStore({ dataDir: where })
      : await openPgSecurityStore({ url: target.url!, schema: where, poolSize: 2 });
  const g = gated(storeA);
  const a = await buildApp({ store: g.store, snapshot: () => snapshot, clock });
  const b = await buildApp({ store: storeB, snapshot: () => snapshot, clock });
  try {
    await body({ a, b, storeA, gate: g.gate, security });
  } finally {
    await a.close();
    await b.close();
    await security.close();
    await storeA.close();
    await storeB.close();
    if (kind === 'sqlite') fs.rmSync(where, { recursive: true, force: true });
    else await dropSchemas(target.url!, [where]);
  }
}

const as = (actor: string) => ({ 'x-actor': actor });

async function heldParcel(app: FastifyInstance, serial: string, inspect: boolean): Promise<string> {
  const made = await app.inject({ method: 'POST', url: '/v1/consignments', payload: teaParcel(serial) });
  assert.equal(made.statusCode, 201, made.body);
  const id = made.json().consignmentId as string;
  assert.equal(made.json().state, 'held-for-information');
  if (inspect) {
    const d = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: as('officer:cy'),
      payload: { action: 'inspect', reason: 'x-ray the tea' },
    });
    assert.equal(d.statusCode, 200, d.body);
  }
  return id;
}

const claim = (app: FastifyInstance, id: string, actor: string) =>
  app.inject({ method: 'POST', url: `/v1/console/claims/${id}`, headers: as(actor) });
const claimOf = async (app: FastifyInstance, id: string) =>
  (await app.inject({ method: 'GET', url: `/v1/console/claims/${id}`, headers: as('officer:cy') })).json()
    .claim as { officerId: string } | null;

async function claimsLeaveWithTheQueue(kind: Kind): Promise<void> {
  await withWorld(kind, async ({ a, b, storeA, security }) => {
    const inspected = await heldParcel(a, '26000001', true);
    const asked = await heldParcel(a, '26000002', false);
    for (const id of [inspected, asked]) assert.equal((await claim(a, id, 'officer:ada')).statusCode, 200);

    // The carrier reports both arrivals through the other process.
    for (const id of [inspected, asked]) {
      const r = await b.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/carrier-events`,
        payload: { type: 'arrived' },
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    // Held for inspection, it arrives and leaves the queue: its claim went with that transition.
    assert.equal((await storeA.get(inspected))?.state, 'arrived');
    assert.equal(await storeA.console!.claimOf(inspected), null);
    assert.equal(await claimOf(a, inspected), null);
    // Asked for information, it waits for the answer in the queue after arrival: Ada keeps it.
    assert.equal((await claimOf(a, asked))?.officerId, 'officer:ada');
    assert.equal((await storeA.console!.claimOf(asked))?.officerId, 'officer:ada');

    // The audit chain records the release: by the system, whose claim, and why.
    const log = new AuditLog(security, clock);
    await log.seal();
    const entries = await security.readAudit(0, 1000);
    const released = entries.filter((e) => e.action === 'claim.released');
    assert.equal(released.length, 1, JSON.stringify(released));
    const [r] = released as [(typeof released)[number]];
    assert.equal(r.actor, 'system');
    assert.equal(r.subject, inspected);
    assert.deepEqual((r.data as { holder: { officerId: string } }).holder.officerId, 'officer:ada');
    assert.equal((r.data as { cause: string }).cause, 'left-queue');
    assert.match(
      (r.data as { reason: string }).reason,
      /left the work queue \(consignment\.arrived\): it is now arrived/,
    );
    // Sealing again appends nothing twice; the chain verifies.
    await log.seal();
    assert.equal((await security.readAudit(0, 1000)).filter((e) => e.action === 'claim.released').length, 1);
    assert.equal((await log.verify()).ok, true);
  });
}

async function decisionChecksTheClaimInItsTransaction(kind: Kind): Promise<void> {
  await withWorld(kind, async ({ a, b, gate }) => {
    const id = await heldParcel(a, '26000010', true);
    assert.equal((await claim(a, id, 'officer:ada')).statusCode, 200);
    const read = (
      await a.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: as('officer:ada') })
    ).json();
    const unchangedSince = read.updatedAt as string;
    now = new Date(start + 31 * 60_000); // Ada's claim has expired

    // Ada decides; her decision reaches its transaction only once Bob has taken the claim over.
    let open!: () => void;
    gate.hold = new Promise<void>((resolve) => (open = resolve));
    const reached = new Promise<void>((resolve) => (gate.reached = resolve));
    const ada = a.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: as('officer:ada'),
      payload: { action: 'request-information', reason: 'the invoice, please', unchangedSince },
    });
    await reached;
    const taken = await claim(b, id, 'officer:bob');
    assert.equal(taken.statusCode, 200, taken.body);
    delete gate.hold;
    open();
    const adaRes = await ada;
    const bobRes = await b.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: as('officer:bob'),
      payload: { action: 'seize', reason: 'counterfeit tea', unchangedSince },
    });
    const codes = [adaRes, bobRes].map((r) => (r.statusCode === 200 ? 'ok' : (r.json().code as string)));
    assert.equal(codes.filter((c) => c === 'ok').length, 1, `exactly one decision: ${codes.join(', ')}`);
    assert.deepEqual(codes, ['claim.held-by-other', 'ok'], 'Bob held the claim when Ada decided');
    assert.equal(adaRes.statusCode, 409);
    assert.equal(adaRes.json().holder.officerId, 'officer:bob');
    assert.equal(
      (await a.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: as('officer:ada') })).json()
        .state,
      'seized',
    );
  });
}

test('SQLite: a claimed consignment that leaves the queue without a decision loses its claim in that transition, audited as released by the system', () =>
  claimsLeaveWithTheQueue('sqlite'));
test(
  'PostgreSQL: a claimed consignment that leaves the queue without a decision loses its claim in that transition, audited as released by the system',
  { skip: target.skip },
  () => claimsLeaveWithTheQueue('postgres'),
);
test('SQLite: a decision checks the claim in its own transaction: taken over before it, the decision is refused', () =>
  decisionChecksTheClaimInItsTransaction('sqlite'));
test(
  'PostgreSQL: a decision checks the claim in its own transaction: taken over before it, the decision is refused',
  { skip: target.skip },
  () => decisionChecksTheClaimInItsTransaction('postgres'),
);
