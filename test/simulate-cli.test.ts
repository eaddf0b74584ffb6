import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-simulate-cli-');
const childTmp = join(tmp, 'tmp');
mkdirSync(childTmp);
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', TMPDIR: childTmp },
    cwd: tmp,
  });

interface Row {
  consignments: number;
  baselineRevenue: string;
}
const consignments = (stdout: string) =>
  (JSON.parse(stdout) as { rows: Row[] }).rows.reduce((n, r) => n + r.consignments, 0);

// A parcel often arrives as two records (the post's item and the platform's order): simulate counts
// and assesses it once, as the stored traffic does, not once per record.
test('simulate --input links the records of one parcel: one consignment per parcel, not per record', () => {
  const generated = run('generate', '--count', '30', '--seed', '4', '--day', '2026-11-20');
  assert.equal(generated.status, 0, generated.stderr);
  const records = generated.stdout.trim().split('\n');
  const parcels = new Set(records.map((l) => (JSON.parse(l) as { externalRef: string }).externalRef));
  assert.equal(parcels.size, 30);
  assert.ok(records.length > 30, 'some parcels come with a platform order record');
  const file = join(tmp, 'day.ndjson');
  writeFileSync(file, generated.stdout);
  const r = run('simulate', '--input', file, '--set', 'eu:/regimes/1/flatDuty=null', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(consignments(r.stdout), 30);
  assert.deepEqual(readdirSync(childTmp), [], 'the scratch store is removed');
});

test('simulate --generate N reports N consignments', () => {
  const r = run(
    'simulate',
    '--generate',
    '40',
    '--day',
    '2026-06-30',
    '--set',
    'eu:/regimes/0/dutyThresholds/0/amount="100"',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(consignments(r.stdout), 40);
});
