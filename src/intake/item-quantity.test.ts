/** Pieces, pairs and sets are counted: 1.5 pcs is refused; kilograms, litres and metres may be fractions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateConsignment } from './index.js';
import { hs, validRecord } from './fixtures.js';

const withQuantity = (quantity: number, unit: string) => {
  const r = validRecord();
  r.items[0] = { ...r.items[0]!, quantity, unit } as (typeof r.items)[number];
  return r;
};

test('a fractional quantity of a counted unit is refused at the field; whole ones and measured units pass', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      fc.constantFrom('pcs', 'pair', 'set', 'kg', 'g', 'l', 'ml', 'm', 'm2'),
      (quantity, unit) => {
        const r = validateConsignment(withQuantity(quantity, unit), hs);
        const counted = unit === 'pcs' || unit === 'pair' || unit === 'set';
        if (counted && !Number.isInteger(quantity)) {
          assert.equal(r.ok, false);
          const issue = !r.ok ? r.error.find((i) => i.code === 'item.quantity-not-whole') : undefined;
          assert.equal(issue?.path, '/items/0/quantity');
          assert.match(issue!.message, new RegExp(`whole number of ${unit}`));
        } else assert.equal(r.ok, true, JSON.stringify(r));
      },
    ),
  );
});
