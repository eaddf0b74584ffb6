import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  damerauLevenshtein,
  foldText,
  nameKey,
  PhraseSet,
  similarity,
  stem,
  tokens,
} from './text-normalise.js';

test('folding lower-cases, strips accents and punctuation and transliterates Cyrillic and Greek', () => {
  assert.equal(foldText('  José  Müller-Lüdenscheidt, GmbH. '), 'jose muller ludenscheidt gmbh');
  assert.equal(foldText('Иван Петров'), 'ivan petrov');
  assert.equal(foldText('Γιώργος Παπαδόπουλος'), 'giorgos papadopoulos');
});

test('the ASCII fast path tokenises like the Unicode path', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      const f = foldText(s);
      assert.deepEqual(tokens(s), f === '' ? [] : f.split(' '));
    }),
    { numRuns: 2000 },
  );
});

test('name keys ignore token order', () => {
  assert.equal(nameKey('Smith, John'), nameKey('JOHN SMITH'));
});

test('Damerau-Levenshtein counts an adjacent transposition as one edit', () => {
  assert.equal(damerauLevenshtein('jonh', 'john'), 1);
  assert.equal(damerauLevenshtein('kitten', 'sitting'), 3);
  assert.equal(damerauLevenshtein('', 'abc'), 3);
  assert.equal(similarity('abcd', 'abcd'), 1);
});

test('Damerau-Levenshtein is a symmetric distance bounded by the longer length', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      const d = damerauLevenshtein(a, b);
      assert.equal(d, damerauLevenshtein(b, a));
      assert.ok(d <= Math.max(a.length, b.length));
      assert.equal(d === 0, a === b);
    }),
  );
});

test('stems fold plurals so shoes and shoe meet', () => {
  assert.equal(stem('shoes'), stem('shoe'));
  assert.equal(stem('batteries'), 'batte');
  assert.equal(stem('boxes'), 'box');
});

test('phrase sets match whole word sequences, never parts of words', () => {
  const p = new PhraseSet(['spare parts', 'li-ion', 'gift']);
  assert.equal(p.find(tokens('Car spare-parts kit')), 'spare parts');
  assert.equal(p.find(tokens('Li-Ion cell')), 'li ion');
  assert.equal(p.find(tokens('giftbox')), null);
  assert.equal(p.find(tokens('spare wheel parts')), null);
});
