/**
 * How the CLI reports a usage or input error (exit code 2, on stderr), as the README describes it:
 * Commander's `error: …` line and the command's usage for a mistyped command line, one line
 * `parcelgate: …` for a command's own check, and that line then one indented line per issue for an
 * input refused whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const tmp = scratchDir('parcelgate-cli-usage-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(packageRoot, 'bin', 'parcelgate.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });
const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');

test('an unknown option or a missing argument: the error line, then the usage of the command', () => {
  for (const args of [
    ['ingest', 'a.ndjson', '--bogus'],
    ['operators', 'register'],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2);
    const [first, ...rest] = lines(r.stderr);
    assert.match(first!, /^error: (unknown option '--bogus'|missing required argument 'file')$/);
    assert.ok(
      rest.some((l) => l.startsWith(`Usage: parcelgate ${args[0]}`)),
      r.stderr,
    );
  }
  assert.ok(
    readme.includes("Commander's `error: …` line followed by the command's usage"),
    'the README says so',
  );
});

test("a command's own check: one line", () => {
  const r = run('generate', '--count', 'lots');
  assert.equal(r.status, 2);
  assert.deepEqual(lines(r.stderr), ["parcelgate: --count must be a positive whole number, got 'lots'"]);
  assert.ok(readme.includes("a command's own check as one line `parcelgate: …`"), 'the README says so');
});

test('an input refused whole: the error line, then each issue on an indented line of its own', () => {
  const file = join(tmp, 'op.json');
  writeFileSync(file, JSON.stringify({ kind: 'nope', name: '', country: 'NL' }));
  const r = run('operators', 'register', file, '--data-dir', join(tmp, 'data'));
  assert.equal(r.status, 2);
  const [first, ...issues] = lines(r.stderr);
  assert.match(first!, /^parcelgate: /);
  assert.ok(issues.length >= 2, r.stderr);
  for (const l of issues) assert.match(l, /^ {2}\/\w+: /);
  assert.ok(
    readme.includes('as that line, then each issue (`path: message`) on an indented line of its own'),
    'the README says so',
  );
  assert.ok(!readme.includes('printed as one line on stderr'));
});
