import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { compileExpression } from './compile-expression.js';
import { createEnv, type ComputedValues } from './eval-env.js';
import { cleanConsignment, cleanItem } from './test-fixtures.js';
import type { Value } from './values.js';

const computed = (over: Partial<ComputedValues> = {}): ComputedValues => ({
  intrinsicValueEur: '149.99',
  sourceCount: 2,
  mismatchCount: 1,
  mismatchFields: new Set(['value']),
  indicators: { 'vague-description': 0.9, 'brand-price': 0 },
  listed: { consignees: true, sellers: false, declarants: false },
  now: '2024-06-01T12:00:00Z',
  ...over,
});

function evaluate(expr: string, c: ConsignmentInput = cleanConsignment(), comp = computed()): Value {
  const r = compileExpression(expr);
  if (!r.ok) throw new Error(`${r.error.code} at ${r.error.position}: ${r.error.message}`);
  return r.value.fn(createEnv(c, comp));
}

function problem(expr: string): { code: string; position: number; message: string } {
  const r = compileExpression(expr);
  assert.equal(r.ok, false, `expected ${expr} not to compile`);
  return r.ok ? { code: '', position: -1, message: '' } : r.error;
}

const multi = cleanConsignment({
  items: [
    cleanItem(),
    cleanItem({
      description: 'Lithium-ion battery pack',
      hsCode: '850760',
      quantity: 2,
      netWeightGrams: 300,
      value: { amount: '10.10', currency: 'EUR' },
      brand: 'Anker',
    }),
    cleanItem({
      description: 'Gift',
      hsCode: undefined,
      netWeightGrams: 0,
      value: { amount: '0.20', currency: 'EUR' },
      origin: 'HK',
    }),
  ],
  routing: { dispatchCountry: 'CN', destinationCountry: 'DE', countries: ['CN', 'AE', 'DE'] },
});

test('equality compares text exactly and numbers by value', () => {
  assert.equal(evaluate('category == "sale"'), true);
  assert.equal(evaluate('category != "sale"'), false);
  assert.equal(evaluate('routing.destinationCountry == "DE"'), true);
  assert.equal(evaluate('intrinsicValueEur == 149.99'), true);
  assert.equal(evaluate('intrinsicValueEur == "149.990"'), true);
});

test('ordering operators compare decimal strings exactly against numbers', () => {
  assert.equal(evaluate('intrinsicValueEur < 150'), true);
  assert.equal(evaluate('intrinsicValueEur <= 149.99'), true);
  assert.equal(evaluate('intrinsicValueEur > 149.98'), true);
  assert.equal(evaluate('intrinsicValueEur >= 150'), false);
});

test('comparisons with a missing value are false rather than errors', () => {
  assert.equal(
    evaluate('intrinsicValueEur > 0', cleanConsignment(), computed({ intrinsicValueEur: null })),
    false,
  );
  assert.equal(
    evaluate('intrinsicValueEur < 0', cleanConsignment(), computed({ intrinsicValueEur: null })),
    false,
  );
  assert.equal(evaluate('totals.grossWeightGrams > 1'), false);
});

test('ISO dates compare chronologically, including against now', () => {
  const c = cleanConsignment({ dates: { ordered: '2024-05-31T23:00:00-02:00' } });
  assert.equal(evaluate('dates.ordered > "2024-06-01T00:00:00Z"', c), true);
  assert.equal(evaluate('dates.ordered < now', c), true);
});

test('and, or and not combine conditions with short circuit', () => {
  assert.equal(evaluate('category == "sale" and routing.dispatchCountry == "CN"'), true);
  assert.equal(evaluate('category == "gift" or routing.dispatchCountry == "CN"'), true);
  assert.equal(evaluate('not (category == "gift")'), true);
  assert.equal(evaluate('not exists(taxCollection)'), true);
});

test('in tests membership in a literal list or a list field', () => {
  assert.equal(evaluate('routing.dispatchCountry in ["CN", "HK"]'), true);
  assert.equal(evaluate('routing.dispatchCountry in ["US"]'), false);
  assert.equal(evaluate('"AE" in routing.countries', multi), true);
  assert.equal(evaluate('intrinsicValueEur in [1, 149.99]'), true);
});

test('startsWith and contains ignore case', () => {
  assert.equal(evaluate('consignee.name startsWith "hans"'), true);
  assert.equal(evaluate('consignee.name contains "BECK"'), true);
  assert.equal(evaluate('consignee.name contains "smith"'), false);
  assert.equal(evaluate('routing.countries contains "ae"', multi), true);
});

test('matches applies a case-insensitive regular expression', () => {
  assert.equal(evaluate('consignee.name matches "^hans\\\\s+b"'), true);
  assert.equal(evaluate('items.any(description matches "lithium[- ]ion")', multi), true);
});

test('containsAny matches whole words and phrases only', () => {
  assert.equal(evaluate('items.any(description containsAny ["gift", "parts"])', multi), true);
  assert.equal(evaluate('items.any(description containsAny ["li-ion", "battery"])', multi), true);
  assert.equal(evaluate('items.any(description containsAny ["batt", "shirts"])', multi), false);
});

test('hsIn matches HS prefixes of any length and never a missing code', () => {
  assert.equal(evaluate('items.any(hsCode hsIn ["8507"])', multi), true);
  assert.equal(evaluate('items.any(hsCode hsIn ["93", "610910"])', multi), true);
  assert.equal(evaluate('items.any(hsCode hsIn ["93"])', multi), false);
  assert.equal(evaluate('items.all(hsCode hsIn ["61", "85"])', multi), false);
});

test('quantifiers scope item fields and fall back to consignment fields', () => {
  assert.equal(evaluate('items.any(origin == "HK")', multi), true);
  assert.equal(evaluate('items.all(value.currency == "EUR")', multi), true);
  assert.equal(evaluate('items.none(quantity > 5)', multi), true);
  assert.equal(evaluate('items.count(origin == routing.dispatchCountry)', multi), 2);
  assert.equal(evaluate('items.any(not exists(hsCode))', multi), true);
});

test('aggregates count, sum exactly, take extremes and count distinct values', () => {
  assert.equal(evaluate('count(items)', multi), 3);
  assert.equal(evaluate('sum(items.value.amount)', multi), '35.3');
  assert.equal(evaluate('sum(items.value.amount) == 35.30', multi), true);
  assert.equal(evaluate('sum(items.netWeightGrams)', multi), 500);
  assert.equal(evaluate('max(items.quantity)', multi), 2);
  assert.equal(evaluate('min(items.value.amount)', multi), '0.20');
  assert.equal(evaluate('distinct(items.hsCode)', multi), 2);
  assert.equal(evaluate('distinct(items.origin)', multi), 2);
});

test('arithmetic is exact for + and - and yields ratios for * and /', () => {
  assert.equal(evaluate('sum(items.value.amount) - 0.3', multi), '35');
  assert.equal(evaluate('0.1 + "0.2" == 0.3'), true);
  assert.equal(evaluate('intrinsicValueEur * 1000 / sum(items.netWeightGrams)', multi), 299.98);
  assert.equal(evaluate('intrinsicValueEur / 0'), null);
});

test('engine-computed values and functions read the precomputed context', () => {
  assert.equal(evaluate('sourceCount'), 2);
  assert.equal(evaluate('mismatchCount'), 1);
  assert.equal(evaluate('hasMismatch("value")'), true);
  assert.equal(evaluate('hasMismatch("origin")'), false);
  assert.equal(evaluate('indicator("vague-description") >= 0.9'), true);
  assert.equal(evaluate('listed("consignees")'), true);
  assert.equal(evaluate('listed("sellers")'), false);
  assert.equal(evaluate('words(consignee.name)'), 2);
  assert.equal(evaluate('length(routing.dispatchCountry)'), 2);
});

test('an unknown field is reported with its position and the expected names', () => {
  const p = problem('category == "sale" and consignee.nmae == "x"');
  assert.equal(p.code, 'rules.unknown-field');
  assert.equal(p.position, 23);
  assert.match(p.message, /consignee\.nmae/);
  assert.match(p.message, /consignee\.name|name, address/);
});

test('item fields are unknown outside a quantifier', () => {
  const p = problem('description == "gift"');
  assert.equal(p.code, 'rules.unknown-field');
  assert.equal(p.position, 0);
});

test('an unknown function is reported with its position', () => {
  const p = problem('category == "sale" and avg(items.value.amount) > 3');
  assert.equal(p.code, 'rules.unknown-function');
  assert.equal(p.position, 23);
  assert.equal(problem('items.some(origin == "CN")').code, 'rules.unknown-function');
});

test('syntax errors carry the position jsep stopped at', () => {
  const p = problem('category == ');
  assert.equal(p.code, 'rules.syntax');
  assert.ok(p.position >= 11);
  assert.equal(problem('(category == "sale"').code, 'rules.syntax');
  assert.equal(problem('category "sale"').code, 'rules.syntax');
  assert.equal(problem('').code, 'rules.syntax');
});

test('an operator word with no operand is a syntax error at its place, not a field or missing operator', () => {
  // jsep reads a dangling `and` as an identifier: it was "an operator between two terms" at character 9,
  // or `not` an unknown field.
  for (const [expr, word] of [
    ['category == "gift" and', 'and'],
    ['category == "gift" or ', 'or'],
    ['category == "gift" and not', 'not'],
    ['routing.dispatchCountry in', 'in'],
    ['consignee.name contains', 'contains'],
  ] as const) {
    const p = problem(expr);
    assert.equal(p.code, 'rules.syntax', expr);
    assert.equal(p.position, expr.length, expr);
    assert.equal(p.message, `expected an operand after "${word}"`, expr);
  }
  const doubled = problem('category == "gift" and and intrinsicValueEur > 1');
  assert.equal(doubled.code, 'rules.syntax');
  assert.equal(doubled.position, 23);
  assert.match(doubled.message, /"and" is an operator/);
  // Operator words inside texts and as parts of a path are not operators.
  assert.equal(evaluate('category != "and"'), true);
  assert.equal(evaluate('items.any(description contains "in")'), false);
});

test('type errors explain how to fix them', () => {
  assert.equal(problem('consignee == "x"').code, 'rules.type');
  const p = problem('not category == "gift"');
  assert.equal(p.code, 'rules.type');
  assert.match(p.message, /not \(a == b\)/);
  assert.equal(problem('items.any(items.any(origin == "CN"))').code, 'rules.type');
  assert.equal(problem('items.description == "x"').code, 'rules.type');
});

test('operators and functions reject wrong arguments', () => {
  assert.equal(problem('consignee.name matches consignee.name').code, 'rules.arguments');
  assert.equal(problem('consignee.name matches "(unclosed"').code, 'rules.bad-regex');
  assert.equal(problem('items.any(hsCode hsIn ["8x"])').code, 'rules.arguments');
  assert.equal(problem('indicator("nope") > 0').code, 'rules.unknown-indicator');
  assert.equal(problem('listed("friends")').code, 'rules.unknown-list');
  assert.equal(problem('hasMismatch("colour")').code, 'rules.arguments');
  assert.equal(problem('sum(totals.transport.amount) > 0').code, 'rules.arguments');
  assert.equal(problem('category === "x"').code, 'rules.unknown-operator');
});

test('compiling never throws, whatever the text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = compileExpression(s);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 3000 },
  );
});

test('compiling never throws on token soup of the rule language', () => {
  const token = fc.constantFrom(
    'category',
    'items',
    '.',
    'any',
    '(',
    ')',
    '[',
    ']',
    ',',
    '"gift"',
    '3',
    'and',
    'or',
    'not',
    '==',
    '<',
    'hsIn',
    'containsAny',
    'matches',
    'sum',
    'count',
    'value',
    'amount',
    'description',
    'intrinsicValueEur',
    'indicator',
    '"vague-description"',
    '-',
    '*',
    '/',
    ' ',
    'in',
    'exists',
    '"(("',
    'null',
    'true',
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 25 }), (parts) => {
      const r = compileExpression(parts.join(' '));
      if (r.ok) r.value.fn(createEnv(multi, computed()));
    }),
    { numRuns: 3000 },
  );
});

test('a number compared with a text that is not a decimal is a compile error, decimal texts still compare', () => {
  for (const expr of [
    'intrinsicValueEur > "150 EUR"',
    'intrinsicValueEur >= "abc"',
    '"abc" < intrinsicValueEur',
    'intrinsicValueEur == "150 EUR"',
    'totals.declaredValue.amount <= "1,50"',
    'sum(items.value.amount) > "ten"',
  ]) {
    const p = problem(expr);
    assert.equal(p.code, 'rules.type', expr);
    assert.match(p.message, /a number/, expr);
    assert.match(p.message, /not a decimal/, expr);
  }
  assert.equal(problem('intrinsicValueEur > "150 EUR"').position, 0);
  assert.equal(problem('category == "gift" and intrinsicValueEur >= "abc"').position, 23);
  assert.equal(evaluate('intrinsicValueEur > "150.00"'), false);
  assert.equal(evaluate('intrinsicValueEur < "150.00"'), true);
  assert.equal(evaluate('intrinsicValueEur == "149.990"'), true);
  assert.equal(evaluate('intrinsicValueEur != null'), true);
  assert.equal(evaluate('category == "gift"'), false);
});
