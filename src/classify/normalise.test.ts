import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadClassifier } from './load.js';
import { foldText, stem, tokenise } from './normalise.js';

const lexicon = loadClassifier().vocabulary.lexicon;
const terms = (text: string): string[] => tokenise(text, lexicon).map((t) => t.term);

describe('normalise', () => {
  it('folds case, accents, possessives and hyphens', () => {
    assert.equal(foldText("Women's Crème T-Shirt, Größe L"), 'women creme tshirt grosse l');
  });

  it('reduces plurals to singulars with the usual English rules', () => {
    const cases: [string, string][] = [
      ['dresses', 'dress'],
      ['cases', 'case'],
      ['batteries', 'battery'],
      ['watches', 'watch'],
      ['boxes', 'box'],
      ['shoes', 'shoe'],
      ['knives', 'knife'],
      ['glass', 'glass'],
      ['tennis', 'tennis'],
    ];
    for (const [word, want] of cases) assert.equal(stem(word), want, word);
  });

  it('treats tshirt, t-shirt, tee and camiseta as the same word', () => {
    const want = terms('t-shirt');
    assert.equal(want.length, 1);
    for (const v of ['tshirt', 'T-Shirts', 'tee', 'camiseta']) assert.deepEqual(terms(v), want, v);
  });

  it('expands manifest abbreviations', () => {
    assert.deepEqual(terms('ss bottle'), ['stainless', 'steel', 'bottle']);
    assert.deepEqual(terms('ph case'), ['phone', 'case']);
    assert.deepEqual(terms('phone acc'), ['smartphone', 'accessory']);
  });

  it('maps German, French, Spanish and pinyin words to English', () => {
    assert.deepEqual(terms('Herren Hemd Baumwolle'), ['men', 'shirt', 'cotton']);
    assert.deepEqual(terms('chaussures femme'), ['shoe', 'women']);
    assert.deepEqual(terms('zapatos'), ['shoe']);
    assert.deepEqual(terms('shouji'), ['smartphone']);
  });

  it('drops numbers, units, sizes, colours and pack counts', () => {
    assert.deepEqual(terms('Black cotton socks 10 pcs 500ml 2XL size 42'), ['cotton', 'sock']);
  });

  it('keeps words with digits that the vocabulary knows', () => {
    assert.ok(terms('H7 bulbs').includes('h7'));
  });

  it('down-weights the words after for, which name what the product fits', () => {
    const tokens = tokenise('silicone case for iPhone', lexicon);
    const iphone = tokens.find((t) => t.term === 'iphone');
    assert.ok(iphone !== undefined && iphone.weight < 1);
    assert.equal(tokens[0]?.weight, 1);
  });

  it('maps materials to the words the nomenclature uses', () => {
    assert.deepEqual(terms('polyester'), ['synthetic']);
    assert.deepEqual(terms('viscose'), ['artificial']);
    assert.deepEqual(terms('PU leather'), ['plastic']);
  });
});
