/** The live per-person view: property test against a plain model, and what counts toward a limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { ConsignmentInput } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { loadRevenueContext } from './load-context.js';
import { PersonHistory, personEntryOf } from './person-history.js';

const ctx = loadRevenueContext();

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    id: fc.integer({ min: 0, max: 12 }),
    person: fc.integer({ min: 0, max: 2 }),
    date: fc.constantFrom('2025-12-31', '2026-01-01', '2026-03-02', '2026-03-03', '2027-01-01'),
    amount: fc.integer({ min: 0, max: 9_999_999 }).map((c) => new Decimal(c).div(100).toFixed(2)),
  }),
  fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 12 }) }),
);

describe('PersonHistory', () => {
  it('totals equal the exact sum of the entries held, per day and calendar year to date', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.constantFrom('2026-01-01', '2026-03-02', '2026-12-31', '2025-12-31'),
        fc.integer({ min: -1, max: 12 }),
        (ops, date, except) => {
          const h = new PersonHistory(ctx);
          const model = new Map<string, { person: number; date: string; amount: string }>();
          for (const o of ops) {
            if (o.kind === 'remove') {
              h.remove(`c${o.id}`);
              model.delete(`c${o.id}`);
              continue;
            }
            h.add({
              personKey: `p${o.person}`,
              jurisdiction: 'CN',
              consignmentId: `c${o.id}`,
              date: o.date,
              amount: o.amount,
              currency: 'CNY',
            });
            model.set(`c${o.id}`, { person: o.person, date: o.date, amount: o.amount });
          }
          for (let p = 0; p < 3; p++) {
            let day = new Decimal(0);
            let year = new Decimal(0);
            for (const [id, e] of model) {
              if (e.person !== p || id === `c${except}`) continue;
              if (e.date.slice(0, 4) !== date.slice(0, 4) || e.date > date) continue;
              year = year.plus(e.amount);
              if (e.date === date) day = day.plus(e.amount);
            }
            const t = h.totals(`p${p}`, 'CN', date, 'CNY', 2, `c${except}`);
            assert.deepEqual([t.day, t.yearToDate], [day.toFixed(2), year.toFixed(2)]);
          }
          assert.equal(h.size, model.size);
        },
      ),
    );
  });
});

function cn(amount: string, platform = true): ConsignmentInput {
  return {
    source: 'platform-order',
    category: 'sale',
    items: [
      {
        description: 'infant formula',
        hsCode: '190110',
        quantity: 1,
        unit: 'pcs',
        netWeightGrams: 800,
        value: { amount, currency: 'CNY' },
        origin: 'FR',
      },
    ],
    routing: { dispatchCountry: 'FR', destinationCountry: 'CN' },
    ...(platform ? { platform: { id: 'tmall-global', orderId: 'o1' } } : {}),
    consignee: {
      name: 'Li Wei',
      address: { line1: '1 Road', city: 'Shanghai', postcode: '200000', country: 'CN' },
      id: { type: 'PERSONAL', value: '31010119900101123X' },
    },
  } as ConsignmentInput;
}

describe('what counts toward a per-person limit', () => {
  const at = '2026-03-02T10:00:00Z';
  const entry = (input: ConsignmentInput, ytd?: string) =>
    personEntryOf(
      ctx,
      'c1',
      input,
      assessRevenue(
        input,
        ctx,
        at,
        ytd === undefined ? {} : { history: { personYearToDate: { amount: ytd, currency: 'CNY' } } },
      ),
      at,
    );

  it('a CBEC order counts its dutiable value; general trade and non-CBEC parcels do not', () => {
    assert.equal(entry(cn('3000'))?.amount, '3000.00');
    assert.equal(entry(cn('3000'), '24000'), undefined);
    assert.equal(entry(cn('3000', false)), undefined);
  });

  it('the optionsFor history excludes the consignment itself (a re-assessment does not count twice)', () => {
    const h = new PersonHistory(ctx);
    h.note('c1', cn('3000'), assessRevenue(cn('3000'), ctx, at), at);
    h.note('c2', cn('4000'), assessRevenue(cn('4000'), ctx, at), at);
    const y = (id: string) => h.optionsFor(id, cn('1'), at)?.history?.personYearToDate?.amount;
    assert.deepEqual([y('c1'), y('c2'), y('c3')], ['4000.00', '3000.00', '7000.00']);
    h.forget('c2');
    assert.equal(y('c3'), '3000.00');
  });

  it('regimes without a per-person limit get no history option (EU, or the US after 29 Aug 2025)', () => {
    const h = new PersonHistory(ctx);
    const eu = {
      ...cn('10'),
      routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
    } as ConsignmentInput;
    assert.equal(h.optionsFor('c1', eu, at), undefined);
    const us = {
      ...cn('10'),
      routing: { dispatchCountry: 'CN', destinationCountry: 'US' },
    } as ConsignmentInput;
    assert.equal(h.optionsFor('c1', us, at), undefined);
    assert.notEqual(h.optionsFor('c1', us, '2025-03-01T10:00:00Z'), undefined);
  });
});

describe('PersonHistory bounded by prune', () => {
  const entry = (id: string, jurisdiction: string, date: string, currency: string) => ({
    personKey: 'P',
    jurisdiction,
    consignmentId: id,
    date,
    amount: '100',
    currency,
  });

  it('drops same-day-only entries (KR) a grace period after their day, and yearly ones (CN) after the year', () => {
    const h = new PersonHistory(ctx);
    h.add(entry('kr', 'KR', '2026-03-02', 'KRW'));
    h.add(entry('cn', 'CN', '2026-03-02', 'CNY'));
    h.add(entry('us-old', 'US', '2025-08-01', 'USD'));
    h.prune('2026-03-09T10:00:00Z'); // 7 days after: the KR day is still served
    assert.equal(h.size, 2);
    assert.equal(h.totals('P', 'KR', '2026-03-02', 'KRW', 0).day, '100');
    h.prune('2026-03-10');
    assert.equal(h.size, 1);
    assert.equal(h.totals('P', 'KR', '2026-03-02', 'KRW', 0).day, '0');
    h.prune('2026-12-31');
    h.prune('2027-01-07');
    assert.equal(h.totals('P', 'CN', '2026-12-31', 'CNY', 2).yearToDate, '100.00');
    h.prune('2027-01-08');
    assert.equal(h.size, 0);
  });

  it('keeps memory bounded under a long stream of same-day entries', () => {
    const h = new PersonHistory(ctx);
    for (let d = 0; d < 400; d++) {
      const day = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (let i = 0; i < 5; i++) h.add({ ...entry(`k${d}-${i}`, 'KR', day, 'KRW'), personKey: `P${i}` });
      h.prune(day);
    }
    assert.equal(h.size, 8 * 5);
  });
});
