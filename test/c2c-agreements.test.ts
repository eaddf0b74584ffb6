/**
 * Data-sharing agreements managed over the API (keys mode): validation with every issue, roles,
 * audit entries, optimistic versions, an administration seeing only its own agreements, and the
 * receiving route using what is stored (removing an agreement refuses export data quoting it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { KeyManager } from '../src/access/api-keys.js';
import { buildApp, openRegistryServices } from '../src/api/index.js';
import { entryHash } from '../src/audit/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import {
  generateSigningKeyPair,
  prepareExportData,
  registerSigningKey,
  type DataSharingAgreement,
} from '../src/exchange/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openSqliteSecurityStore } from '../src/secstore/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { cnDeAgreement } from '../src/exchange/testing/c2c-fixtures.js';
import { scratchDir } from '../src/testing/scratch.js';

const dir = scratchDir('pg-agreements-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const agreement: DataSharingAgreement = cnDeAgreement({
  // The whole consignee rather than its name and address, and the totals.
  fields: [...cnDeAgreement().fields.filter((f) => !f.startsWith('/consignee/')), '/consignee', '/totals'],
  legalBasis: 'Customs mutual assistance agreement, export data annex (example)',
});

test('agreements: CRUD with validation, roles, audit, versions, own scope, and the receiving route uses them', async () => {
  const store = openSqliteStore({ dataDir: dir });
  const security = openSqliteSecurityStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  const clock = () => new Date('2026-11-27T10:00:00Z');
  const keys = new KeyManager(
    security,
    async (action, subject, actor, data) => {
      await security.appendAudit([{ at: clock().toISOString(), actor, action, subject, data }], entryHash);
    },
    clock,
  );
  const key = async (role: 'supervisor' | 'analyst' | 'auditor' | 'submitter', operatorId: string) =>
    `Bearer ${(await keys.create({ role, operatorId, actor: 'admin:test' })).plaintext}`;
  const supervisor = await key('supervisor', 'customs-de');
  const analyst = await key('analyst', 'customs-de');
  const auditor = await key('auditor', 'customs-de');
  const cn = await key('submitter', 'customs-cn');
  const other = await key('submitter', 'customs-xx');
  const registry = await openRegistryServices(
    openSqliteRegistry({ file: path.join(dir, 'parcelgate.db') }),
    store,
    {
      clock,
    },
  );
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock,
    registry,
    exchange,
    c2c: { agreements: [], administration: { operatorId: 'customs-de' } },
    access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0 },
  });
  const call = (
    authorization: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
  try {
    const bad = await call(supervisor, 'POST', '/v1/customs/agreements', {
      ...agreement,
      to: '2025-12-31',
      destinationCountry: 'CN',
      fields: ['/items', '/sellerz', '/items/0'],
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().code, 'c2c.agreement-invalid');
    assert.deepEqual(
      bad.json().issues.map((i: { path: string }) => i.path),
      ['/to', '/destinationCountry', '/fields/1', '/fields/2'],
    );
    const shape = await call(supervisor, 'POST', '/v1/customs/agreements', { id: 'x' });
    assert.equal(shape.statusCode, 422);

    assert.equal((await call(analyst, 'POST', '/v1/customs/agreements', agreement)).statusCode, 403);
    const created = await call(supervisor, 'POST', '/v1/customs/agreements', agreement);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().version, 1);
    assert.equal(created.json().history[0].action, 'created');
    const dup = await call(supervisor, 'POST', '/v1/customs/agreements', agreement);
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'c2c.agreement-exists');

    // An administration sees only the agreements it is a party to.
    assert.deepEqual(
      (await call(cn, 'GET', '/v1/customs/agreements'))
        .json()
        .agreements.map((s: { agreement: { id: string } }) => s.agreement.id),
      ['CN-DE-2026'],
    );
    assert.deepEqual((await call(other, 'GET', '/v1/customs/agreements')).json().agreements, []);
    assert.equal((await call(other, 'GET', '/v1/customs/agreements/CN-DE-2026')).statusCode, 404);
    assert.equal((await call(cn, 'PUT', '/v1/customs/agreements/CN-DE-2026', agreement)).statusCode, 403);

    const stale = await call(
      supervisor,
      'PUT',
      '/v1/customs/agreements/CN-DE-2026?expectVersion=7',
      agreement,
    );
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'c2c.agreement-conflict');
    const narrowed = { ...agreement, fields: agreement.fields.filter((f) => f !== '/totals') };
    const replaced = await call(
      supervisor,
      'PUT',
      '/v1/customs/agreements/CN-DE-2026?expectVersion=1',
      narrowed,
    );
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(replaced.json().version, 2);
    const history = replaced.json().history as { action: string; by: string }[];
    assert.deepEqual(
      history.map((h) => h.action),
      ['created', 'replaced'],
    );
    assert.match(history[1]!.by, /customs-de/);

    // The receiving route reads the stored agreement: the narrowed one refuses the totals.
    const cnKeys = generateSigningKeyPair();
    await registerSigningKey(
      exchange,
      { keyId: 'cn-1', operatorId: 'customs-cn', publicKey: cnKeys.publicKey, purposes: ['export-data'] },
      '2026-01-01T00:00:00Z',
    );
    const env = (a: DataSharingAgreement) =>
      prepareExportData(
        postalItem({ source: 'declaration' }),
        a,
        { exportReference: 'CN-EXP-1', exportedAt: '2026-11-24T09:00:00Z' },
        { keyId: 'cn-1', privateKeyPem: cnKeys.privateKeyPem },
      );
    const refused = await call(cn, 'POST', '/v1/customs/export-data', env(agreement));
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'c2c.field-outside-agreement');
    const received = await call(cn, 'POST', '/v1/customs/export-data', env(narrowed));
    assert.equal(received.statusCode, 200, received.body);
    assert.equal(received.json().findings.use, 'pre-arrival');

    const removed = await call(supervisor, 'DELETE', '/v1/customs/agreements/CN-DE-2026');
    assert.deepEqual(removed.json(), { removed: 'CN-DE-2026', version: 2 });
    const gone = await call(cn, 'POST', '/v1/customs/export-data', env(narrowed));
    assert.equal(gone.statusCode, 403);
    assert.equal(gone.json().code, 'c2c.no-agreement');
    assert.equal((await call(supervisor, 'GET', '/v1/customs/agreements/CN-DE-2026')).statusCode, 404);

    const audit = (await call(auditor, 'GET', '/v1/audit?limit=1000')).json();
    const actions = (audit.entries as { action: string; subject: string }[])
      .filter((e) => e.action.startsWith('c2c.'))
      .map((e) => [e.action, e.subject]);
    assert.deepEqual(actions, [
      ['c2c.agreement-created', 'CN-DE-2026'],
      ['c2c.agreement-replaced', 'CN-DE-2026'],
      ['c2c.agreement-removed', 'CN-DE-2026'],
    ]);
  } finally {
    await app.close();
    await registry.close();
    await exchange.close();
    await security.close();
    await store.close();
  }
});

test('agreements from the CLI: a file imports (new and changed), invalid ones are refused, remove', async () => {
  const { agreementCommands, storedAgreements } = await import('../src/cli/commands-agreements.js');
  const cliDir = scratchDir('pg-agreements-cli-');
  const file = path.join(cliDir, 'agreements.json');
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  try {
    fs.writeFileSync(
      file,
      JSON.stringify([
        agreement,
        { ...agreement, id: 'CN-FR-2026', destination: 'customs-fr', destinationCountry: 'FR' },
      ]),
    );
    await agreementCommands.add(file, { dataDir: cliDir, by: 'cli:test' });
    assert.deepEqual(JSON.parse(out.pop()!), {
      created: ['CN-DE-2026', 'CN-FR-2026'],
      replaced: [],
      unchanged: [],
    });
    fs.writeFileSync(file, JSON.stringify([{ ...agreement, legalBasis: 'amended annex' }]));
    await agreementCommands.add(file, { dataDir: cliDir, by: 'cli:test' });
    assert.deepEqual(JSON.parse(out.pop()!), { created: [], replaced: ['CN-DE-2026'], unchanged: [] });
    fs.writeFileSync(file, JSON.stringify({ ...agreement, id: 'BAD', fields: ['/nope'] }));
    await assert.rejects(
      agreementCommands.add(file, { dataDir: cliDir, by: 'cli:test' }),
      /c2c\.agreement-invalid[\s\S]*\/fields\/0/,
    );
    await agreementCommands.remove('CN-FR-2026', { dataDir: cliDir });
    assert.deepEqual(
      (await storedAgreements({ dataDir: cliDir })).map((a) => [a.id, a.legalBasis]),
      [['CN-DE-2026', 'amended annex']],
    );
  } finally {
    process.stdout.write = write;
    fs.rmSync(cliDir, { recursive: true, force: true });
  }
});
