/** FX providers: HMRC monthly cross rates and static tables. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dec } from '../domain/index.js';
import { parseHmrcMonthlyCsv, staticFxProvider } from './fx.js';
import { loadHmrcFxProvider } from './load-context.js';

const CSV = [
  'currency,period_start,period_end,rate',
  'EUR,2023-07-01,2023-07-31,1.1622',
  'USD,2023-07-01,2023-07-31,1.2732',
  'EUR,2023-08-01,2023-08-31,1.1515',
  'USD,2023-08-01,2023-08-31,1.2886',
].join('\n');

describe('HMRC monthly FX provider', () => {
  const fx = parseHmrcMonthlyCsv(CSV);

  it('computes X->EUR as (EUR per GBP) / (X per GBP) for the month of the date', () => {
    const q = fx.rate('USD', 'EUR', '2023-07-19');
    assert.deepEqual(q, { rate: '0.9128180961', source: 'HMRC monthly 2023-07', date: '2023-07-01' });
  });

  it('converts GBP directly with the EUR per GBP rate', () => {
    assert.equal(fx.rate('GBP', 'EUR', '2023-08-02')?.rate, '1.1515');
  });

  it('uses the latest month after the data ends and says so in the source', () => {
    assert.equal(fx.rate('USD', 'EUR', '2026-07-01')?.source, 'HMRC monthly 2023-08 (latest available)');
  });

  it('returns undefined for an unknown currency or a month before the data', () => {
    assert.equal(fx.rate('ZZZ', 'EUR', '2023-08-02'), undefined);
    assert.equal(fx.rate('USD', 'EUR', '2019-01-01'), undefined);
  });

  it('keeps X->EUR times EUR->X within rounding of 1 for every currency in the shipped file', () => {
    const shipped = loadHmrcFxProvider();
    const currencies = ['USD', 'CNY', 'JPY', 'GBP', 'INR', 'IDR', 'KRW', 'CHF', 'NOK', 'AUD', 'TRY', 'VND'];
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.integer({ min: 0, max: 47 }),
        (currency, monthOffset) => {
          const date = `${2020 + Math.floor(monthOffset / 12)}-${String((monthOffset % 12) + 1).padStart(2, '0')}-15`;
          const there = shipped.rate(currency, 'EUR', date);
          const back = shipped.rate('EUR', currency, date);
          assert.ok(there !== undefined && back !== undefined, `${currency} ${date}`);
          const product = new Dec(there.rate).times(back.rate);
          assert.ok(product.minus(1).abs().lte('1e-8'), `${currency} ${date}: ${product.toFixed()}`);
        },
      ),
    );
  });
});

describe('static FX provider', () => {
  it('cross-converts from units per base and answers for any date', () => {
    const fx = staticFxProvider({ base: 'EUR', rates: { USD: '1.25', GBP: '0.8' }, source: 'admin feed' });
    assert.deepEqual(fx.rate('USD', 'EUR', '2030-01-01T00:00:00Z'), {
      rate: '0.8',
      source: 'admin feed',
      date: '2030-01-01',
    });
    assert.equal(fx.rate('GBP', 'USD', '2030-01-01')?.rate, '1.5625');
    assert.equal(fx.rate('CNY', 'EUR', '2030-01-01'), undefined);
  });
});
