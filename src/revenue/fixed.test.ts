/** The integer fast path (fixed.ts and fast-*.ts) against decimal.js on random amounts and consignments. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dec } from '../domain/index.js';
import { assessRevenue, assessRevenueDecimal } from './assess-revenue.js';
import { fixed, parseMicro, parseRate, shareOf, timesRate } from './fixed.js';
import { IOSS, contextWith, item, parcel, shippedContext, testFx } from './scenario-fixtures.js';

const RUNS = { numRuns: 300 };

/** A plain decimal string with up to `dp` decimals and up to `int` integer digits. */
const amount = (int: number, dp: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** BigInt(int) - 1n }), fc.integer({ min: 0, max: dp }))
    .chain(([i, places]) =>
      places === 0
        ? fc.constant(i.toString())
        : fc
            .bigInt({ min: 0n, max: 10n ** BigInt(places) - 1n })
            .map((f) => `${i}.${f.toString().padStart(places, '0')}`),
    );

const micro = (text: string): number => {
  const m = parseMicro(text);
  if (m === undefined) throw new Error(`not parsed: ${text}`);
  return m;
};

describe('fixed-point helpers match decimal.js', () => {
  it('parses and renders like Dec#toFixed (half-up)', () => {
    fc.assert(
      fc.property(amount(9, 6), fc.integer({ min: 0, max: 8 }), (a, places) => {
        assert.equal(fixed(micro(a), places), new Dec(a).toFixed(places));
      }),
      RUNS,
    );
  });

  it('multiplies by a rate and rounds half-up like Dec', () => {
    fc.assert(
      fc.property(amount(5, 6), amount(3, 10), fc.integer({ min: 0, max: 6 }), (a, r, places) => {
        const rate = parseRate(r);
        assert.ok(rate !== undefined);
        const want = new Dec(a).times(r).toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(6);
        assert.equal(fixed(timesRate(micro(a), rate, places), 6), want);
      }),
      RUNS,
    );
  });

  it('apportions a share like Dec', () => {
    fc.assert(
      fc.property(amount(6, 6), amount(7, 6), amount(7, 6), fc.integer({ min: 0, max: 4 }), (e, v, t, p) => {
        fc.pre(new Dec(v).lte(t) && !new Dec(t).isZero());
        const want = new Dec(e).times(v).div(t).toDecimalPlaces(p, Dec.ROUND_HALF_UP).toFixed(6);
        assert.equal(fixed(shareOf(micro(e), micro(v), micro(t), p), 6), want);
      }),
      RUNS,
    );
  });

  it('rounds and renders negative values (an apportioning remainder) like Dec', () => {
    fc.assert(
      fc.property(amount(5, 6), amount(1, 6), fc.integer({ min: 0, max: 6 }), (a, r, places) => {
        const rate = parseRate(r);
        assert.ok(rate !== undefined);
        const neg = -micro(a);
        const want = new Dec(a).neg().times(r).toDecimalPlaces(places, Dec.ROUND_HALF_UP);
        assert.equal(fixed(timesRate(neg, rate, places), places), want.toFixed(places));
        assert.equal(fixed(neg, places), new Dec(a).neg().toFixed(places));
      }),
      RUNS,
    );
  });

  it('declines what it cannot represent exactly', () => {
    for (const text of ['-1', '1e3', '1.1234567', '1000000000', ' 1', '.5', 'abc']) {
      assert.equal(parseMicro(text), undefined, text);
    }
    assert.equal(parseRate('1e-7'), undefined);
  });
});

const COUNTRIES = ['AT', 'DE', 'FR', 'HU', 'IT', 'RO', 'US'];
const HS = ['610910', '640399', '847130', '950300', '999999', undefined];
const DAY = 86_400_000;
const at = fc
  .integer({ min: 0, max: 3600 })
  .map((d) => new Date(Date.UTC(2021, 0, 1) + d * DAY).toISOString());
const money = fc.oneof(amount(4, 2), amount(5, 6), fc.constantFrom('0', '150', '150.00', '149.995', '1e2'));

const consignment = fc.record({
  to: fc.constantFrom(...COUNTRIES),
  items: fc.array(fc.tuple(money, fc.constantFrom(...HS), fc.constantFrom('EUR', 'USD', 'GBP', 'JPY')), {
    minLength: 1,
    maxLength: 6,
  }),
  transport: fc.option(money, { nil: undefined }),
  insurance: fc.option(money, { nil: undefined }),
  included: fc.boolean(),
  ioss: fc.constantFrom(undefined, IOSS, 'IM12'),
  f49: fc.boolean(),
  at,
});

const feesOn = contextWith((p) => {
  const fees = p.fees.map((f) => ({ ...f, enabled: true }));
  const sub = fees.map((f) => ({ ...f, id: 'sub', amount: '1.235', per: 'subheading' as const }));
  return { ...p, fees: [...fees, ...sub.slice(0, 1).map((f) => ({ ...f, from: '2021-01-01' }))] };
}, testFx);

describe('integer path = decimal.js path on random consignments', () => {
  for (const [name, ctx] of [
    ['shipped profile, HMRC FX', shippedContext()],
    ['all fees enabled, static FX', feesOn],
  ] as const) {
    it(name, () => {
      fc.assert(
        fc.property(consignment, (c) => {
          const input = parcel({
            to: c.to,
            items: c.items.map(([value, hs, cur]) => item(value, hs, cur)),
            ...(c.transport === undefined ? {} : { transport: c.transport }),
            ...(c.insurance === undefined ? {} : { insurance: c.insurance }),
            included: c.included,
            ...(c.ioss === undefined ? {} : { ioss: c.ioss }),
            ...(c.f49 ? { codes: ['F49' as const] } : {}),
          });
          assert.deepEqual(assessRevenue(input, ctx, c.at), assessRevenueDecimal(input, ctx, c.at));
        }),
        RUNS,
      );
    });
  }
});
