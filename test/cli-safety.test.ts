/** The CLI never destroys an operator's data by default: demo databases, output files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-cli-safety-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', PARCELGATE_DATA_DIR: join(tmp, 'default') },
    cwd: tmp,
  });
const demo = (dir: string, ...more: string[]) =>
  run('demo', '--count', '150', '--no-serve', '--day', '2026-11-27', '--data-dir', dir, ...more);

test('demo replaces its own database on every run, but refuses (exit 2) a database it did not create', () => {
  const own = join(tmp, 'demo');
  for (let i = 0; i < 2; i++) {
    const r = demo(own);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Lanes:/);
  }

  // A data directory `serve` or `ingest` uses: the demo must not touch it.
  const served = join(tmp, 'served');
  const flood = join(tmp, 'flood.ndjson');
  writeFileSync(flood, run('generate', '--count', '20', '--seed', '4', '--day', '2026-11-27').stdout);
  assert.equal(run('ingest', flood, '--data-dir', served).status, 0);
  const before = readFileSync(join(served, 'parcelgate.db'));
  const refused = demo(served);
  assert.equal(refused.status, 2, refused.stderr);
  assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  assert.match(refused.stderr, /not created by the demo.*--replace/);
  assert.deepEqual(readFileSync(join(served, 'parcelgate.db')), before, 'the database is untouched');
  assert.equal(JSON.parse(run('ingest', flood, '--data-dir', served).stdout).unchanged > 0, true);

  // A file that is not a database at all is not the demo's either.
  const other = join(tmp, 'other');
  assert.equal(demo(other).status, 0);
  writeFileSync(join(other, 'parcelgate.db'), 'not a database');
  assert.equal(demo(other).status, 2);

  // --replace says so explicitly; from then on the database is the demo's.
  const replaced = demo(served, '--replace');
  assert.equal(replaced.status, 0, replaced.stderr);
  assert.equal(demo(served).status, 0);
});
