import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { packageRoot } from '../src/reference/index.js';
import { sqliteFileName } from '../src/store/index.js';
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
  const rules = (shipped as { rules: unknown[] }).rules.length;
  const before = run('rules', 'list').stdout;
  assert.match(before, /^ {2}eu-default@100/m);
  // The rule count of each version and the key in force (docs/rules-language.md, GET /v1/rule-sets).
  assert.match(before, new RegExp(`^ {2}eu-default@100 {2}${rules} rules {2}loaded `, 'm'));
  assert.match(before, /^in force: eu-default@\d+ \(shipped\)$/m);
  assert.doesNotMatch(before, /^in force: eu-default@100$/m);
  const act = run('rules', 'activate', 'eu-default', '100');
  assert.equal(act.status, 0, act.stderr);
  const after = run('rules', 'list').stdout;
  assert.match(after, /^\* eu-default@100 .*activated/m);
  assert.match(after, /^in force: eu-default@100$/m);
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
  // The count first, then each problem indented under it.
  assert.match(
    r.stderr,
    /^parcelgate: the rule set has 1 problem\(s\)\n {2}rules\.unknown-field at \/rules\/0\/when: rule X, at character 0: /,
  );
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

const cliIn =
  (dataDir: string | undefined) =>
  (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args, ...(dataDir === undefined ? [] : ['--data-dir', dataDir])], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      cwd: tmp,
    });

/** The shipped rule set with one more rule, `id`, that fires on every EU parcel (all are over 0 EUR). */
function withMarkerRule(
  id: string,
  changes: { id?: string; version: number },
  when = 'intrinsicValueEur >= 0',
) {
  const shipped = JSON.parse(readFileSync(join(packageRoot, 'rules', 'eu-default.json'), 'utf8')) as {
    rules: unknown[];
  };
  const marker = {
    id,
    version: 1,
    title: `${id} (test)`,
    author: 'test',
    effectiveFrom: '2000-01-01',
    when,
    weight: 1,
    reason: 'marker rule',
  };
  return JSON.stringify({ ...shipped, ...changes, rules: [...shipped.rules, marker] });
}

test('ingest assesses with the rule set activated in its data directory, as serve does', () => {
  const dataDir = join(tmp, 'ingest-active');
  const cli = cliIn(dataDir);
  const file = join(tmp, 'eu-ingest.json');
  writeFileSync(file, withMarkerRule('R-INGEST-ACTIVE', { version: 200 }));
  const load = cli('rules', 'load', file, '--activate');
  assert.equal(load.status, 0, load.stderr);
  const flood = cliIn(undefined)('generate', '--count', '30', '--seed', 'active');
  assert.equal(flood.status, 0, flood.stderr);
  const input = join(tmp, 'active.ndjson');
  writeFileSync(input, flood.stdout);
  const ingest = cli('ingest', input);
  assert.equal(ingest.status, 0, ingest.stderr);
  const summary = JSON.parse(ingest.stdout.trim().split('\n').at(-1)!) as { ruleSet?: string };
  assert.equal(summary.ruleSet, 'eu-default@200');
  const db = new Database(join(dataDir, sqliteFileName), { readonly: true });
  try {
    const docs = db.prepare('SELECT doc FROM consignments').pluck().all() as string[];
    assert.ok(docs.length > 0);
    // Every EU parcel is over 0 EUR: the rule of the active version fires on them.
    assert.ok(
      docs.some((d) => d.includes('R-INGEST-ACTIVE')),
      'the active rule set scored the parcels',
    );
  } finally {
    db.close();
  }
});

test('assess and evaluate measure a draft rule-set file with --rules; a broken one is a usage error', () => {
  const offline = cliIn(undefined);
  const draft = join(tmp, 'draft.json');
  writeFileSync(draft, withMarkerRule('R-DRAFT-ALL', { id: 'eu-draft', version: 1 }));
  const labels = join(tmp, 'draft-labels.ndjson');
  const flood = offline('generate', '--count', '40', '--seed', 'draft', '--labels', labels);
  assert.equal(flood.status, 0, flood.stderr);
  const input = join(tmp, 'draft.ndjson');
  writeFileSync(input, flood.stdout);
  const shippedRun = offline('assess', input);
  assert.equal(shippedRun.status, 0, shippedRun.stderr);
  assert.ok(!shippedRun.stdout.includes('R-DRAFT-ALL'));
  const draftRun = offline('assess', input, '--rules', draft);
  assert.equal(draftRun.status, 0, draftRun.stderr);
  assert.ok(draftRun.stdout.includes('R-DRAFT-ALL'), 'the draft rule scored the parcels');
  const evaluated = offline('evaluate', input, labels, '--rules', draft);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const broken = join(tmp, 'broken.json');
  writeFileSync(broken, withMarkerRule('R-BROKEN', { version: 1 }, 'nope > 1'));
  for (const args of [
    ['assess', input],
    ['evaluate', input, labels],
  ]) {
    const r = offline(...args, '--rules', broken);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /broken\.json: the rule set has 1 problem\(s\)\n {2}\S+ at \/rules\/\d+\/when: /);
  }
});
