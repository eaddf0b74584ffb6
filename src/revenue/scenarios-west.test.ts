/** REFERENCE.md §7.5 worked examples for Canada, the UK, Norway, the US and Switzerland. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amounts, assessWorld, one, worldParcel } from './world-fixtures.js';

const AT = '2025-10-01T10:00:00Z';

describe('Canada worked examples (REFERENCE §7.5)', () => {
  const ca = (amount: string, from: string, postal = false) =>
    assessWorld(
      worldParcel({ to: 'CA', from, currency: 'CAD', items: [{ amount, hs: '610910' }], postal }),
      AT,
    );

  it('CA-1: relieves duty on a C$100 courier shipment from the US but charges GST', () => {
    const a = ca('100', 'US');
    assert.deepEqual(
      [one(a, 'duty').collectedBy, one(a, 'vat').amount, a.dueAtBorder],
      ['none', '5.00', '5.00'],
    );
  });

  it('CA-2: charges duty and GST on a C$30 courier shipment from China (over C$20)', () => {
    const a = ca('30', 'CN');
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat')], [['5.40'], ['1.77']]);
  });

  it('CA-3: relieves duty and GST on a C$35 courier shipment from the US (C$40 tax threshold)', () => {
    assert.equal(ca('35', 'US').dueAtBorder, '0.00');
  });

  it('CA-4: charges duty and GST on a C$35 postal item from the US (postal threshold C$20)', () => {
    const a = ca('35', 'US', true);
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat')], [['6.30'], ['2.07']]);
  });
});

describe('UK, Norway and Switzerland worked examples (REFERENCE §7.5)', () => {
  it('UK-1: shows 20% VAT of 20 charged by the marketplace on GBP 100 and no import VAT or duty', () => {
    const input = worldParcel({
      to: 'GB',
      currency: 'GBP',
      items: [{ amount: '100' }],
      scheme: { scheme: 'UKVAT', number: 'GB123456789' },
    });
    const a = assessWorld(input, AT);
    assert.deepEqual(
      [a.jurisdiction, a.collectionModel, one(a, 'vat').amount, one(a, 'vat').collectedBy],
      ['UK', 'vendor', '20.00', 'vendor'],
    );
    assert.deepEqual([one(a, 'duty').amount, a.dueAtBorder], ['0.00', '0.00']);
  });

  it('relieves VAT on a GBP 39 gift and charges import VAT on a GBP 136 consignment', () => {
    const gift = assessWorld(
      worldParcel({ to: 'GB', currency: 'GBP', items: [{ amount: '39' }], category: 'gift' }),
      AT,
    );
    assert.deepEqual([one(gift, 'vat').collectedBy, one(gift, 'vat').amount], ['none', '0.00']);
    const big = assessWorld(
      worldParcel({ to: 'GB', currency: 'GBP', items: [{ amount: '136', hs: '847130' }] }),
      AT,
    );
    assert.deepEqual([one(big, 'vat').amount, big.dueAtBorder], ['27.20', '27.20']);
  });

  it('NO-1: shows VOEC VAT of 525 on NOK 2,000 + shipping 100 and charges nothing at the border', () => {
    const input = worldParcel({
      to: 'NO',
      currency: 'NOK',
      items: [{ amount: '2000', hs: '610910' }],
      transport: '100',
      scheme: { scheme: 'VOEC', number: '2024001' },
    });
    const a = assessWorld(input, AT);
    assert.deepEqual(
      [one(a, 'vat').base, one(a, 'vat').amount, a.prepaid, a.dueAtBorder],
      ['2100.00', '525.00', '525.00', '0.00'],
    );
    assert.equal(one(a, 'duty').collectedBy, 'none');
  });

  it('refuses VOEC for an item of NOK 3,000 (the limit is below 3,000) and taxes it at the border', () => {
    const input = worldParcel({
      to: 'NO',
      currency: 'NOK',
      items: [{ amount: '3000' }],
      scheme: { scheme: 'VOEC', number: '2024001' },
    });
    const a = assessWorld(input, AT);
    assert.deepEqual([a.collectionModel, one(a, 'vat').amount], ['border', '750.00']);
  });

  it('CH-1: does not collect import VAT of CHF 4.90 (at most CHF 5) but collects CHF 5.01', () => {
    const ch = (amount: string) =>
      assessWorld(worldParcel({ to: 'CH', currency: 'CHF', items: [{ amount, hs: '490199' }] }), AT);
    const low = ch('60.49');
    assert.deepEqual(
      [one(low, 'vat').amount, one(low, 'vat').collectedBy, low.dueAtBorder],
      ['0.00', 'none', '0.00'],
    );
    assert.match(one(low, 'vat').explanation, /vat 4\.90 CHF <= 5\.00 CHF/);
    assert.equal(one(ch('61.85'), 'vat').amount, '5.01');
  });

  it('charges Swiss duty by gross weight: CHF 5 per kg on a 1.5 kg parcel', () => {
    const input = worldParcel({
      to: 'CH',
      currency: 'CHF',
      items: [{ amount: '20', hs: '610910' }],
      grossGrams: 1500,
    });
    assert.deepEqual(amounts(assessWorld(input, AT), 'duty'), ['7.50']);
  });
});

describe('United States worked examples (REFERENCE §7.5, §4.1)', () => {
  it('US-1: gives no de minimis to a $50 courier parcel after 2025-08-29: duty and IEEPA due, entry required', () => {
    const input = worldParcel({ to: 'US', currency: 'USD', items: [{ amount: '50', hs: '610910' }] });
    const a = assessWorld(input, AT);
    assert.deepEqual(amounts(a, 'duty'), ['8.25', '5.00']);
    assert.equal(a.lines.filter((l) => l.type === 'vat').length, 0);
    assert.ok(a.notes.some((n) => n.includes('must be entered in ACE')));
    const before = assessWorld(input, '2025-08-28T10:00:00Z');
    assert.deepEqual([one(before, 'duty').collectedBy, before.total], ['none', '0.00']);
  });

  it('US-2: lets the carrier elect the ad valorem or the $80-$200 specific duty for a postal item', () => {
    const input = worldParcel({
      to: 'US',
      currency: 'USD',
      items: [{ amount: '50', hs: '847130' }],
      postal: true,
    });
    const adValorem = assessWorld(input, AT, {}, { postalDutyMethod: 'ad-valorem' });
    assert.deepEqual(amounts(adValorem, 'duty'), ['0.00', '5.00']);
    const specific = assessWorld(input, AT, {}, { postalDutyMethod: 'specific' });
    assert.deepEqual(amounts(specific, 'duty'), ['0.00', '200.00']);
    const later = assessWorld(input, '2026-03-01T10:00:00Z', {}, { postalDutyMethod: 'specific' });
    assert.deepEqual(amounts(later, 'duty'), ['0.00', '5.00']);
  });
});
