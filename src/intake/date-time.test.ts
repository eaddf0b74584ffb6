/** The character-by-character date-time check agrees with the RFC 3339 pattern on every string. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isRfc3339DateTime, rfc3339ByPattern } from './schema-check.js';

const digit = fc.constantFrom(...'0123456789');
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
// Mostly well-formed date-times with each part possibly out of range or replaced.
const part = (n: number) => fc.oneof({ weight: 5, arbitrary: digits(n) }, fc.string({ maxLength: n + 1 }));
const sep = (c: string) =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(c) }, fc.constantFrom('t', ' ', 'x', ''));
const nearDateTime = fc
  .tuple(
    part(4),
    sep('-'),
    part(2),
    sep('-'),
    part(2),
    sep('T'),
    part(2),
    sep(':'),
    part(2),
    sep(':'),
    part(2),
    fc.oneof(
      fc.constant(''),
      fc.integer({ min: 0, max: 11 }).chain((k) => digits(k).map((d) => `.${d}`)),
    ),
    fc.constantFrom('Z', 'z', '+01:00', '-23:59', '+24:00', '', 'ZZ'),
  )
  .map((xs) => xs.join(''));

test('the date-time check gives the pattern check answer for near-date-times and any string', () => {
  fc.assert(
    fc.property(fc.oneof(nearDateTime, fc.string()), (s) => {
      assert.equal(isRfc3339DateTime(s), rfc3339ByPattern(s), s);
    }),
    { numRuns: 20_000 },
  );
  for (const s of [
    '2026-11-27T10:00:00Z',
    '2026-11-27T10:00:00.123456789Z',
    '2026-11-27T10:00:00.1234567890Z',
    '2024-02-29T23:59:60Z',
    '2023-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-27T24:00:00Z',
    '2026-11-27T10:00:00.Z',
    '1900-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
  ])
    assert.equal(isRfc3339DateTime(s), rfc3339ByPattern(s), s);
  assert.equal(isRfc3339DateTime('2026-11-27T10:00:00Z'), true);
  assert.equal(isRfc3339DateTime('2023-02-29T00:00:00Z'), false);
});
