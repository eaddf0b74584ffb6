/**
 * `parcelgate operators register` checks the country against the ISO 3166-1 list, as the API does,
 * and names the allowed values of an enum field (kind) instead of "Expected union value".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-opcli-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });
const file = (name: string, v: unknown) => {
  const f = join(tmp, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
};

test('operators register refuses an unassigned country (XX) and lists the allowed kinds, registering nothing', () => {
  const dataDir = join(tmp, 'data');
  const xx = run(
    'operators',
    'register',
    file('xx.json', { kind: 'seller', name: 'X', country: 'XX' }),
    '--data-dir',
    dataDir,
  );
  assert.equal(xx.status, 2, xx.stdout + xx.stderr);
  assert.match(xx.stderr, /operator\.invalid/);
  assert.match(xx.stderr, /\/country: "XX" is not an ISO 3166-1 alpha-2 country code/);
  const kind = run(
    'operators',
    'register',
    file('kind.json', { kind: 'sellr', name: 'X', country: 'DE' }),
    '--data-dir',
    dataDir,
  );
  assert.equal(kind.status, 2, kind.stdout + kind.stderr);
  assert.match(
    kind.stderr,
    /\/kind: must be one of "platform", "seller", .*"postal-operator".*; got "sellr"/,
  );
  assert.doesNotMatch(kind.stderr, /Expected union value/);
  assert.equal(run('operators', 'list', '--data-dir', dataDir).stdout, '', 'nothing registered');
  const ok = run(
    'operators',
    'register',
    file('de.json', { kind: 'seller', name: 'X', country: 'DE' }),
    '--data-dir',
    dataDir,
  );
  assert.equal(ok.status, 0, ok.stderr);
});
