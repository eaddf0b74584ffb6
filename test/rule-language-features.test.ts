/**
 * Scenario tests per feature of the rule language: docs/samples/rules/language-features.json holds one
 * rule per feature (fields, lists, HS prefixes, keywords, patterns, quantifiers, aggregates, arithmetic,
 * dates and now, indicators, watchlists, engine values, effective dates, direct lane and security), and
 * its scenario file makes each fire and, where it matters, not fire. The CLI runs the same file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { loadRuleSet, runScenarioFile } from '../src/risk/index.js';

const dir = join(packageRoot, 'docs', 'samples', 'rules');
const doc = JSON.parse(readFileSync(join(dir, 'language-features.json'), 'utf8')) as {
  rules: { id: string; when: string; effectiveTo?: string; effectiveFrom: string }[];
};
const file = JSON.parse(readFileSync(join(dir, 'language-features.scenarios.json'), 'utf8')) as {
  scenarios: { name: string; expect: { fires?: string[] } }[];
};
const compiled = loadRuleSet(doc);

// Every operator, quantifier, aggregate, function and engine value of docs/rules-language.md §2.
const FEATURES = [
  ' == ',
  ' != ',
  ' < ',
  ' <= ',
  ' > ',
  ' >= ',
  ' in ',
  'startsWith',
  ' contains ',
  'matches',
  'containsAny',
  'hsIn',
  ' and ',
  'not ',
  ' * ',
  ' / ',
  ' - ',
  'items.any(',
  'items.all(',
  'items.none(',
  'items.count(',
  'count(items)',
  'sum(items.',
  'min(items.',
  'max(items.',
  'distinct(items.',
  'exists(',
  'length(',
  'words(',
  'intrinsicValueEur',
  'sourceCount',
  'mismatchCount',
  'hasMismatch(',
  'indicator(',
  'listed(',
  'now',
];

test('every feature of the rule language is used by a rule of the sample set', () => {
  assert.ok(compiled.ok, JSON.stringify(compiled.ok ? [] : compiled.error));
  const text = doc.rules.map((r) => r.when).join('\n');
  const unused = FEATURES.filter((f) => !text.includes(f));
  assert.deepEqual(unused, []);
  assert.ok(doc.rules.some((r) => r.effectiveTo !== undefined));
  assert.ok(doc.rules.some((r) => r.effectiveFrom > '2030'));
});

test('each feature rule fires in a scenario, and every scenario passes', () => {
  assert.ok(compiled.ok);
  const results = runScenarioFile(compiled.value, file);
  assert.deepEqual(
    results.filter((r) => !r.passed).map((r) => [r.name, r.problems]),
    [],
  );
  const fired = new Set(results.flatMap((r) => r.fired));
  const never = doc.rules.map((r) => r.id).filter((id) => !fired.has(id) && id !== 'F-EFFECTIVE-LATER');
  assert.deepEqual(never, []);
  assert.ok(!fired.has('F-EFFECTIVE-LATER'));
  // The expectations bite: expecting the base parcel to fire a rule fails.
  const wrong = { ...file, scenarios: [{ ...file.scenarios[0], expect: { fires: ['F-FIELD-EQ'] } }] };
  const [r] = runScenarioFile(compiled.value, wrong);
  assert.deepEqual([r?.passed, r?.problems], [false, ['expected F-FIELD-EQ to fire']]);
});

test('parcelgate rules test runs the feature scenarios against the sample rule set', () => {
  const run = spawnSync(
    process.execPath,
    [
      join(packageRoot, 'bin', 'parcelgate.js'),
      'rules',
      'test',
      join(dir, 'language-features.scenarios.json'),
      '--rules',
      join(dir, 'language-features.json'),
    ],
    { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`^${file.scenarios.length} passed, 0 failed$`, 'm'));
});
