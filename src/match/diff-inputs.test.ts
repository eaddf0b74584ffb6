import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { diffInputs, escapePointerToken } from './diff-inputs.js';
import { sampleConsignment } from './sample-consignment.js';

test('identical consignments have no differences', () => {
  assert.deepEqual(diffInputs(sampleConsignment(), sampleConsignment()), []);
});

test('a changed item value is reported at its leaf', () => {
  const a = sampleConsignment();
  const b = structuredClone(a);
  b.items[1]!.value.amount = '9.00';
  b.consignee!.address.postcode = '10117';
  assert.deepEqual(diffInputs(a, b), ['/consignee/address/postcode', '/items/1/value/amount']);
});

test('added and removed fields and array elements are reported', () => {
  const a = sampleConsignment();
  const b: ConsignmentInput = {
    ...structuredClone(a),
    masterReference: 'MAWB-1',
    items: a.items.slice(0, 1),
  };
  delete b.taxCollection;
  assert.deepEqual(diffInputs(a, b), ['/items/1', '/masterReference', '/taxCollection']);
});

test('a property holding undefined is the same as an absent property', () => {
  const a = sampleConsignment();
  const b: ConsignmentInput = { ...a, masterReference: undefined };
  assert.deepEqual(diffInputs(a, b), []);
});

test('pointer tokens escape tilde and slash as RFC 6901 requires', () => {
  assert.equal(escapePointerToken('a/b~c'), 'a~1b~0c');
  assert.equal(escapePointerToken('plain'), 'plain');
});

test('the diff of any JSON value with itself is empty and with a changed leaf names exactly that leaf', () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
      fc.string(),
      (record, replacement) => {
        const asInput = record as unknown as ConsignmentInput;
        assert.deepEqual(diffInputs(asInput, structuredClone(asInput)), []);
        const [key] = Object.keys(record);
        fc.pre(key !== undefined && record[key] !== replacement);
        const changed = { ...record, [key as string]: replacement } as unknown as ConsignmentInput;
        const paths = diffInputs(asInput, changed);
        assert.ok(paths.length >= 1);
        for (const path of paths) assert.ok(path.startsWith(`/${escapePointerToken(key as string)}`));
      },
    ),
  );
});
