import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsignmentInput } from '../domain/index.js';
import { assessWatchlist, buildWatchlist } from './watchlist.js';

test('a consignee at a watchlisted drop address is listed whatever name the parcel carries', () => {
  const wl = buildWatchlist({
    addresses: [{ name: 'Keizersgracht 12, 1015 CX Amsterdam, NL', reason: 'drop address' }],
  });
  const c = {
    consignee: {
      name: 'Someone Else',
      address: { street: 'Keizersgracht 12', postcode: '1015 CX', city: 'Amsterdam', country: 'NL' },
    },
  } as unknown as ConsignmentInput;
  const r = assessWatchlist(c, wl);
  assert.equal(r.listed.consignees, true);
  assert.match(r.result.reason, /watchlisted address/);
  const elsewhere = {
    consignee: {
      name: 'Someone Else',
      address: { street: 'Damrak 1', postcode: '1012 LG', city: 'Amsterdam', country: 'NL' },
    },
  } as unknown as ConsignmentInput;
  assert.equal(assessWatchlist(elsewhere, wl).listed.consignees, false);
});

test('a fuzzy address match needs the same house number, postcode and country: only the words may be spelt differently', () => {
  const wl = buildWatchlist({
    addresses: [
      { name: '12 Harbour Road, 10115 Berlin, DE', reason: 'drop address' },
      { name: 'Lagerstraße 7, 04158 Leipzig, DE' },
    ],
  });
  const at = (street: string, postcode: string, city: string, country: string) =>
    wl.matchAddress?.({ street, postcode, city, country }) ?? null;
  // Spelling of the words: still the listed address.
  assert.equal(at('12 Harbour Rd', '10115', 'Berlin', 'DE')?.entry.name, '12 Harbour Road, 10115 Berlin, DE');
  assert.equal(
    at('Lagerstrasse 7', '04158', 'Leipzig', 'DE')?.entry.name,
    'Lagerstraße 7, 04158 Leipzig, DE',
  );
  assert.equal(at('12 harbour road', '10115', 'berlin', 'de')?.similarity, 1);
  // The neighbours, another postcode or another country are other addresses.
  for (const other of [
    ['14 Harbour Road', '10115', 'Berlin', 'DE'],
    ['21 Harbour Road', '10115', 'Berlin', 'DE'],
    ['12 Harbour Road', '10117', 'Berlin', 'DE'],
    ['12 Harbour Road', '10115', 'Berlin', 'FR'],
    ['Lagerstraße 17', '04158', 'Leipzig', 'DE'],
    ['Lagerstraße 7', '04158', 'Leipzig', 'AT'],
  ] as const)
    assert.equal(at(other[0], other[1], other[2], other[3]), null, other.join(', '));
});
