import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-rules-cli-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args, '--data-dir', join(tmp, 'data')], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

test('rules load stores a version, list shows it, activate makes it the active one', () => {
  const shipped = JSON.parse(readFileSync(join(packageRoot, 'rules', 'eu-default.json'), 'utf8'));
  const file = join(tmp, 'eu-next.json');
  writeFileSync(file, JSON.stringify({ ...shipped, version: 100 }));
  const load = run('rules', 'load', file);
  assert.equal(load.status, 0, load.stderr);
  assert.match(load.stdout, /^created: {3}eu-default@100/);
  assert.match(run('rules', 'list').stdout, /^ {2}eu-default@100/m);
  const act = run('rules', 'activate', 'eu-default', '100');
  assert.equal(act.status, 0, act.stderr);
  assert.match(run('rules', 'list').stdout, /^\* eu-default@100 .*activated/m);
});

test('rules load prints every problem of an invalid file with its path and exits 1', () => {
  const file = join(tmp, 'bad.json');
  writeFileSync(
    file,
    JSON.stringify({
      id: 'bad',
      version: 1,
      thresholds: { red: 70, yellow: 40, blue: 20 },
      rules: [
        {
          id: 'X',
          version: 1,
          title: 't',
          author: 'a',
          effectiveFrom: '2021-07-01',
          when: 'nope > 1',
          weight: 5,
          reason: 'r',
        },
      ],
    }),
  );
  const r = run('rules', 'load', file);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /rules\.unknown-field at \/rules\/0\/when/);
});

test('rules test runs the shipped scenario file, and a draft rule set with --rules', () => {
  const scenarios = join(packageRoot, 'rules', 'eu-default.scenarios.json');
  const shipped = spawnSync(process.execPath, [bin, 'rules', 'test', scenarios], { encoding: 'utf8' });
  assert.equal(shipped.status, 0, shipped.stdout + shipped.stderr);
  assert.match(shipped.stdout, /indicator threshold-hugging: .* goes red/);
  assert.match(shipped.stdout, / 0 failed$/m);
  // A draft without the vague-description weight: its scenarios fail, exit 1.
  const doc = JSON.parse(readFileSync(join(packageRoot, 'rules', 'eu-default.json'), 'utf8'));
  delete doc.indicators['vague-description'];
  const draft = join(tmp, 'draft.json');
  writeFileSync(draft, JSON.stringify(doc));
  const r = spawnSync(process.execPath, [bin, 'rules', 'test', scenarios, '--rules', draft], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL indicator vague-description: .*expected vague-description to fire/);
});

test('rules report lists the rules and weighed indicators of the rule set in force and flags those that never hit', () => {
  const r = run('rules', 'report');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^R-WATCHLIST-CONSIGNEE +0 +0 .*never hit$/m);
  assert.match(r.stdout, /^threshold-hugging +0 +0 .*never hit$/m);
});
