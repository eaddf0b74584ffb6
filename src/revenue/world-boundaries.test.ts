/**
 * Thresholds at X and X + 0.01 (in the threshold's currency and through a converted value) for JP,
 * CN, CA, US and UK. Figures from /work/shared/domain/REFERENCE.md, section named in each test;
 * every threshold here is [V] there unless the test says otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RevenueAssessment } from '../domain/index.js';
import { Dec } from '../domain/index.js';
import { amounts, assessWorld, worldParcel, type WorldParcel } from './world-fixtures.js';

const AT = '2025-06-10T10:00:00Z';
const borderDuty = (a: RevenueAssessment) =>
  a.lines
    .filter((l) => l.type === 'duty' && l.collectedBy === 'border')
    .reduce((s, l) => s.plus(l.amount), new Dec(0));
const borderVat = (a: RevenueAssessment) =>
  a.lines
    .filter((l) => l.type === 'vat' && l.collectedBy === 'border')
    .reduce((s, l) => s.plus(l.amount), new Dec(0));

describe('Japan ¥10,000 after the 0.6 factor and whole-yen rounding (REFERENCE §4 JP row, §4.3, §7.5 JP-1/2)', () => {
  const jp = (amount: string, currency = 'JPY', perUsd: Record<string, string> = {}) =>
    assessWorld(worldParcel({ to: 'JP', currency, items: [{ amount, hs: '610910' }] }), AT, perUsd);

  it('keeps retail ¥16,666 (9,999.6 -> 10,000) and ¥16,667 (10,000.2 -> 10,000) inside; ¥16,668 (10,000.8 -> 10,001) is taxed', () => {
    assert.deepEqual([jp('16666').customsValue, jp('16666').dueAtBorder], ['10000', '0']);
    assert.deepEqual([jp('16667').customsValue, jp('16667').dueAtBorder], ['10000', '0']);
    const over = jp('16668');
    assert.equal(over.customsValue, '10001');
    assert.deepEqual([amounts(over, 'duty'), amounts(over, 'vat')], [['1000'], ['1100']]);
  });

  it('tests ¥10,000 itself and ¥10,000.01 when no factor applies (not a personal import)', () => {
    const business = (amount: string) =>
      assessWorld(
        worldParcel({ to: 'JP', currency: 'JPY', items: [{ amount, hs: '610910' }] }),
        AT,
        {},
        {
          personalUse: false,
        },
      );
    assert.equal(business('10000').dueAtBorder, '0');
    assert.ok(new Dec(business('10001').dueAtBorder).greaterThan(0));
  });

  it('applies the same boundary to a price in US$ converted at ¥100 = US$1 (US$166.67 in, US$166.68 out)', () => {
    const usd = { JPY: '100' };
    assert.equal(jp('166.67', 'USD', usd).dueAtBorder, '0');
    assert.ok(new Dec(jp('166.68', 'USD', usd).dueAtBorder).greaterThan(0));
  });
});

describe('China CBEC ¥5,000 per order and ¥26,000 per year (REFERENCE §4.2, Caiguanshui [2018] No. 49)', () => {
  const cn = (items: string[], currency = 'CNY', ytd = '0', perUsd: Record<string, string> = {}) =>
    assessWorld(
      worldParcel({
        to: 'CN',
        currency,
        items: items.map((amount) => ({ amount, hs: '190110' })),
        platform: true,
      }),
      AT,
      perUsd,
      { history: { personYearToDate: { amount: ytd, currency: 'CNY' } } },
    );

  it('keeps a two-item order of ¥5,000.00 in the CBEC channel and sends ¥5,000.01 to general trade', () => {
    const at = cn(['2500.00', '2500.00']);
    assert.equal(at.collectionModel, 'platform-withholding');
    assert.deepEqual(amounts(at, 'vat'), ['455.00']);
    const over = cn(['2500.00', '2500.01']);
    assert.equal(over.collectionModel, 'border');
    assert.match(over.lines[0]?.explanation ?? '', /per-order limit/);
  });

  it('counts transport toward the per-order limit (CIF: dutiable price includes freight and insurance)', () => {
    const input = (t: string) =>
      worldParcel({
        to: 'CN',
        currency: 'CNY',
        items: [
          { amount: '2000', hs: '190110' },
          { amount: '2000', hs: '190110' },
        ],
        platform: true,
        transport: t,
      });
    const ytd = { history: { personYearToDate: { amount: '0', currency: 'CNY' } } };
    assert.equal(assessWorld(input('1000.00'), AT, {}, ytd).collectionModel, 'platform-withholding');
    assert.equal(assessWorld(input('1000.01'), AT, {}, ytd).collectionModel, 'border');
  });

  it('admits an order reaching exactly ¥26,000 in the year and refuses one reaching ¥26,000.01', () => {
    assert.equal(cn(['3000.00'], 'CNY', '23000').collectionModel, 'platform-withholding');
    const over = cn(['3000.01'], 'CNY', '23000');
    assert.equal(over.collectionModel, 'border');
    assert.match(over.lines[0]?.explanation ?? '', /Annual limit exceeded/);
  });

  it('applies the limits to a US$ price converted at ¥10 = US$1 (US$500.00 in, US$500.01 out)', () => {
    const usd = { CNY: '10' };
    assert.equal(cn(['250.00', '250.00'], 'USD', '0', usd).collectionModel, 'platform-withholding');
    assert.equal(cn(['250.00', '250.01'], 'USD', '0', usd).collectionModel, 'border');
  });

  it('used the 2016 limits (¥2,000 / ¥20,000) on 2018-12-31 and the 2019 ones from 2019-01-01', () => {
    const on = (date: string, items: string[]) =>
      assessWorld(
        worldParcel({
          to: 'CN',
          currency: 'CNY',
          items: items.map((amount) => ({ amount, hs: '190110' })),
          platform: true,
        }),
        `${date}T10:00:00Z`,
        {},
        { history: { personYearToDate: { amount: '0', currency: 'CNY' } } },
      ).collectionModel;
    assert.equal(on('2018-12-31', ['1000.00', '1000.00']), 'platform-withholding');
    assert.equal(on('2018-12-31', ['1000.00', '1000.01']), 'border');
    assert.equal(on('2019-01-01', ['1000.00', '1000.01']), 'platform-withholding');
  });
});

describe('Canada C$150 / C$40 courier from US-MX, C$20 otherwise and by post (REFERENCE §4 CA row, CBSA CN 20-18)', () => {
  const ca = (
    amount: string,
    from: string,
    o: Partial<WorldParcel> = {},
    perUsd: Record<string, string> = {},
  ) =>
    assessWorld(
      worldParcel({ to: 'CA', from, currency: o.currency ?? 'CAD', items: [{ amount, hs: '640399' }], ...o }),
      AT,
      perUsd,
    );

  it('courier from the US: tax-free at C$40.00, GST from C$40.01; duty-free at C$150.00, duty from C$150.01', () => {
    assert.equal(ca('40.00', 'US').dueAtBorder, '0.00');
    const tax = ca('40.01', 'US');
    assert.deepEqual([borderDuty(tax).toFixed(2), borderVat(tax).toFixed(2)], ['0.00', '2.00']);
    assert.equal(borderDuty(ca('150.00', 'US')).toFixed(2), '0.00');
    assert.equal(borderDuty(ca('150.01', 'US')).toFixed(2), '9.75');
  });

  it('courier from Mexico follows the C$150/C$40 rule too', () => {
    assert.equal(ca('40.00', 'MX').dueAtBorder, '0.00');
    assert.equal(borderDuty(ca('150.01', 'MX')).toFixed(2), '9.75');
  });

  it('courier from China: nothing at C$20.00, duty and GST from C$20.01', () => {
    assert.equal(ca('20.00', 'CN').dueAtBorder, '0.00');
    const over = ca('20.01', 'CN');
    assert.deepEqual([borderDuty(over).toFixed(2), borderVat(over).toFixed(2)], ['1.30', '1.07']);
  });

  it('postal from the US: C$20 rule (C$20.00 free, C$20.01 taxed)', () => {
    assert.equal(ca('20.00', 'US', { postal: true }).dueAtBorder, '0.00');
    assert.ok(new Dec(ca('20.01', 'US', { postal: true }).dueAtBorder).greaterThan(0));
  });

  it('converts US$ at C$1.25 = US$1: US$32.00 = C$40.00 free, US$32.01 = C$40.01 taxed', () => {
    const usd = { CAD: '1.25' };
    assert.equal(ca('32.00', 'US', { currency: 'USD' }, usd).dueAtBorder, '0.00');
    assert.ok(new Dec(ca('32.01', 'US', { currency: 'USD' }, usd).dueAtBorder).greaterThan(0));
  });
});

describe('United States $800 per person per day before 2025-08-29, none after (REFERENCE §4.1)', () => {
  const us = (amount: string, at: string, day?: string) =>
    assessWorld(
      worldParcel({ to: 'US', from: 'GB', currency: 'USD', items: [{ amount, hs: '610910' }] }),
      at,
      {},
      day === undefined ? {} : { history: { personDayTotal: { amount: day, currency: 'USD' } } },
    );
  const BEFORE = '2025-08-28T10:00:00Z';

  it('relieves $800.00 and charges duty on $800.01 (Sec. 321, 19 U.S.C. 1321)', () => {
    assert.equal(us('800.00', BEFORE).dueAtBorder, '0.00');
    assert.equal(borderDuty(us('800.01', BEFORE)).toFixed(2), '132.00');
  });

  it('adds the same day: $300.00 after $500.00 is within, $300.01 is not', () => {
    assert.equal(us('300.00', BEFORE, '500.00').dueAtBorder, '0.00');
    assert.ok(borderDuty(us('300.01', BEFORE, '500.00')).greaterThan(0));
  });

  it('gives no de minimis from 2025-08-29 (EO 14324): $0.01 is assessed at the border, $1 and $800 pay duty', () => {
    const AFTER = '2025-08-29T10:00:00Z';
    assert.deepEqual(
      us('0.01', AFTER).lines.map((l) => l.collectedBy),
      ['border', 'border'],
    );
    assert.equal(borderDuty(us('1.00', AFTER)).toFixed(2), '0.27');
    assert.equal(borderDuty(us('800.00', AFTER)).toFixed(2), '212.00');
  });

  it('dates the surcharges: IEEPA to 2026-02-23, Section 122 from 2026-02-24 to 2026-07-23, neither on 2026-07-24', () => {
    const duty = (at: string) => amounts(us('100.00', `${at}T10:00:00Z`), 'duty');
    assert.deepEqual(duty('2026-02-23'), ['16.50', '10.00']);
    assert.deepEqual(duty('2026-02-24'), ['16.50', '10.00']);
    assert.match(us('100.00', '2026-02-24T10:00:00Z').lines[1]?.measure ?? '', /Section 122/);
    assert.match(us('100.00', '2026-02-23T10:00:00Z').lines[1]?.measure ?? '', /IEEPA/);
    assert.deepEqual(duty('2026-07-24'), ['16.50']);
  });
});

describe('United Kingdom £135 and the £39 gift relief (REFERENCE §4 UK row)', () => {
  const uk = (amount: string, o: Partial<WorldParcel> = {}, perUsd: Record<string, string> = {}) =>
    assessWorld(
      worldParcel({ to: 'GB', currency: o.currency ?? 'GBP', items: [{ amount, hs: '640399' }], ...o }),
      AT,
      perUsd,
    );

  it('leaves £135.00 to the seller and charges import VAT and duty on £135.01', () => {
    assert.equal(uk('135.00').dueAtBorder, '0.00');
    const over = uk('135.01');
    assert.ok(borderVat(over).greaterThan(0) && borderDuty(over).greaterThan(0));
  });

  it('relieves VAT on a gift of £39.00 and charges import VAT at the border on £39.01 (no seller collects on a gift)', () => {
    const gift = (amount: string) => uk(amount, { category: 'gift' });
    assert.deepEqual(
      gift('39.00')
        .lines.filter((l) => l.type === 'vat')
        .map((l) => [l.collectedBy, l.amount]),
      [['none', '0.00']],
    );
    const over = gift('39.01').lines.find((l) => l.type === 'vat');
    assert.deepEqual([over?.collectedBy, over?.amount], ['border', '7.80']);
  });

  it('converts US$ at £0.80 = US$1: US$168.75 = £135.00 within, US$168.76 = £135.01 over', () => {
    const usd = { GBP: '0.8' };
    assert.equal(uk('168.75', { currency: 'USD' }, usd).dueAtBorder, '0.00');
    assert.ok(new Dec(uk('168.76', { currency: 'USD' }, usd).dueAtBorder).greaterThan(0));
  });
});
