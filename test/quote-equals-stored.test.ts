/**
 * A quote is the stored assessment's revenue for the same record lodged at the same time: POST
 * /v1/quote and the revenue of the consignment POST /v1/consignments creates agree figure for figure
 * (destinations without per-person limits, where the store's history cannot differ), over random
 * records: currencies, schemes with and without tax paid, special arrangements, categories.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const DESTS: [string, string, string | undefined][] = [
  ['DE', 'EUR', 'IOSS:IM2760000001'],
  ['FR', 'EUR', 'IOSS:IM2500000001'],
  ['RO', 'EUR', 'IOSS:IM6420000001'],
  ['GB', 'GBP', 'UKVAT:GB123456789'],
  ['AU', 'AUD', 'ABN:51824753556'],
  ['NZ', 'NZD', 'NZGST:123456789'],
  ['NO', 'NOK', 'VOEC:2024001'],
  ['SG', 'SGD', 'OVR:M12345678X'],
  ['CH', 'CHF', undefined],
  ['JP', 'JPY', undefined],
  ['CA', 'CAD', undefined],
  ['ID', 'IDR', undefined],
];

const record = fc.record({
  dest: fc.constantFrom(...DESTS),
  cents: fc.integer({ min: 1, max: 400_000 }),
  quantity: fc.integer({ min: 1, max: 3 }),
  foreign: fc.boolean(),
  transport: fc.integer({ min: 0, max: 3_000 }),
  scheme: fc.boolean(),
  taxPaid: fc.option(fc.integer({ min: 0, max: 10_000 })),
  f49: fc.boolean(),
  category: fc.constantFrom('sale', 'gift', 'documents', 'returned', 'other' as const),
  arrivalDays: fc.option(fc.integer({ min: 0, max: 60 })),
});

test('the quote equals the stored assessment of the same record lodged at the same time', async () => {
  const now = new Date('2026-06-20T10:00:00Z');
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({ store, snapshot: () => snapshot, clock: () => now });
  let serial = 70_000_000;
  try {
    await fc.assert(
      fc.asyncProperty(record, async (r) => {
        const [to, cur, scheme] = r.dest;
        const whole = cur === 'JPY' || cur === 'IDR';
        const currency = r.foreign ? 'USD' : cur;
        const amt = (cents: number) =>
          whole && !r.foreign ? String(Math.max(1, Math.round(cents / 100))) : (cents / 100).toFixed(2);
        const base = postalItem({}, String(serial++));
        const [schemeName, number] = (scheme ?? 'IOSS:IM2760000001').split(':') as [
          NonNullable<ConsignmentInput['taxCollection']>['scheme'],
          string,
        ];
        const payload: ConsignmentInput = {
          ...base,
          category: r.category,
          consignee: { ...base.consignee!, address: { ...base.consignee!.address!, country: to } },
          items: [{ ...base.items[0]!, quantity: r.quantity, value: { amount: amt(r.cents), currency } }],
          totals: { transport: { amount: amt(r.transport), currency }, grossWeightGrams: 350 },
          routing: { dispatchCountry: 'CN', destinationCountry: to },
          ...(r.scheme
            ? {
                taxCollection: {
                  scheme: schemeName,
                  number,
                  ...(r.taxPaid === null ? {} : { taxPaid: { amount: amt(r.taxPaid), currency: cur } }),
                },
              }
            : {}),
          ...(r.f49 ? { additionalProcedureCodes: ['F49' as const] } : {}),
          dates: {
            accepted: '2026-06-18T08:00:00Z',
            ...(r.arrivalDays === null
              ? {}
              : { expectedArrival: new Date(now.getTime() + r.arrivalDays * 86_400_000).toISOString() }),
          },
        };
        const quote = await a.inject({ method: 'POST', url: '/v1/quote', payload });
        const created = await a.inject({ method: 'POST', url: '/v1/consignments', payload });
        assert.equal(quote.statusCode, 200, quote.body);
        assert.equal(created.statusCode, 201, created.body);
        const stored = (
          await a.inject({ method: 'GET', url: `/v1/consignments/${created.json().consignmentId}` })
        ).json().assessment.revenue;
        assert.deepEqual(stored, quote.json());
      }),
      { numRuns: Number(process.env.REVIEW_RUNS ?? 40) },
    );
  } finally {
    await a.close();
  }
});
