import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fastCopy } from './fast-copy.js';
import { editedRecord as applyEdits, exactText, validRecord } from './fixtures.js';
import { screenSorted } from './normalise.js';
import { isStructurallyValid, isStructurallyValidCopy } from './schema-check.js';
import { generateFlood } from '../sim/index.js';

const exact = exactText;

function agrees(raw: unknown): boolean {
  const fast = fastCopy(raw);
  if (fast === undefined) return false;
  const general = screenSorted(raw);
  assert.ok(general !== undefined, 'the specialised copy accepted a hostile record');
  assert.equal(exact(fast), exact(general.value));
  assert.equal(isStructurallyValidCopy(fast), isStructurallyValid(fast));
  return true;
}

// Random edits of a valid record: unknown keys, wrong kinds, empty or spaced codes, numeric amounts.
const edit = fc.record({
  path: fc.constantFrom(
    [],
    ['items', 0],
    ['items', 0, 'value'],
    ['consignee'],
    ['consignee', 'address'],
    ['seller'],
    ['routing'],
    ['totals'],
    ['transportDocument'],
    ['declarant'],
  ),
  key: fc.constantFrom(
    'name',
    'hsCode',
    'amount',
    'unit',
    'country',
    'extra',
    'id',
    'currency',
    'countries',
    '10',
    'declarant',
  ),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(' 6109.10 ', '', 'de', 12.5, undefined, null, [], ['cn', ' de '], {
      amount: 3,
      currency: 'eur',
    }),
  ),
});

test('the specialised copy is the general sorted copy whenever it copies, and its check the full check', () => {
  let copied = 0;
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 3 }), (edits) => {
      if (agrees(applyEdits(edits))) copied++;
    }),
    { numRuns: 3000 },
  );
  assert.ok(copied > 300, `only ${copied} records took the specialised copy`);
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 4 }), (raw) => {
      agrees(raw);
    }),
    { numRuns: 500 },
  );
});

test('every generated record takes the specialised copy', () => {
  for (const r of generateFlood({ seed: 'fast-copy', count: 200, day: '2026-11-27' }))
    assert.ok(agrees(r.input), JSON.stringify(r.input));
});

test('keys the copy cannot see as the record own (inherited, non-enumerable) send the record the general way', () => {
  const inherited = Object.create({ category: 'gift' }) as Record<string, unknown>;
  Object.assign(inherited, validRecord());
  delete inherited.category;
  assert.equal(fastCopy(inherited), undefined);
  const hidden = validRecord() as unknown as Record<string, unknown>;
  Object.defineProperty(hidden, 'externalRef', { value: 'X', enumerable: false });
  assert.equal(fastCopy(hidden), undefined);
});
