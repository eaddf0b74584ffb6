import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Item } from '../domain/index.js';
import { loadHs2022 } from '../reference/index.js';
import { compileExpression } from './compile-expression.js';
import { createEnv, type ComputedValues } from './eval-env.js';
import { assessHsDescriptionConsistency, HsVocabulary } from './hs-description-consistency.js';
import {
  nameKey,
  nameKeyByDefinition,
  PhraseSet,
  sharedTokens,
  similarity,
  TokenCache,
  tokens,
  trigrams,
} from './text-normalise.js';
import { controlDraw, fnv1a } from './random-control.js';
import { cleanConsignment, cleanItem } from './test-fixtures.js';
import { vagueDescriptionScore, vagueWords } from './vague-description.js';
import {
  addressFixedParts,
  addressKey,
  addressLine,
  buildWatchlist,
  type WatchlistEntry,
  type WatchlistMatch,
} from './watchlist.js';

const computed: ComputedValues = {
  intrinsicValueEur: null,
  sourceCount: 1,
  mismatchCount: 0,
  mismatchFields: new Set(),
  indicators: {},
  listed: {},
  now: '2026-01-01T00:00:00Z',
};

/** The straightforward watchlist search the indexed and memoised one must agree with. */
function referenceMatch(
  entries: readonly WatchlistEntry[],
  name: string,
  threshold: number,
  fixedParts?: (text: string) => string,
): WatchlistMatch | null {
  const listed = entries.map((entry) => ({ entry, key: nameKey(entry.name) })).filter((e) => e.key !== '');
  const key = nameKey(name);
  if (key === '') return null;
  const exact = listed.filter((e) => e.key === key).pop();
  if (exact) return { entry: exact.entry, similarity: 1 };
  const grams = [...new Set(trigrams(key))];
  const order: number[] = [];
  const shared = new Map<number, number>();
  for (const g of grams) {
    listed.forEach((e, idx) => {
      if (!new Set(trigrams(e.key)).has(g)) return;
      if (!shared.has(idx)) order.push(idx);
      shared.set(idx, (shared.get(idx) ?? 0) + 1);
    });
  }
  let best: WatchlistMatch | null = null;
  for (const idx of order) {
    const cand = listed[idx] as { entry: WatchlistEntry; key: string };
    const count = shared.get(idx) ?? 0;
    if ((2 * count) / (grams.length + new Set(trigrams(cand.key)).size) < 0.5) continue;
    if (fixedParts && !fixedPartsAgreeByDefinition(fixedParts(name), fixedParts(cand.entry.name))) continue;
    const sim = similarity(key, cand.key);
    if (sim >= threshold && (!best || sim > best.similarity))
      best = { entry: cand.entry, similarity: Math.round(sim * 100) / 100 };
  }
  return best;
}

/** Same numbers; the same country when both name one (fixed parts are "numbers|country"). */
function fixedPartsAgreeByDefinition(a: string, b: string): boolean {
  const [an, ac] = a.split('|');
  const [bn, bc] = b.split('|');
  return an === bn && (ac === '' || bc === '' || ac === bc);
}

// Names over a tiny alphabet so that exact, near and far matches all occur often.
const shortName = fc
  .array(fc.constantFrom('ab', 'ba', 'abc', 'ca', 'b', 'cab', 'aa', 'жa', 'ßb', 'łab'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(' '));

test('the indexed, memoised watchlist agrees with a plain search over every entry', () => {
  fc.assert(
    fc.property(
      fc.array(shortName, { minLength: 1, maxLength: 6 }),
      fc.array(shortName, { minLength: 1, maxLength: 6 }),
      fc.constantFrom(0.5, 0.7, 0.85, 1),
      (listed, queries, threshold) => {
        const entries = listed.map((name, i) => ({ name, reason: `r${i}` }));
        const watch = buildWatchlist({ consignees: entries }, threshold);
        for (const q of [...queries, ...queries]) {
          assert.deepEqual(watch.match('consignees', q), referenceMatch(entries, q, threshold));
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('a watchlist too long to scan whole first agrees with a plain search over every entry', () => {
  fc.assert(
    fc.property(
      fc.array(shortName, { minLength: 65, maxLength: 80 }),
      fc.array(shortName, { minLength: 1, maxLength: 6 }),
      fc.constantFrom(0.7, 0.85),
      (listed, queries, threshold) => {
        const entries = listed.map((name, i) => ({ name, reason: `r${i}` }));
        const watch = buildWatchlist({ consignees: entries }, threshold);
        for (const q of queries) {
          assert.deepEqual(watch.match('consignees', q), referenceMatch(entries, q, threshold));
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('name keys (ASCII fast path, memoised) equal tokens sorted and joined', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9]{0,8}$/);
  const sep = fc.constantFrom(' ', ', ', '-', '.', '  ', '\t', "'", '/');
  const asciiName = fc
    .array(fc.tuple(word, sep), { maxLength: 6 })
    .map((ps) => ps.map(([w, s]) => w + s).join(''));
  const names = fc.oneof(
    asciiName,
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom('Анна Петрова', 'Ζωή Παπαδοπούλου', 'Zoë  Müller', ''),
  );
  fc.assert(
    fc.property(names, (name) => {
      const expected = nameKeyByDefinition(name);
      assert.equal(nameKey(name), expected);
      assert.equal(nameKey(name), expected); // memoised
    }),
    { numRuns: 2000 },
  );
});

test('one-line addresses are the parts that are present, joined as before', () => {
  const part = fc.oneof(fc.constant(undefined), fc.constant(''), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(
      part,
      part,
      part,
      fc.oneof(fc.constant(''), fc.string({ maxLength: 3 })),
      (street, postcode, city, country) => {
        const address = {
          ...(street === undefined ? {} : { street }),
          ...(postcode === undefined ? {} : { postcode }),
          ...(city === undefined ? {} : { city }),
          country,
        };
        const place = [postcode, city].filter((s) => s !== undefined && s !== '').join(' ');
        const expected = [street ?? '', place, country].filter((s) => s !== '').join(', ');
        assert.equal(addressLine(address), expected);
      },
    ),
    { numRuns: 1000 },
  );
});

// Address parts from words that fold in every way a key can: accents, ß, Cyrillic, Greek (with the
// ου digraph split by marks or spaces), final sigma, compatibility forms, combining marks at a word's
// start, non-breaking and ASCII spaces, punctuation; and arbitrary text.
const addressPart = fc.oneof(
  fc.constant(undefined),
  fc
    .array(
      fc.constantFrom(
        'Schillerstraße',
        'München',
        '13010',
        'rue',
        'Jaurès',
        'Ο',
        'ού',
        'οΥ',
        'ΟΔΟΣ',
        'Σ',
        'ул.',
        'Щукина',
        'ﬁeld',
        '\u0301a',
        '\u00a0',
        '8090-167',
        'St.-Denis,',
        '',
      ),
      { maxLength: 5 },
    )
    .chain((words) =>
      fc
        .array(fc.constantFrom(' ', '  ', ', ', '', '\u00a0'), {
          minLength: words.length,
          maxLength: words.length,
        })
        .map((seps) => words.map((w, i) => w + (seps[i] as string)).join('')),
    ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const address = fc
  .record({
    street: addressPart,
    postcode: addressPart,
    city: addressPart,
    country: fc.oneof(fc.constantFrom('DE', 'GR', ''), fc.string({ maxLength: 3 })),
  })
  .map(({ street, postcode, city, country }) => ({
    ...(street === undefined ? {} : { street }),
    ...(postcode === undefined ? {} : { postcode }),
    ...(city === undefined ? {} : { city }),
    country,
  }));

test('an address key built from its parts is the name key of its one-line form', () => {
  fc.assert(
    fc.property(address, (a) => {
      const expected = nameKeyByDefinition(addressLine(a));
      assert.equal(addressKey(a), expected);
      assert.equal(addressKey(a), expected); // pieces memoised
    }),
    { numRuns: 3000 },
  );
});

test('an address watchlist matches addresses as a plain search of their one-line forms does', () => {
  fc.assert(
    fc.property(
      fc.array(address, { minLength: 1, maxLength: 5 }),
      fc.array(address, { minLength: 1, maxLength: 5 }),
      fc.constantFrom(0.5, 0.85, 1),
      (listed, queries, threshold) => {
        const entries = listed.map((a, i) => ({ name: addressLine(a), reason: `r${i}` }));
        const watch = buildWatchlist({ addresses: entries }, threshold);
        for (const q of [...queries, ...listed]) {
          const expected = referenceMatch(entries, addressLine(q), threshold, addressFixedParts);
          assert.deepEqual(watch.matchAddress?.(q) ?? null, expected);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('a remembered watchlist match is a fresh object each time', () => {
  const watch = buildWatchlist({ sellers: [{ name: 'Acme Trading Ltd' }] });
  const first = watch.match('sellers', 'Acme Tradng Ltd');
  const second = watch.match('sellers', 'Acme Tradng Ltd');
  assert.ok(first && second);
  assert.notEqual(first, second);
  assert.deepEqual(first, second);
});

test('hsIn walks a digit trie with the same answers as comparing prefixes', () => {
  const digits = fc.stringMatching(/^[0-9]{2,6}$/);
  fc.assert(
    fc.property(
      fc.array(digits, { minLength: 1, maxLength: 5 }),
      fc.stringMatching(/^[0-9x]{0,8}$/),
      (prefixes, code) => {
        const r = compileExpression(`items.any(hsCode hsIn ${JSON.stringify(prefixes)})`);
        assert.ok(r.ok);
        const c = cleanConsignment({ items: [cleanItem({ hsCode: code })] });
        const expected = prefixes.some((p) => code.slice(0, p.length) === p);
        assert.equal(r.value.fn(createEnv(c, computed)), expected);
      },
    ),
    { numRuns: 1000 },
  );
});

const word = fc.constantFrom(
  ...[...vagueWords].slice(0, 12),
  'spare',
  'parts',
  'the',
  'of',
  '42',
  'cotton',
  'shirt',
  'li-ion',
  'battery',
  'as',
  'per',
  'invoice',
);
const description = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));

test('memoised description scores equal the scores of freshly tokenised text', () => {
  fc.assert(
    fc.property(description, (d) => {
      const fresh = vagueDescriptionScore(d, tokens(d));
      assert.equal(vagueDescriptionScore(d, sharedTokens(d)), fresh);
      assert.equal(vagueDescriptionScore(d, sharedTokens(d)), fresh);
    }),
    { numRuns: 500 },
  );
});

test('phrase search answers the same on shared and fresh token arrays', () => {
  const set = new PhraseSet(['spare parts', 'li-ion', 'as per invoice', 'shirt']);
  fc.assert(
    fc.property(description, (d) => {
      const fresh = set.find(tokens(d));
      assert.equal(set.find(sharedTokens(d)), fresh);
      assert.equal(set.find(sharedTokens(d)), fresh);
    }),
    { numRuns: 500 },
  );
});

test('shared token arrays are frozen and equal to fresh ones', () => {
  const cache = new TokenCache();
  const words = cache.get('Li-Ion battery, 2 pcs');
  assert.deepEqual([...words], tokens('Li-Ion battery, 2 pcs'));
  assert.ok(Object.isFrozen(words));
  assert.equal(cache.get('Li-Ion battery, 2 pcs'), words);
});

test('the HS consistency indicator answers the same with shared and fresh tokens', () => {
  const vocab = new HsVocabulary(loadHs2022());
  const codes = ['610910', '420222', '851712', '950300', '482020', '999999'];
  const texts = [
    'Cotton T-shirt',
    'Leather handbag',
    'Smartphone 128 GB',
    'Toy building blocks',
    'Spiral notebooks 4 pack',
    'gift',
    '12 34',
  ];
  fc.assert(
    fc.property(
      fc.array(fc.record({ hsCode: fc.constantFrom(...codes), description: fc.constantFrom(...texts) }), {
        minLength: 1,
        maxLength: 4,
      }),
      (specs) => {
        const items: Item[] = specs.map((s) => cleanItem(s));
        const cache = new TokenCache();
        const fresh = assessHsDescriptionConsistency(items, vocab, tokens);
        assert.deepEqual(
          assessHsDescriptionConsistency(items, vocab, (t) => cache.get(t)),
          fresh,
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('the control draw hashes seed and id without joining them, with the same value', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (seed, id) => {
      assert.equal(controlDraw(seed, id), fnv1a(`${seed}\u0000${id}`) / 4294967296);
    }),
    { numRuns: 1000 },
  );
});
