import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { amount, amountByDefinition, plainDecimal, units } from './money.js';

function outcome(read: () => number): unknown {
  try {
    const v = read();
    return Object.is(v, -0) ? '-0' : v;
  } catch (e) {
    return `threw ${(e as Error).constructor.name}`;
  }
}

test('amounts read digit by digit equal amounts read the general way, for any text', () => {
  const decimal = fc.stringMatching(/^-?\d{0,17}(\.\d{0,8})?$/);
  const near = fc.stringMatching(/^[-+ 0-9.xeb]{0,12}$/);
  fc.assert(
    fc.property(fc.oneof(decimal, near, fc.string()), (text) => {
      assert.deepEqual(
        outcome(() => amount(text)),
        outcome(() => amountByDefinition(text)),
      );
    }),
    { numRuns: 5000 },
  );
  for (const text of ['-0', '0.000000', '1000000000', '1000000000.000001', '999999999.999999', '12.', '.5'])
    assert.deepEqual(
      outcome(() => amount(text)),
      outcome(() => amountByDefinition(text)),
      text,
    );
});

test('a quantity is read as the decimal it is written as: any 6-decimal quantity gives its exact micro-units', () => {
  // 0.000246 * 10^6 is 246.00000000000003 in binary: a product of the double would not be an amount.
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), (micros) => {
      const text = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
      assert.equal(units(Number(text)), micros, text);
    }),
    { numRuns: 5000 },
  );
  for (const [q, micros] of [
    [0.000246, 246],
    [0.000498, 498],
    [1.005, 1_005_000],
    [3, 3_000_000],
  ] as const)
    assert.equal(units(q), micros, String(q));
});

test('a quantity with more than 6 decimals is rounded half-up to micro-units, never to zero', () => {
  assert.equal(units(0.3333333), 333_333);
  assert.equal(units(0.6666667), 666_667);
  assert.equal(units(0.0000005), 1);
  assert.equal(units(1e-7), 1);
  assert.equal(units(2.5e-6), 3);
  fc.assert(
    fc.property(fc.double({ min: 1e-12, max: 1e9, noNaN: true }), (q) => {
      const v = units(q);
      assert.ok(Number.isSafeInteger(v) && v >= 1, `${q} -> ${v}`);
      assert.ok(Math.abs(v - q * 1e6) <= 0.5 + q * 1e-9 || v === 1, `${q} -> ${v}`);
    }),
    { numRuns: 5000 },
  );
});

test('plainDecimal writes any finite number without an exponent and reads back as the same number', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      const text = plainDecimal(n);
      assert.doesNotMatch(text, /e/i);
      assert.equal(Number(text), n === 0 ? 0 : n, text);
    }),
    { numRuns: 5000 },
  );
  assert.equal(plainDecimal(1e-7), '0.0000001');
  assert.equal(plainDecimal(-3.25e-8), '-0.0000000325');
  assert.equal(plainDecimal(1.5e21), '1500000000000000000000');
});
