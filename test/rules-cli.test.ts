import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = mkdtempSync(join(tmpdir(), 'parcelgate-rules-cli-'));
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
