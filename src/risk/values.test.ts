import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Dec } from '../domain/index.js';
import { arithmetic, compareDecimalStrings, compareValues, sumValues, valuesEqual } from './values.js';

const decimalString = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 6 }))
  .map(([neg, digits, scale]) => {
    const s = digits.toString().padStart(scale + 1, '0');
    const body = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
    return neg ? `-${body}` : body;
  });

test('decimal strings compare exactly like Dec, including beyond double precision', () => {
  fc.assert(
    fc.property(decimalString, decimalString, (a, b) => {
      const expected = new Dec(a).comparedTo(new Dec(b));
      assert.equal(Math.sign(compareDecimalStrings(a, b)), expected);
      assert.equal(Math.sign(compareValues(a, b)), expected);
    }),
    { numRuns: 5000 },
  );
  assert.equal(compareValues('12345678901234567.1', '12345678901234567.2'), -1);
  assert.equal(compareValues('-0.00', '0'), 0);
});

test('sums are exact and agree with Dec', () => {
  fc.assert(
    fc.property(fc.array(decimalString, { maxLength: 20 }), (xs) => {
      const got = sumValues(xs);
      const expected = xs.reduce((acc, x) => acc.plus(x), new Dec(0));
      if (xs.length === 0) assert.equal(got, 0);
      else assert.ok(new Dec(got as string).equals(expected), `${String(got)} != ${expected.toFixed()}`);
    }),
    { numRuns: 2000 },
  );
  assert.equal(sumValues(['0.1', '0.2']), '0.3');
  // a partial sum outside the safe-integer range must not lose digits
  assert.equal(
    sumValues(['-5125769003.341735', '-6250836191.365210', '2369405939.965953']),
    '-9007199254.740992',
  );
  assert.equal(sumValues([100, 250]), 350);
});

test('addition and subtraction of decimal strings are exact', () => {
  assert.equal(arithmetic('+', '0.1', '0.2'), '0.3');
  assert.equal(arithmetic('-', '150', '0.01'), '149.99');
  assert.equal(arithmetic('-', '99999999999999.999999', '0.000001'), '99999999999999.999998');
  assert.equal(arithmetic('*', '2.5', 4), 10);
  assert.equal(arithmetic('/', '1', 0), null);
  assert.equal(arithmetic('+', null, 1), null);
});

test('equality treats equal decimals as equal and distinct texts as different', () => {
  assert.equal(valuesEqual('10.50', 10.5), true);
  assert.equal(valuesEqual('10.50', '10.5'), true);
  assert.equal(valuesEqual('CN', 'cn'), false);
  assert.equal(valuesEqual(null, null), true);
  assert.equal(valuesEqual(null, 'x'), false);
});

test('incomparable values never order', () => {
  assert.ok(Number.isNaN(compareValues(null, 1)));
  assert.ok(Number.isNaN(compareValues('abc', 1)));
  assert.ok(Number.isNaN(compareValues(true, 1)));
  assert.equal(compareValues('2024-01-02', '2024-01-10'), -1);
});
