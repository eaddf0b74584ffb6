/** Protected brands and their authorised sellers: the IPR indicator stands down, says why, and tells the submitter nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsignmentInput, SourceKind } from '../domain/index.js';
import { assessRisk } from './assess-risk.js';
import { assessBrandPrice, BrandMatcher, sellerIdentityKey } from './brand-price.js';
import { redactForSubmitter } from './redact.js';
import { cleanConsignment, cleanItem, compiled, riskContext, riskInput } from './test-fixtures.js';

const brands = new BrandMatcher([
  { name: 'Acmewear', floorEur: '80', authorisedSellers: [' MKT / Acme-Official ', 'shop-2/９９１'] },
]);

const parcel = (amount: string, platform = { id: 'mkt', orderId: 'o-1', sellerId: 'acme-official' }) =>
  cleanConsignment({
    platform,
    items: [cleanItem({ description: 'Acmewear running jacket', value: { amount, currency: 'EUR' } })],
  });

const order: SourceKind[] = ['platform-order', 'carrier-waybill'];
const waybillOnly: SourceKind[] = ['carrier-waybill'];

test('seller identities compare trimmed, case-folded, NFKC-normalised and without invisible characters', () => {
  assert.equal(sellerIdentityKey(' MKT / Acme-Official '), 'mkt/acme-official');
  assert.equal(sellerIdentityKey('mkt', 'ＡＣＭＥ\u200b-official'), 'mkt/acme-official');
  assert.equal(sellerIdentityKey('mkt', '  '), null);
  assert.equal(sellerIdentityKey('no-slash'), null);
  assert.notEqual(sellerIdentityKey('mkt', 'acme-officia1'), sellerIdentityKey('mkt', 'acme-official'));
});

test("an authorised seller's parcel below the brand floor is not a counterfeit signal, and the result says why", () => {
  const r = assessBrandPrice(parcel('50.00'), '50.00', brands, undefined, order);
  assert.equal(r.score, 0);
  assert.match(r.note ?? '', /authorised seller/);
  assert.equal(r.inputs['authorisedSeller'], 'mkt/acme-official');
  // Written differently by the platform: full-width digits, other case, spaces.
  const other = parcel('50.00', { id: 'SHOP-2', orderId: 'o-2', sellerId: ' 991 ' });
  assert.equal(assessBrandPrice(other, '50.00', brands, undefined, order).score, 0);
  // Any other seller at that price is flagged.
  const stranger = parcel('50.00', { id: 'mkt', orderId: 'o-3', sellerId: 'acme-officia1' });
  assert.ok(assessBrandPrice(stranger, '50.00', brands, undefined, order).score >= 0.5);
});

test('the exemption needs the platform order to vouch for the seller, and never covers a grossly low price', () => {
  const claimed = assessBrandPrice(parcel('50.00'), '50.00', brands, undefined, waybillOnly);
  assert.ok(claimed.score >= 0.5, "a waybill naming the authorised seller is only the shipper's word");
  assert.match(claimed.reason, /no order record of its platform confirms the seller/);
  const gross = assessBrandPrice(parcel('15.00'), '15.00', brands, undefined, order);
  assert.ok(gross.score >= 0.5, 'EUR 15 is below a quarter of the EUR 80 floor');
  assert.match(gross.reason, /below a quarter of the floor/);
  assert.equal(gross.note, undefined);
});

test("the decision's explanation records the authorised seller at 0 points; the submitter's view reveals nothing of it", () => {
  const rs = compiled(
    [{ ...ruleDoc, id: 'R-COUNTERFEIT', when: 'indicator("brand-price") >= 0.5', weight: 50 }],
    { indicators: { 'brand-price': { threshold: 0.5, weight: 20 } } },
  );
  const ruleSet = { ...rs, brands };
  const assess = (c: ConsignmentInput, sourceKinds: SourceKind[]) =>
    assessRisk(riskInput(c, { sourceKinds, intrinsicValueEur: '50.00' }), riskContext(ruleSet));
  const genuine = assess(parcel('50.00'), order);
  assert.equal(genuine.score, 0);
  assert.equal(genuine.lane, 'green');
  const note = genuine.hits.find((h) => h.id === 'brand-price');
  assert.equal(note?.score, 0);
  assert.match(note?.reason ?? '', /mkt\/acme-official, an authorised seller/);
  const fake = assess(parcel('50.00', { id: 'mkt', orderId: 'o-9', sellerId: 'bargains' }), order);
  assert.deepEqual(
    fake.hits.map((h) => h.id),
    ['brand-price', 'R-COUNTERFEIT'],
  );
  const shown = JSON.stringify(redactForSubmitter(genuine));
  for (const secret of ['authoris', 'acme-official', 'brand', 'Acmewear', 'floor'])
    assert.ok(!shown.toLowerCase().includes(secret.toLowerCase()), `${secret} in ${shown}`);
  assert.deepEqual(redactForSubmitter(genuine), redactForSubmitter(assess(cleanConsignment(), order)));
});

const ruleDoc = {
  version: 1,
  title: 'counterfeit',
  author: 'test',
  effectiveFrom: '2021-07-01',
  reason: 'protected brand below its floor',
};
