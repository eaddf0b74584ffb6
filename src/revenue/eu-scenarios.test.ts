/** REFERENCE.md §7.1 EU worked examples EU-1 .. EU-7 as scenario tests with exact figures. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { BEFORE_REFORM, IOSS, item, parcel, shippedContext } from './scenario-fixtures.js';

const ctx = shippedContext();
const lines = (a: RevenueAssessment, type: string) => a.lines.filter((l) => l.type === type);
const only = (a: RevenueAssessment, type: string) => {
  const found = lines(a, type);
  assert.equal(found.length, 1, `expected one ${type} line`);
  return found[0]!;
};

describe('EU worked examples (REFERENCE §7.1)', () => {
  it('EU-1: charges 20% IOSS VAT of 20.00 on goods of 100.00 at checkout and no duty', () => {
    const a = assessRevenue(parcel({ to: 'AT', items: [item('100.00')], ioss: IOSS }), ctx, BEFORE_REFORM);
    assert.equal(a.jurisdiction, 'EU-AT');
    assert.equal(a.collectionModel, 'vendor');
    assert.equal(a.intrinsicValue, '100.00');
    const vat = only(a, 'vat');
    assert.deepEqual([vat.base, vat.rate, vat.amount, vat.collectedBy], ['100.00', '0.2', '20.00', 'vendor']);
    const duty = only(a, 'duty');
    assert.deepEqual([duty.amount, duty.measure], ['0.00', 'Duty relief Art. 23 Reg. 1186/2009']);
    assert.deepEqual([a.dueAtBorder, a.prepaid, a.total], ['0.00', '20.00', '20.00']);
    assert.equal(Number(a.intrinsicValue) + Number(a.total), 120);
  });

  it('EU-2: puts transport and insurance into the IOSS VAT base: 32.00 on 160.00, buyer pays 192.00', () => {
    const input = parcel({
      to: 'AT',
      items: [item('100.00')],
      transport: '30.00',
      insurance: '30.00',
      ioss: IOSS,
    });
    const a = assessRevenue(input, ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'vendor');
    assert.equal(a.intrinsicValue, '100.00');
    assert.equal(a.customsValue, '160.00');
    const vat = only(a, 'vat');
    assert.deepEqual([vat.base, vat.amount], ['160.00', '32.00']);
    assert.equal(a.prepaid, '32.00');
    assert.equal(a.dueAtBorder, '0.00');
    assert.equal(Number(a.customsValue) + Number(a.total), 192);
  });

  it('EU-3: refuses IOSS above 150 and charges import VAT of 38.00 on 190.00 for a duty-free computer', () => {
    const input = parcel({ to: 'AT', items: [item('160.00', '847130')], transport: '30.00', ioss: IOSS });
    const a = assessRevenue(input, ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'border');
    assert.ok(a.notes.some((n) => n.startsWith('IOSS not allowed: intrinsic value 160.00 EUR > 150.00 EUR')));
    const duty = only(a, 'duty');
    assert.deepEqual([duty.base, duty.rate, duty.amount], ['190.00', '0', '0.00']);
    const vat = only(a, 'vat');
    assert.deepEqual([vat.base, vat.amount, vat.collectedBy], ['190.00', '38.00', 'border']);
    assert.deepEqual([a.dueAtBorder, a.prepaid, a.total], ['38.00', '0.00', '38.00']);
    assert.equal(Number(a.customsValue) + Number(a.total), 228);
  });

  it('EU-3 with a dutiable T-shirt: duty 12% of 190.00 = 22.80 enters the VAT base, VAT 42.56', () => {
    const input = parcel({ to: 'AT', items: [item('160.00', '610910')], transport: '30.00', ioss: IOSS });
    const a = assessRevenue(input, ctx, BEFORE_REFORM);
    assert.deepEqual([only(a, 'duty').amount, only(a, 'duty').rate], ['22.80', '0.12']);
    assert.deepEqual([only(a, 'vat').base, only(a, 'vat').amount], ['212.80', '42.56']);
    assert.equal(a.dueAtBorder, '65.36');
  });

  it('EU-4: keeps a 140.00 parcel with 15.00 separate shipping in IOSS, VAT 31.00 on 155.00', () => {
    const a = assessRevenue(
      parcel({ to: 'AT', items: [item('140.00')], transport: '15.00', ioss: IOSS }),
      ctx,
      BEFORE_REFORM,
    );
    assert.equal(a.collectionModel, 'vendor');
    assert.equal(a.intrinsicValue, '140.00');
    assert.deepEqual([only(a, 'vat').base, only(a, 'vat').amount], ['155.00', '31.00']);
  });

  it('EU-5: sums three items of 60.00 per consignment (180.00 > 150), so IOSS is refused and BE import VAT is 21%', () => {
    const items = [item('60.00', '610910'), item('60.00', '610910'), item('60.00', '610910')];
    const a = assessRevenue(parcel({ to: 'BE', items, ioss: IOSS }), ctx, BEFORE_REFORM);
    assert.equal(a.jurisdiction, 'EU-BE');
    assert.equal(a.collectionModel, 'border');
    assert.equal(a.intrinsicValue, '180.00');
    assert.ok(a.notes.some((n) => n.includes('180.00 EUR > 150.00 EUR')));
    assert.deepEqual(
      lines(a, 'duty').map((l) => [l.itemIndex, l.amount]),
      [
        [0, '7.20'],
        [1, '7.20'],
        [2, '7.20'],
      ],
    );
    const vat = only(a, 'vat');
    assert.deepEqual([vat.rate, vat.base, vat.amount], ['0.21', '201.60', '42.34']);
    assert.equal(a.dueAtBorder, '63.94');
  });

  it('EU-6: charges the interim flat duty 3.00 x 2 subheadings = 6.00 for a silk shirt and a wool hat from 2026-07-01', () => {
    const items = [item('60.00', '620610', 'EUR', 'silk shirt'), item('40.00', '650500', 'EUR', 'wool hat')];
    const a = assessRevenue(parcel({ to: 'AT', items, arrival: '2026-07-01T08:00:00Z' }), ctx, BEFORE_REFORM);
    const duty = lines(a, 'duty');
    assert.deepEqual(
      duty.map((l) => [l.itemIndex, l.amount, l.rate]),
      [
        [0, '3.00', '3.00 EUR per tariff subheading'],
        [1, '3.00', '3.00 EUR per tariff subheading'],
      ],
    );
    assert.deepEqual([only(a, 'vat').base, only(a, 'vat').amount], ['106.00', '21.20']);
    assert.deepEqual([a.dueAtBorder, a.total], ['27.20', '27.20']);
  });

  it('EU-6 under IOSS: the flat duty 6.00 is still due at the border while VAT was prepaid', () => {
    const items = [item('60.00', '620610'), item('40.00', '650500')];
    const a = assessRevenue(parcel({ to: 'AT', items, ioss: IOSS }), ctx, '2026-07-01T09:00:00Z');
    assert.equal(a.collectionModel, 'vendor');
    assert.deepEqual([a.dueAtBorder, a.prepaid, a.total], ['6.00', '20.00', '26.00']);
  });

  it('EU-7: special arrangements (F49) in DE collect 19% of 55.00 = 10.45 by the carrier, nothing at the border', () => {
    const a = assessRevenue(
      parcel({ to: 'DE', items: [item('50.00')], transport: '5.00', codes: ['F49'] }),
      ctx,
      BEFORE_REFORM,
    );
    assert.equal(a.collectionModel, 'intermediary');
    const vat = only(a, 'vat');
    assert.deepEqual(
      [vat.base, vat.rate, vat.amount, vat.collectedBy],
      ['55.00', '0.19', '10.45', 'intermediary'],
    );
    assert.deepEqual([a.dueAtBorder, a.prepaid, a.total], ['0.00', '0.00', '10.45']);
  });

  it('explains every line with the threshold test, the rate source and its effective date', () => {
    const a = assessRevenue(parcel({ to: 'DE', items: [item('50.00')], codes: ['F49'] }), ctx, BEFORE_REFORM);
    const vat = only(a, 'vat');
    assert.match(vat.explanation, /50\.00 EUR <= 150\.00 EUR/);
    assert.match(vat.explanation, /in force from 2021-01-01, source ibericode@2025-08-12/);
    assert.match(only(a, 'duty').explanation, /2021-07-01 to 2026-07-01/);
    assert.deepEqual(a.versions, {
      profile: 'eu@2026-11-30',
      vat: 'ibericode@2025-08-12',
      tariff: 'eu-sample@1',
      fx: 'hmrc-monthly (stand-in for ecb)',
    });
  });
});
