import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWatchlistDocument, watchlistFromSource } from './watchlist-file.js';
import { assessWatchlist } from './watchlist.js';
import { cleanConsignment } from './test-fixtures.js';

test('a watchlist file: names and {name, reason} entries on any subset of the lists', () => {
  const r = checkWatchlistDocument({
    sellers: ['Shady Goods Ltd', { name: 'Fake Watches Co', reason: 'seizure 2026-041' }],
    consignees: [{ name: 'Ivan Petrov' }],
    addresses: [],
  });
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    sellers: [
      { name: 'Shady Goods Ltd', reason: 'listed' },
      { name: 'Fake Watches Co', reason: 'seizure 2026-041' },
    ],
    consignees: [{ name: 'Ivan Petrov', reason: 'listed' }],
    addresses: [],
  });
  assert.deepEqual(checkWatchlistDocument({}), { ok: true, value: {} });
  const wl = watchlistFromSource(r.value);
  assert.equal(wl.size, 3);
  assert.equal(wl.match('sellers', 'FAKE WATCHES CO.')?.entry.reason, 'seizure 2026-041');
  assert.equal(wl.match('consignees', 'Shady Goods Ltd'), null);
});

test('the reason of an entry is quoted in the hit', () => {
  const wl = watchlistFromSource({ consignees: [{ name: 'Ivan Petrov', reason: 'drop address ring' }] });
  const c = cleanConsignment({ consignee: { name: 'Ivan Petrov', address: { country: 'DE' } } });
  const { result } = assessWatchlist(c, wl);
  assert.equal(result.score, 1);
  assert.match(result.reason, /\(drop address ring\)/);
});

const paths = (doc: unknown, opts?: Parameters<typeof checkWatchlistDocument>[1]): string[] => {
  const r = checkWatchlistDocument(doc, opts);
  assert.equal(r.ok, false, JSON.stringify(doc));
  return r.ok ? [] : r.error.map((i) => i.path);
};

test('a document that is not an object is refused at its root', () => {
  assert.deepEqual(paths(['Ivan Petrov']), ['']);
  assert.deepEqual(paths(null), ['']);
  assert.deepEqual(paths('Ivan Petrov'), ['']);
});

test('every problem of a watchlist file is listed at once, each with its JSON path', () => {
  const r = checkWatchlistDocument({
    consigness: ['Ivan Petrov'], // misspelt list
    sellers: 'Shady Goods Ltd', // not a list
    declarants: [
      '', // empty name
      '   ', // blank name
      42, // wrong type
      null,
      ['nested'],
      { reason: 'no name' },
      { name: '', reason: 'x' },
      { name: 'Ok', reason: 7 },
      { name: 'Ok', reason: '' },
      { name: 'Ok', why: 'unknown key' },
      { name: 'Fine Name' },
    ],
    addresses: { street: 'not a list' },
    'a/b': [],
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.error.map((i) => i.path),
    [
      '/consigness',
      '/sellers',
      '/declarants/0',
      '/declarants/1',
      '/declarants/2',
      '/declarants/3',
      '/declarants/4',
      '/declarants/5/name',
      '/declarants/6/name',
      '/declarants/7/reason',
      '/declarants/8/reason',
      '/declarants/9/why',
      '/addresses',
      '/a~1b',
    ],
  );
  for (const i of r.error) {
    assert.equal(i.code, 'watchlist.invalid');
    assert.ok(i.message.length > 0);
  }
  assert.match(r.error[0]!.message, /consignees, sellers, declarants, addresses/);
  assert.match(r.error[7]!.message, /missing/);
});

test('scenario files: paths from their base, and names only', () => {
  assert.deepEqual(
    paths({ sellers: [{ name: 'Shady Goods Ltd' }, 3] }, { base: '/context/watchlist', namesOnly: true }),
    ['/context/watchlist/sellers/0', '/context/watchlist/sellers/1'],
  );
  assert.deepEqual(paths(7, { base: '/context/watchlist' }), ['/context/watchlist']);
});
