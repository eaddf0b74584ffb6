import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { amount, amountByDefinition } from './money.js';

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
