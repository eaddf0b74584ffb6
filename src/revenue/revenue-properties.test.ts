/** Property tests over every shipped profile: exact decimals, never negative, item order and replay invariance. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { loadRevenueContext } from './load-context.js';
import { IOSS } from './scenario-fixtures.js';

const ctx = loadRevenueContext();
const DESTS = [
  'DE',
  'FR',
  'AT',
  'FI',
  'RO',
  'GB',
  'US',
  'AU',
  'NZ',
  'CA',
  'CN',
  'SG',
  'JP',
  'KR',
  'CH',
  'NO',
  'ID',
];
const HS = ['610910', '640399', '847130', '420221', '950300', '220421', '330499', undefined];
const money = (max: number, places: number) =>
  fc.integer({ min: 0, max }).map((u) => (places === 0 ? String(u) : (u / 10 ** places).toFixed(places)));

const consignment = fc
  .record({
    to: fc.constantFrom(...DESTS),
    items: fc.array(
      fc.record({
        amount: money(400_000, 2),
        hs: fc.constantFrom(...HS),
        currency: fc.constantFrom('EUR', 'USD', 'GBP', 'CNY', 'JPY'),
        quantity: fc.integer({ min: 1, max: 5 }),
        grams: fc.integer({ min: 1, max: 5_000 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    transport: money(5_000, 2),
    insurance: money(1_000, 2),
    ioss: fc.boolean(),
    platform: fc.boolean(),
    day: fc.integer({ min: 0, max: 2_900 }),
  })
  .map((c) => {
    const input: ConsignmentInput = {
      source: 'declaration',
      category: 'sale',
      items: c.items.map((i) => ({
        description: 'goods',
        ...(i.hs === undefined ? {} : { hsCode: i.hs }),
        quantity: i.quantity,
        unit: 'pcs',
        netWeightGrams: i.grams,
        value: {
          amount: i.currency === 'JPY' ? String(Math.round(Number(i.amount))) : i.amount,
          currency: i.currency,
        },
        origin: 'CN',
      })),
      routing: { dispatchCountry: 'CN', destinationCountry: c.to },
      totals: {
        transport: { amount: c.transport, currency: 'EUR' },
        insurance: { amount: c.insurance, currency: 'EUR' },
      },
      ...(c.ioss ? { taxCollection: { scheme: 'IOSS' as const, number: IOSS } } : {}),
      ...(c.platform ? { platform: { id: 'p', orderId: 'o' } } : {}),
    };
    const at = new Date(Date.UTC(2021, 6, 1) + c.day * 86_400_000).toISOString();
    return { input, at };
  });

const placesOf = (a: RevenueAssessment) => ctx.byCountry.get(a.jurisdiction.slice(-2))?.places ?? 2;
const decimalRe = (places: number) => (places === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${places}}$`));

function summary(a: RevenueAssessment) {
  return {
    model: a.collectionModel,
    intrinsic: a.intrinsicValue,
    customs: a.customsValue,
    due: a.dueAtBorder,
    prepaid: a.prepaid,
    total: a.total,
    amounts: a.lines.map((l) => `${l.type}:${l.amount}:${l.collectedBy}`).sort(),
  };
}

describe('revenue properties across all profiles', () => {
  it('renders every amount and total as an exact, non-negative decimal with the profile places', () => {
    fc.assert(
      fc.property(consignment, ({ input, at }) => {
        const a = assessRevenue(input, ctx, at);
        const re = decimalRe(placesOf(a));
        for (const l of a.lines) assert.match(l.amount, re, `${a.jurisdiction} ${l.type} ${l.amount}`);
        for (const v of [a.dueAtBorder, a.prepaid, a.total, a.intrinsicValue, a.customsValue])
          assert.match(v, re);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the items', () => {
    fc.assert(
      fc.property(consignment, fc.nat(), ({ input, at }, seed) => {
        const order = input.items
          .map((_, i) => i)
          .sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13));
        const shuffled = { ...input, items: order.map((i) => input.items[i]!) };
        assert.deepEqual(summary(assessRevenue(shuffled, ctx, at)), summary(assessRevenue(input, ctx, at)));
      }),
      { numRuns: 300 },
    );
  });

  it('replays to the identical assessment from the stored (JSON) input on the same date', () => {
    fc.assert(
      fc.property(consignment, ({ input, at }) => {
        const stored = JSON.parse(JSON.stringify(input)) as ConsignmentInput;
        assert.deepEqual(assessRevenue(stored, ctx, at), assessRevenue(input, ctx, at));
      }),
      { numRuns: 100 },
    );
  });
});
