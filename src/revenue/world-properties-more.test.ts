/**
 * Property tests for CN, JP, KR, US and ID (the others are in world-properties.test.ts): within one
 * regime more value never means less tax, every amount exact at the profile's places with the total
 * the sum of its lines, and the result independent of the order of the items. A parcel that is not
 * assessed (ID over US$1,500 FOB) has unknown duty and tax, not less: it is left out of the comparison.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dec, type RevenueAssessment } from '../domain/index.js';
import type { AssessOptions } from './generic-profile.js';
import { notAssessedNote } from './not-assessed.js';
import { assessWorld, worldParcel } from './world-fixtures.js';

interface Case {
  to: string;
  /** Currency the prices are declared in and its minor-unit places. */
  currency: string;
  declaredPlaces: number;
  /** Places of the profile's results. */
  places: number;
  at: string;
  from?: string;
  platform?: boolean;
  perUsd?: Record<string, string>;
  history?: (units: number) => AssessOptions['history'];
  /** Item values (and the increase) are divided by it, so most parcels stay within a scope ceiling. */
  divisor?: number;
}

const CASES: Case[] = [
  {
    to: 'CN',
    currency: 'CNY',
    declaredPlaces: 2,
    places: 2,
    at: '2025-06-10T10:00:00Z',
    platform: true,
    history: (u) => ({ personYearToDate: { amount: String(u * 10), currency: 'CNY' } }),
  },
  { to: 'JP', currency: 'JPY', declaredPlaces: 0, places: 0, at: '2025-06-10T10:00:00Z' },
  {
    to: 'KR',
    currency: 'USD',
    declaredPlaces: 2,
    places: 0,
    at: '2025-06-10T10:00:00Z',
    from: 'US',
    perUsd: { KRW: '1375.5' },
    history: (u) => ({ personDayTotal: { amount: String(u % 300), currency: 'USD' } }),
  },
  {
    to: 'US',
    currency: 'USD',
    declaredPlaces: 2,
    places: 2,
    at: '2025-06-10T10:00:00Z',
    from: 'GB',
    history: (u) => ({ personDayTotal: { amount: String(u % 900), currency: 'USD' } }),
  },
  { to: 'US', currency: 'USD', declaredPlaces: 2, places: 2, at: '2026-03-01T10:00:00Z' },
  {
    to: 'ID',
    currency: 'USD',
    declaredPlaces: 2,
    places: 0,
    at: '2025-06-10T10:00:00Z',
    perUsd: { IDR: '16250' },
    // Up to US$1,000 an item: most parcels within the e-commerce regime's US$1,500 FOB.
    divisor: 20,
  },
];

const HS = ['610910', '640399', '847130', '420222', '190110', '330499', '210690'];
const caseArb = fc.constantFrom(...CASES);
/** An amount in minor units rendered at `places`. */
const text = (units: number, places: number) => new Dec(units).div(10 ** places).toFixed(places);

function assess(c: Case, items: { units: number; hs: string }[], transport: number, hist: number) {
  const input = worldParcel({
    to: c.to,
    currency: c.currency,
    ...(c.from === undefined ? {} : { from: c.from }),
    ...(c.platform ? { platform: true } : {}),
    items: items.map((i) => ({
      amount: text(Math.floor(i.units / (c.divisor ?? 1)), c.declaredPlaces),
      hs: i.hs,
    })),
    ...(transport > 0 ? { transport: text(transport, c.declaredPlaces) } : {}),
  });
  const history = c.history?.(hist);
  return assessWorld(input, c.at, c.perUsd ?? {}, history === undefined ? {} : { history });
}

/** Tax charged to someone (border, seller, platform or intermediary): lines not marked 'none'. */
const charged = (a: RevenueAssessment) =>
  a.lines.filter((l) => l.collectedBy !== 'none').reduce((s, l) => s.plus(l.amount), new Dec(0));

const itemArb = (max: number) =>
  fc.record({ units: fc.integer({ min: 0, max }), hs: fc.constantFrom(...HS) });

describe('CN, JP, KR, US and ID properties', () => {
  it('never charges less when one item is worth more (same regime, same history)', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.array(itemArb(2_000_000), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 500_000 }),
        fc.nat({ max: 3_000 }),
        fc.integer({ min: 0, max: 3 }),
        (c, items, more, hist, which) => {
          const i = which % items.length;
          const richer = items.map((x, k) => (k === i ? { ...x, units: x.units + more } : x));
          const a = assess(c, items, 0, hist);
          const b = assess(c, richer, 0, hist);
          if (notAssessedNote(b) !== undefined) return;
          assert.equal(notAssessedNote(a), undefined, `${c.to} ${c.at}: the cheaper parcel not assessed`);
          const low = charged(a);
          const high = charged(b);
          assert.ok(high.greaterThanOrEqualTo(low), `${c.to} ${c.at}: ${low} then ${high} (+${more})`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps every amount exact at the profile places, total = sum of lines, due + prepaid within total', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.array(itemArb(5_000_000), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.nat({ max: 3_000 }),
        (c, items, transport, hist) => {
          const a = assess(c, items, transport, hist);
          const re = c.places === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${c.places}}$`);
          let sum = new Dec(0);
          for (const l of a.lines) {
            assert.match(l.amount, re, `${c.to} ${l.type} ${l.amount}`);
            sum = sum.plus(l.amount);
          }
          for (const v of [a.total, a.dueAtBorder, a.prepaid, a.customsValue]) assert.match(v, re);
          assert.equal(sum.toFixed(c.places), a.total);
          assert.ok(new Dec(a.dueAtBorder).plus(a.prepaid).lessThanOrEqualTo(a.total));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the items', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.array(itemArb(800_000), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.nat({ max: 3_000 }),
        (c, items, transport, hist) => {
          const a = assess(c, items, transport, hist);
          const b = assess(c, [...items].reverse(), transport, hist);
          const key = (x: RevenueAssessment) => [
            x.collectionModel,
            x.customsValue,
            x.dueAtBorder,
            x.prepaid,
            x.total,
            x.lines.map((l) => `${l.type}:${l.amount}:${l.collectedBy}`).sort(),
          ];
          assert.deepEqual(key(b), key(a));
        },
      ),
      { numRuns: 300 },
    );
  });
});
