import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessRisk } from './assess-risk.js';
import { loadDefaultRuleSet } from './default-rule-set.js';
import { assessGrossWeight } from './gross-weight.js';
import { cleanConsignment, cleanItem, riskContext, riskInput } from './test-fixtures.js';

const parcel = (gross: number | undefined, nets: number[]) =>
  cleanConsignment({
    items: nets.map((netWeightGrams) => cleanItem({ netWeightGrams })),
    ...(gross === undefined ? {} : { totals: { grossWeightGrams: gross } }),
  });

test('a gross weight below the sum of the net weights is a data-quality signal with a plain reason', () => {
  const r = assessGrossWeight(parcel(300, [200, 250]));
  assert.ok(r.score >= 0.5 && r.score < 1, String(r.score));
  assert.equal(r.reason, 'gross weight 300 g is less than the 450 g the items weigh net (150 g missing)');
  assert.deepEqual(r.inputs, { grossWeightGrams: 300, netWeightGrams: 450 });
  // A gross weight of 0 with goods inside is the strongest form of it.
  assert.equal(assessGrossWeight(parcel(0, [200])).score, 1);
});

test('the signal fires exactly when a gross weight is given and is below the net total', () => {
  fc.assert(
    fc.property(
      fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
      fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 5 }),
      (gross, nets) => {
        const net = nets.reduce((a, b) => a + b, 0);
        const r = assessGrossWeight(parcel(gross, nets));
        assert.equal(r.score > 0, gross !== undefined && gross < net);
        assert.ok(r.score <= 1);
      },
    ),
  );
});

test('the shipped rule set records it as an indicator hit without holding the parcel for it alone', () => {
  const ruleSet = loadDefaultRuleSet();
  const risk = assessRisk(riskInput(parcel(100, [200, 250])), riskContext(ruleSet));
  const hit = risk.hits.find((h) => h.id === 'gross-weight');
  assert.ok(hit, JSON.stringify(risk.hits));
  assert.equal(hit.kind, 'indicator');
  assert.match(hit.reason, /less than the 450 g the items weigh net/);
  assert.ok(risk.score > 0);
  assert.equal(risk.lane, 'green', 'carriers do send such data: a hint, not a hold');
  const fine = assessRisk(riskInput(parcel(500, [200, 250])), riskContext(ruleSet));
  assert.equal(
    fine.hits.some((h) => h.id === 'gross-weight'),
    false,
  );
});
