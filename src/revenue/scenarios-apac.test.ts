/** REFERENCE.md §7.2-7.5 worked examples for Australia, New Zealand, China, Korea, Japan, Singapore, Indonesia. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amounts, assessWorld, one, worldParcel } from './world-fixtures.js';

const AT = '2025-06-10T10:00:00Z';

describe('Australia worked examples (REFERENCE §7.2)', () => {
  it('AU-1: converts US$1,274 at A$1 = US$0.91 to A$1,400 and charges duty 70 and GST 160, payable 230', () => {
    const input = worldParcel({
      to: 'AU',
      currency: 'USD',
      items: [{ amount: '1274', hs: '640399' }],
      transport: '118.30',
    });
    const a = assessWorld(input, AT, { AUD: '1', USD: '0.91' });
    assert.deepEqual([a.currency, a.customsValue, a.collectionModel], ['AUD', '1400.00', 'border']);
    assert.deepEqual([one(a, 'duty').amount, one(a, 'duty').base], ['70.00', '1400.00']);
    const gst = one(a, 'vat');
    assert.deepEqual([gst.base, gst.rate, gst.amount], ['1600.00', '0.1', '160.00']);
    assert.equal(a.dueAtBorder, '230.00');
    assert.match(gst.explanation, /transport 130\.00/);
  });

  it('AU-2: charges duty 60 on A$1,200 and GST 141 on a VoTI of 1,410, total 201', () => {
    const input = worldParcel({
      to: 'AU',
      currency: 'AUD',
      items: [{ amount: '1200', hs: '640399' }],
      transport: '150',
    });
    const a = assessWorld(input, AT);
    assert.deepEqual(
      [amounts(a, 'duty'), one(a, 'vat').base, amounts(a, 'vat'), a.total],
      [['60.00'], '1410.00', ['141.00'], '201.00'],
    );
  });

  it('AU-3: shows GST of 20 charged at checkout for an A$200 item with an ARN and nothing at the border', () => {
    const input = worldParcel({
      to: 'AU',
      currency: 'AUD',
      items: [{ amount: '200' }],
      scheme: { scheme: 'ARN', number: '123456789012' },
    });
    const a = assessWorld(input, AT);
    assert.equal(a.collectionModel, 'vendor');
    assert.deepEqual([one(a, 'vat').amount, one(a, 'vat').collectedBy], ['20.00', 'vendor']);
    assert.deepEqual([one(a, 'duty').amount, a.dueAtBorder, a.prepaid], ['0.00', '0.00', '20.00']);
  });

  it('flags a prepaid GST amount that disagrees with the computed GST as a risk indicator note', () => {
    const taxPaid = { amount: '15.00', currency: 'AUD' };
    const input = worldParcel({
      to: 'AU',
      currency: 'AUD',
      items: [{ amount: '200' }],
      scheme: { scheme: 'ABN', number: '12345678901', taxPaid },
    });
    assert.ok(assessWorld(input, AT).notes.some((n) => n.startsWith('revenue.prepaid-mismatch')));
  });
});

describe('New Zealand worked examples (REFERENCE §7.3, pre-2019 border path)', () => {
  const BEFORE = '2019-06-01T10:00:00Z';
  it('NZ-1: charges GST 165 on goods 1,000 + I&F 100 when the goods are duty-free', () => {
    const input = worldParcel({
      to: 'NZ',
      currency: 'NZD',
      items: [{ amount: '1000', hs: '847130' }],
      transport: '100',
    });
    const a = assessWorld(input, BEFORE);
    assert.deepEqual(
      [amounts(a, 'duty'), one(a, 'vat').amount, a.dueAtBorder],
      [['0.00'], '165.00', '165.00'],
    );
  });

  it('NZ-2: charges duty 50 on the goods cost and GST 172.50 on 1,150', () => {
    const input = worldParcel({
      to: 'NZ',
      currency: 'NZD',
      items: [{ amount: '1000', hs: '640399' }],
      transport: '100',
    });
    const a = assessWorld(input, BEFORE);
    assert.deepEqual(
      [amounts(a, 'duty'), one(a, 'vat').base, one(a, 'vat').amount],
      [['50.00'], '1150.00', '172.50'],
    );
  });

  it('collects nothing at the border for NZ$1,000 after 2019-12-01 but GST on NZ$1,000.01', () => {
    const at = (amount: string) =>
      assessWorld(worldParcel({ to: 'NZ', currency: 'NZD', items: [{ amount }] }), AT);
    assert.equal(at('1000').dueAtBorder, '0.00');
    assert.equal(one(at('1000.01'), 'vat').amount, '150.00');
  });
});

describe('China CBEC worked examples (REFERENCE §7.4)', () => {
  const cn = (amount: string, hs: string) =>
    worldParcel({ to: 'CN', currency: 'CNY', items: [{ amount, hs }], platform: true });
  const ytd = (amount: string) => ({ history: { personYearToDate: { amount, currency: 'CNY' } } });

  it('CN-1: withholds 273.00 on infant formula of 3,000 (13% x 70%) with no duty', () => {
    const a = assessWorld(cn('3000', '190110'), AT, {}, ytd('0'));
    assert.equal(a.collectionModel, 'platform-withholding');
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat'), a.prepaid], [['0.00'], ['273.00'], '273.00']);
  });

  it('CN-2: charges consumption tax 123.53 and VAT 107.06 on cosmetics of 1,000, total 230.59', () => {
    const a = assessWorld(cn('1000', '330499'), AT, {}, ytd('0'));
    assert.deepEqual([amounts(a, 'excise'), amounts(a, 'vat'), a.total], [['123.53'], ['107.06'], '230.59']);
  });

  it('CN-3: taxes a single item of 6,000 in full through the CBEC channel and counts it to 16,000', () => {
    const a = assessWorld(cn('6000', '190110'), AT, {}, ytd('10000'));
    assert.equal(a.collectionModel, 'platform-withholding');
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat')], [['900.00'], ['897.00']]);
    assert.ok(a.notes.includes('annual total after this order: 16000.00 CNY'));
  });

  it('CN-4: refuses the CBEC preference when 3,000 brings the year to 27,000 and taxes as general trade', () => {
    const a = assessWorld(cn('3000', '190110'), AT, {}, ytd('24000'));
    assert.equal(a.collectionModel, 'border');
    assert.deepEqual(
      [amounts(a, 'duty'), amounts(a, 'vat'), a.dueAtBorder],
      [['450.00'], ['448.50'], '898.50'],
    );
  });
});

describe('Korea, Japan, Singapore and Indonesia worked examples (REFERENCE §7.5)', () => {
  const KRW = { KRW: '1000' };
  it('KR-1: taxes the whole US$250 (x1,000 KRW): duty 16,250 and VAT 26,625 (US$26.63 in cents)', () => {
    const input = worldParcel({
      to: 'KR',
      from: 'US',
      currency: 'USD',
      items: [{ amount: '250', hs: '420222' }],
    });
    const a = assessWorld(input, AT, KRW);
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat'), a.total], [['16250'], ['26625'], '42875']);
  });

  it('KR-2: aggregates US$80 with US$130 imported the same day: 210 > 200, so duty and VAT are due', () => {
    const input = worldParcel({
      to: 'KR',
      from: 'US',
      currency: 'USD',
      items: [{ amount: '80', hs: '420222' }],
    });
    const alone = assessWorld(input, AT, KRW);
    assert.equal(alone.total, '0');
    const day = { history: { personDayTotal: { amount: '130', currency: 'USD' } } };
    const a = assessWorld(input, AT, KRW, day);
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat')], [['5200'], ['8520']]);
  });

  it('JP-1: exempts a personal import at retail 15,000 (taxable 9,000 <= 10,000)', () => {
    const a = assessWorld(worldParcel({ to: 'JP', currency: 'JPY', items: [{ amount: '15000' }] }), AT);
    assert.deepEqual([a.customsValue, a.dueAtBorder], ['9000', '0']);
  });

  it('JP-2: taxes a personal import at retail 20,000 on 12,000: duty 600 and consumption tax 1,260', () => {
    const a = assessWorld(worldParcel({ to: 'JP', currency: 'JPY', items: [{ amount: '20000' }] }), AT);
    assert.deepEqual([a.customsValue, amounts(a, 'duty'), amounts(a, 'vat')], ['12000', ['600'], ['1260']]);
  });

  it('SG: leaves a S$400 item to OVR and charges 9% GST at the border on S$400.01', () => {
    const at = (amount: string) =>
      assessWorld(worldParcel({ to: 'SG', currency: 'SGD', items: [{ amount }] }), AT);
    assert.equal(at('400').dueAtBorder, '0.00');
    assert.equal(one(at('400.01'), 'vat').amount, '36.00');
  });

  it('ID-1: charges no duty on FOB US$2 but VAT 11% (x16,000 IDR)', () => {
    const a = assessWorld(worldParcel({ to: 'ID', currency: 'USD', items: [{ amount: '2' }] }), AT, {
      IDR: '16000',
    });
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat')], [['0'], ['3520']]);
  });

  it('ID-2: charges duty 7.5% on CIF US$100 and VAT 11% on 107.50 (x16,000 IDR: 120,000 and 189,200)', () => {
    const input = worldParcel({ to: 'ID', currency: 'USD', items: [{ amount: '90' }], transport: '10' });
    const a = assessWorld(input, AT, { IDR: '16000' });
    assert.deepEqual([amounts(a, 'duty'), amounts(a, 'vat'), a.total], [['120000'], ['189200'], '309200']);
  });
});

describe('Indonesia before 2020 (REFERENCE §7.5 ID-3)', () => {
  const OLD = '2019-06-10T10:00:00Z';
  const tin = { type: 'TIN' as const, value: '01.234.567.8-901.000' };
  const parcelOf = (amount: string, currency: string, withTin: boolean) => ({
    ...worldParcel({ to: 'ID', currency, items: [{ amount }] }),
    ...(withTin
      ? {
          consignee: {
            name: 'Budi',
            address: { line1: 'Jl. Merdeka 1', city: 'Jakarta', country: 'ID' },
            id: tin,
          },
        }
      : {}),
  });

  it('ID-3: Rp2,000,000 pays duty 150,000, VAT 215,000 and income tax 215,000 (TIN), total 580,000', () => {
    const a = assessWorld(parcelOf('2000000', 'IDR', true), OLD, { IDR: '14000' });
    assert.deepEqual(
      [amounts(a, 'duty'), amounts(a, 'vat'), amounts(a, 'income-tax'), a.dueAtBorder],
      [['150000'], ['215000'], ['215000'], '580000'],
    );
    assert.match(one(a, 'income-tax').explanation, /10% \(consignee with a TIN\)/);
  });

  it('ID-3: without a TIN the income tax is 20% (430,000), total 795,000', () => {
    const a = assessWorld(parcelOf('2000000', 'IDR', false), OLD, { IDR: '14000' });
    assert.deepEqual([amounts(a, 'income-tax'), a.dueAtBorder], [['430000'], '795000']);
  });

  it('old regime threshold FOB US$75 (not verified): US$75.00 free, US$75.01 taxed; US$3 from 2020-01-30 (not verified)', () => {
    const rate = { IDR: '14000' };
    assert.equal(assessWorld(parcelOf('75.00', 'USD', true), OLD, rate).dueAtBorder, '0');
    const over = assessWorld(parcelOf('75.01', 'USD', true), OLD, rate);
    assert.deepEqual([amounts(over, 'duty'), amounts(over, 'income-tax').length], [['78761'], 1]);
    assert.match(one(over, 'duty').explanation, /not verified/);
    const mid = assessWorld(parcelOf('75.01', 'USD', true), '2021-06-10T10:00:00Z', rate);
    assert.deepEqual([amounts(mid, 'duty'), amounts(mid, 'income-tax')], [['78761'], []]);
  });
});

describe('China CBEC positive list (REFERENCE §4.2; sample list, not verified)', () => {
  const ytd = { history: { personYearToDate: { amount: '0', currency: 'CNY' } } };
  const order = (hs: (string | undefined)[], at = AT) =>
    assessWorld(
      worldParcel({
        to: 'CN',
        currency: 'CNY',
        platform: true,
        items: hs.map((h) => (h === undefined ? { amount: '500' } : { amount: '500', hs: h })),
      }),
      at,
      {},
      ytd,
    );

  it('lets an order of listed goods use the channel and says the list is a sample', () => {
    const a = order(['190110', '330499']);
    assert.equal(a.collectionModel, 'platform-withholding');
    assert.ok(a.notes.some((n) => n.includes('on the CBEC positive list') && n.includes('not verified')));
  });

  it('sends an order with one item off the list (or without an HS code) to general trade with the reason', () => {
    const a = order(['190110', '930200']);
    assert.equal(a.collectionModel, 'border');
    const why = a.lines[0]?.explanation ?? '';
    assert.match(why, /Not on the CBEC positive list .*item 1 HS 930200.*general-trade taxation/);
    assert.doesNotMatch(why, /item 0/);
    assert.match(order(['190110', undefined]).lines[0]?.explanation ?? '', /item 1 has no HS code/);
  });

  it('dates the list: skis (9506) join on 2022-03-01, not before', () => {
    assert.equal(order(['950611'], '2022-02-28T10:00:00Z').collectionModel, 'border');
    assert.equal(order(['950611'], '2022-03-01T10:00:00Z').collectionModel, 'platform-withholding');
  });

  it('does not check a list under the 2016 regime (none in the data) and says so', () => {
    // 2018-06-01: the 2016 regime with a VAT rate in the data (before 2018-05-01 it is not assessed).
    const a = order(['930200'], '2018-06-01T10:00:00Z');
    assert.equal(a.collectionModel, 'platform-withholding');
    assert.ok(a.notes.some((n) => n.startsWith('positive list not checked')));
  });
});
