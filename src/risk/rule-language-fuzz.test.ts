/**
 * The rule language under random and mutated input: every text gives a compiled rule or a precise error
 * (a registered code, a position inside the text), never a crash or a hang; compiled rules agree with a
 * plain reference interpreter on random consignments; `matches` agrees with JavaScript's RegExp and runs
 * in linear time on the patterns that make a backtracking engine stall.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Dec, type ConsignmentInput, type Item } from '../domain/index.js';
import { compileExpression } from './compile-expression.js';
import { loadRuleSet } from './compile-rules.js';
import { loadDefaultRuleSet, rulesPath } from './default-rule-set.js';
import { ruleErrorCodes } from './error-codes.js';
import { createEnv, type ComputedValues } from './eval-env.js';
import { compileLinearPattern } from './linear-regex.js';
import { cleanConsignment, cleanItem, ruleSetDoc, rule } from './test-fixtures.js';
import type { Value } from './values.js';
import { readFileSync } from 'node:fs';

const computed = (over: Partial<ComputedValues> = {}): ComputedValues => ({
  intrinsicValueEur: '25.00',
  sourceCount: 1,
  mismatchCount: 0,
  mismatchFields: new Set(),
  indicators: {},
  listed: {},
  now: '2026-06-01T12:00:00Z',
  ...over,
});

function run(text: string, c: ConsignmentInput): Value {
  const r = compileExpression(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} ${r.error.message}`);
  return r.value.fn(createEnv(c, computed()));
}

function checkProblemOrRun(text: string, consignments: readonly ConsignmentInput[]): void {
  const r = compileExpression(text);
  if (!r.ok) {
    assert.ok(r.error.code in ruleErrorCodes, `${r.error.code} is a registered code (${text})`);
    assert.ok(r.error.position >= 0 && r.error.position <= text.length, `position in ${text}`);
    assert.ok(r.error.message.length > 0);
    return;
  }
  for (const c of consignments) {
    const v = r.value.fn(createEnv(c, computed()));
    if (r.value.type === 'bool') assert.equal(typeof v, 'boolean', text);
  }
}

const vocabulary = [
  'and',
  'or',
  'not',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  'in',
  'startsWith',
  'contains',
  'matches',
  'containsAny',
  'hsIn',
  '&&',
  '||',
  '!',
  '===',
  '&',
  '?',
  ':',
  'category',
  'routing.countries',
  'routing.dispatchCountry',
  'consignee.name',
  'consignee',
  'items',
  'items.any',
  'items.all',
  'items.count',
  'description',
  'hsCode',
  'value.amount',
  'origin',
  'count',
  'sum',
  'min',
  'max',
  'distinct',
  'exists',
  'length',
  'words',
  'indicator',
  'listed',
  'hasMismatch',
  'now',
  'intrinsicValueEur',
  'constructor',
  '__proto__',
  'toString',
  'this',
  'null',
  'true',
  'false',
  '0',
  '150',
  '-1.5',
  '1e3',
  '"gift"',
  '"85"',
  "'CN'",
  '"(a+)+$"',
  '"["',
  '"2026-01-01"',
  '"',
  "'",
  '\\',
  '{',
  '}',
];

const consignments = [
  cleanConsignment(),
  cleanConsignment({
    category: 'gift',
    routing: { dispatchCountry: 'HK', destinationCountry: 'DE', countries: ['HK', 'AE'] },
    items: [
      cleanItem({ description: 'Li-ion battery 20000 mAh', hsCode: '850760' }),
      cleanItem({ value: { amount: '149.99', currency: 'EUR' }, hsCode: '9304' }),
    ],
    dates: { ordered: '2026-05-30T10:00:00Z' },
  }),
];

test('random token sequences compile or fail with a registered code and a position, never a crash', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 12 }), (tokens) => {
      checkProblemOrRun(tokens.join(' '), consignments);
      checkProblemOrRun(tokens.join(''), consignments);
    }),
    { numRuns: 3000 },
  );
});

const defaultWhens: string[] = (
  JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8')) as { rules: { when: string }[] }
).rules.map((r) => r.when);

test("mutated texts of the default rule set's conditions compile or fail precisely, never a crash", () => {
  const mutated = fc
    .tuple(fc.constantFrom(...defaultWhens), fc.nat(), fc.nat(), fc.string({ maxLength: 4 }), fc.nat(3))
    .map(([w, a, b, ins, kind]) => {
      const i = a % (w.length + 1);
      const j = Math.min(w.length, i + (b % 6));
      if (kind === 0) return w.slice(0, i) + w.slice(j);
      if (kind === 1) return w.slice(0, i) + ins + w.slice(i);
      if (kind === 2) return w.slice(0, i) + ins + w.slice(j);
      return w.slice(0, i) + w.slice(j, j + 3) + w.slice(i, j) + w.slice(j + 3);
    });
  fc.assert(
    fc.property(mutated, (text) => checkProblemOrRun(text, consignments)),
    { numRuns: 3000 },
  );
});

test('mutated rule-set documents load or give every issue with a path, never a crash', () => {
  const doc = JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8')) as {
    rules: Record<string, unknown>[];
  };
  const fields = ['id', 'version', 'effectiveFrom', 'effectiveTo', 'when', 'weight', 'lane', 'reason'];
  const values = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -5, max: 200 }),
    fc.constantFrom(
      null,
      '2026-02-30',
      '2026-01-01T00:00:00',
      '2026-01-01T25:00:00Z',
      'red',
      '{nope}',
      'x {sum(items.value.amount)} y',
    ),
  );
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(...fields), values, (i, field, value) => {
      const rules = doc.rules.map((r) => ({ ...r }));
      const target = rules[i % rules.length] as Record<string, unknown>;
      if (value === null) delete target[field];
      else target[field] = value;
      const r = loadRuleSet({ ...doc, rules }, {});
      if (!r.ok) {
        assert.ok(r.error.length > 0);
        for (const issue of r.error) {
          assert.ok(issue.code in ruleErrorCodes, issue.code);
          assert.ok(issue.path.startsWith('/'), issue.path);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('names of the JavaScript object prototype are not fields or engine values', () => {
  for (const text of ['constructor', '__proto__', 'toString', 'exists(constructor)', 'exists(__proto__)']) {
    const r = compileExpression(text);
    assert.equal(r.ok, false, `${text} must not compile`);
    if (!r.ok) assert.equal(r.error.code, 'rules.unknown-field', text);
  }
});

test('a list compared with == is a type error; "in" on a list field holds when any element is in', () => {
  for (const text of [
    'routing.countries == "CN"',
    '"CN" != routing.countries',
    'routing.countries == ["CN"]',
  ]) {
    const r = compileExpression(text);
    assert.equal(r.ok ? 'ok' : r.error.code, 'rules.type', text);
  }
  assert.equal(compileExpression('routing.countries == null').ok, true, 'presence test still allowed');
  const c = consignments[1] as ConsignmentInput;
  assert.equal(run('routing.countries in ["AE", "IR"]', c), true);
  assert.equal(run('routing.countries in ["IR"]', c), false);
  assert.equal(run('routing.countries in routing.countries', c), true);
  assert.equal(run('routing.countries in ["AE"]', cleanConsignment()), false, 'missing list: false');
});

test('"in" a list of texts compares decimal texts by value, like ==', () => {
  const c = cleanConsignment({ payment: { reference: 'p', amount: { amount: '10.50', currency: 'EUR' } } });
  assert.equal(run('payment.amount.amount == "10.5"', c), true);
  assert.equal(run('payment.amount.amount in ["10.5", "20"]', c), true);
  assert.equal(run('payment.amount.amount in ["10.51"]', c), false);
  assert.equal(run('category in ["sale", "gift"]', c), true);
});

test('effective timestamps need their offset and a real calendar date', () => {
  for (const [from, ok] of [
    ['2026-01-01', true],
    ['2026-01-01T08:00:00Z', true],
    ['2026-01-01T08:00:00.5+01:00', true],
    ['2026-01-01T08:00:00', false],
    ['2026-02-30T00:00:00Z', false],
    ['2026-01-01T24:30:00Z', false],
    ['2026-13-01T00:00:00Z', false],
  ] as const) {
    const r = loadRuleSet(ruleSetDoc([rule({ id: 'R', when: 'true', effectiveFrom: from })]));
    assert.equal(r.ok, ok, from);
    if (!r.ok)
      assert.deepEqual([r.error[0]?.code, r.error[0]?.path], ['rules.bad-date', '/rules/0/effectiveFrom']);
  }
});

// ---------------------------------------------------------------------------------------------------
// `matches`: linear time, same answers as RegExp.

test('"matches" answers like JavaScript RegExp (case-insensitive) on random patterns and texts', () => {
  const atom = fc.constantFrom('a', 'b', 'A', '.', '\\d', '\\w', '\\s', '[ab]', '[^a]', '-', '\\.', 'é', '1');
  const pattern: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('node'), tie('node')).map(([x, y]) => `${x}${y}`),
      fc.tuple(tie('node'), tie('node')).map(([x, y]) => `(?:${x}|${y})`),
      fc
        .tuple(tie('node'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{0,}', '*?'))
        .map(([x, q]) => `(${x})${q}`),
      fc.constantFrom('^', '$', '\\b', '\\B'),
    ),
  })).node as fc.Arbitrary<string>;
  const text = fc.stringMatching(/^[abAé1 .\-_]{0,12}$/);
  fc.assert(
    fc.property(pattern, text, (p, s) => {
      assert.equal(compileLinearPattern(p)(s), new RegExp(p, 'i').test(s), `/${p}/i on ${JSON.stringify(s)}`);
    }),
    { numRuns: 3000 },
  );
});

test(
  '"matches" runs in linear time on patterns that stall a backtracking engine',
  { timeout: 20_000 },
  () => {
    const long = `${'a'.repeat(500)}!`;
    const digits = `${'1'.repeat(500)}x`;
    for (const [p, s] of [
      ['(a+)+$', long],
      ['^(a|a)*$', long],
      ['^(a|aa)+$', long],
      ['\\d+\\d+\\d+$', digits],
      ['(\\w+\\s?)+$', long],
      ['.*a.*a.*a.*x', 'a'.repeat(500)],
    ] as const) {
      const text = `items.any(description matches ${JSON.stringify(p)})`;
      const c = cleanConsignment({ items: [cleanItem({ description: s })] });
      assert.equal(run(text, c), false, p);
    }
  },
);

test('"matches" refuses backreferences and lookaround with the place in the pattern', () => {
  for (const [p, what] of [
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['phone(?= case)', 'lookahead'],
    ['(?<!x)y', 'lookahead'],
  ] as const) {
    const r = compileExpression(`items.any(description matches ${JSON.stringify(p)})`);
    assert.equal(r.ok, false, p);
    if (!r.ok) {
      assert.equal(r.error.code, 'rules.bad-regex');
      assert.match(r.error.message, new RegExp(what));
      assert.match(r.error.message, /at character \d+ of the pattern/);
    }
  }
  const bad = compileExpression('items.any(description matches "(unclosed")');
  assert.equal(bad.ok ? 'ok' : bad.error.code, 'rules.bad-regex');
});

// ---------------------------------------------------------------------------------------------------
// Compiled rules against a plain reference interpreter.

type Cond = { text: string; ref: (c: ConsignmentInput) => boolean };

const dec = (s: string | undefined): InstanceType<typeof Dec> | null => (s === undefined ? null : new Dec(s));
const cmp = (op: string, a: InstanceType<typeof Dec> | null, b: InstanceType<typeof Dec>): boolean => {
  // Every comparison with a missing value is false, and so `!=` (not ==) is true.
  if (a === null) return op === '!=';
  const r = a.comparedTo(b);
  return op === '<'
    ? r < 0
    : op === '<='
      ? r <= 0
      : op === '>'
        ? r > 0
        : op === '>='
          ? r >= 0
          : op === '=='
            ? r === 0
            : r !== 0;
};
const amounts = fc.constantFrom(
  '0',
  '0.01',
  '9.99',
  '10',
  '10.00',
  '149.99',
  '150',
  '150.0001',
  '1234567890123.45',
  '99999999999999999.99',
);
const ops = fc.constantFrom('<', '<=', '>', '>=', '==', '!=');

const cond: fc.Arbitrary<Cond> = fc.oneof(
  fc.constantFrom('sale', 'gift', 'documents').map((v) => ({
    text: `category == "${v}"`,
    ref: (c: ConsignmentInput) => c.category === v,
  })),
  fc.subarray(['CN', 'HK', 'AE', 'DE'], { minLength: 1 }).map((l) => ({
    text: `routing.dispatchCountry in ${JSON.stringify(l)}`,
    ref: (c: ConsignmentInput) => l.includes(c.routing.dispatchCountry),
  })),
  fc.subarray(['CN', 'HK', 'AE', 'IR'], { minLength: 1 }).map((l) => ({
    text: `routing.countries in ${JSON.stringify(l)}`,
    ref: (c: ConsignmentInput) => (c.routing.countries ?? []).some((x) => l.includes(x)),
  })),
  fc.tuple(ops, amounts).map(([op, a]) => ({
    text: `payment.amount.amount ${op} ${a}`,
    ref: (c: ConsignmentInput) => cmp(op, dec(c.payment?.amount?.amount), new Dec(a)),
  })),
  fc.tuple(ops, amounts).map(([op, a]) => ({
    text: `sum(items.value.amount) ${op} "${a}"`,
    ref: (c: ConsignmentInput) =>
      cmp(
        op,
        c.items.reduce((s, i) => s.plus(i.value.amount), new Dec(0)),
        new Dec(a),
      ),
  })),
  fc.tuple(ops, fc.integer({ min: 0, max: 4 })).map(([op, n]) => ({
    text: `count(items) ${op} ${n}`,
    ref: (c: ConsignmentInput) => cmp(op, new Dec(c.items.length), new Dec(n)),
  })),
  fc.subarray(['85', '8507', '850760', '93', '9304', '61'], { minLength: 1 }).map((l) => ({
    text: `items.any(hsCode hsIn ${JSON.stringify(l)})`,
    ref: (c: ConsignmentInput) =>
      c.items.some((i) => i.hsCode !== undefined && l.some((p) => i.hsCode!.startsWith(p))),
  })),
  fc.constantFrom('battery', 'LI-ION', 'shirt', 'x').map((w) => ({
    text: `items.all(description contains "${w}")`,
    ref: (c: ConsignmentInput) => c.items.every((i) => i.description.toLowerCase().includes(w.toLowerCase())),
  })),
  fc
    .tuple(
      fc.constantFrom('<', '>='),
      fc.constantFrom('2026-05-01', '2026-05-30T10:00:00Z', '2026-06-01T00:00:00+02:00'),
    )
    .map(([op, d]) => ({
      text: `dates.ordered ${op} "${d}"`,
      ref: (c: ConsignmentInput) =>
        c.dates?.ordered !== undefined &&
        (op === '<'
          ? Date.parse(c.dates.ordered) < Date.parse(d)
          : Date.parse(c.dates.ordered) >= Date.parse(d)),
    })),
);

const expr: fc.Arbitrary<Cond> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    cond,
    fc.tuple(tie('e') as fc.Arbitrary<Cond>, tie('e') as fc.Arbitrary<Cond>).map(([a, b]) => ({
      text: `(${a.text}) and (${b.text})`,
      ref: (c: ConsignmentInput) => a.ref(c) && b.ref(c),
    })),
    fc.tuple(tie('e') as fc.Arbitrary<Cond>, tie('e') as fc.Arbitrary<Cond>).map(([a, b]) => ({
      text: `(${a.text}) or (${b.text})`,
      ref: (c: ConsignmentInput) => a.ref(c) || b.ref(c),
    })),
    (tie('e') as fc.Arbitrary<Cond>).map((a) => ({
      text: `not (${a.text})`,
      ref: (c: ConsignmentInput) => !a.ref(c),
    })),
  ),
})).e as fc.Arbitrary<Cond>;

const item: fc.Arbitrary<Item> = fc
  .tuple(
    fc.constantFrom('Li-ion battery 20000 mAh', 'Cotton T-shirt', 'battery pack', 'X'),
    fc.option(fc.constantFrom('850760', '850650', '930400', '610910', '8507'), { nil: undefined }),
    amounts,
  )
  .map(([description, hsCode, amount]) => {
    const i = cleanItem({ description, value: { amount, currency: 'EUR' } });
    if (hsCode === undefined) delete i.hsCode;
    else i.hsCode = hsCode;
    return i;
  });

const consignment: fc.Arbitrary<ConsignmentInput> = fc
  .record({
    category: fc.constantFrom('sale', 'gift', 'documents'),
    dispatch: fc.constantFrom('CN', 'HK', 'AE'),
    countries: fc.option(fc.subarray(['CN', 'HK', 'AE', 'IR']), { nil: undefined }),
    payment: fc.option(amounts, { nil: undefined }),
    items: fc.array(item, { minLength: 1, maxLength: 4 }),
    ordered: fc.option(
      fc.constantFrom('2026-04-30T23:00:00Z', '2026-05-30T10:00:00Z', '2026-05-31T23:30:00Z'),
      { nil: undefined },
    ),
  })
  .map((r) => {
    const c = cleanConsignment({
      category: r.category as ConsignmentInput['category'],
      items: r.items,
      routing: {
        dispatchCountry: r.dispatch,
        destinationCountry: 'DE',
        ...(r.countries ? { countries: r.countries } : {}),
      },
    });
    if (r.payment !== undefined)
      c.payment = { reference: 'p-1', amount: { amount: r.payment, currency: 'EUR' } };
    if (r.ordered !== undefined) c.dates = { ordered: r.ordered };
    return c;
  });

test('compiled conditions agree with a plain reference interpreter on random consignments', () => {
  fc.assert(
    fc.property(expr, fc.array(consignment, { minLength: 1, maxLength: 5 }), (e, cs) => {
      const r = compileExpression(e.text);
      assert.ok(r.ok, `${e.text}: ${r.ok ? '' : r.error.message}`);
      for (const c of cs)
        assert.equal(r.value.fn(createEnv(c, computed())), e.ref(c), `${e.text} on ${JSON.stringify(c)}`);
    }),
    { numRuns: 1500 },
  );
});

test('the default rule set still compiles', () => {
  assert.ok(loadDefaultRuleSet().rules.length > 0);
});
