import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FreshConsignment } from '../store/index.js';
import { freshFacts, memberText } from './fresh-facts.js';

test('a member cut out of compact JSON is the JSON of that member, found only at the top level', () => {
  const key = fc.constantFrom('consignee', 'seller', 'merged', 'a', '"', 'a"b', '\\', 'revenue');
  const value = fc.jsonValue({ maxDepth: 3 });
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 5 }), key, (object, wanted) => {
      const json = JSON.stringify(object);
      const own = Object.prototype.hasOwnProperty.call(object, wanted);
      assert.equal(memberText(json, wanted), own ? JSON.stringify(object[wanted]) : undefined);
    }),
    { numRuns: 2000 },
  );
});

test('key-like text inside strings or nested objects is not a member', () => {
  const json = JSON.stringify({ a: '"seller":1', b: { seller: 2 }, c: ['seller', { seller: 3 }], seller: 4 });
  assert.equal(memberText(json, 'seller'), '4');
  assert.equal(memberText(JSON.stringify({ a: { seller: 1 } }), 'seller'), undefined);
});

test('facts come from the merged data when the document has it, else from the only declaration', () => {
  const party = (name: string) => ({ name, address: { country: 'DE' } });
  const assessment = { revenue: { currency: 'EUR', intrinsicValue: '12.50' }, assessedAt: 'T1' };
  const fresh = (merged: unknown) =>
    ({
      id: 'csg_x',
      currency: 'EUR',
      doc: JSON.stringify({ id: 'csg_x', merged, assessment }),
      declarations: [{ json: JSON.stringify({ consignee: party('Declared'), seller: party('S') }) }],
    }) as unknown as FreshConsignment;
  const merged = freshFacts(fresh({ consignee: party('Merged'), platform: { id: 'P', sellerId: 'P1' } }));
  assert.deepEqual(merged, {
    parties: { consignee: party('Merged'), platform: { id: 'P', sellerId: 'P1' } },
    intrinsicValue: '12.50',
    currency: 'EUR',
    assessedAt: 'T1',
  });
  assert.equal(freshFacts(fresh(null)).parties.consignee?.name, 'Declared');
  assert.equal(freshFacts(fresh(null)).parties.seller?.name, 'S');
});
