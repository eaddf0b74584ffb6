/** Tariff prefix lookup and the shipped EU sample. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRevenueProfiles } from './load-context.js';
import { compileTariff } from './tariff.js';

describe('tariff lookup', () => {
  const tariff = compileTariff({
    version: 't@1',
    currency: 'EUR',
    description: 'test',
    defaultRate: { rate: '0.04', verified: false, source: 'test default' },
    entries: [
      { prefix: '6403', rate: '0.08', description: 'footwear', verified: true, source: 's' },
      { prefix: '640320', rate: '0.035', description: 'sandals', verified: false, source: 's' },
    ],
  });

  it('lets the most specific prefix win', () => {
    assert.equal(tariff.lookup('6403200000').rateText, '0.035');
    assert.equal(tariff.lookup('640399').rateText, '0.08');
  });

  it('falls back to the documented default rate for unknown codes and items without a code', () => {
    for (const code of ['999999', undefined]) {
      const hit = tariff.lookup(code);
      assert.deepEqual([hit.rateText, hit.prefix, hit.verified], ['0.04', undefined, false]);
    }
  });

  it('ships a sample EU tariff with the headline rates: T-shirts 12%, leather footwear 8%, phones and computers 0%', () => {
    const eu = loadRevenueProfiles()[0]!.tariff;
    assert.equal(eu.version, 'eu-sample@1');
    assert.equal(eu.lookup('610910').rateText, '0.12');
    assert.equal(eu.lookup('640399').rateText, '0.08');
    assert.equal(eu.lookup('851713').rateText, '0');
    assert.equal(eu.lookup('847130').rateText, '0');
    assert.equal(eu.lookup('420221').rateText, '0.03');
  });
});
