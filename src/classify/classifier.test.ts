import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadHs2022 } from '../reference/index.js';
import { buildClassifier, classify, classifyBatch } from './classifier.js';
import { loadClassifier } from './load.js';

const c = loadClassifier();

// Clear cases: the expected code is read from the HS 2022 text; a 4-digit code accepts any subheading of it.
const CASES: [string, string][] = [
  ["Women's cotton crew neck T-shirt", '610910'],
  ['Men polyester tee', '6109'],
  ['Herren Hemd Baumwolle langarm', '6205'],
  ['Womens chiffon blouse', '620640'],
  ['knitted wool sweater', '611011'],
  ['mens denim jeans', '620342'],
  ['Nike running shoes', '640411'],
  ['rubber flip flops', '640220'],
  ['leather ankle boots women', '6403'],
  ['PU leather crossbody bag', '420222'],
  ['leather wallet men', '420231'],
  ['laptop backpack', '420292'],
  ['silicone ph case for iphone 15', '392690'],
  ['tempered glass screen protector', '7007'],
  ['iPhone 15 Pro 256GB', '851713'],
  ['Apple AirPods Pro', '851830'],
  ['bluetooth speaker', '8518'],
  ['usb c cable 1m', '854442'],
  ['65W charger GaN', '850440'],
  ['power bank 10000mAh', '850760'],
  ['smart watch heart rate', '851762'],
  ['laptop 16GB RAM', '847130'],
  ['wireless mouse', '847160'],
  ['microsd card 128gb', '852351'],
  ['LED strip lights', '940542'],
  ['hair straightener ceramic', '851632'],
  ['plush teddy bear', '950300'],
  ['matte lipstick', '330410'],
  ['mascara waterproof', '330420'],
  ['shampoo 500ml', '330510'],
  ['eau de parfum 100ml', '330300'],
  ['925 sterling silver necklace', '711311'],
  ['gold plated alloy earrings', '711719'],
  ['quartz wrist watch', '9102'],
  ['polarized sunglasses', '900410'],
  ['ss water bottle', '732393'],
  ['ceramic mug', '6912'],
  ['cotton bath towel', '630260'],
  ['cordless drill 18V', '846721'],
  ['yoga mat', '950691'],
  ['paperback novel', '490199'],
  ['vitamin D3 capsules', '210690'],
  ['dog leash retractable', '420100'],
  ['brake pads front', '870830'],
  ['fresh tomatoes', '070200'],
];

describe('classify', () => {
  for (const [description, want] of CASES) {
    it(`classifies '${description}' under ${want}`, () => {
      assert.ok(classify(c, description).hs6.startsWith(want), JSON.stringify(classify(c, description)));
    });
  }

  it('returns the 4- and 2-digit prefixes of the chosen subheading', () => {
    const r = classify(c, 'cotton t-shirt');
    assert.equal(r.hs4, r.hs6.slice(0, 4));
    assert.equal(r.hs2, r.hs6.slice(0, 2));
    assert.ok(r.hs4Confidence >= r.confidence && r.hs2Confidence >= r.hs4Confidence - 1e-9);
  });

  it('keeps confidences in [0, 1], alternatives sorted and below the top choice', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const r = classify(c, text, 5);
        assert.ok(r.confidence >= 0 && r.confidence <= 1);
        assert.ok(r.alternatives.length <= 5);
        const total = r.confidence + r.alternatives.reduce((s, a) => s + a.confidence, 0);
        assert.ok(total <= 1 + 1e-3);
        for (let i = 1; i < r.alternatives.length; i++) {
          assert.ok((r.alternatives[i - 1]?.confidence ?? 0) >= (r.alternatives[i]?.confidence ?? 0));
        }
        for (const a of r.alternatives) assert.ok(a.confidence <= r.confidence && a.hs6 !== r.hs6);
      }),
      { numRuns: 200 },
    );
  });

  it('returns an empty code with zero confidence when no word is known', () => {
    const r = classify(c, '12345 !!!');
    assert.equal(r.hs6, '');
    assert.equal(r.confidence, 0);
    assert.deepEqual(r.alternatives, []);
  });

  it('explains the choice with the vocabulary phrase and the HS words behind it', () => {
    const r = classify(c, 'silicone phone case');
    assert.ok(r.explanation.some((e) => e.source === 'vocabulary' && e.word === 'phone case'));
    assert.ok(
      r.explanation.every((e, i, all) => i === 0 || Math.abs(all[i - 1]?.weight ?? 0) >= Math.abs(e.weight)),
    );
  });

  it('gives the same answer every time and in a batch', () => {
    const texts = CASES.map(([d]) => d);
    const once = classifyBatch(c, texts);
    assert.deepEqual(classifyBatch(c, texts), once);
    assert.deepEqual(
      texts.map((t) => classify(c, t)),
      once,
    );
  });

  it('rejects a vocabulary that points at a code missing from HS 2022', () => {
    const bad = {
      version: 1,
      stopwords: [],
      synonyms: {},
      products: { widget: '999999:1' },
      brands: {},
      attributes: {},
    };
    assert.throws(() => buildClassifier(loadHs2022(), bad), { code: 'classify.vocabulary-invalid' });
  });
});
