import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const samples = join(packageRoot, 'docs', 'formats', 'samples');
const tmp = scratchDir('parcelgate-cli-formats-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

async function consignmentCount(dir: string): Promise<number> {
  const store = openSqliteStore({ dataDir: dir });
  try {
    return (await store.list({ limit: 100 })).items.length;
  } finally {
    await store.close();
  }
}

test('h7 import is all or none and names the document and data element of each issue', async () => {
  const dir = join(tmp, 'refused');
  const [a, b] = JSON.parse(readFileSync(join(samples, 'h7-declarations.json'), 'utf8')) as Record<
    string,
    unknown
  >[];
  const bad = join(tmp, 'bad-h7.json');
  writeFileSync(
    bad,
    JSON.stringify([a, { ...b, additionalFiscalReference: { role: 'FR5', vatId: 'IM12' } }]),
  );
  const r = run('h7', 'import', bad, '--data-dir', dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /nothing was imported/);
  assert.match(r.stderr, /\[1\] DE 13 16: h7\.format/);
  assert.equal(r.stdout, '');
  assert.equal(await consignmentCount(dir), 0, 'the good first declaration was not written either');
  const notJson = join(tmp, 'not.json');
  writeFileSync(notJson, '{"declarationType": ');
  const n = run('h7', 'import', notJson, '--data-dir', dir);
  assert.equal(n.status, 2);
  assert.match(n.stderr, /dataset\.not-json/);
});

test('h7, placi, t86 and postal commands read and write the formats over the store', async () => {
  const dir = join(tmp, 'store');
  const imp = run(
    'h7',
    'import',
    join(samples, 'h7-declarations.json'),
    '--data-dir',
    dir,
    '--submitter',
    'post-de',
  );
  assert.equal(imp.status, 0, imp.stderr);
  const results = imp.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { status: string; consignmentId: string });
  assert.deepEqual(
    results.map((x) => x.status),
    ['created', 'created'],
  );
  const id = results[0]!.consignmentId;

  // H7 out, and back in (check only): the exported declaration is acceptable as it is.
  const h7File = join(tmp, 'exported-h7.json');
  const exp = run('h7', 'export', id, '--data-dir', dir, '--out', h7File);
  assert.equal(exp.status, 0, exp.stderr);
  const exported = JSON.parse(readFileSync(h7File, 'utf8')) as { transportDocument: { id: string } };
  assert.equal(exported.transportDocument.id, 'RR123456785CN');
  const check = run('h7', 'import', h7File, '--check');
  assert.equal(check.status, 0, check.stderr);
  assert.deepEqual(JSON.parse(check.stdout), { ok: true, declarations: 1 });

  // PLACI out; the sample reads back to its canonical fields; a bad filing names the element.
  const placi = run('placi', 'export', id, '--data-dir', dir);
  assert.equal(placi.status, 0, placi.stderr);
  assert.equal(JSON.parse(placi.stdout).goodsItems[0].hs6, '610910');
  const read = run('placi', 'import', join(samples, 'placi-house.json'));
  assert.equal(read.status, 0, read.stderr);
  assert.equal(JSON.parse(read.stdout).masterReference, '16012345675');
  const badPlaci = join(tmp, 'bad-placi.json');
  writeFileSync(badPlaci, JSON.stringify({ ...JSON.parse(placi.stdout), routingCountries: ['CN'] }));
  const refused = run('placi', 'import', badPlaci);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /\/PLACI\/CountriesOfRouting: placi\.routing/);

  // Type 86: an EU consignment is not a US entry; the issue names the element.
  const t86 = run(
    't86',
    'export',
    id,
    '--data-dir',
    dir,
    '--on',
    '2025-08-28',
    '--entry-number',
    'ABC-1234567-8',
  );
  assert.equal(t86.status, 1);
  assert.equal(JSON.parse(t86.stdout).entryNumber, 'ABC-1234567-8');
  assert.match(t86.stderr, /\/T86\/DestinationCountry: t86\.not-eligible/);

  // Postal CUSRSP and EMSEVT.
  const rsp = run(
    'postal',
    'response',
    id,
    results[1]!.consignmentId,
    '--data-dir',
    dir,
    '--sender',
    'DE-CUSTOMS',
  );
  assert.equal(rsp.status, 0, rsp.stderr);
  assert.match(rsp.stdout, /<CUSRSP version="parcelgate-1">/);
  assert.match(rsp.stdout, /<Sender>DE-CUSTOMS<\/Sender>/);
  assert.equal(rsp.stdout.match(/<Response>/g)?.length, 2);
  assert.match(rsp.stdout, /<ItemId>RR123456785CN<\/ItemId>/);
  const evt = run('postal', 'events', id, '--data-dir', dir, '--office', 'DEFRAA');
  assert.equal(evt.status, 0, evt.stderr);
  assert.match(evt.stdout, /<EMSEVT version="parcelgate-1">/);
  assert.match(evt.stdout, /<ItemId>RR123456785CN<\/ItemId>\s*<EventCode>E[A-Z]{2}<\/EventCode>/);
  const missing = run('postal', 'events', 'csg_nope', '--data-dir', dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no consignment csg_nope/);
});

test('t86 import: the sample round-trips through the store; a bad entry writes nothing', async () => {
  const dir = join(tmp, 't86');
  const entryFile = join(samples, 't86-entry.json');
  const entry = JSON.parse(readFileSync(entryFile, 'utf8')) as Record<string, unknown>;
  const bad = join(tmp, 'bad-t86.json');
  writeFileSync(bad, JSON.stringify([entry, { ...entry, portOfEntry: 'LAX' }]));
  const refused = run('t86', 'import', bad, '--data-dir', dir);
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(refused.stderr, /nothing was imported/);
  assert.match(refused.stderr, /\[1\] \/T86\/PortOfEntry: t86\.format/);
  assert.equal(await consignmentCount(dir), 0);
  const checked = run('t86', 'import', entryFile, '--check');
  assert.equal(checked.status, 0, checked.stderr);
  assert.deepEqual(JSON.parse(checked.stdout), { ok: true, entries: 1 });

  const imp = run('t86', 'import', entryFile, '--data-dir', dir, '--submitter', 'broker-us');
  assert.equal(imp.status, 0, imp.stderr);
  const { consignmentId, status } = JSON.parse(imp.stdout) as { consignmentId: string; status: string };
  assert.equal(status, 'created');
  const exp = run('t86', 'export', consignmentId, '--data-dir', dir, '--on', '2025-08-28');
  assert.equal(exp.status, 0, exp.stderr);
  assert.deepEqual(JSON.parse(exp.stdout), entry, 'export -> import -> export');
});
