import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { monotonicFactory } from 'ulid';
import { isId, monotonicIds, newId } from './ids.js';

/** Two generators drawing the same numbers, one for each side. */
function sameDraws(draws: readonly number[]): [() => number, () => number] {
  const of = (): (() => number) => {
    let i = 0;
    return () => draws[i++ % draws.length] as number;
  };
  return [of(), of()];
}

/** What a call gives: its id, or that it threw. */
function outcome(f: () => string): string {
  try {
    return f();
  } catch {
    return 'threw';
  }
}

// Draws near 1 give 'Z' digits, so increments carry across several digits.
const draw = fc.oneof(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.constant(31.5 / 32),
  fc.constant(0.99999),
);
// Seeds as the pipeline passes them: a request's time in ms (repeated within a batch), sometimes NaN.
// Seeds as the pipeline passes them: a request's time in ms (repeated within a batch); now and then
// one the library refuses (beyond its 48 bits, fractional, negative), to check what follows a failure.
const seeds = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(1_764_000_000_000, 1_764_000_000_001, 1_764_000_000_500) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 2 ** 48 - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 48 + 5, 1_764_000_000_000.5, -3) },
  ),
  { minLength: 1, maxLength: 80 },
);

test('ids follow the ulid library: same seeds and random draws give the same ids in order, and fail where it fails', () => {
  fc.assert(
    fc.property(
      fc.array(draw, { minLength: 1, maxLength: 40 }),
      seeds,
      fc.constantFrom('csg', 'dcl', 'evt'),
      (draws, ts, prefix) => {
        const [a, b] = sameDraws(draws);
        const library = monotonicFactory(a);
        const ours = monotonicIds(b);
        for (const t of ts) {
          const expected = outcome(() => `${prefix}_${library(t)}`);
          assert.equal(
            outcome(() => ours(prefix, t)),
            expected,
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('ids within one millisecond carry through every digit as the library does', () => {
  // The first random part is all 'Z' but its last digit: the second id carries through fifteen digits.
  const draws = [...new Array<number>(15).fill(31.5 / 32), 30.5 / 32];
  const [a, b] = sameDraws(draws);
  const library = monotonicFactory(a);
  const ours = monotonicIds(b);
  for (let i = 0; i < 5; i++)
    assert.equal(ours('csg', 1_764_000_000_000), `csg_${library(1_764_000_000_000)}`);
});

test('ids of different prefixes in one millisecond share one sequence and stay sorted', () => {
  const ids = [
    newId('csg', 1_764_000_000_000),
    newId('dcl', 1_764_000_000_000),
    newId('csg', 1_764_000_000_000),
  ];
  assert.ok(isId('csg', ids[0] as string) && isId('dcl', ids[1] as string) && isId('csg', ids[2] as string));
  assert.ok((ids[0] as string).slice(4) < (ids[1] as string).slice(4));
  assert.ok((ids[1] as string).slice(4) < (ids[2] as string).slice(4));
});
