import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRuleSet, type RuleIssue } from './compile-rules.js';
import { ruleErrorCodes } from './error-codes.js';
import { rule, ruleSetDoc } from './test-fixtures.js';

function issues(doc: unknown): RuleIssue[] {
  const r = loadRuleSet(doc);
  assert.equal(r.ok, false, 'expected the rule set to be rejected');
  return r.ok ? [] : r.error;
}

function only(doc: unknown): RuleIssue {
  const list = issues(doc);
  assert.equal(list.length, 1, JSON.stringify(list));
  return list[0] as RuleIssue;
}

test('a valid rule set compiles with its version key and rule count', () => {
  const r = loadRuleSet(ruleSetDoc([rule({ id: 'A', when: 'category == "gift"' })]));
  assert.ok(r.ok);
  assert.equal(r.value.key, 'test@3');
  assert.equal(r.value.rules.length, 1);
});

test('a document of the wrong shape is rejected with rules.invalid and the JSON path', () => {
  const list = issues({
    id: 'x',
    version: 1,
    thresholds: { red: 70, yellow: 40, blue: 20 },
    rules: [{ id: 'A' }],
  });
  assert.ok(list.every((i) => i.code === 'rules.invalid'));
  assert.ok(
    list.some((i) => i.path === '/rules/0/when'),
    JSON.stringify(list),
  );
  assert.equal(issues(null)[0]?.code, 'rules.invalid');
});

test('a syntax error names the rule, the when path and the position', () => {
  const i = only(
    ruleSetDoc([rule({ id: 'A', when: 'category == "x"' }), rule({ id: 'B', when: 'category == ' })]),
  );
  assert.equal(i.code, 'rules.syntax');
  assert.equal(i.path, '/rules/1/when');
  assert.equal(i.ruleId, 'B');
  assert.equal(typeof i.position, 'number');
  assert.match(i.message, /rule B, at character \d+/);
});

test('an unknown field and an unknown function are reported at their rule paths', () => {
  const list = issues(
    ruleSetDoc([
      rule({ id: 'A', when: 'routing.destination == "DE"' }),
      rule({ id: 'B', when: 'median(items.quantity) > 1' }),
    ]),
  );
  assert.deepEqual(
    list.map((i) => [i.code, i.path, i.position]),
    [
      ['rules.unknown-field', '/rules/0/when', 0],
      ['rules.unknown-function', '/rules/1/when', 0],
    ],
  );
});

test('duplicate rule ids are rejected at the second occurrence', () => {
  const i = only(ruleSetDoc([rule({ id: 'A', when: 'true' }), rule({ id: 'A', when: 'true' })]));
  assert.equal(i.code, 'rules.duplicate-id');
  assert.equal(i.path, '/rules/1/id');
});

test('a rule without weight, lane or security is rejected', () => {
  const spec = rule({ id: 'A', when: 'true' });
  delete spec.weight;
  const i = only(ruleSetDoc([spec]));
  assert.equal(i.code, 'rules.missing-outcome');
  assert.equal(i.path, '/rules/0');
});

test('bad effective dates and inverted windows are rejected', () => {
  assert.equal(
    only(ruleSetDoc([rule({ id: 'A', when: 'true', effectiveFrom: '2021-02-30' })])).path,
    '/rules/0/effectiveFrom',
  );
  const i = only(
    ruleSetDoc([rule({ id: 'A', when: 'true', effectiveFrom: '2022-01-01', effectiveTo: '2021-01-01' })]),
  );
  assert.equal(i.code, 'rules.bad-date');
  assert.equal(i.path, '/rules/0/effectiveTo');
});

test('a when that is not a condition is a type error', () => {
  const i = only(ruleSetDoc([rule({ id: 'A', when: 'count(items)' })]));
  assert.equal(i.code, 'rules.type');
  assert.equal(i.path, '/rules/0/when');
});

test('placeholders in reasons are compiled and checked', () => {
  const i = only(
    ruleSetDoc([rule({ id: 'A', when: 'true', reason: 'value {intrinsicValueEur} by {consignee.nam}' })]),
  );
  assert.equal(i.code, 'rules.unknown-field');
  assert.equal(i.path, '/rules/0/reason');
  assert.equal(i.position, 30);
});

test('thresholds out of order and unknown indicator settings are rejected', () => {
  const t = only(ruleSetDoc([], { thresholds: { red: 30, yellow: 40, blue: 20 } }));
  assert.equal(t.code, 'rules.thresholds');
  assert.equal(t.path, '/thresholds');
  const u = only(ruleSetDoc([], { indicators: { 'price-magic': { threshold: 0.5, weight: 10 } } }));
  assert.equal(u.code, 'rules.unknown-indicator');
  assert.equal(u.path, '/indicators/price-magic');
});

test('all issues of a file are returned at once', () => {
  const list = issues(
    ruleSetDoc([
      rule({ id: 'A', when: 'nope == 1' }),
      rule({ id: 'A', when: 'x(' }),
      rule({ id: 'C', when: 'listed("x")' }),
    ]),
  );
  assert.deepEqual(
    list.map((i) => i.code),
    ['rules.unknown-field', 'rules.duplicate-id', 'rules.syntax', 'rules.unknown-list'],
  );
});

test('every code the loader emits is documented in ruleErrorCodes', () => {
  const emitted = new Set<string>();
  const docs: unknown[] = [
    null,
    ruleSetDoc([rule({ id: 'A', when: 'nope == 1' }), rule({ id: 'A', when: 'x(' })]),
    ruleSetDoc([
      rule({ id: 'B', when: 'foo(1)' }),
      rule({ id: 'C', when: 'listed("x") and indicator("y") > 0' }),
    ]),
    ruleSetDoc([rule({ id: 'D', when: 'consignee.name matches "("', effectiveFrom: 'soon' })]),
    ruleSetDoc([rule({ id: 'E', when: 'consignee.name matches 3 and category === 1' })]),
    ruleSetDoc([rule({ id: 'F', when: 'not category' })], { thresholds: { red: 1, yellow: 2, blue: 3 } }),
  ];
  const noOutcome = rule({ id: 'G', when: 'true' });
  delete noOutcome.weight;
  docs.push(ruleSetDoc([noOutcome]));
  for (const doc of docs) {
    const r = loadRuleSet(doc);
    if (!r.ok) for (const i of r.error) emitted.add(i.code);
  }
  for (const code of emitted) assert.ok(code in ruleErrorCodes, `${code} is not documented`);
  assert.ok(emitted.size >= 12, [...emitted].join(', '));
});

test('a number field compared with a non-decimal text is reported with path, rule id and position', () => {
  const i = only(ruleSetDoc([rule({ id: 'A', when: 'intrinsicValueEur > "150 EUR"' })]));
  assert.equal(i.code, 'rules.type');
  assert.equal(i.path, '/rules/0/when');
  assert.equal(i.ruleId, 'A');
  assert.equal(i.position, 0);
  assert.match(i.message, /^rule A, at character 0: .*a number.*"150 EUR".*not a decimal/);
  assert.ok(loadRuleSet(ruleSetDoc([rule({ id: 'A', when: 'intrinsicValueEur > "150.00"' })])).ok);
});
