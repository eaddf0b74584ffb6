/**
 * AEO benefits act on outcomes: deferred (periodic) payment books what is due to the operator's account
 * instead of holding release for payment, with a statement per period (API and CLI); priority handling
 * marks the operator's parcels. An operator without the status, or with it suspended, gets neither.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { buildProgram } from '../src/cli/main.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openPgRegistry } from '../src/registry/index.js';
import {
  openPostgresStore,
  openSqliteStore,
  sqliteFileName,
  type ClearanceStore,
} from '../src/store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

let dir: string;
let app: FastifyInstance;
let store: ClearanceStore;
let registry: RegistryServices;
let now = new Date('2026-11-27T10:00:00Z');
const target = pgTestTarget();
const schema = freshSchemaName();

/** PARCELGATE_BENEFITS_ON_PG=1 (set by the PostgreSQL run below) runs the same tests on PostgreSQL. */
const onPg = process.env['PARCELGATE_BENEFITS_ON_PG'] === '1';

before(async () => {
  dir = scratchDir('parcelgate-benefits-');
  const clock = () => now;
  if (onPg) {
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
  app = await buildApp({ store, snapshot: () => snapshot, clock, registry });
  await app.ready();
  for (const id of ['opr_aeo', 'opr_plain'])
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/operators',
          payload: { id, kind: 'postal-operator', name: id, country: 'NL', identifiers: [], contacts: [] },
        })
      ).statusCode,
      201,
    );
});
after(async () => {
  await app.close();
  await registry.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (onPg) await dropSchemas(target.url!, [schema]);
});

const submit = async (submitter: string, serial: string) => {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/consignments',
    headers: { 'x-submitter-id': submitter },
    payload: postalItem({}, serial),
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { consignmentId: string; dueAtBorder: string; state: string };
};
const response = async (id: string) =>
  (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/response` })).json();
const setGuarantee = (id: string, payload: unknown) =>
  app.inject({
    method: 'PUT',
    url: `/v1/operators/${id}/guarantee`,
    headers: { 'x-actor': 'supervisor:eva' },
    payload: payload as object,
  });
const guarantee = async (id: string) =>
  (await app.inject({ method: 'GET', url: `/v1/operators/${id}/guarantee` })).json();
const account = async (id: string, period?: string) =>
  (
    await app.inject({
      method: 'GET',
      url: `/v1/operators/${id}/account${period ? `?period=${period}` : ''}`,
    })
  ).json();

test('deferred payment: an AEO-C submitter is released without payment and its dues go on the monthly statement', async () => {
  const grant = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_aeo/statuses',
    headers: { 'x-actor': 'officer:ana' },
    payload: {
      level: 'AEOC',
      issuer: 'NL',
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2029-01-01T00:00:00Z',
    },
  });
  assert.equal(grant.statusCode, 201, grant.body);
  const statusId = grant.json().id as string;
  // Deferred payment needs a guarantee covering what is deferred (UCC Art. 110): a generous one here.
  assert.equal((await setGuarantee('opr_aeo', { amount: '1000.00', currency: 'EUR' })).statusCode, 200);

  const a1 = await submit('opr_aeo', '61000001');
  const a2 = await submit('opr_aeo', '61000002');
  const b1 = await submit('opr_plain', '62000001');
  for (const c of [a1, a2, b1]) {
    assert.equal(c.state, 'released-before-arrival');
    assert.ok(new Decimal(c.dueAtBorder).gt(0), 'something is due at the border');
  }
  // The benefit changes the outcome: no payment before release for the AEO, payment due for the other.
  const ra = await response(a1.consignmentId);
  assert.equal(ra.response, 'RELEASE');
  assert.deepEqual(ra.payment, { mode: 'deferred', account: 'opr_aeo' });
  assert.equal(ra.dueAtBorder, a1.dueAtBorder, 'the amount is still stated');
  const rb = await response(b1.consignmentId);
  assert.equal(rb.response, 'RELEASE_WITH_PAYMENT_DUE');
  assert.deepEqual(rb.payment, { mode: 'per-consignment' });
  const stored = await store.get(a1.consignmentId);
  assert.deepEqual(stored?.assessment.payment, {
    mode: 'deferred',
    account: 'opr_aeo',
    level: 'AEOC',
    statusId,
  });
  assert.ok(
    stored?.assessment.risk.hits.some((h) => h.id === 'priority-high'),
    'priority handling is marked on the AEO parcel',
  );
  assert.ok(
    !(await store.get(b1.consignmentId))?.assessment.risk.hits.some((h) => h.id.startsWith('priority')),
  );

  // Statement of the period: both releases debited, exactly.
  const st = await account('opr_aeo', '2026-11');
  assert.equal(st.dueBy, '2026-12-16');
  assert.deepEqual(
    st.entries.map((e: { consignmentId: string; kind: string }) => [e.consignmentId, e.kind]),
    [
      [a1.consignmentId, 'debit'],
      [a2.consignmentId, 'debit'],
    ],
  );
  const total = new Decimal(a1.dueAtBorder).plus(a2.dueAtBorder);
  assert.deepEqual(st.totals, [
    {
      currency: 'EUR',
      debits: total.toFixed(2),
      credits: '0.00',
      net: total.toFixed(2),
      entries: 2,
      settled: '0.00',
      outstanding: total.toFixed(2),
    },
  ]);
  assert.deepEqual((await account('opr_plain')).periods, [], 'no account for an operator without the status');
  assert.deepEqual((await account('opr_aeo')).periods, ['2026-11']);
  const bad = await app.inject({ method: 'GET', url: '/v1/operators/opr_aeo/account?period=2026-13' });
  assert.equal(bad.statusCode, 400);

  // A refused parcel (after arrival) is credited in the period of the return; counted once.
  now = new Date('2026-12-02T09:00:00Z');
  for (const type of ['arrived', 'refused'])
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: `/v1/consignments/${a2.consignmentId}/carrier-events`,
          headers: { 'x-submitter-id': 'opr_aeo' },
          payload: { type },
        })
      ).statusCode,
      200,
    );
  const dec = await account('opr_aeo', '2026-12');
  assert.deepEqual(
    dec.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount]),
    [['credit', `-${a2.dueAtBorder}`]],
  );
  assert.equal(dec.totals[0].net, `-${new Decimal(a2.dueAtBorder).toFixed(2)}`);
  assert.equal((await account('opr_aeo', '2026-11')).entries.length, 2, 'november is unchanged');
  assert.equal((await account('opr_aeo', '2026-12')).entries.length, 1, 'a second read books nothing twice');

  // Suspended: no more deferral (nor priority) for new parcels; the earlier ones stay on the account.
  const sus = await app.inject({
    method: 'POST',
    url: `/v1/statuses/${statusId}/actions`,
    headers: { 'x-actor': 'officer:ana' },
    payload: { action: 'suspend', reason: 'audit findings', at: '2026-12-01T00:00:00Z' },
  });
  assert.equal(sus.statusCode, 200, sus.body);
  const a3 = await submit('opr_aeo', '61000003');
  const r3 = await response(a3.consignmentId);
  assert.equal(r3.response, 'RELEASE_WITH_PAYMENT_DUE');
  assert.deepEqual(r3.payment, { mode: 'per-consignment' });
  assert.ok(!(await store.get(a3.consignmentId))?.assessment.risk.hits.some((h) => h.id === 'priority-high'));
  assert.equal((await account('opr_aeo', '2026-12')).entries.length, 1);
});

test('a deferred parcel the buyer sends back after delivery is refunded once: by the claim, not also by an account credit', async () => {
  now = new Date('2026-12-03T09:00:00Z');
  assert.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/v1/operators',
        payload: {
          id: 'opr_aeo2',
          kind: 'postal-operator',
          name: 'p',
          country: 'NL',
          identifiers: [],
          contacts: [],
        },
      })
    ).statusCode,
    201,
  );
  const grant = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_aeo2/statuses',
    payload: { level: 'AEOC', issuer: 'NL', validFrom: '2026-01-01T00:00:00Z' },
  });
  assert.equal(grant.statusCode, 201, grant.body);
  assert.equal((await setGuarantee('opr_aeo2', { amount: '1000.00', currency: 'EUR' })).statusCode, 200);
  const c = await submit('opr_aeo2', '63000001');
  assert.equal((await response(c.consignmentId)).payment.mode, 'deferred');
  const delivered = await app.inject({
    method: 'POST',
    url: `/v1/consignments/${c.consignmentId}/carrier-events`,
    headers: { 'x-submitter-id': 'opr_aeo2' },
    payload: { type: 'delivered' },
  });
  assert.equal(delivered.statusCode, 200, delivered.body);
  const ret = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: { 'x-submitter-id': 'opr_aeo2' },
    payload: { consignmentId: c.consignmentId, kind: 'returned-by-buyer', reason: 'damaged' },
  });
  assert.equal(ret.statusCode, 201, ret.body);
  assert.equal(ret.json().refund.repayable, c.dueAtBorder, 'customs repays the border tax on a claim');
  // The account keeps the debit: the tax was owed on delivery, and its repayment is the claim's.
  const st = await account('opr_aeo2', '2026-12');
  assert.deepEqual(
    st.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount]),
    [['debit', c.dueAtBorder]],
  );
});

test('deferred payment within the guarantee: refused without one, bad input named, two batches at once never overshoot, settling frees it', async () => {
  now = new Date('2026-12-04T09:00:00Z');
  const created = await app.inject({
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
  });
  assert.equal(created.statusCode, 201, created.body);
  const grant = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_g/statuses',
    payload: { level: 'AEOC', issuer: 'NL', validFrom: '2026-01-01T00:00:00Z' },
  });
  assert.equal(grant.statusCode, 201, grant.body);

  // No guarantee registered: the parcel pays at the border, says why, and an event tells the feed.
  const none = await submit('opr_g', '64000001');
  const due = new Decimal(none.dueAtBorder);
  const r0 = await response(none.consignmentId);
  assert.equal(r0.response, 'RELEASE_WITH_PAYMENT_DUE');
  assert.equal(r0.payment.mode, 'per-consignment');
  assert.match(r0.payment.reason, /needs a guarantee/);
  assert.ok(r0.reasons.includes(r0.payment.reason), 'the reason is among the response reasons too');
  const events = (
    await app.inject({ method: 'GET', url: `/v1/consignments/${none.consignmentId}/events` })
  ).json() as { events?: { type: string; data?: { code?: string } }[] } | { type: string }[];
  const list = Array.isArray(events) ? events : (events.events ?? []);
  assert.ok(
    list.some((e) => e.type === 'consignment.payment-not-deferred'),
    JSON.stringify(list.map((e) => e.type)),
  );

  // Bad input is refused with the field and why; nothing is written.
  for (const [body, code, pointer] of [
    [{ amount: 100, currency: 'EUR' }, 'guarantee.invalid-amount', '/amount'],
    [{ amount: '10.001', currency: 'EUR' }, 'guarantee.invalid-amount', '/amount'],
    [{ amount: '-5.00', currency: 'EUR' }, 'guarantee.invalid-amount', '/amount'],
    [{ amount: '10.5', currency: 'JPY' }, 'guarantee.invalid-amount', '/amount'],
    [{ amount: '10.00', currency: 'eur' }, 'guarantee.invalid-currency', '/currency'],
    [{ amount: '10.00' }, 'guarantee.invalid-currency', '/currency'],
  ] as const) {
    const bad = await setGuarantee('opr_g', body);
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().code, 'guarantee.invalid');
    assert.ok(
      bad.json().issues.some((i: { code: string; path: string }) => i.code === code && i.path === pointer),
      bad.body,
    );
  }
  assert.equal((await guarantee('opr_g')).amount, null);

  // A guarantee for two and a half parcels: of six submitted in two batches at once, two are deferred.
  const limit = due.times(2.5).toFixed(2);
  const set = await setGuarantee('opr_g', { amount: limit, currency: 'EUR' });
  assert.equal(set.statusCode, 200, set.body);
  assert.equal(set.json().available, limit);
  const batch = (from: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: { 'x-submitter-id': 'opr_g' },
      payload: { consignments: [0, 1, 2].map((i) => postalItem({}, String(64000010 + from + i))) },
    });
  const [b1, b2] = await Promise.all([batch(0), batch(3)]);
  const ids = [...b1.json().results, ...b2.json().results].map(
    (r: { consignmentId: string }) => r.consignmentId,
  );
  assert.equal(ids.length, 6);
  const modes = await Promise.all(ids.map(async (id) => (await response(id)).payment));
  const deferred = modes.filter((m) => m.mode === 'deferred').length;
  assert.equal(deferred, 2, JSON.stringify(modes));
  for (const m of modes.filter((x) => x.mode !== 'deferred'))
    assert.match(m.reason, /guarantee of .* has .* left/);
  const g1 = await guarantee('opr_g');
  assert.equal(g1.utilised, due.times(2).toFixed(2), 'the releases are booked against the guarantee');
  assert.ok(new Decimal(g1.utilised).lte(limit), 'never past the guarantee');
  assert.equal(g1.available, new Decimal(limit).minus(g1.utilised).toFixed(2));

  // Settling December's statement (once December has ended) frees the guarantee: the next parcel is
  // deferred again.
  now = new Date('2027-01-04T09:00:00Z');
  const settled = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_g/account/settlements',
    headers: { 'x-actor': 'supervisor:eva' },
    payload: { period: '2026-12' },
  });
  assert.equal(settled.statusCode, 201, settled.body);
  assert.deepEqual(settled.json().paid, { EUR: due.times(2).toFixed(2) });
  assert.equal(settled.json().guarantee.utilised, '0.00');
  const again = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_g/account/settlements',
    payload: { period: '2026-12' },
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'account.nothing-to-settle');
  const badPeriod = await app.inject({
    method: 'POST',
    url: '/v1/operators/opr_g/account/settlements',
    payload: { period: '2026-13' },
  });
  assert.equal(badPeriod.statusCode, 400);
  assert.equal(badPeriod.json().code, 'account.invalid-period');
  const next = await submit('opr_g', '64000030');
  assert.equal((await response(next.consignmentId)).payment.mode, 'deferred');
  // The currency cannot change while something is deferred in the old one.
  await guarantee('opr_g');
  const change = await setGuarantee('opr_g', { amount: '100', currency: 'GBP' });
  assert.equal(change.statusCode, 409, change.body);
  assert.equal(change.json().code, 'guarantee.currency-in-use');
});

test('a deferred parcel refused item by item is credited line by line, the whole debit once', async () => {
  now = new Date('2026-12-05T09:00:00Z');
  const item = postalItem().items[0]!;
  const two = postalItem(
    {
      items: [
        item,
        {
          ...item,
          description: 'Silk scarf, woven',
          hsCode: '621410',
          value: { amount: '120.00', currency: 'EUR' },
        },
      ],
    },
    '65000001',
  );
  const r = await app.inject({
    method: 'POST',
    url: '/v1/consignments',
    headers: { 'x-submitter-id': 'opr_aeo2' },
    payload: two,
  });
  assert.equal(r.statusCode, 201, r.body);
  const id = r.json().consignmentId as string;
  assert.equal((await response(id)).payment.mode, 'deferred');
  const c = (await store.get(id))!;
  const rev = c.assessment.revenue;
  const arrived = await app.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    headers: { 'x-submitter-id': 'opr_aeo2' },
    payload: { type: 'arrived' },
  });
  assert.equal(arrived.statusCode, 200, arrived.body);
  for (const items of [[1], [0]]) {
    const ret = await app.inject({
      method: 'POST',
      url: '/v1/returns',
      headers: { 'x-submitter-id': 'opr_aeo2' },
      payload: { consignmentId: id, kind: 'refused', reason: 'duties-not-accepted', itemIndexes: items },
    });
    assert.equal(ret.statusCode, 201, ret.body);
  }
  assert.equal((await store.get(id))!.state, 'returned');
  const entries = (await account('opr_aeo2', '2026-12')).entries.filter(
    (e: { consignmentId: string }) => e.consignmentId === id,
  ) as { kind: string; amount: string }[];
  const item1 = rev.lines
    .filter((l) => l.collectedBy === 'border' && l.itemIndex === 1)
    .reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
  assert.ok(item1.gt(0), 'the scarf pays duty of its own');
  assert.deepEqual(
    entries.map((e) => [e.kind, e.amount]),
    [
      ['debit', rev.dueAtBorder],
      ['credit', item1.neg().toFixed(2)],
      ['credit', new Decimal(rev.dueAtBorder).minus(item1).neg().toFixed(2)],
    ],
  );
});

test('the account statement on the command line', async () => {
  // Let the test reporter write what it has queued before stdout is captured.
  await new Promise((r) => setImmediate(r));
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const ewrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    if (onPg) process.env['PARCELGATE_PG_SCHEMA'] = schema;
    await buildProgram().parseAsync([
      'node',
      'parcelgate',
      'operators',
      'statement',
      'opr_aeo',
      '--period',
      '2026-11',
      ...(onPg ? ['--postgres', target.url!] : ['--data-dir', dir]),
    ]);
    await buildProgram().parseAsync([
      'node',
      'parcelgate',
      'operators',
      'guarantee',
      'opr_aeo',
      '--amount',
      '900',
      '--currency',
      'EUR',
      ...(onPg ? ['--postgres', target.url!] : ['--data-dir', dir]),
    ]);
  } finally {
    delete process.env['PARCELGATE_PG_SCHEMA'];
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
  const text = out.join('');
  assert.match(text, /Deferred-payment statement opr_aeo 2026-11, due by 2026-12-16/);
  assert.match(text, /Deferred-payment guarantee opr_aeo: 900\.00 EUR/);
  assert.match(text, /in use \d+\.\d\d EUR/);
  assert.match(text, /EUR: 2 entries, debits \d+\.\d\d, credits 0\.00, to pay \d+\.\d\d/);
});

test(
  'the same on PostgreSQL (a child process runs this file against a throwaway schema)',
  {
    skip: onPg ? 'this is the PostgreSQL run' : target.skip,
  },
  () => {
    const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--test', fileURLToPath(import.meta.url)], {
      encoding: 'utf8',
      env: { ...env, PARCELGATE_BENEFITS_ON_PG: '1' },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /# pass 5/);
  },
);
