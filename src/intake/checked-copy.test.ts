import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkedCopy } from './checked-copy.js';
import { fastCopy } from './fast-copy.js';
import { editedRecord as applyEdits, exactText } from './fixtures.js';
import { isStructurallyValidCopy } from './schema-check.js';
import { generateFlood } from '../sim/index.js';

const exact = exactText;

/** Asserts that the checked copy is the specialised copy when its check passes, and nothing otherwise. */
function agrees(raw: unknown): boolean {
  const fast = fastCopy(raw);
  const expected = fast !== undefined && isStructurallyValidCopy(fast) ? fast : undefined;
  const checked = checkedCopy(raw);
  assert.equal(exact(checked), exact(expected), JSON.stringify(raw));
  return checked !== undefined;
}

// Edits aimed at every kind of structural rule: lengths, patterns, formats, bounds, literals, lists.
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
    ['totals', 'declaredValue'],
    ['transportDocument'],
    ['declarant'],
    ['declarant', 'address'],
    ['dates'],
    ['payment'],
    ['taxCollection'],
    ['documents'],
  ),
  key: fc.constantFrom(
    'name',
    'hsCode',
    'amount',
    'unit',
    'country',
    'id',
    'type',
    'currency',
    'countries',
    'quantity',
    'netWeightGrams',
    'origin',
    'status',
    'category',
    'source',
    'externalRef',
    'items',
    'additionalProcedureCodes',
    'accepted',
    'paidAt',
    'grossWeightGrams',
    'transportIncludedInPrice',
    'certificates',
    'invoice',
    'email',
    'street',
  ),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 3 }),
    fc.constantFrom(
      'x'.repeat(81),
      'x'.repeat(201),
      '',
      ' de ',
      'D1',
      'eur',
      'EURO',
      '12.345',
      '1.1234567',
      '2026-11-27T10:00:00Z',
      '2026-02-30T10:00:00Z',
      '2026-11-27 10:00',
      0,
      -1,
      1.5,
      1e9,
      Infinity,
      NaN,
      true,
      'S10',
      'AWB',
      'gift',
      'payment',
      'direct',
      'nobody',
      ['F48'],
      ['F48', 'F48'],
      ['F48', 'f49', 'C07'],
      ['F48', 'F49', 'C07', 'F48'],
      [],
      ['cn', ' de '],
      Array.from({ length: 21 }, () => 'DE'),
      { amount: 3, currency: 'eur' },
      undefined,
      null,
    ),
  ),
});

test('the checked copy is the specialised copy exactly when the structural check of that copy passes', () => {
  let copied = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 3 }), (edits) => {
      const raw = applyEdits(edits);
      if (agrees(raw)) copied++;
      else if (fastCopy(raw) !== undefined) refused++;
    }),
    { numRuns: 5000 },
  );
  assert.ok(copied > 300, `only ${copied} records passed the checked copy`);
  assert.ok(refused > 60, `only ${refused} copied records failed the check`);
  fc.assert(
    fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 4 }), (raw) => {
      agrees(raw);
    }),
    { numRuns: 500 },
  );
});

test('every generated record passes the checked copy as the specialised copy', () => {
  for (const r of generateFlood({ seed: 'checked-copy', count: 300, day: '2026-11-27' }))
    assert.ok(agrees(r.input), JSON.stringify(r.input));
});
