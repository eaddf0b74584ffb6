import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { screenInput, screenSorted } from './normalise.js';
import { validateConsignment } from './index.js';
import { hs, validRecord } from './fixtures.js';

// True when every plain object in `value` has its keys inserted in ascending UTF-16 order (an object
// still enumerates integer-like keys first, so that is the order compared against). Other objects
// (class instances, array look-alikes) are passed through as they are, and validation rejects them.
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (typeof value !== 'object' || value === null) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  const keys = Object.keys(value);
  const inserted = Object.keys(Object.fromEntries([...keys].sort().map((k) => [k, 0])));
  return JSON.stringify(keys) === JSON.stringify(inserted) && Object.values(value).every(keysSorted);
}

// Rebuilds every object with its keys in reverse order, arrays untouched.
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse())
    out[key] = reverseKeys((value as Record<string, unknown>)[key]);
  return out;
}

const mutatedRecord = fc
  .record({
    key: fc.constantFrom(
      'items',
      'routing',
      'seller',
      'dates',
      'totals',
      'transportDocument',
      'taxCollection',
    ),
    v: fc.jsonValue(),
  })
  .map((m) => ({ ...validRecord(), [m.key]: m.v }));

const rawInputs = fc.oneof(
  fc.json().map((text) => JSON.parse(text) as unknown),
  fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 7 }),
  mutatedRecord,
  mutatedRecord.map(reverseKeys),
  fc.constant(JSON.parse('{"items":[{"__proto__":{"a":1},"unit":" KG "}]}') as unknown),
);

describe('screenSorted, the fast path of screening', () => {
  it('gives the same copy as screenInput, with sorted keys, and fails exactly on hostile input', () => {
    // Once found: an array look-alike (Array.prototype, not an array) holding an unsorted object.
    const lookAlike = Object.setPrototypeOf({ '': { ' ': 0, '': {} } }, Array.prototype) as unknown;
    const raw = { ...validRecord(), items: lookAlike };
    assert.deepEqual(screenSorted(raw)?.value, screenInput(raw).value);
    fc.assert(
      fc.property(rawInputs, (raw) => {
        const slow = screenInput(raw);
        const fast = screenSorted(raw);
        if (slow.issues.length > 0) {
          assert.equal(fast, undefined);
          return;
        }
        assert.ok(fast !== undefined);
        assert.deepEqual(fast.value, slow.value);
        assert.ok(keysSorted(fast.value));
      }),
      { numRuns: 1000 },
    );
  });

  it('normalises in the copy as before: default unit, empty HS code dropped, codes upper-cased', () => {
    const raw = validRecord();
    raw.items[0] = { ...raw.items[0], hsCode: ' . ', origin: 'cn', value: { amount: 12.5, currency: 'eur' } };
    delete raw.items[0]!.unit;
    const fast = screenSorted(raw);
    assert.ok(fast !== undefined);
    assert.deepEqual(fast.value, screenInput(raw).value);
    const item = (fast.value as { items: Record<string, unknown>[] }).items[0]!;
    assert.deepEqual(Object.keys(item), [
      'description',
      'netWeightGrams',
      'origin',
      'quantity',
      'unit',
      'value',
    ]);
    assert.equal(item.unit, 'pcs');
    assert.deepEqual(item.value, { amount: '12.5', currency: 'EUR' });
  });
});

describe('validateConsignment key order', () => {
  it('returns accepted records with sorted keys whatever the input key order', () => {
    for (const raw of [validRecord(), reverseKeys(validRecord())]) {
      const r = validateConsignment(raw, hs);
      assert.equal(r.ok, true);
      if (r.ok) assert.ok(keysSorted(r.value));
    }
  });

  it('reports issues in input order, as before the sorted fast path', () => {
    const raw = { ...validRecord(), zeta: 1, alpha: 2 };
    const r = validateConsignment(raw, hs);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.error.map((i) => i.path).slice(0, 2), ['/zeta', '/alpha']);
  });
});
