/**
 * Non-EU cases re-derived from REFERENCE.md §4 and §7.5 that the worked examples do not pin: the
 * Norwegian VOEC limit per article (a line of several units), and vendor-scheme numbers that intake
 * accepts never being an "invalid format" for revenue (Singapore OVR: UEN forms).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import { checkTaxNumber } from '../intake/identifiers.js';
import { loadRevenueContext } from './load-context.js';
import { assessWorld, worldParcel } from './world-fixtures.js';

const AT = '2025-03-01T10:00:00Z';
type Scheme = NonNullable<ConsignmentInput['taxCollection']>['scheme'];

describe('Norway VOEC: NOK 3,000 per article (REFERENCE §4 NO row, NO-1)', () => {
  const voec = (amount: string, quantity: number) =>
    assessWorld(
      worldParcel({
        to: 'NO',
        currency: 'NOK',
        items: [{ amount, quantity, hs: '610910' }],
        transport: '100.00',
        scheme: { scheme: 'VOEC', number: '2024001' },
      }),
      AT,
    );

  it('accepts a line of two articles at NOK 2,000 each (NOK 4,000 in all): VAT at sale on 4,100', () => {
    const a = voec('4000.00', 2);
    assert.equal(a.collectionModel, 'vendor');
    assert.deepEqual([a.prepaid, a.dueAtBorder], ['1025.00', '0.00']);
  });

  it('puts the boundary on the article: 3 x 2,999.99(67) is within, 3 x 3,000.00 is not', () => {
    assert.equal(voec('8999.99', 3).collectionModel, 'vendor');
    const over = voec('9000.00', 3);
    assert.equal(over.collectionModel, 'border');
    assert.ok(
      over.notes.includes(
        'VOEC not allowed: intrinsic value per unit of item 0 9000.00 / 3 NOK >= 3000.00 NOK; border rules apply',
      ),
      JSON.stringify(over.notes),
    );
    // One article at NOK 3,000 is over (< 3,000), at 2,999.99 within.
    assert.equal(voec('3000.00', 1).collectionModel, 'border');
    assert.equal(voec('2999.99', 1).collectionModel, 'vendor');
  });

  it('NO-1 still holds: NOK 2,000 + shipping 100 gives VAT 525 at checkout', () => {
    const a = voec('2000.00', 1);
    assert.deepEqual([a.collectionModel, a.prepaid, a.total], ['vendor', '525.00', '525.00']);
  });
});

describe('vendor-scheme numbers: what intake accepts, revenue accepts', () => {
  const ctx = loadRevenueContext();
  const schemes: [Scheme, string][] = [
    ['IOSS', 'DE'],
    ['UKVAT', 'GB'],
    ['ABN', 'AU'],
    ['ARN', 'AU'],
    ['NZGST', 'NZ'],
    ['OVR', 'SG'],
    ['VOEC', 'NO'],
  ];
  const patterns = (scheme: Scheme, country: string): RegExp[] => {
    const profile = ctx.byCountry.get(country)!;
    return profile.raw.regimes.flatMap((r) =>
      r.schemes.filter((s) => s.scheme === scheme).map((s) => new RegExp(s.numberPattern)),
    );
  };
  const candidate = fc.oneof(
    fc.stringMatching(/^M\d{8}[A-Z]$/),
    fc.stringMatching(/^\d{8,9}[A-Z]$/),
    fc.stringMatching(/^[TSR]\d{2}[A-Z]{2}\d{4}[A-Z]$/),
    fc.stringMatching(/^IM\d{10}$/),
    fc.stringMatching(/^GB(\d{9}|\d{12})$/),
    fc.stringMatching(/^\d{7,12}$/),
    fc.string({ maxLength: 14 }),
  );

  it('never calls a number intake accepted an invalid format (every scheme, every regime)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schemes), candidate, ([scheme, country], n) => {
        if (checkTaxNumber(scheme, n) !== undefined) return;
        for (const re of patterns(scheme, country)) assert.ok(re.test(n), `${scheme} ${n} vs ${re.source}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it('collects OVR GST at sale under a UEN, as under an M-number', () => {
    for (const number of ['M90371234X', '201912345K', '53912345A', 'T08LL1234A']) {
      const a = assessWorld(
        worldParcel({
          to: 'SG',
          currency: 'SGD',
          items: [{ amount: '100.00' }],
          scheme: { scheme: 'OVR', number },
        }),
        AT,
      );
      assert.equal(checkTaxNumber('OVR', number), undefined);
      assert.deepEqual([number, a.collectionModel, a.prepaid], [number, 'vendor', '9.00']);
      // REFERENCE.md §4 marks SG 9 % from 2024 [U]: the line says so.
      assert.match(
        a.lines.find((l) => l.type === 'vat')!.explanation,
        /9% from 2024 \[U\].*; rate not verified\)/,
      );
    }
  });
});

describe('US$ limits of a whole-unit currency (KR US$150/200, ID US$3): a value declared in US$ is compared in US$', () => {
  const kr = (usd: string, perUsd: string, from = 'CN') =>
    assessWorld(
      worldParcel({ to: 'KR', from, currency: 'USD', items: [{ amount: usd, hs: '640399' }] }),
      AT,
      { KRW: perUsd },
    );
  const id = (usd: string, perUsd: string) =>
    assessWorld(worldParcel({ to: 'ID', currency: 'USD', items: [{ amount: usd, hs: '640399' }] }), AT, {
      IDR: perUsd,
    });
  // Any rate with cents: US$150.00 x 1,386.47 = KRW 207,970.5, rounded to 207,971 (= US$150.0004).
  const perUsd = fc.integer({ min: 100_000, max: 2_000_000 }).map((c) => (c / 100).toFixed(2));

  it('relieves exactly US$150.00 (and US$200.00 from the US) at any exchange rate, taxes one cent more', () => {
    fc.assert(
      fc.property(perUsd, (r) => {
        assert.equal(kr('150.00', r).dueAtBorder, '0', `KRW ${r}`);
        assert.notEqual(kr('150.01', r).dueAtBorder, '0', `KRW ${r}`);
        assert.equal(kr('200.00', r, 'US').dueAtBorder, '0', `KRW ${r}`);
        assert.notEqual(kr('200.01', r, 'US').dueAtBorder, '0', `KRW ${r}`);
      }),
      { numRuns: 200 },
    );
    assert.match(
      kr('150.00', '1386.47').lines[0]!.explanation,
      /^Duty threshold: fob value per person-day 207971 KRW = 150\.00 USD <= 150 USD; no duty\./,
    );
  });

  it('relieves exactly US$3.00 FOB from duty in Indonesia at any exchange rate, one cent more pays it', () => {
    fc.assert(
      fc.property(
        perUsd.map((r) => (Number(r) * 10).toFixed(2)),
        (r) => {
          const at = id('3.00', r).lines.filter((l) => l.type === 'duty');
          assert.deepEqual(
            at.map((l) => l.collectedBy),
            ['none'],
            `IDR ${r}`,
          );
          const over = id('3.01', r).lines.filter((l) => l.type === 'duty');
          assert.deepEqual(
            over.map((l) => l.collectedBy),
            ['border'],
            `IDR ${r}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('adds same-day imports in US$ too: US$100 today plus US$50.00 now is within US$150', () => {
    const a = assessWorld(
      worldParcel({ to: 'KR', currency: 'USD', items: [{ amount: '50.00', hs: '640399' }] }),
      AT,
      { KRW: '1386.47' },
      { history: { personDayTotal: { amount: '138647', currency: 'KRW' } } },
    );
    assert.equal(a.dueAtBorder, '0');
  });
});

describe('US after the de minimis suspension: informational materials keep it (REFERENCE §4.1, 50 U.S.C. 1702(b))', () => {
  const AT_US = '2026-03-10T10:00:00Z';
  const us = (amount: string, hs?: string, category?: ConsignmentInput['category']) =>
    assessWorld(
      worldParcel({
        to: 'US',
        currency: 'USD',
        postal: true,
        items: [{ amount, ...(hs === undefined ? {} : { hs }) }],
        ...(category === undefined ? {} : { category }),
      }),
      AT_US,
    );
  const duty = (a: ReturnType<typeof us>) => a.lines.filter((l) => l.type === 'duty');

  it('relieves a US$20 book and a US$800.00 one; a book of US$800.01 pays the Section 122 surcharge', () => {
    for (const v of ['20.00', '800.00']) {
      const a = us(v, '490199');
      assert.deepEqual(
        duty(a).map((l) => [l.amount, l.collectedBy, l.measure]),
        [['0.00', 'none', 'De minimis kept for informational materials (50 U.S.C. 1702(b)(3))']],
      );
      assert.equal(a.dueAtBorder, '0.00');
    }
    assert.deepEqual(
      duty(us('800.01', '490199')).map((l) => [l.amount, l.measure]),
      [
        ['0.00', 'Customs duty 4901'],
        ['80.00', 'Section 122 temporary surcharge 10%'],
      ],
    );
  });

  it('relieves documents without an HS code, but not a T-shirt, nor a book mixed with a T-shirt', () => {
    assert.equal(us('5.00', undefined, 'documents').dueAtBorder, '0.00');
    assert.equal(us('20.00', '610910').dueAtBorder, '5.30');
    const mixed = assessWorld(
      worldParcel({
        to: 'US',
        currency: 'USD',
        items: [
          { amount: '20.00', hs: '490199' },
          { amount: '20.00', hs: '610910' },
        ],
      }),
      AT_US,
    );
    assert.equal(mixed.dueAtBorder, '7.30');
  });
});

describe('Indonesia since 2023-10-17: MFN-list goods pay their MFN rate and 10 % income tax (REFERENCE §4 ID row)', () => {
  const AT_ID = '2025-03-01T10:00:00Z';
  const id = (items: { amount: string; hs: string }[], transport?: string) =>
    assessWorld(
      worldParcel({ to: 'ID', currency: 'USD', items, ...(transport === undefined ? {} : { transport }) }),
      AT_ID,
      { IDR: '16000' },
    );
  const lines = (a: ReturnType<typeof id>, type: string) =>
    a.lines.filter((l) => l.type === type).map((l) => [l.base, l.rate, l.amount]);

  it('footwear US$90 + US$10 freight: duty 25 %, VAT 11 % and income tax 10 % on the import value', () => {
    const a = id([{ amount: '90.00', hs: '640399' }], '10.00');
    assert.deepEqual(lines(a, 'duty'), [['1600000', '0.25', '400000']]);
    assert.deepEqual(lines(a, 'vat'), [['2000000', '0.11', '220000']]);
    assert.deepEqual(lines(a, 'income-tax'), [['2000000', '0.1', '200000']]);
    assert.equal(a.dueAtBorder, '820000');
  });

  it('ID-2 (a non-MFN item) still has no income tax; in a mixed parcel only the listed item counts', () => {
    assert.deepEqual(lines(id([{ amount: '90.00', hs: '847130' }], '10.00'), 'income-tax'), []);
    const mixed = id([
      { amount: '50.00', hs: '640399' },
      { amount: '50.00', hs: '847130' },
    ]);
    // Footwear: 800,000 customs value + 200,000 duty (25 %).
    assert.deepEqual(lines(mixed, 'income-tax'), [['1000000', '0.1', '100000']]);
  });

  it('nothing at or below US$3: no duty, so no income tax', () => {
    assert.deepEqual(lines(id([{ amount: '3.00', hs: '640399' }]), 'income-tax'), []);
  });
});
