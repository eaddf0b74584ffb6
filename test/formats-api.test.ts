import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KeyManager } from '../src/access/api-keys.js';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteSecurityStore } from '../src/secstore/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openExchangeApp } from './helpers/exchange-app.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const samples = join(packageRoot, 'docs', 'formats', 'samples');
const sample = (name: string): object => JSON.parse(readFileSync(join(samples, name), 'utf8'));

const setup = () => openExchangeApp({ prefix: 'pg-formats-', snapshot, now: '2026-11-29T10:00:00Z' });

test('H7 import by API is all or none; EMSEVT per consignment and after a feed cursor', async () => {
  const t = await setup();
  try {
    const as = { 'x-submitter-id': 'post-de' };
    const [a, b] = sample('h7-declarations.json') as Record<string, unknown>[];
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/datasets/h7',
      headers: as,
      payload: [a, { ...b, goodsItems: [{ ...(b!.goodsItems as object[])[0], commodityCode: 610910 }] }],
    });
    assert.equal(refused.statusCode, 422);
    const issues = (refused.json() as { issues: { path: string; message: string }[] }).issues;
    assert.deepEqual(
      issues.map((i) => i.path),
      ['[1] DE 18 09[1]'],
    );
    assert.match(issues[0]!.message, /goodsItems\/0\/commodityCode/);
    assert.equal((await t.store.list({ limit: 10 })).items.length, 0, 'nothing written');

    const ok = await t.app.inject({ method: 'POST', url: '/v1/datasets/h7', headers: as, payload: [a, b] });
    assert.equal(ok.statusCode, 200, ok.body);
    const results = (ok.json() as { results: { status: string; consignmentId: string }[] }).results;
    assert.deepEqual(
      results.map((r) => r.status),
      ['created', 'created'],
    );
    const one = await t.app.inject({
      url: `/v1/consignments/${results[0]!.consignmentId}/events.xml`,
      headers: as,
    });
    assert.equal(one.statusCode, 200);
    assert.match(one.headers['content-type'] as string, /application\/xml/);
    assert.match(one.body, /<EMSEVT version="parcelgate-1">/);
    assert.match(one.body, /<ItemId>RR123456785CN<\/ItemId>\s*<EventCode>EDC<\/EventCode>/);

    const feed = await t.app.inject({ url: '/v1/postal/events.xml?after=0', headers: as });
    assert.equal(feed.statusCode, 200);
    assert.equal(feed.body.match(/<Event>/g)?.length, 2, feed.body);
    assert.match(feed.body, /RR123456799CN/);
    const next = Number(feed.headers['parcelgate-next-after']);
    assert.ok(next > 0);
    const after = await t.app.inject({ url: `/v1/postal/events.xml?after=${next}`, headers: as });
    assert.equal(after.body.match(/<Event>/g), null);
    assert.equal(after.headers['parcelgate-next-after'], String(next));
    const other = await t.app.inject({
      url: '/v1/postal/events.xml?after=0',
      headers: { 'x-submitter-id': 'other' },
    });
    assert.equal(other.body.match(/<Event>/g), null, 'another operator sees none of these events');
  } finally {
    await t.close();
  }
});

test('PLACI filings are read into canonical fields; a bad one is refused naming the element', async () => {
  const t = await setup();
  try {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/datasets/placi',
      payload: sample('placi-house.json'),
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const [record] = (ok.json() as { records: { transportDocument: { id: string }; items: unknown[] }[] })
      .records;
    assert.equal(record!.transportDocument.id, 'RR123456785CN');
    assert.deepEqual(record!.items, [
      { description: "Men's cotton T-shirt, short sleeves, knitted", hsCode: '610910' },
    ]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/datasets/placi',
      payload: { ...sample('placi-house.json'), consignee: undefined, grossMassKg: '0' },
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(
      (bad.json() as { issues: { path: string }[] }).issues.map((i) => i.path),
      ['/PLACI/Consignee', '/PLACI/GrossMass'],
    );
  } finally {
    await t.close();
  }
});

test('Type 86 import by API: the sample round-trips, a bad entry writes nothing', async () => {
  const t = await setup();
  try {
    const as = { 'x-submitter-id': 'broker-us' };
    const entry = sample('t86-entry.json') as Record<string, unknown> & { lines: Record<string, unknown>[] };
    const bad = { ...entry, billOfLading: undefined, lines: [{ ...entry.lines[0], htsNumber: '61091000' }] };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/datasets/t86',
      headers: as,
      payload: [entry, bad],
    });
    assert.equal(refused.statusCode, 422, refused.body);
    const issues = (refused.json() as { issues: { path: string; code: string; message: string }[] }).issues;
    assert.deepEqual(
      issues.map((i) => `${i.path} ${i.code}`),
      ['[1] /T86/BillOfLading t86.required', '[1] /T86/Line[0]/HTSNumber t86.format'],
    );
    assert.match(issues[1]!.message, /10 digits/);
    assert.equal((await t.store.list({ limit: 10 })).items.length, 0, 'the good first entry was not written');

    const ok = await t.app.inject({ method: 'POST', url: '/v1/datasets/t86', headers: as, payload: entry });
    assert.equal(ok.statusCode, 200, ok.body);
    const [result] = (ok.json() as { results: { status: string; consignmentId: string }[] }).results;
    assert.equal(result!.status, 'created');
    const back = await t.app.inject({
      url: `/v1/consignments/${result!.consignmentId}/datasets/t86`,
      headers: as,
    });
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual((back.json() as { dataset: unknown }).dataset, entry, 'export -> import -> export');
  } finally {
    await t.close();
  }
});

test('Type 86 import is for submitters: staff roles are refused and nothing is written', async () => {
  const dir = scratchDir('pg-formats-keys-');
  const store = openSqliteStore({ dataDir: dir });
  const security = openSqliteSecurityStore({ dataDir: dir });
  const clock = () => new Date('2026-11-29T10:00:00Z');
  const keys = new KeyManager(security, async () => {}, clock);
  const key = async (role: 'supervisor' | 'analyst' | 'auditor' | 'submitter') =>
    `Bearer ${(await keys.create({ role, operatorId: 'broker-us', actor: 'admin:test' })).plaintext}`;
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock,
    access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0 },
  });
  try {
    const entry = sample('t86-entry.json');
    for (const role of ['analyst', 'auditor', 'supervisor'] as const) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/datasets/t86',
        headers: { authorization: await key(role) },
        payload: entry,
      });
      assert.equal(r.statusCode, 403, `${role}: ${r.body}`);
    }
    assert.equal((await store.list({ limit: 10 })).items.length, 0);
    const r = await app.inject({
      method: 'POST',
      url: '/v1/datasets/t86',
      headers: { authorization: await key('submitter') },
      payload: entry,
    });
    assert.equal(r.statusCode, 200, r.body);
  } finally {
    await app.close();
    await security.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
