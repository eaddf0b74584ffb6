import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, contentHash, writeCanonical } from './content-hash.js';
import { sampleConsignment } from './sample-consignment.js';
import { validateConsignment } from '../intake/index.js';
import { loadHs2022 } from '../reference/index.js';
import { generateFlood } from '../sim/index.js';
import type { ConsignmentInput } from '../domain/index.js';

// Rebuilds plain objects with their keys sorted, so that canonicalJson takes its JSON.stringify path.
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== 'object' || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep((value as Record<string, unknown>)[key]);
  return out;
}

// The outcome of a serialiser: its text, or the class of the error it threw.
function outcome(write: () => string): string {
  try {
    return write();
  } catch (e) {
    return `threw ${e instanceof Error ? e.constructor.name : typeof e}`;
  }
}

const anything = fc.anything({
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withSparseArray: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withBigInt: true,
  maxDepth: 5,
});

test('canonicalJson equals the general canonical writer for any value, in any key order', () => {
  fc.assert(
    fc.property(anything, (value) => {
      assert.equal(
        outcome(() => canonicalJson(value)),
        outcome(() => writeCanonical(value)),
      );
      const sorted = sortDeep(value);
      assert.equal(
        outcome(() => canonicalJson(sorted)),
        outcome(() => writeCanonical(sorted)),
      );
    }),
    { numRuns: 1000 },
  );
});

test('canonicalJson leaves toJSON hooks, integer-like keys and -0 to the general writer rules', () => {
  const cases: unknown[] = [
    { a: new Date(0), b: { toJSON: () => ({ z: 1, a: 2 }) } },
    { '10': 1, '9': 2, a: 3 },
    { '1': 1, '2': 2 },
    { a: -0, b: [Number.NaN, Infinity, undefined, () => 1] },
    Object.assign([1, 2], { toJSON: () => 'array' }),
    { a: new String('x'), b: new Number(1), c: Object.create({ inherited: 1 }) as unknown },
  ];
  for (const value of cases) assert.equal(canonicalJson(value), writeCanonical(value));
});

test('validated records serialise canonically with plain JSON.stringify, and hash as before', () => {
  const hs = loadHs2022();
  let n = 0;
  for (const r of generateFlood({ seed: 'canonical', count: 150, day: '2026-11-27' })) {
    const v = validateConsignment(r.input, hs);
    assert.equal(v.ok, true);
    if (!v.ok) continue;
    assert.equal(JSON.stringify(v.value), writeCanonical(v.value));
    const expected = createHash('sha256').update(writeCanonical(v.value)).digest('hex');
    assert.equal(contentHash(v.value), expected);
    n++;
  }
  assert.ok(n > 100);
});

test('the content hash of a sorted and an unsorted copy of a consignment agree', () => {
  const input = sampleConsignment();
  assert.equal(contentHash(sortDeep(input) as ConsignmentInput), contentHash(input));
});
