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
