import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessRisk } from './assess-risk.js';
import { loadDefaultRuleSet } from './default-rule-set.js';
import type { ReferencePriceTable } from './reference-prices.js';
import { cleanConsignment, cleanItem, riskContext, riskInput } from './test-fixtures.js';
import { assessThresholdHugging } from './threshold-hugging.js';

// Drones usually sell at EUR 340; T-shirts at EUR 20.
const table: ReferencePriceTable = {
  version: 2,
  minSupport: 30,
  prices: {
    '880622': { medianEur: 340, logSpread: 0.66, support: 150 },
    '610910': { medianEur: 20, logSpread: 0.5, support: 900 },
  },
  refined: {},
};
const drone = (amount: string, quantity = 1) =>
  cleanConsignment({
    items: [
      cleanItem({
        description: 'Camera drone 4K with gimbal',
        hsCode: '880622',
        quantity,
        value: { amount, currency: 'EUR' },
      }),
    ],
  });

test('a drone declared at EUR 149.99 hugs the threshold; the same drone at EUR 120 or 150 does not', () => {
  const r = assessThresholdHugging(drone('149.99'), '149.99', table);
  assert.equal(r.score, 1);
  assert.equal(r.inputs.referenceKey, '880622');
  assert.match(r.reason, /just under the €150 threshold/);
  assert.equal(assessThresholdHugging(drone('120.00'), '120.00', table).score, 0, 'below the band');
  assert.equal(assessThresholdHugging(drone('150.00'), '150.00', table).score, 0, 'at the threshold');
});

test('goods whose reference price is below the threshold, or a basket of small items, do not hug it', () => {
  const shirts = cleanConsignment({
    items: [cleanItem({ quantity: 7, value: { amount: '145.00', currency: 'EUR' } })],
  });
  assert.equal(assessThresholdHugging(shirts, '145.00', table).score, 0);
  const basket = cleanConsignment({
    items: [
      cleanItem({
        description: 'Camera drone',
        hsCode: '880622',
        value: { amount: '100.00', currency: 'EUR' },
      }),
      cleanItem({ value: { amount: '45.00', currency: 'EUR' } }),
    ],
  });
  assert.equal(assessThresholdHugging(basket, '145.00', table).score, 0, 'the drone carries under 80%');
  assert.equal(assessThresholdHugging(drone('149.99'), '149.99', undefined).score, 0, 'no reference table');
  assert.equal(assessThresholdHugging(drone('149.99'), null, table).score, 0, 'no EUR value');
});

test('the score never falls as the declared value moves further below the reference within the band', () => {
  fc.assert(
    fc.property(fc.integer({ min: 13500, max: 14999 }), fc.integer({ min: 13500, max: 14999 }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const s = (cents: number) => {
        const v = (cents / 100).toFixed(2);
        return assessThresholdHugging(drone(v), v, table).score;
      };
      assert.ok(s(lo) >= s(hi));
      assert.ok(s(lo) >= 0 && s(lo) <= 1);
    }),
  );
});

test('with the default rule set a hugging drone is sent to the red lane and the hit explains why', () => {
  const ruleSet = loadDefaultRuleSet();
  const r = assessRisk(riskInput(drone('149.99'), { intrinsicValueEur: '149.99' }), {
    ...riskContext(ruleSet),
    referencePrices: table,
  });
  const hit = r.hits.find((h) => h.id === 'threshold-hugging');
  assert.ok(hit, 'threshold-hugging fired');
  assert.equal(hit.kind, 'indicator');
  assert.equal(r.lane, 'red');
  const honest = assessRisk(riskInput(drone('339.00'), { intrinsicValueEur: '339.00' }), {
    ...riskContext(ruleSet),
    referencePrices: table,
  });
  assert.equal(
    honest.hits.find((h) => h.id === 'threshold-hugging'),
    undefined,
  );
});

test("a dear item among other goods is weighed by the consignment's usual value, not its own price alone", () => {
  // Smartphones usually sell at EUR 193. A EUR 116 phone with EUR 26 of other goods (EUR 142) would
  // usually make a EUR 219 parcel: 1.5x its declared value, where the phone alone is 1.7x under its price.
  const phones: ReferencePriceTable = {
    ...table,
    prices: { ...table.prices, '851713': { medianEur: 193.39, logSpread: 0.45, support: 888 } },
  };
  const phone = cleanItem({
    description: 'Smartphone 6.67 inch AMOLED 6GB+128GB',
    hsCode: '851713',
    value: { amount: '116.00', currency: 'EUR' },
  });
  const basket = cleanConsignment({
    items: [phone, cleanItem({ value: { amount: '26.00', currency: 'EUR' } })],
  });
  const r = assessThresholdHugging(basket, '142.00', phones);
  assert.equal(r.inputs.usualValueEur, '219.39');
  assert.match(r.reason, /usually worth €219\.39 \(1\.5x the declared value\)/);
  // Under the default rule set's 0.5 threshold: the phone alone (1.67x) would have scored 0.61.
  assert.ok(r.score > 0 && r.score < 0.5, `score ${r.score}`);
  // The phone alone at the same parcel value is scored on its own price, as before.
  const alone = cleanConsignment({ items: [{ ...phone, value: { amount: '142.00', currency: 'EUR' } }] });
  const single = assessThresholdHugging(alone, '142.00', phones);
  assert.equal(single.inputs.usualValueEur, '193.39');
  assert.equal(single.score, 0.18);
});
