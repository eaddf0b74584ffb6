/** Property tests for EU revenue money: exact 2-place amounts, consistent totals, monotonic VAT. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dec, sum, type RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { IOSS, item, parcel, shippedContext } from './scenario-fixtures.js';

const ctx = shippedContext();
const COUNTRIES = ['AT', 'BE', 'DE', 'FI', 'FR', 'HU', 'IE', 'LU', 'RO'];
const HS = ['610910', '640399', '847130', '420221', '950300', '999999', undefined];
const cents = (max: number) => fc.integer({ min: 0, max }).map((c) => new Dec(c).div(100).toFixed(2));
const date = fc
  .integer({ min: 0, max: 3600 })
  .map((d) => new Date(Date.UTC(2021, 6, 1) + d * 86_400_000).toISOString());

const consignment = fc.record({
  to: fc.constantFrom(...COUNTRIES),
  items: fc.array(fc.tuple(cents(30_000), fc.constantFrom(...HS), fc.constantFrom('EUR', 'USD', 'GBP')), {
    minLength: 1,
    maxLength: 5,
  }),
  transport: cents(5_000),
  insurance: cents(1_000),
  ioss: fc.boolean(),
  f49: fc.boolean(),
  at: date,
});

type Consignment = typeof consignment extends fc.Arbitrary<infer T> ? T : never;

const assess = (c: Consignment): RevenueAssessment =>
  assessRevenue(
    parcel({
      to: c.to,
      items: c.items.map(([amount, hs, cur]) => item(amount, hs, cur)),
      transport: c.transport,
      insurance: c.insurance,
      ...(c.ioss ? { ioss: IOSS } : {}),
      ...(c.f49 ? { codes: ['F49' as const] } : {}),
    }),
    ctx,
    c.at,
  );

const TWO_PLACES = /^\d+\.\d{2}$/;

describe('EU revenue properties', () => {
  it('renders every amount and total as an exact non-negative decimal with 2 places', () => {
    fc.assert(
      fc.property(consignment, (c) => {
        const a = assess(c);
        for (const l of a.lines) assert.match(l.amount, TWO_PLACES);
        for (const v of [a.dueAtBorder, a.prepaid, a.total, a.intrinsicValue, a.customsValue]) {
          assert.match(v, TWO_PLACES);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('makes dueAtBorder, prepaid and total the exact sums of their lines', () => {
    fc.assert(
      fc.property(consignment, (c) => {
        const a = assess(c);
        const of = (who: string[]) =>
          sum(a.lines.filter((l) => who.includes(l.collectedBy)).map((l) => l.amount));
        assert.ok(of(['border']).equals(a.dueAtBorder));
        assert.ok(of(['vendor', 'platform']).equals(a.prepaid));
        assert.ok(sum(a.lines.map((l) => l.amount)).equals(a.total));
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers border VAT when an item value rises under standard import, before and after the interim flat duty', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COUNTRIES),
        fc.constantFrom(...HS),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.constantFrom('2025-03-14T10:00:00Z', '2028-07-01T10:00:00Z'),
        (to, hs, lowCents, stepCents, at) => {
          const vatAt = (c: number) => {
            const a = assessRevenue(
              parcel({ to, items: [item(new Dec(c).div(100).toFixed(2), hs)] }),
              ctx,
              at,
            );
            return new Dec(a.lines.find((l) => l.type === 'vat')?.amount ?? 'NaN');
          };
          assert.ok(vatAt(lowCents).lte(vatAt(lowCents + stepCents)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('documents that during the interim period VAT can fall at 150 for zero-duty goods, as the flat 3.00 stops', () => {
    const vatOf = (amount: string) =>
      assessRevenue(parcel({ items: [item(amount, '847130')] }), ctx, '2026-07-01T10:00:00Z').lines.find(
        (l) => l.type === 'vat',
      )?.amount;
    assert.equal(vatOf('149.99'), '29.07');
    assert.equal(vatOf('150.00'), '28.50');
  });
});
