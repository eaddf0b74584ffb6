/**
 * Defects found by checking quotes against REFERENCE.md by hand:
 * - a regime in force with no VAT/GST rate in the data on the tax point assessed without the tax
 *   (NZ$1,000 in 2009 quoted 0.00 due) instead of saying it could not be assessed;
 * - China CBEC: one line of 2 pieces over the per-order limit was taken as a single indivisible
 *   item (full taxes withheld by the platform) instead of a multi-item order (general trade at the
 *   border, REFERENCE.md 4.2: "the order has **one** item").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notAssessedNote } from './not-assessed.js';
import { amounts, assessWorld, worldParcel } from './world-fixtures.js';

describe('a regime in force with no tax rate in the data is not assessed', () => {
  it('NZ before the 15 % GST of 2010-10-01: not assessed, not zero due', () => {
    const a = assessWorld(
      worldParcel({ to: 'NZ', currency: 'NZD', items: [{ amount: '1000', hs: '847130' }] }),
      '2009-06-14T09:00:00Z',
    );
    assert.deepEqual(a.lines, []);
    assert.match(notAssessedNote(a) ?? '', /^vat\.unavailable: no standard rate for NZ on 2009-06-14/);
  });

  it('JP before the 10 % consumption tax of 2019-10-01 and CN before 2018-05-01: not assessed', () => {
    const jp = assessWorld(
      worldParcel({ to: 'JP', currency: 'JPY', items: [{ amount: '30000', hs: '610910' }] }),
      '2019-06-14T09:00:00Z',
    );
    assert.match(notAssessedNote(jp) ?? '', /^vat\.unavailable: /);
    const cn = assessWorld(
      worldParcel({
        to: 'CN',
        currency: 'CNY',
        from: 'US',
        items: [{ amount: '1000', hs: '950300', origin: 'US' }],
        platform: true,
      }),
      '2017-06-14T09:00:00Z',
    );
    assert.match(notAssessedNote(cn) ?? '', /^vat\.unavailable: /);
  });

  it('still assesses where a rate is in force, and the US (no VAT) without one', () => {
    const nz = assessWorld(
      worldParcel({ to: 'NZ', currency: 'NZD', items: [{ amount: '1000', hs: '847130' }], transport: '100' }),
      '2019-06-14T09:00:00Z',
    );
    assert.deepEqual(amounts(nz, 'vat'), ['165.00']);
    const us = assessWorld(
      worldParcel({ to: 'US', currency: 'USD', items: [{ amount: '800.01', hs: '610910' }] }),
      '2025-03-14T09:00:00Z',
    );
    assert.deepEqual(
      [amounts(us, 'duty'), amounts(us, 'vat'), notAssessedNote(us)],
      [['132.00'], [], undefined],
    );
  });
});

describe('China CBEC: one indivisible item over the per-order limit', () => {
  const cn = (quantity: number) =>
    assessWorld(
      worldParcel({
        to: 'CN',
        currency: 'CNY',
        from: 'US',
        items: [{ amount: '6000', hs: '330499', origin: 'FR', quantity }],
        platform: true,
      }),
      '2026-03-14T09:00:00Z',
      {},
      { history: { personYearToDate: { amount: '10000', currency: 'CNY' } } },
    );

  it('a single piece of 6,000 is taxed in full through the CBEC channel (CN-3)', () => {
    const a = cn(1);
    assert.equal(a.collectionModel, 'platform-withholding');
    assert.deepEqual([a.prepaid, a.dueAtBorder], ['2375.29', '0.00']);
  });

  it('one line of 2 pieces worth 6,000 is a multi-item order: general trade at the border', () => {
    const a = cn(2);
    assert.equal(a.collectionModel, 'border');
    assert.deepEqual(
      [amounts(a, 'duty'), amounts(a, 'excise'), amounts(a, 'vat')],
      [['300.00'], ['1111.76'], ['963.53']],
    );
    assert.deepEqual([a.prepaid, a.dueAtBorder], ['0.00', '2375.29']);
  });
});

describe('Korea: the US$150 / US$200 de minimis is for personal use only (REFERENCE.md 4 KR row)', () => {
  const KRW = { KRW: '1000' };
  const tin = { type: 'TIN' as const, value: '123-45-67890' };
  const parcel = (business: boolean) => {
    const p = worldParcel({
      to: 'KR',
      from: 'US',
      currency: 'USD',
      items: [{ amount: '100', hs: '420222' }],
    });
    if (!business) return p;
    return { ...p, consignee: { name: 'Kim Co.', address: { city: 'Seoul', country: 'KR' }, id: tin } };
  };

  it('exempts US$100 to a private buyer and taxes it to a business buyer (tax id)', () => {
    assert.equal(assessWorld(parcel(false), '2026-06-14T09:00:00Z', KRW).total, '0');
    const b = assessWorld(parcel(true), '2026-06-14T09:00:00Z', KRW);
    // US$100 x 1,000: duty 6.5 % = 6,500; VAT 10 % of 106,500 = 10,650.
    assert.deepEqual([amounts(b, 'duty'), amounts(b, 'vat'), b.total], [['6500'], ['10650'], '17150']);
  });
});
