import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConsigneeWindow } from './consignee-window.js';
import { assessPrepaidTax } from './prepaid-tax.js';
import { splitShipmentIndicator } from './split-shipment.js';
import { cleanConsignment, cleanItem } from './test-fixtures.js';
import { consigneePseudonym, sellerPseudonym } from '../privacy/pseudonym.js';

const ioss = (amount: string) =>
  cleanConsignment({
    taxCollection: { scheme: 'IOSS', number: 'IM2760000001', taxPaid: { amount, currency: 'EUR' } },
  });

test('a declared tax paid well below the computed checkout tax scores; rounding differences do not', () => {
  const computed = { amount: '19.00', currency: 'EUR' };
  assert.equal(assessPrepaidTax(ioss('19.00'), computed).score, 0);
  assert.equal(assessPrepaidTax(ioss('18.90'), computed).score, 0);
  assert.equal(assessPrepaidTax(ioss('9.50'), computed).score, 1);
  const r = assessPrepaidTax(ioss('15.20'), computed);
  assert.equal(r.score, 0.4);
  assert.deepEqual(r.inputs, { declared: '15.20', computed: '19.00', currency: 'EUR' });
  assert.equal(assessPrepaidTax(ioss('1.00'), undefined).score, 0);
  assert.equal(assessPrepaidTax(ioss('1.00'), { amount: '19.00', currency: 'SEK' }).score, 0);
});

test('the prepaid-tax score never decreases as the declared amount falls', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const computed = { amount: '40.00', currency: 'EUR' };
      const sLo = assessPrepaidTax(ioss((lo / 100).toFixed(2)), computed).score;
      const sHi = assessPrepaidTax(ioss((hi / 100).toFixed(2)), computed).score;
      assert.ok(sLo >= sHi);
    }),
  );
});

test('the consignee window answers the split-shipment indicator and forgets parcels past its window', () => {
  const w = new ConsigneeWindow(24);
  const parcel = (ref: string) =>
    cleanConsignment({
      externalRef: ref,
      items: [cleanItem({ value: { amount: '90.00', currency: 'EUR' } })],
    });
  w.note('c1', parcel('a'), '90.00', '2026-11-27T08:00:00.000Z');
  w.note('c2', parcel('b'), '90.00', '2026-11-27T09:00:00.000Z');
  // Re-noting a consignment (a reassessment) replaces it rather than counting it twice.
  w.note('c2', parcel('b'), '90.00', '2026-11-27T09:30:00.000Z');
  assert.equal(w.size, 2);
  // The stored forms are keyed pseudonyms of the folded name, street, postcode and country, and of the seller id.
  const key = consigneePseudonym('becker hans|||DE');
  assert.equal(w.recentForConsignee(key).length, 2);
  const r = splitShipmentIndicator(
    {
      key,
      ref: 'c3',
      valueEur: '90.00',
      at: '2026-11-27T10:00:00.000Z',
      seller: sellerPseudonym('seller-1'),
    },
    w,
  );
  assert.equal(r.score, 0.75);
  w.note('c9', parcel('z'), '10.00', '2026-11-28T09:15:00.000Z');
  assert.deepEqual(
    w.recentForConsignee(key).map((p) => p.ref),
    ['c2', 'c9'],
  );
});

test('repeat offenders raise risk and a clean inspection record lowers it, but never below zero', async () => {
  const { PartyBook, assessOperatorTrust, assessRepeatOffender } = await import('./party-history.js');
  const book = new PartyBook();
  const c = cleanConsignment();
  assert.equal(assessRepeatOffender(c, book).score, 0);
  book.record(consigneePseudonym('becker hans|||DE'), sellerPseudonym('seller-1'), true);
  assert.equal(assessRepeatOffender(c, book).score, 0.6);
  book.record(consigneePseudonym('becker hans|||DE'), null, true);
  const r = assessRepeatOffender(c, book);
  assert.equal(r.score, 0.8);
  assert.deepEqual(r.inputs, { party: 'consignee', inspections: 2, findings: 2 });
  assert.equal(assessOperatorTrust(c, book).score, 0, 'a seller with a finding is not trusted');
  const clean = new PartyBook();
  for (let i = 0; i < 10; i++) clean.record(null, sellerPseudonym('seller-1'), false);
  assert.equal(assessOperatorTrust(c, clean).score, 0.5);
});
