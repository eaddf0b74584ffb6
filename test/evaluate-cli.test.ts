/**
 * `parcelgate evaluate FLOOD LABELS`: precision and recall per violation type against the generator's
 * labels, and with `--errors` the false positives and missed violations of the same selection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

test('evaluate refuses bad files with the line and why, instead of a wrong figure or a stack trace', () => {
  const gen = run(
    'generate',
    '--count',
    '120',
    '--seed',
    'cli-eval-bad',
    '--day',
    '2026-11-27',
    '--labels',
    'lb.ndjson',
  );
  assert.equal(gen.status, 0, gen.stderr);
  writeFileSync(join(tmp, 'fb.ndjson'), gen.stdout);
  const flood = gen.stdout.trimEnd().split('\n');
  const labels = readFileSync(join(tmp, 'lb.ndjson'), 'utf8').trimEnd().split('\n');
  const write = (name: string, lines: string[]) => writeFileSync(join(tmp, name), lines.join('\n') + '\n');
  const now = ['--now', '2026-11-27T18:00:00Z'];
  const refused = (args: string[], pattern: RegExp) => {
    const r = run('evaluate', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  };
  assert.equal(run('evaluate', 'fb.ndjson', 'lb.ndjson', ...now).status, 0);
  // Labels of another flood (or shuffled): each label must name its own record.
  write('l-shuffled.ndjson', [...labels].reverse());
  refused(
    ['fb.ndjson', 'l-shuffled.ndjson', ...now],
    /l-shuffled\.ndjson line 1: .*ref .* not the record's externalRef/,
  );
  write('l-more.ndjson', [...labels, '{"ref":"extra","violations":[]}']);
  refused(['fb.ndjson', 'l-more.ndjson', ...now], /l-more\.ndjson has more lines than fb\.ndjson/);
  write('l-shape.ndjson', ['{"parcel":"x"}', ...labels.slice(1)]);
  refused(['fb.ndjson', 'l-shape.ndjson', ...now], /l-shape\.ndjson line 1: .*"ref"/);
  write('f-broken.ndjson', ['{"source": "postal-item", ', ...flood.slice(1)]);
  refused(['f-broken.ndjson', 'lb.ndjson', ...now], /f-broken\.ndjson line 1: /);
  write('f-shape.ndjson', [JSON.stringify({ externalRef: JSON.parse(labels[0]!).ref }), ...flood.slice(1)]);
  refused(
    ['f-shape.ndjson', 'lb.ndjson', ...now],
    /f-shape\.ndjson line 1: .*\/(source|items|category|routing)/,
  );
  refused(['fb.ndjson', 'lb.ndjson', '--now', 'yesterday'], /--now must be an ISO 8601 instant/);
  writeFileSync(
    join(tmp, 'prices.json'),
    JSON.stringify({
      version: 1,
      minSupport: 30,
      prices: { '610910': { medianEur: -1, logSpread: 0.3, support: 40 } },
    }),
  );
  refused(
    ['fb.ndjson', 'lb.ndjson', ...now, '--reference-prices', 'prices.json'],
    /\/prices\/610910\/medianEur/,
  );
});

test('evaluate writes the outcomes its inspections would have found, and calibrates weights from another day’s', () => {
  for (const [seed, labels] of [
    ['cli-cal-history', 'lh.ndjson'],
    ['cli-cal-day', 'ld.ndjson'],
  ] as const) {
    const gen = run('generate', '--count', '1500', '--seed', seed, '--day', '2026-11-27', '--labels', labels);
    assert.equal(gen.status, 0, gen.stderr);
    writeFileSync(join(tmp, `${seed}.ndjson`), gen.stdout);
  }
  const now = ['--now', '2026-11-27T18:00:00Z'];
  const history = run(
    'evaluate',
    'cli-cal-history.ndjson',
    'lh.ndjson',
    ...now,
    '--write-outcomes',
    'o.ndjson',
  );
  assert.equal(history.status, 0, history.stderr);
  const outcomes = readFileSync(join(tmp, 'o.ndjson'), 'utf8').trimEnd().split('\n');
  const inspected = Number(/^Inspected (\d+) /m.exec(history.stdout)?.[1]);
  assert.equal(outcomes.length, inspected);
  const first = JSON.parse(outcomes[0] as string) as { ruleIds: string[]; finding: string; random: boolean };
  assert.ok(Array.isArray(first.ruleIds) && typeof first.finding === 'string');
  // Written once: another run needs --force.
  assert.equal(
    run('evaluate', 'cli-cal-history.ndjson', 'lh.ndjson', '--write-outcomes', 'o.ndjson').status,
    2,
  );

  const day = run('evaluate', 'cli-cal-day.ndjson', 'ld.ndjson', ...now, '--outcomes', 'o.ndjson');
  assert.equal(day.status, 0, day.stderr);
  assert.match(day.stdout, /^Weights calibrated by hit rate \(cal:[0-9a-f]{12}; prior 10 inspections/m);
  assert.match(day.stdout, /^ {2}\S+ +\d+ -> \d+ +\(\d+\/\d+ hits\)$/m);

  writeFileSync(join(tmp, 'bad-o.ndjson'), '{"ruleIds": "R-1", "finding": "counterfeit"}\n');
  const bad = run('evaluate', 'cli-cal-day.ndjson', 'ld.ndjson', '--outcomes', 'bad-o.ndjson');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad-o\.ndjson line 1: an outcome must be/);
});
