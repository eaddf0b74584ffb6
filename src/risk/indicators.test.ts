import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHs2022 } from '../reference/index.js';
import { assessBrandPrice, BrandMatcher } from './brand-price.js';
import { assessHsDescriptionConsistency, HsVocabulary } from './hs-description-consistency.js';
import type { ReferencePriceTable } from './reference-prices.js';
import { assessSourceMismatch } from './source-mismatch.js';
import { cleanConsignment, cleanItem } from './test-fixtures.js';
import { assessVagueDescription, vagueDescriptionScore } from './vague-description.js';
import { assessWatchlist, buildWatchlist, emptyWatchlist } from './watchlist.js';

test('generic descriptions score high and specific ones low', () => {
  assert.equal(vagueDescriptionScore('Gift'), 0.9);
  assert.equal(vagueDescriptionScore('spare parts'), 1);
  assert.equal(vagueDescriptionScore('FAK'), 0.9);
  assert.equal(vagueDescriptionScore('...'), 1);
  assert.equal(vagueDescriptionScore('Shoes'), 0.6);
  assert.ok(vagueDescriptionScore("Men's cotton T-shirt, short sleeves") < 0.2);
  assert.ok(vagueDescriptionScore('Bluetooth speaker accessories') < 0.6);
});

test('the vague-description indicator reports the vaguest item', () => {
  const r = assessVagueDescription([cleanItem(), cleanItem({ description: 'samples' })]);
  assert.equal(r.score, 0.9);
  assert.deepEqual(r.inputs, { itemIndex: 1, description: 'samples' });
  assert.equal(assessVagueDescription([cleanItem()]).score, 0);
});

const vocab = new HsVocabulary(loadHs2022());

test('a description sharing a word stem with its HS text is consistent', () => {
  const r = assessHsDescriptionConsistency(
    [cleanItem({ description: 'Cotton T-shirt', hsCode: '610910' })],
    vocab,
  );
  assert.equal(r.score, 0);
  const b = assessHsDescriptionConsistency(
    [cleanItem({ description: 'Lithium-ion accumulators', hsCode: '850760' })],
    vocab,
  );
  assert.equal(b.score, 0);
});

test('a description with no word in common with its HS text is flagged with the words compared', () => {
  const r = assessHsDescriptionConsistency(
    [
      cleanItem({ description: 'Cotton T-shirt', hsCode: '610910' }),
      cleanItem({ description: 'Wireless earbuds', hsCode: '610910' }),
    ],
    vocab,
  );
  assert.equal(r.score, 0.5);
  const items = r.inputs.items as { itemIndex: number; descriptionStems: string[]; hsStems: string[] }[];
  assert.equal(items[0]?.itemIndex, 1);
  assert.deepEqual(items[0]?.descriptionStems, ['wirel', 'earbu']);
  assert.ok(items[0]?.hsStems.includes('cotto'));
  assert.match(r.reason, /Wireless earbuds/);
});

test('goods that traders mostly declare under their chapter are consistent though the legal text shares no word', () => {
  // HS 7113 19 reads "jewellery of precious metal": no word of "18K solid gold chain necklace".
  const necklace = cleanItem({ description: '18K solid gold chain necklace 45 cm', hsCode: '711319' });
  assert.equal(assessHsDescriptionConsistency([necklace], vocab).score, 1);
  const table: ReferencePriceTable = {
    version: 2,
    minSupport: 30,
    prices: {},
    refined: {},
    chapterUsage: {
      necklace: { '71': 180, '39': 4 },
      bralette: { '61': 140 },
      // A colour is declared in every chapter: it says nothing about the goods.
      black: { '61': 300, '64': 200, '71': 150, '84': 120 },
    },
  };
  assert.equal(assessHsDescriptionConsistency([necklace], vocab, undefined, table).score, 0);
  // A misdescribed code stays inconsistent: bralettes are declared under chapter 61, not 84.
  const bralette = cleanItem({ description: "Women's black lace bralette", hsCode: '847330' });
  const r = assessHsDescriptionConsistency([necklace, bralette], vocab, undefined, table);
  assert.equal(r.score, 0.5);
  assert.equal((r.inputs.items as { itemIndex: number }[])[0]?.itemIndex, 1);
});

test('items without an HS code or with an unknown code are not judged', () => {
  const r = assessHsDescriptionConsistency(
    [cleanItem({ hsCode: undefined }), cleanItem({ hsCode: '000000' })],
    vocab,
  );
  assert.equal(r.score, 0);
});

const watchlist = buildWatchlist({
  consignees: [{ name: 'Ivan Petrov', reason: 'seized counterfeit 2023' }, { name: 'Maria Garcia Lopez' }],
  sellers: [{ name: 'Shady Goods Ltd' }],
});

test('watchlist names match despite case, accents, order and Cyrillic script', () => {
  assert.equal(watchlist.match('consignees', 'PETROV, Ivan')?.similarity, 1);
  assert.equal(watchlist.match('consignees', 'Иван Петров')?.similarity, 1);
  assert.equal(watchlist.match('consignees', 'María García López')?.entry.name, 'Maria Garcia Lopez');
});

test('watchlist names match with a typo or transposition but not a different person', () => {
  const m = watchlist.match('consignees', 'Ivan Petorv');
  assert.ok(m && m.similarity >= 0.85 && m.similarity < 1);
  assert.equal(watchlist.match('consignees', 'Ivana Popova'), null);
  assert.equal(watchlist.match('sellers', 'Ivan Petrov'), null);
});

test('the watchlist indicator marks the listed party and explains why', () => {
  const c = cleanConsignment({ consignee: { name: 'Ivan Petrov', address: { country: 'DE' } } });
  const { result, listed } = assessWatchlist(c, watchlist);
  assert.equal(result.score, 1);
  assert.deepEqual(listed, { consignees: true, sellers: false, declarants: false });
  assert.match(result.reason, /seized counterfeit 2023/);
  assert.equal(assessWatchlist(c, emptyWatchlist()).result.score, 0);
});

const brands = new BrandMatcher([
  { name: 'Nike', floorEur: '30' },
  { name: 'Louis Vuitton', floorEur: '300' },
  { name: 'Apple', floorEur: '50', aliases: ['iPhone', 'AirPods'], nameInDescription: false },
]);

test('a protected brand below its price floor scores by how far below it is', () => {
  const c = cleanConsignment({
    items: [
      cleanItem({
        description: 'Nike Air running shoes',
        quantity: 2,
        value: { amount: '30.00', currency: 'EUR' },
      }),
    ],
  });
  const r = assessBrandPrice(c, '30.00', brands);
  assert.equal(r.score, 0.75);
  assert.deepEqual(r.inputs, { itemIndex: 0, brand: 'Nike', unitValueEur: '15.00', floorEur: '30' });
});

test('brand matching uses the brand field, multi-word names and aliases but not common words', () => {
  const cheap = { amount: '10.00', currency: 'EUR' };
  const of = (item: Parameters<typeof cleanItem>[0]) =>
    assessBrandPrice(cleanConsignment({ items: [cleanItem(item)] }), '10.00', brands);
  assert.equal(
    of({ description: 'Handbag', brand: 'LOUIS-VUITTON', value: cheap }).inputs.brand,
    'Louis Vuitton',
  );
  assert.equal(of({ description: 'AirPods Pro', value: cheap }).inputs.brand, 'Apple');
  assert.equal(of({ description: 'Dried apple rings', value: cheap }).score, 0);
  assert.equal(of({ description: 'Nikelodeon toy', value: cheap }).score, 0);
});

test("a product line named in the description applies its own floor, in the brand field's brand too", () => {
  const lines = new BrandMatcher([
    {
      name: 'Apple',
      floorEur: '50',
      aliases: ['iPhone', 'AirPods'],
      nameInDescription: false,
      products: [
        { names: ['iPhone'], floorEur: '400' },
        { names: ['AirPods Max'], floorEur: '300' },
      ],
    },
  ]);
  const at = (description: string, amount: string, brand?: string) =>
    assessBrandPrice(
      cleanConsignment({
        items: [cleanItem({ description, value: { amount, currency: 'EUR' }, ...(brand ? { brand } : {}) })],
      }),
      amount,
      lines,
    );
  // A EUR 120 iPhone is far below its line's floor; EUR 120 AirPods are above the brand's.
  assert.equal(at('iPhone 15 Pro 256GB', '120.00').score, 0.85);
  assert.equal(at('iPhone 15 Pro 256GB', '120.00').inputs.floorEur, '400');
  assert.equal(at('iPhone 15 Pro 256GB', '120.00', 'Apple').inputs.floorEur, '400');
  assert.equal(at('AirPods Pro', '120.00').score, 0);
  // A line needs its whole name in a row; the highest named floor wins.
  assert.equal(at('AirPods Pro', '40.00').inputs.floorEur, '50');
  assert.equal(at('AirPods Max headphones', '120.00').inputs.floorEur, '300');
  assert.equal(at('iPhone 15 Pro 256GB', '450.00').score, 0);
});

test('foreign-currency values are converted with the consignment EUR ratio, and skipped without it', () => {
  const c = cleanConsignment({
    items: [cleanItem({ description: 'Nike cap', value: { amount: '100', currency: 'CNY' } })],
  });
  assert.equal(assessBrandPrice(c, '13.00', brands).inputs.unitValueEur, '13.00');
  assert.equal(assessBrandPrice(c, null, brands).score, 0);
  const dear = cleanConsignment({
    items: [cleanItem({ description: 'Nike cap', value: { amount: '300', currency: 'CNY' } })],
  });
  assert.equal(assessBrandPrice(dear, '39.00', brands).score, 0);
});

test('source mismatches score by the strongest field and list every disagreement', () => {
  const r = assessSourceMismatch([
    {
      field: 'origin',
      between: ['platform-order', 'declaration'],
      values: ['CN', 'VN'],
      message: 'origin differs',
    },
    {
      field: 'value',
      between: ['payment', 'declaration'],
      values: ['120.00', '20.00'],
      message: 'value 120.00 vs 20.00',
    },
  ]);
  assert.equal(r.score, 1);
  assert.match(r.reason, /origin, value/);
  assert.equal((r.inputs.mismatches as unknown[]).length, 2);
  assert.equal(assessSourceMismatch([]).score, 0);
});
