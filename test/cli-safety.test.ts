/** The CLI never destroys an operator's data by default: demo databases, output files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
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

test('assess --out refuses the input file itself (by path or through a link) and an existing file unless --force', () => {
  const input = join(tmp, 'assess-in.ndjson');
  const text = run('generate', '--count', '10', '--seed', '9', '--day', '2026-11-27').stdout;
  writeFileSync(input, text);
  const now = ['--now', '2026-11-27T10:00:00Z'];

  const same = run('assess', input, '--out', join(tmp, '.', 'assess-in.ndjson'), ...now);
  assert.equal(same.status, 2, same.stderr);
  assert.match(same.stderr, /--out .* is the input file/);
  assert.equal(readFileSync(input, 'utf8'), text, 'the input is untouched');
  const linked = join(tmp, 'assess-link.ndjson');
  linkSync(input, linked);
  const viaLink = run('assess', input, '--out', linked, ...now, '--force');
  assert.equal(viaLink.status, 2, viaLink.stderr);
  assert.match(viaLink.stderr, /is the input file/);
  assert.equal(readFileSync(input, 'utf8'), text, 'the input is untouched');

  const out = join(tmp, 'assessed.ndjson');
  assert.equal(run('assess', input, '--out', out, ...now).status, 0);
  const first = readFileSync(out, 'utf8');
  writeFileSync(out, 'kept');
  const again = run('assess', input, '--out', out, ...now);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists.*--force/);
  assert.equal(readFileSync(out, 'utf8'), 'kept');
  const forced = run('assess', input, '--out', out, ...now, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(readFileSync(out, 'utf8'), first);
  assert.match(run('assess', '--help').stdout, /--force/);
});

test('every other --out, --labels and key file refuses an existing file the same way', () => {
  const kept = join(tmp, 'kept.txt');
  const fresh = () => writeFileSync(kept, 'kept');
  const csv = join(tmp, 'rows.csv');
  writeFileSync(csv, 'description\nwireless earbuds\n');
  const tariff = join(tmp, 'tariff.csv');
  writeFileSync(tariff, 'code,ad_valorem\n8518,0.02\n');
  const cases: [string, string[]][] = [
    ['classify', ['classify', csv, '--out', kept]],
    [
      'tariff-import',
      ['tariff-import', tariff, '--profile', 'eu', '--schedule-version', 'v1', '--out', kept],
    ],
    ['generate --labels', ['generate', '--count', '3', '--labels', kept]],
    ['signing-keys generate', ['signing-keys', 'generate', '--out', kept]],
  ];
  for (const [name, args] of cases) {
    fresh();
    const r = run(...args);
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /exists/, name);
    assert.equal(readFileSync(kept, 'utf8'), 'kept', name);
  }
  const sameInput = run('classify', csv, '--out', csv, '--force');
  assert.equal(sameInput.status, 2);
  assert.match(sameInput.stderr, /is the input file/);
  fresh();
  assert.equal(run('classify', csv, '--out', kept, '--force').status, 0);
  assert.notEqual(readFileSync(kept, 'utf8'), 'kept');
});

test('days that are not on the calendar, bad times and counts are one-line usage errors (exit 2), the demo database kept', () => {
  const setting = ['--set', 'eu:/regimes/1/flatDuty=null'];
  const cases: [string[], RegExp][] = [
    [
      ['generate', '--count', '5', '--day', '2026-02-30'],
      /--day must be a real day YYYY-MM-DD, got '2026-02-30'/,
    ],
    [['simulate', ...setting, '--generate', '10', '--day', '2026-02-30'], /--day must be a real day/],
    [['simulate', ...setting, '--generate', '10', '--at', 'garbage'], /--at must be a date or date-time/],
    [['kpi', '--from', '2026-11-28', '--to', '2026-11-27'], /--to '2026-11-27' is before --from/],
    [
      ['simulate', ...setting, '--generate', 'abc'],
      /^parcelgate: --generate must be a positive whole number/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  const dir = join(tmp, 'demo-bad-day');
  assert.equal(demo(dir).status, 0);
  const before = readFileSync(join(dir, 'parcelgate.db'));
  const bad = run('demo', '--count', '10', '--no-serve', '--data-dir', dir, '--day', '2026-11-31');
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--day must be a real day/);
  assert.deepEqual(readFileSync(join(dir, 'parcelgate.db')), before, 'the previous demo database is kept');
});

test('commands that read a store refuse a data directory without a database (exit 2) and create nothing', () => {
  const missing = join(tmp, 'no-such-data-dir');
  const reads: string[][] = [
    ['kpi'],
    ['export'],
    ['ioss-report'],
    ['audit', 'verify'],
    ['privacy', 'purge'],
    ['rules', 'list'],
    ['rules', 'report'],
    ['rules', 'learn-prices', '--out', join(tmp, 'prices.json')],
    ['revenue', 'replay', 'csg_x'],
    ['simulate', '--set', 'eu:/regimes/1/flatDuty=null'],
    ['keys', 'list'],
    ['webhooks', 'list'],
    ['signing-keys', 'list'],
    ['three-docs', 'status', 'ORD-1'],
  ];
  for (const args of reads) {
    const r = run(...args, '--data-dir', missing);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /no database at .*no-such-data-dir.*--data-dir/, args.join(' '));
    assert.equal(existsSync(missing), false, `${args.join(' ')} created the directory`);
  }
  // Without --data-dir, $PARCELGATE_DATA_DIR names it in the message.
  const viaEnv = run('kpi');
  assert.equal(viaEnv.status, 2);
  assert.match(viaEnv.stderr, /PARCELGATE_DATA_DIR/);
});

test('an output file in a directory that does not exist, and a --data-dir that is a file, are one-line usage errors', () => {
  const input = join(tmp, 'nodir-in.ndjson');
  writeFileSync(input, run('generate', '--count', '3', '--seed', '2', '--day', '2026-11-27').stdout);
  const nowhere = join(tmp, 'no-such-dir', 'x.ndjson');
  for (const args of [
    ['assess', input, '--out', nowhere],
    ['generate', '--count', '3', '--labels', nowhere],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /no-such-dir.* does not exist/);
    assert.equal(r.stdout, '', 'nothing written before the refusal');
  }
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const ingest = run('ingest', input, '--data-dir', file);
  assert.equal(ingest.status, 2, ingest.stderr);
  assert.equal(ingest.stderr.trim().split('\n').length, 1, ingest.stderr);
  assert.match(ingest.stderr, /--data-dir .*a-file is a file, not a directory/);
});
