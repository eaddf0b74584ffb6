/**
 * `parcelgate evaluate FLOOD LABELS`: precision and recall per violation type against the generator's
 * labels, and with `--errors` the false positives and missed violations of the same selection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-evaluate-cli-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

test('evaluate prints recall per type, and with --errors lists what the selection got wrong', () => {
  const gen = run(
    'generate',
    '--count',
    '1500',
    '--seed',
    'cli-eval',
    '--day',
    '2026-11-27',
    '--labels',
    'l.ndjson',
  );
  assert.equal(gen.status, 0, gen.stderr);
  writeFileSync(join(tmp, 'f.ndjson'), gen.stdout);
  const ev = run('evaluate', 'f.ndjson', 'l.ndjson', '--now', '2026-11-27T18:00:00Z', '--errors', '2');
  assert.equal(ev.status, 0, ev.stderr);
  const out = ev.stdout;
  assert.match(out, /^Detection at a 5\.0% inspection rate: 1500 parcels, (\d+) violating$/m);
  const targeted = Number(/Inspected \d+ \((\d+) targeted/.exec(out)?.[1]);
  assert.equal(targeted, 75);
  const [, violating, caught] = /^overall\s+(\d+)\s+(\d+)/m.exec(out)?.map(Number) ?? [];
  const fp = Number(/^False positives: (\d+) clean parcels among the targeted$/m.exec(out)?.[1]);
  const missed = Number(/^Missed violations: (\d+) violating parcels not inspected/m.exec(out)?.[1]);
  // The listing is the report's own selection: every violating parcel is caught or missed.
  assert.equal(missed, (violating ?? NaN) - (caught ?? NaN));
  const hitRate = Number(/Hit rate: targeted ([\d.]+)%/.exec(out)?.[1]);
  assert.ok(Math.abs((100 * (targeted - fp)) / targeted - hitRate) < 0.1, `${fp} vs ${hitRate}%`);
  // Each missed type with its score bands; examples carry their hits.
  assert.match(out, /^ {2}undervaluation: \d+ \(/m);
  assert.match(out, /^ {4}SIM-\S+ {2}score \d+ {2}\S+ {2}/m);

  const bad = run('evaluate', 'f.ndjson', 'l.ndjson', '--errors', 'many');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--errors must be a whole number/);
  assert.equal(run('evaluate', 'f.ndjson', 'l.ndjson', '--rate', '2').status, 2);
});
