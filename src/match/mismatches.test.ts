import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dec, type ConsignmentInput, type Item } from '../domain/index.js';
import {
  compareRecords,
  DEFAULT_TOLERANCES,
  normaliseName,
  normalisePostcode,
  summarise,
  withinTolerance,
} from './mismatches.js';
import { sampleConsignment } from './sample-consignment.js';

const base = sampleConsignment('declaration');

function compare(other: ConsignmentInput, tolerances = DEFAULT_TOLERANCES) {
  return compareRecords(summarise('declaration', base), summarise('carrier-waybill', other), tolerances);
}

function withItem(index: number, change: Partial<Item>): ConsignmentInput {
  const copy = structuredClone(base);
  copy.source = 'carrier-waybill';
  copy.items[index] = { ...copy.items[index]!, ...change };
  return copy;
}

test('two agreeing sources have no mismatches', () => {
  assert.deepEqual(compare(sampleConsignment('carrier-waybill')), []);
});

test('a total value outside the tolerance is a value mismatch between the two source kinds', () => {
  const mismatches = compare(withItem(0, { value: { amount: '10.00', currency: 'EUR' } }));
  assert.equal(mismatches.length, 1);
  const [m] = mismatches;
  assert.equal(m?.field, 'value');
  assert.deepEqual(m?.between, ['declaration', 'carrier-waybill']);
  assert.deepEqual(m?.values, ['38.00', '18.00']);
  assert.match(
    m?.message ?? '',
    /declaration gives a total value of 38.00 EUR but carrier-waybill gives 18.00 EUR/,
  );
});

test('a total value within 0.50 on a small parcel is not a mismatch', () => {
  assert.deepEqual(compare(withItem(0, { value: { amount: '30.49', currency: 'EUR' } })), []);
  assert.equal(compare(withItem(0, { value: { amount: '30.51', currency: 'EUR' } }))[0]?.field, 'value');
});

test('a total value within 1% on a large parcel is not a mismatch', () => {
  const large = (amount: string): ConsignmentInput => ({
    ...base,
    items: [{ ...base.items[0]!, value: { amount, currency: 'EUR' } }],
  });
  const a = summarise('declaration', large('1000.00'));
  assert.deepEqual(compareRecords(a, summarise('payment', large('990.00'))), []);
  assert.equal(compareRecords(a, summarise('payment', large('989.99')))[0]?.field, 'value');
});

test('no value mismatch fires for any difference within the larger of 1% and 0.50', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      (cents, f) => {
        const a = dec(cents).div(100);
        const allowed = a.times('0.01').gt('0.5') ? a.times('0.01') : dec('0.5');
        const b = a.plus(allowed.times(f).toDecimalPlaces(2, 1));
        assert.equal(withinTolerance(a, b, DEFAULT_TOLERANCES), true);
      },
    ),
  );
});

test('the tolerances are parameters', () => {
  const strict = { valueRatio: '0', valueAbsolute: '0' };
  assert.equal(
    compare(withItem(0, { value: { amount: '30.01', currency: 'EUR' } }), strict)[0]?.field,
    'value',
  );
});

test('different currencies are a currency mismatch and the totals are not compared', () => {
  const other = structuredClone(base);
  for (const item of other.items) item.value = { amount: '1.00', currency: 'USD' };
  const mismatches = compareRecords(summarise('declaration', base), summarise('payment', other));
  assert.deepEqual(
    mismatches.map((m) => [m.field, m.values]),
    [['currency', ['EUR', 'USD']]],
  );
});

test('a different quantity of an item is a quantity mismatch at that item index', () => {
  const [m, ...rest] = compare(withItem(1, { quantity: 3 }));
  assert.deepEqual(rest, []);
  assert.equal(m?.field, 'quantity');
  assert.equal(m?.itemIndex, 1);
  assert.deepEqual(m?.values, ['2 pcs', '3 pcs']);
});

test('the same quantity in grams and kilograms is not a quantity mismatch', () => {
  const a = summarise('declaration', withItem(0, { quantity: 1.5, unit: 'kg' }));
  assert.deepEqual(compareRecords(a, summarise('payment', withItem(0, { quantity: 1500, unit: 'g' }))), []);
  assert.equal(
    compareRecords(a, summarise('payment', withItem(0, { quantity: 1.5, unit: 'l' })))[0]?.field,
    'quantity',
  );
});

test('a different number of items is one items mismatch and no per-item comparison', () => {
  const other: ConsignmentInput = {
    ...base,
    items: [{ ...base.items[0]!, value: { amount: '38.00', currency: 'EUR' } }],
  };
  const mismatches = compareRecords(summarise('declaration', base), summarise('platform-order', other));
  assert.deepEqual(
    mismatches.map((m) => [m.field, m.values]),
    [['items', ['2', '1']]],
  );
});

test('HS codes that differ in the first six digits are an hsCode mismatch; national digits are ignored', () => {
  assert.deepEqual(compare(withItem(1, { hsCode: '392690' })), []);
  const [m] = compare(withItem(1, { hsCode: '420232' }));
  assert.equal(m?.field, 'hsCode');
  assert.equal(m?.itemIndex, 1);
  assert.deepEqual(m?.values, ['39269097', '420232']);
});

test('a missing HS code on one side is not an hsCode mismatch', () => {
  const other = withItem(0, {});
  delete other.items[0]!.hsCode;
  assert.deepEqual(compare(other), []);
});

test('a different country of origin is an origin mismatch at that item index', () => {
  const [m] = compare(withItem(0, { origin: 'VN' }));
  assert.equal(m?.field, 'origin');
  assert.equal(m?.itemIndex, 0);
  assert.deepEqual(m?.values, ['CN', 'VN']);
});

test('a consignee with another name or postcode is a consignee mismatch', () => {
  const renamed = structuredClone(base);
  renamed.consignee!.name = 'Hans Schmidt';
  assert.equal(compare(renamed)[0]?.field, 'consignee');
  const moved = structuredClone(base);
  moved.consignee!.address.postcode = '80331';
  const [m] = compare(moved);
  assert.equal(m?.field, 'consignee');
  assert.deepEqual(m?.values, ['anna muller, 10115', 'anna muller, 80331']);
});

test('consignee names compare without accents, case, punctuation or word order', () => {
  const other = structuredClone(base);
  other.consignee!.name = 'MULLER, anna';
  other.consignee!.address.postcode = ' 10115 ';
  assert.deepEqual(compare(other), []);
  assert.equal(normaliseName('  Zhāng   Wěi '), normaliseName('wei ZHANG'));
  assert.equal(normalisePostcode('sw1a 1aa'), 'SW1A1AA');
});

test('a postcode known to only one source does not make a consignee mismatch', () => {
  const other = structuredClone(base);
  delete other.consignee!.address.postcode;
  assert.deepEqual(compare(other), []);
});
