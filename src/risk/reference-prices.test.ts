import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assessUndervaluation,
  learnReferencePrices,
  priceWords,
  referenceFor,
  type PricedConsignment,
} from './reference-prices.js';
import { assessHsUsage, memoClassifier, type DescriptionClassifier } from './hs-usage.js';
import { checkReferencePriceTable } from './reference-table-check.js';
import type { Mismatch } from '../domain/index.js';
import { assessRisk } from './assess-risk.js';
import { loadDefaultRuleSet } from './default-rule-set.js';
import { cleanConsignment, cleanItem, riskContext, riskInput } from './test-fixtures.js';

// One subheading (847130) mixing cheap tablets and dear laptops, as the real HS 8471 30 does.
function mixedHistory(): PricedConsignment[] {
  const out: PricedConsignment[] = [];
  for (let i = 0; i < 120; i++) {
    const laptop = i % 3 === 0;
    const price = (laptop ? 500 : 140) * (1 + ((i % 7) - 3) / 20);
    out.push({
      ref: `h${i}`,
      intrinsicValueEur: null,
      input: cleanConsignment({
        items: [
          cleanItem({
            description: laptop ? '14 inch laptop 16GB RAM' : '10 inch Android tablet 128GB',
            hsCode: '847130',
            value: { amount: price.toFixed(2), currency: 'EUR' },
          }),
        ],
      }),
    });
  }
  return out;
}

const laptopAt = (amount: string) =>
  cleanConsignment({
    items: [
      cleanItem({
        description: '15 inch laptop 8GB RAM',
        hsCode: '847130',
        value: { amount, currency: 'EUR' },
      }),
    ],
  });

test('a description word keys a narrower price inside a subheading that mixes products', () => {
  const table = learnReferencePrices(mixedHistory(), { minSupport: 30, minRefinedSupport: 30 });
  const ref = referenceFor(laptopAt('140.00').items[0]!, table);
  assert.equal(ref?.key, '847130#laptop');
  assert.ok(ref.price.medianEur > 400);
  // A laptop declared at a tablet's price is undervalued against laptops, not against the whole subheading.
  const r = assessUndervaluation(laptopAt('140.00'), '140.00', table);
  assert.ok(r.score >= 0.9, `score ${r.score}`);
  assert.equal(r.inputs.referenceKey, '847130#laptop');
  const hs6Only = learnReferencePrices(mixedHistory(), { minSupport: 30, refine: false });
  assert.equal(hs6Only.version, 1);
  assert.ok(assessUndervaluation(laptopAt('140.00'), '140.00', hs6Only).score < 0.3);
});

test('a word priced apart from its subheading keys the reference even when its own spread is wider', () => {
  // Laptops whose history holds laptops hugging EUR 150 (uninspected): their spread exceeds the subheading's.
  const history = mixedHistory().map((h, i) =>
    i % 3 === 0 && i % 2 === 0
      ? {
          ...h,
          input: {
            ...h.input,
            items: [{ ...h.input.items[0]!, value: { amount: '149.99', currency: 'EUR' } }],
          },
        }
      : h,
  );
  const table = learnReferencePrices(history, { minSupport: 30, minRefinedSupport: 30 });
  const laptop = table.refined?.['847130#laptop'];
  assert.ok(laptop !== undefined && laptop.logSpread > table.prices['847130']!.logSpread);
  const ref = referenceFor(laptopAt('149.99').items[0]!, table);
  assert.equal(ref?.key, '847130#laptop');
  // Without a refined key for the item's words, the subheading is the reference.
  const plain = cleanItem({ description: 'computer', hsCode: '847130' });
  assert.equal(referenceFor(plain, table)?.key, '847130');
});

test('a refined spread is shrunk towards the subheading by its support', () => {
  const table = {
    version: 2 as const,
    minSupport: 30,
    prices: { '610910': { medianEur: 20, logSpread: 0.5, support: 1000 } },
    refined: {
      '610910#blue': { medianEur: 20, logSpread: 0.2, support: 60 },
      '610910#linen': { medianEur: 20, logSpread: 0.2, support: 6000 },
    },
  };
  const tee = (description: string, amount = '25.00') =>
    cleanItem({ description, hsCode: '610910', value: { amount, currency: 'EUR' } });
  // 60 lines weigh as much as the 60-line prior: sqrt((0.2² + 0.5²) / 2).
  assert.deepEqual(referenceFor(tee('blue T-shirt'), table), {
    key: '610910#blue',
    price: { medianEur: 20, logSpread: 0.381, support: 60 },
  });
  // A well-supported key keeps nearly its own spread, and wins over the chance-narrow one.
  assert.equal(referenceFor(tee('blue linen T-shirt'), table)?.price.logSpread, 0.205);
  // EUR 6 against EUR 20 is 3.2 shrunk spreads low, not 6 of the raw ones.
  const r = assessUndervaluation(cleanConsignment({ items: [tee('blue T-shirt', '6.00')] }), '6.00', table);
  assert.equal(r.inputs.robustZ, 3.16);
});

test('a colour word never keys a price, however narrow or dear its lines are by chance; a product word does', () => {
  // T-shirts (6109 10) and tote bags (4202 22) in four colours: the black T-shirts happen to be priced
  // alike and dearer, so "610910#black" looks apart from its subheading. Black is written on goods of
  // every chapter: it says nothing about what a T-shirt costs.
  const history: PricedConsignment[] = [];
  for (let i = 0; i < 480; i++) {
    const bag = i % 2 === 1;
    const colour = ['black', 'white', 'grey', 'navy'][(i >> 1) % 4] as string;
    const price =
      colour === 'black' && !bag ? 11 * (1 + ((i % 3) - 1) / 50) : (bag ? 16 : 7) * (1 + ((i % 9) - 4) / 8);
    history.push({
      ref: `c${i}`,
      intrinsicValueEur: null,
      input: cleanConsignment({
        items: [
          cleanItem({
            description: `${colour} ${bag ? 'tote bag' : 'linen tee'}`,
            hsCode: bag ? '420222' : '610910',
            value: { amount: price.toFixed(2), currency: 'EUR' },
          }),
        ],
      }),
    });
  }
  const table = learnReferencePrices(history, { minSupport: 30 });
  assert.ok(table.prices['610910'] !== undefined);
  assert.equal(table.refined?.['610910#black'], undefined);
  const tee = cleanItem({ description: 'black linen tee', hsCode: '610910' });
  assert.equal(referenceFor(tee, table)?.key, '610910');
  // Laptops among tablets (a word of one chapter) still key their own price.
  const mixed = learnReferencePrices(mixedHistory(), { minSupport: 30, minRefinedSupport: 30 });
  assert.ok(mixed.refined?.['847130#laptop'] !== undefined);
});

test('parcels an inspection found violating are left out of what the prices learn', () => {
  const history = mixedHistory();
  const laptops = new Set(history.filter((_, i) => i % 3 === 0).map((h) => h.ref as string));
  const table = learnReferencePrices(history, { minSupport: 30, minRefinedSupport: 30, exclude: laptops });
  assert.equal(table.prices['847130']?.support, 80);
  assert.equal(table.refined?.['847130#laptop'], undefined);
});

test('a small shortfall in euros is not material even far below the reference price', () => {
  const history = Array.from({ length: 60 }, (_, i) => ({
    intrinsicValueEur: null,
    input: cleanConsignment({
      items: [cleanItem({ value: { amount: (6 + (i % 5) / 5).toFixed(2), currency: 'EUR' } })],
    }),
  }));
  const table = learnReferencePrices(history, { minSupport: 30 });
  const cheapShirt = cleanConsignment({ items: [cleanItem({ value: { amount: '1.00', currency: 'EUR' } })] });
  const r = assessUndervaluation(cheapShirt, '1.00', table);
  assert.ok((r.inputs.robustZ as number) > 4);
  assert.ok(r.score > 0 && r.score < 0.5, `score ${r.score}`);
});

test('undervaluation never scores a unit value at or above the reference price', () => {
  const table = learnReferencePrices(mixedHistory(), { minSupport: 30, minRefinedSupport: 30 });
  fc.assert(
    fc.property(fc.integer({ min: 500, max: 100_000 }), (cents) => {
      const amount = (cents / 100).toFixed(2);
      const r = assessUndervaluation(laptopAt(amount), amount, table);
      const ref = referenceFor(laptopAt(amount).items[0]!, table);
      if (cents / 100 >= (ref?.price.medianEur ?? Infinity)) assert.equal(r.score, 0);
      assert.ok(r.score >= 0 && r.score <= 1);
    }),
  );
});

test('price words drop numbers, short words and fillers', () => {
  assert.deepEqual(priceWords('Pack of 5 pairs red cotton crew socks, EU 41'), [
    'pairs',
    'red',
    'cotton',
    'crew',
    'socks',
  ]);
});

function usageHistory(): PricedConsignment[] {
  const line = (description: string, hsCode: string, i: number): PricedConsignment => ({
    intrinsicValueEur: null,
    input: cleanConsignment({
      items: [cleanItem({ description, hsCode, value: { amount: `${10 + (i % 9)}.00`, currency: 'EUR' } })],
    }),
  });
  return [
    ...Array.from({ length: 40 }, (_, i) => line('Women seamless briefs beige', '610822', i)),
    ...Array.from({ length: 40 }, (_, i) => line('Paperback novel beige cover', '490199', i)),
  ];
}

test('goods whose words are never declared under the declared chapter score on the usage indicator', () => {
  const table = learnReferencePrices(usageHistory(), { minSupport: 30 });
  const briefsAsBook = [cleanItem({ description: 'Women seamless briefs, 5 pack', hsCode: '490199' })];
  const r = assessHsUsage(briefsAsBook, table, undefined);
  assert.equal(r.score, 1);
  assert.equal(r.inputs.chapterShare, 0);
  const usual = [cleanItem({ description: 'Women seamless briefs, 5 pack', hsCode: '610822' })];
  assert.equal(assessHsUsage(usual, table, undefined).score, 0);
  // "beige" is shared by both chapters: not specific, so it neither clears nor flags.
  assert.equal(
    assessHsUsage([cleanItem({ description: 'beige', hsCode: '850440' })], table, undefined).score,
    0,
  );
});

test('the classifier clears an item when it names the declared chapter, and scales the score otherwise', () => {
  const table = learnReferencePrices(usageHistory(), { minSupport: 30 });
  const items = [cleanItem({ description: 'Women seamless briefs, 5 pack', hsCode: '490199' })];
  let calls = 0;
  const agrees: DescriptionClassifier = memoClassifier(() => {
    calls++;
    return { hs6: ['610822', '490199'], chapterConfidence: 0.9 };
  });
  assert.equal(assessHsUsage(items, table, agrees).score, 0);
  assessHsUsage(items, table, agrees);
  assert.equal(calls, 1, 'the memo answers the second time');
  const disagrees: DescriptionClassifier = { classify: () => ({ hs6: ['610822'], chapterConfidence: 0.8 }) };
  const r = assessHsUsage(items, table, disagrees);
  assert.equal(r.score, 0.8);
  assert.equal(r.inputs.suggestedHs, '610822');
  assert.match(r.reason, /never declared under HS chapter 49/);
});

test('an imported reference table with bad rows is refused whole, each bad row named by its path', () => {
  const good = { medianEur: 80, logSpread: 0.3, support: 400 };
  const doc = {
    version: 2,
    minSupport: 30,
    prices: {
      '851762': good,
      '610910': { medianEur: -5, logSpread: 0, support: 900 },
      '6109': good,
      '950300': { medianEur: '12.5', logSpread: 0.4, support: 2.5 },
    },
    refined: { '851762@CN': good, '851762!x': good, '851762#case': { ...good, logSpread: null } },
    chapterUsage: { case: { '42': 120, '39': -1 } },
  };
  const r = checkReferencePriceTable(doc);
  assert.equal(r.ok, false);
  const paths = r.ok ? [] : r.error.map((i) => i.path);
  assert.deepEqual(paths.sort(), [
    '/chapterUsage/case/39',
    '/prices/6109',
    '/prices/610910/logSpread',
    '/prices/610910/medianEur',
    '/prices/950300/medianEur',
    '/prices/950300/support',
    '/refined/851762!x',
    '/refined/851762#case/logSpread',
  ]);
  assert.ok(!r.ok && r.error.every((i) => i.code === 'reference-prices.invalid' && i.message.length > 0));
  assert.equal(checkReferencePriceTable([]).ok, false);
  assert.equal(checkReferencePriceTable({ version: 3, minSupport: 30, prices: {} }).ok, false);
  // What learnReferencePrices writes always passes.
  const learnt = learnReferencePrices(mixedHistory(), { minSupport: 30 });
  assert.ok(checkReferencePriceTable(JSON.parse(JSON.stringify(learnt))).ok);
});

test('a bad reference row never turns a score into NaN, and a refined key below minimum support is not used', () => {
  const table = {
    version: 2 as const,
    minSupport: 30,
    prices: { '610910': { medianEur: 20, logSpread: 0.3, support: 900 } },
    refined: { '610910#silk': { medianEur: 90, logSpread: 0.2, support: 3 } },
  };
  const c = cleanConsignment({
    items: [cleanItem({ description: 'Silk T-shirt', value: { amount: '19.00', currency: 'EUR' } })],
  });
  assert.equal(referenceFor(c.items[0]!, table)?.key, '610910');
  assert.equal(assessUndervaluation(c, '19.00', table).score, 0);
});

test('an item declared at zero is the furthest below its reference price, not skipped', () => {
  const table = {
    version: 1 as const,
    minSupport: 30,
    prices: { '851762': { medianEur: 80, logSpread: 0.3, support: 400 } },
  };
  const at = (amount: string) =>
    assessUndervaluation(
      cleanConsignment({
        items: [
          cleanItem({
            description: 'Wireless earbuds',
            hsCode: '851762',
            value: { amount, currency: 'EUR' },
          }),
        ],
      }),
      amount,
      table,
    );
  const zero = at('0.00');
  assert.equal(zero.score, 1);
  assert.equal(zero.inputs['unitValueEur'], '0.00');
  assert.match(zero.reason, /declared at €0\.00 a unit, 100% below the €80 reference price/);
  assert.ok(zero.score >= at('5.00').score);
});

// A value disagreement as the matcher reports it: `between` and `values` in the same order.
const valueMismatch = (between: [string, string], values: [string, string]): Mismatch => ({
  field: 'value',
  between,
  values,
  message: `${between[0]} gives ${values[0]} but ${between[1]} gives ${values[1]}`,
});

test('goods declared below what the platform order records as paid are undervalued, without a learnt price', () => {
  // The waybill declares EUR 40 of goods; the buyer's order shows EUR 120 for them.
  const waybill = cleanConsignment({
    source: 'carrier-waybill',
    items: [cleanItem({ value: { amount: '40.00', currency: 'EUR' } })],
  });
  const paid = [valueMismatch(['carrier-waybill', 'platform-order'], ['40.00', '120.00'])];
  const r = assessUndervaluation(waybill, '40.00', undefined, paid);
  assert.equal(r.score, 1);
  assert.equal(r.inputs.paidSource, 'platform-order');
  assert.equal(r.inputs.paidEur, '120.00');
  assert.match(r.reason, /67% below the €120\.00 the platform-order records/);
  // The same disagreement the other way round (the order cheaper than the declaration) is not undervaluation.
  const dearer = [valueMismatch(['carrier-waybill', 'platform-order'], ['120.00', '40.00'])];
  assert.equal(assessUndervaluation(waybill, '40.00', undefined, dearer).score, 0);
  // Nor is an order whose prices carry VAT (27 % at most) or a disagreement between two declaring sources.
  const vat = [valueMismatch(['carrier-waybill', 'platform-order'], ['40.00', '50.80'])];
  assert.equal(assessUndervaluation(waybill, '40.00', undefined, vat).score, 0);
  const carriers = [valueMismatch(['postal-item', 'carrier-waybill'], ['120.00', '40.00'])];
  assert.equal(assessUndervaluation(waybill, '40.00', undefined, carriers).score, 0);
  // Foreign currency: the totals are converted with the consignment's EUR ratio (USD 50 = EUR 45).
  const usd = cleanConsignment({
    source: 'postal-item',
    items: [cleanItem({ value: { amount: '50.00', currency: 'USD' } })],
  });
  const inUsd = assessUndervaluation(usd, '45.00', undefined, [
    valueMismatch(['platform-order', 'postal-item'], ['150.00', '50.00']),
  ]);
  assert.equal(inUsd.inputs.paidEur, '135.00');
  assert.equal(inUsd.score, 1);
});

test('the price paid scores more the further below it the declaration is, and never at or above it', () => {
  const waybill = (amount: string) =>
    cleanConsignment({
      source: 'carrier-waybill',
      items: [cleanItem({ value: { amount, currency: 'EUR' } })],
    });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 100, max: 40_000 }),
      (a, b, paidCents) => {
        const paid = (paidCents / 100).toFixed(2);
        const s = (cents: number) => {
          const declared = (cents / 100).toFixed(2);
          return assessUndervaluation(waybill(declared), declared, undefined, [
            valueMismatch(['carrier-waybill', 'platform-order'], [declared, paid]),
          ]).score;
        };
        const [lo, hi] = a < b ? [a, b] : [b, a];
        assert.ok(s(lo) >= s(hi));
        if (hi >= paidCents) assert.equal(s(hi), 0);
        assert.ok(s(lo) >= 0 && s(lo) <= 1);
      },
    ),
  );
});

test('with the default rule set an order paid at three times the declaration outweighs a bare value mismatch', () => {
  const ruleSet = loadDefaultRuleSet();
  const waybill = cleanConsignment({
    source: 'carrier-waybill',
    items: [cleanItem({ value: { amount: '40.00', currency: 'EUR' } })],
  });
  const assess = (values: [string, string]) =>
    assessRisk(
      riskInput(waybill, {
        intrinsicValueEur: '40.00',
        sourceKinds: ['carrier-waybill', 'platform-order'],
        mismatches: [valueMismatch(['carrier-waybill', 'platform-order'], values)],
      }),
      riskContext(ruleSet),
    );
  const paidMore = assess(['40.00', '120.00']);
  const paidLess = assess(['120.00', '40.00']);
  assert.ok(paidMore.hits.some((h) => h.id === 'undervaluation' && h.score > 0));
  assert.equal(
    paidLess.hits.find((h) => h.id === 'undervaluation'),
    undefined,
  );
  assert.ok(paidMore.score > paidLess.score, `${paidMore.score} vs ${paidLess.score}`);
});
