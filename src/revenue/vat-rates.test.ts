/** VAT rate tables: ibericode periods and inline periods. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRevenueProfiles } from './load-context.js';
import { parseIbericodeRates, periodRates } from './vat-rates.js';

describe('VAT rate tables', () => {
  const profile = loadRevenueProfiles().find((p) => p.raw.id === 'eu')!;
  const eu = profile.rates;

  it('picks the period in force: DE 16% in the second half of 2020, 19% from 2021', () => {
    assert.equal(eu.standard('DE', '2020-12-31')?.percent, '16');
    assert.equal(eu.standard('DE', '2021-01-01')?.rateText, '0.19');
    assert.equal(eu.standard('BE', '2025-01-01')?.rateText, '0.21');
    assert.equal(eu.standard('FR', '2026-07-01')?.rateText, '0.2');
  });

  it('has a standard rate for every member state of the EU profile', () => {
    for (const country of profile.raw.countries) {
      assert.ok(eu.standard(country, '2026-07-01') !== undefined, country);
    }
  });

  it('returns undefined for a country it does not know', () => {
    assert.equal(eu.standard('US', '2026-07-01'), undefined);
  });

  it('orders ibericode periods by date whatever their order in the file', () => {
    const t = parseIbericodeRates(
      {
        items: {
          XX: [
            { effective_from: '0000-01-01', rates: { standard: 10 } },
            { effective_from: '2024-01-01', rates: { standard: 12.5 } },
          ],
        },
      },
      'x@1',
    );
    assert.equal(t.standard('XX', '2023-12-31')?.rateText, '0.1');
    assert.equal(t.standard('XX', '2024-01-01')?.rateText, '0.125');
  });

  it('reads dated single-country periods given as fractions', () => {
    const t = periodRates('gst@1', '*', [{ from: '2000-07-01', rate: '0.10', source: 'test' }]);
    assert.deepEqual(
      [
        t.standard('AU', '2026-01-01')?.percent,
        t.standard('AU', '2026-01-01')?.rateText,
        t.standard('AU', '1999-01-01'),
      ],
      ['10', '0.1', undefined],
    );
  });
});
