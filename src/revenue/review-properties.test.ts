/**
 * Properties over every shipped profile with every collection path (vendor schemes with valid,
 * invalid and mismatched numbers and declared tax paid, special arrangements, CN22/CN23 categories,
 * postal and courier, several currencies, 2016-2029): the lines add up exactly, amounts keep the
 * profile's places, an assessment does not depend on the currency the values were declared in beyond
 * the prescribed conversion of each amount, and tax never falls as one item's value rises within a band.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput, Money, RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { loadRevenueContext } from './load-context.js';
import { amount, fixed, rate, times, ZERO } from './money.js';

const ctx = loadRevenueContext();
type Scheme = NonNullable<ConsignmentInput['taxCollection']>['scheme'];

/** Destination, its currency and the vendor scheme it knows, with a valid number. */
const DESTS: [string, string, Scheme | undefined, string][] = [
  ['DE', 'EUR', 'IOSS', 'IM2760000001'],
  ['RO', 'EUR', 'IOSS', 'IM6420000001'],
  ['FI', 'EUR', 'IOSS', 'IM2460000001'],
  ['GB', 'GBP', 'UKVAT', 'GB123456789'],
  ['US', 'USD', undefined, ''],
  ['AU', 'AUD', 'ABN', '12345678901'],
  ['NZ', 'NZD', 'NZGST', '123456789'],
  ['CA', 'CAD', undefined, ''],
  ['CN', 'CNY', undefined, ''],
  ['SG', 'SGD', 'OVR', 'M12345678X'],
  ['JP', 'JPY', undefined, ''],
  ['KR', 'KRW', undefined, ''],
  ['CH', 'CHF', undefined, ''],
  ['NO', 'NOK', 'VOEC', '2024001'],
  ['ID', 'IDR', undefined, ''],
];
const HS = ['610910', '640399', '847130', '420221', '950300', '220421', '330499', '490199', undefined];
const CATEGORIES = ['sale', 'gift', 'sample', 'documents', 'returned', 'other'] as const;
const money = (max: number, places: number) =>
  fc.integer({ min: 0, max }).map((u) => (places === 0 ? String(u) : (u / 10 ** places).toFixed(places)));

const consignment = fc
  .record({
    dest: fc.constantFrom(...DESTS),
    from: fc.constantFrom('CN', 'US', 'MX', 'VN'),
    items: fc.array(
      fc.record({
        amount: money(300_000, 2),
        hs: fc.constantFrom(...HS),
        own: fc.boolean(),
        quantity: fc.integer({ min: 1, max: 4 }),
        grams: fc.integer({ min: 1, max: 3_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    foreign: fc.constantFrom('EUR', 'USD', 'GBP'),
    transport: money(3_000, 2),
    insurance: money(500, 2),
    category: fc.constantFrom(...CATEGORIES),
    scheme: fc.constantFrom('none', 'valid', 'invalid', 'other-scheme'),
    taxPaid: fc.option(money(20_000, 2)),
    f49: fc.boolean(),
    postal: fc.boolean(),
    platform: fc.boolean(),
    day: fc.integer({ min: 0, max: 4_700 }),
  })
  .map((c) => {
    const [to, cur, scheme, number] = c.dest;
    const whole = cur === 'JPY' || cur === 'KRW' || cur === 'IDR';
    const m = (a: string, currency: string): Money => ({
      amount: whole && currency === cur ? String(Math.round(Number(a))) : a,
      currency,
    });
    const sch: Scheme = scheme ?? 'IOSS';
    const taxCollection =
      c.scheme === 'none'
        ? undefined
        : {
            scheme: c.scheme === 'other-scheme' ? (sch === 'VOEC' ? 'IOSS' : 'VOEC') : sch,
            number: c.scheme === 'invalid' ? 'X1' : number || 'IM2760000001',
            ...(c.taxPaid === null ? {} : { taxPaid: m(c.taxPaid, cur) }),
          };
    const input: ConsignmentInput = {
      source: 'declaration',
      category: c.category,
      items: c.items.map((i) => ({
        description: 'goods',
        ...(i.hs === undefined ? {} : { hsCode: i.hs }),
        quantity: i.quantity,
        unit: 'pcs',
        netWeightGrams: i.grams,
        value: m(i.amount, i.own ? cur : c.foreign),
        origin: c.from,
      })),
      routing: { dispatchCountry: c.from, destinationCountry: to },
      totals: { transport: m(c.transport, c.foreign), insurance: m(c.insurance, c.foreign) },
      ...(taxCollection === undefined ? {} : { taxCollection }),
      ...(c.f49 ? { additionalProcedureCodes: ['F49' as const] } : {}),
      ...(c.postal ? { transportDocument: { type: 'S10' as const, id: 'RR123456785CN' } } : {}),
      ...(c.platform ? { platform: { id: 'p', orderId: 'o' } } : {}),
    };
    const at = new Date(Date.UTC(2016, 6, 1) + c.day * 86_400_000).toISOString();
    return { input, at };
  });

const placesOf = (a: RevenueAssessment) => ctx.byCountry.get(a.jurisdiction.slice(-2))?.places ?? 2;
const decimalRe = (places: number) => (places === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${places}}$`));
const RUNS = { numRuns: Number(process.env.REVIEW_RUNS ?? 400) };

describe('revenue properties over every profile and collection path', () => {
  it('adds the lines up exactly: total, due at the border and prepaid, at the profile places', () => {
    fc.assert(
      fc.property(consignment, ({ input, at }) => {
        const a = assessRevenue(input, ctx, at);
        const p = placesOf(a);
        let total = ZERO;
        let due = ZERO;
        let prepaid = ZERO;
        for (const l of a.lines) {
          assert.match(l.amount, decimalRe(p), JSON.stringify(l));
          assert.match(l.base, /^\d+(\.\d+)?$/, JSON.stringify(l));
          const v = amount(l.amount);
          total += v;
          if (l.collectedBy === 'border') due += v;
          if (l.collectedBy === 'vendor' || l.collectedBy === 'platform') prepaid += v;
          if (l.collectedBy === 'none') assert.equal(v, ZERO, JSON.stringify(l));
        }
        assert.equal(a.total, fixed(total, p));
        assert.equal(a.dueAtBorder, fixed(due, p));
        assert.equal(a.prepaid, fixed(prepaid, p));
        // A vendor collects only under a valid number of a scheme of the destination.
        if (a.collectionModel === 'vendor') assert.ok(input.taxCollection !== undefined);
        if (a.collectionModel === 'intermediary') assert.ok(input.additionalProcedureCodes?.includes('F49'));
      }),
      RUNS,
    );
  });

  it('gives the same figures when each amount is declared already converted at the recorded rate', () => {
    fc.assert(
      fc.property(consignment, ({ input, at }) => {
        const a = assessRevenue(input, ctx, at);
        if (a.fx.length === 0 || a.lines.length === 0) return;
        // The engine converts each amount on its own (rounded to the profile's FX places): declaring
        // each in the jurisdiction currency at that figure must change nothing but the FX records.
        const places = ctx.byCountry.get(input.routing.destinationCountry)!.raw.fx.resultPlaces;
        const conv = (m: Money): Money => {
          if (m.currency === a.currency) return m;
          const r = a.fx.find((f) => f.from === m.currency)!;
          return {
            amount: fixed(times(amount(m.amount), rate(r.rate), places), places),
            currency: a.currency,
          };
        };
        const local: ConsignmentInput = {
          ...input,
          items: input.items.map((i) => ({ ...i, value: conv(i.value) })),
          totals: {
            transport: conv(input.totals!.transport!),
            insurance: conv(input.totals!.insurance!),
          },
          ...(input.taxCollection?.taxPaid === undefined
            ? {}
            : { taxCollection: { ...input.taxCollection, taxPaid: conv(input.taxCollection.taxPaid) } }),
        };
        const b = assessRevenue(local, ctx, at);
        const figures = (r: RevenueAssessment) => ({
          model: r.collectionModel,
          intrinsic: r.intrinsicValue,
          customs: r.customsValue,
          lines: r.lines.map((l) => [
            l.type,
            l.itemIndex,
            l.base,
            l.rate,
            l.amount,
            l.collectedBy,
            l.measure,
          ]),
          due: r.dueAtBorder,
          prepaid: r.prepaid,
          total: r.total,
        });
        assert.deepEqual(figures(b), figures(a));
      }),
      RUNS,
    );
  });

  it('never charges less when one item is worth more, within the same band (same measures and collectors)', () => {
    fc.assert(
      fc.property(consignment, fc.nat(), fc.integer({ min: 1, max: 5_000 }), ({ input, at }, pick, cents) => {
        const i = pick % input.items.length;
        const it = input.items[i]!;
        const whole = /^\d+$/.test(it.value.amount);
        const more = amount(it.value.amount) + amount(whole ? String(cents) : (cents / 100).toFixed(2));
        const richer: ConsignmentInput = {
          ...input,
          items: input.items.map((x, k) =>
            k === i ? { ...x, value: { ...x.value, amount: fixed(more, whole ? 0 : 2) } } : x,
          ),
        };
        const a = assessRevenue(input, ctx, at);
        const b = assessRevenue(richer, ctx, at);
        const band = (r: RevenueAssessment) =>
          JSON.stringify([
            r.collectionModel,
            r.lines.map((l) => `${l.type}|${l.measure}|${l.collectedBy}|${l.rate}|${l.itemIndex}`).sort(),
          ]);
        if (band(a) !== band(b)) return;
        // With several items, transport and insurance follow the values: a dearer zero-rate item takes
        // a share off a dutiable one, which may lower its duty (a consequence of the apportionment).
        const carriage = amount(input.totals!.transport!.amount) + amount(input.totals!.insurance!.amount);
        if (input.items.length > 1 && carriage !== ZERO) return;
        assert.ok(amount(b.total) >= amount(a.total), `${a.total} -> ${b.total}`);
        for (const type of ['duty', 'vat', 'excise'] as const) {
          const sum = (r: RevenueAssessment) => {
            let s = ZERO;
            for (const l of r.lines) if (l.type === type) s += amount(l.amount);
            return s;
          };
          assert.ok(
            sum(b) >= sum(a),
            `${type} fell: ${JSON.stringify(a.lines)} -> ${JSON.stringify(b.lines)}`,
          );
        }
      }),
      RUNS,
    );
  });
});
