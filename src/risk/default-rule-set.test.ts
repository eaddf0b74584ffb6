import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConsignmentInput, Mismatch, SourceKind } from '../domain/index.js';
import { assessRisk } from './assess-risk.js';
import { loadDefaultRuleSet, rulesPath } from './default-rule-set.js';
import { cleanConsignment, cleanItem, riskContext, riskInput } from './test-fixtures.js';
import { buildWatchlist } from './watchlist.js';

interface Scenario {
  c: ConsignmentInput;
  intrinsicValueEur?: string | null;
  mismatches?: Mismatch[];
  sourceKinds?: SourceKind[];
}

const item = cleanItem;
const withItem = (
  over: Parameters<typeof cleanItem>[0],
  c: Partial<ConsignmentInput> = {},
): ConsignmentInput => cleanConsignment({ items: [item(over)], ...c });

const scenarios: Record<string, Scenario> = {
  'R-VALUE-NEAR-150': {
    c: withItem({ value: { amount: '149.99', currency: 'EUR' } }),
    intrinsicValueEur: '149.99',
  },
  'R-VAGUE-DESC': { c: withItem({ description: 'Spare parts', hsCode: '870899' }) },
  'R-GIFT-ON-PLATFORM': { c: cleanConsignment({ category: 'gift' }) },
  'R-DOCUMENTS-WITH-GOODS': {
    c: withItem(
      {
        description: 'Business letters',
        hsCode: '490199',
        netWeightGrams: 2500,
        value: { amount: '0', currency: 'EUR' },
      },
      { category: 'documents' },
    ),
  },
  'R-RETURNED-NO-REF': { c: cleanConsignment({ category: 'returned' }) },
  'R-MISSING-HS': { c: withItem({ hsCode: undefined }) },
  'R-LITHIUM-BATTERY': { c: withItem({ description: 'Power bank 10000mAh', hsCode: '850760' }) },
  'R-WEAPONS': { c: withItem({ description: 'Airsoft pistol', hsCode: '930400' }) },
  'R-DRUGS-PRECURSORS': { c: withItem({ description: '4-ANPP powder', hsCode: '293339' }) },
  'R-MEDICINES': { c: withItem({ description: 'Sildenafil tablets', hsCode: '300490' }) },
  'R-SPS-FOOD-ANIMAL': { c: withItem({ description: 'Dried beef jerky', hsCode: '160250' }) },
  'R-TOBACCO-ECIG': { c: withItem({ description: 'Disposable vape pen', hsCode: '854340' }) },
  'R-COUNTERFEIT-BRAND': {
    c: withItem({
      description: 'Rolex Submariner watch',
      hsCode: '910221',
      value: { amount: '35.00', currency: 'EUR' },
    }),
    intrinsicValueEur: '35.00',
  },
  'R-VALUE-MISMATCH': {
    c: cleanConsignment(),
    mismatches: [
      {
        field: 'value',
        between: ['payment', 'declaration'],
        values: ['89.00', '25.00'],
        message: 'paid 89.00, declared 25.00',
      },
    ],
  },
  'R-IOSS-ABOVE-150': {
    c: withItem(
      { value: { amount: '180.00', currency: 'EUR' } },
      { taxCollection: { scheme: 'IOSS', number: 'IM2760000742' } },
    ),
    intrinsicValueEur: '180.00',
  },
  'R-WATCHLIST-CONSIGNEE': {
    c: cleanConsignment({ consignee: { name: 'Ivan Petrov', address: { country: 'DE' } } }),
  },
  'R-WATCHLIST-SELLER': {
    c: cleanConsignment({ seller: { name: 'Shady Goods Ltd', address: { country: 'CN' } } }),
  },
  'R-TOTAL-NE-ITEMS': {
    c: cleanConsignment({ totals: { declaredValue: { amount: '12.00', currency: 'EUR' } } }),
  },
  'R-LOW-VALUE-PER-KG': {
    c: withItem({
      description: 'Cotton T-shirts',
      netWeightGrams: 5000,
      value: { amount: '5.00', currency: 'EUR' },
    }),
    intrinsicValueEur: '5.00',
  },
  'R-HIGH-VALUE-PER-KG': {
    c: withItem({
      description: 'Gold ring',
      hsCode: '711319',
      netWeightGrams: 5,
      value: { amount: '140.00', currency: 'EUR' },
    }),
    intrinsicValueEur: '140.00',
  },
  'R-UNIDENTIFIED-SELLER': {
    c: cleanConsignment({ platform: undefined, seller: { name: 'Li Wei', address: { country: 'CN' } } }),
    sourceKinds: ['declaration'],
  },
  'R-KNIVES': { c: withItem({ description: 'Butterfly knife balisong', hsCode: '821193' }) },
  'R-PLANTS-SEEDS': { c: withItem({ description: 'Rare flower seeds mix', hsCode: '120930' }) },
  'R-APPAREL-LOW-DUTY-HS': {
    c: withItem({ description: 'Fluffy indoor slippers, EU 42', hsCode: '490199' }),
  },
  'R-CASH': { c: withItem({ description: 'Banknotes', hsCode: '490700' }) },
};

const ruleSet = loadDefaultRuleSet();
const watchlist = buildWatchlist({
  consignees: [{ name: 'Ivan Petrov' }],
  sellers: [{ name: 'Shady Goods Ltd' }],
});

function run(s: Scenario): ReturnType<typeof assessRisk> {
  return assessRisk(
    riskInput(s.c, {
      intrinsicValueEur: s.intrinsicValueEur,
      mismatches: s.mismatches,
      sourceKinds: s.sourceKinds,
    }),
    riskContext(ruleSet, { watchlist }),
  );
}

test('the default rule set compiles and carries at least 15 rules', () => {
  assert.equal(ruleSet.key, 'eu-default@6');
  assert.ok(ruleSet.rules.length >= 15);
  const doc = JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8')) as {
    rules: { reason: string }[];
  };
  for (const r of doc.rules) assert.ok(r.reason.length > 20);
});

test('a clean consignment fires no default rule and no indicator', () => {
  const r = run({ c: cleanConsignment() });
  assert.deepEqual(r.hits, []);
  assert.equal(r.lane, 'green');
  assert.equal(r.security, 'assessment-complete');
});

test('every default rule has a scenario in this table', () => {
  assert.deepEqual(ruleSet.rules.map((r) => r.id).sort(), Object.keys(scenarios).sort());
});

for (const [id, scenario] of Object.entries(scenarios)) {
  test(`default rule ${id} fires on its scenario with a plain reason`, () => {
    const r = run(scenario);
    const hit = r.hits.find((h) => h.id === id);
    assert.ok(hit, `${id} did not fire; hits: ${r.hits.map((h) => h.id).join(', ')}`);
    assert.equal(hit.kind, 'rule');
    assert.doesNotMatch(hit.reason, /\{|n\/a/);
  });
}

test('weapons are do-not-load and red; lithium batteries are a security referral only', () => {
  const weapons = run(scenarios['R-WEAPONS'] as Scenario);
  assert.equal(weapons.security, 'do-not-load');
  assert.equal(weapons.lane, 'red');
  const battery = run(scenarios['R-LITHIUM-BATTERY'] as Scenario);
  assert.equal(battery.security, 'referral');
});

test('value exactly at 150 is just below the threshold but 150.01 is above it', () => {
  const at = (v: string) =>
    run({ c: withItem({ value: { amount: v, currency: 'EUR' } }), intrinsicValueEur: v }).hits.map(
      (h) => h.id,
    );
  assert.ok(at('150.00').includes('R-VALUE-NEAR-150'));
  assert.ok(!at('150.01').includes('R-VALUE-NEAR-150'));
  assert.ok(!at('139.99').includes('R-VALUE-NEAR-150'));
});

test('food from an EU origin is not an SPS hit', () => {
  const r = run({ c: withItem({ description: 'Dried beef jerky', hsCode: '160250', origin: 'FR' }) });
  assert.ok(!r.hits.some((h) => h.id === 'R-SPS-FOOD-ANIMAL'));
});
