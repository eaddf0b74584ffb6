/** Boundary and edge behaviour of the EU profile: thresholds, dates, scope flag, fees, FX, no profile. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RevenueAssessment } from '../domain/index.js';
import { assessRevenue, quote, relevantDate } from './assess-revenue.js';
import {
  BEFORE_REFORM,
  IOSS,
  REFORM_DAY,
  contextWith,
  item,
  parcel,
  shippedContext,
  testFx,
} from './scenario-fixtures.js';

const ctx = shippedContext();
const duty = (a: RevenueAssessment) => a.lines.filter((l) => l.type === 'duty');
const vat = (a: RevenueAssessment) => a.lines.find((l) => l.type === 'vat');
const at = (date: string) => `${date}T10:00:00Z`;

describe('EU thresholds at exactly 150.00 and 150.01', () => {
  it('accepts IOSS and grants duty relief at exactly 150.00 intrinsic value', () => {
    const a = assessRevenue(parcel({ items: [item('150.00', '610910')], ioss: IOSS }), ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'vendor');
    assert.equal(duty(a)[0]?.collectedBy, 'none');
    assert.equal(a.dueAtBorder, '0.00');
  });

  it('refuses IOSS and charges tariff duty at 150.01', () => {
    const a = assessRevenue(parcel({ items: [item('150.01', '610910')], ioss: IOSS }), ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'border');
    assert.equal(duty(a)[0]?.amount, '18.00');
    assert.equal(vat(a)?.base, '168.01');
    assert.equal(vat(a)?.amount, '31.92');
  });

  it('refuses special arrangements at 150.01 and falls back to border VAT with a note', () => {
    const a = assessRevenue(parcel({ items: [item('150.01')], codes: ['F49'] }), ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'border');
    assert.ok(a.notes.some((n) => n.startsWith('F49 special arrangements not allowed')));
  });

  it('excludes separately shown transport from the threshold but counts transport included in the price', () => {
    const separate = assessRevenue(
      parcel({ items: [item('140.00')], transport: '20.00', ioss: IOSS }),
      ctx,
      BEFORE_REFORM,
    );
    assert.equal(separate.collectionModel, 'vendor');
    const included = assessRevenue(
      parcel({ items: [item('160.00')], transport: '20.00', included: true, ioss: IOSS }),
      ctx,
      BEFORE_REFORM,
    );
    assert.equal(included.collectionModel, 'border');
    assert.equal(included.customsValue, '160.00');
  });

  it('rejects an IOSS number that is not IM followed by 10 digits', () => {
    const a = assessRevenue(parcel({ items: [item('20.00')], ioss: 'IM12345' }), ctx, BEFORE_REFORM);
    assert.equal(a.collectionModel, 'border');
    assert.ok(a.notes.some((n) => n.includes('invalid format')));
  });
});

describe('EU duty regimes by relevant date', () => {
  const tshirt = (date: string, amount = '100.00') =>
    assessRevenue(parcel({ items: [item(amount, '610910')], arrival: at(date) }), ctx, BEFORE_REFORM);

  it('grants duty relief on 2026-06-30', () => {
    assert.deepEqual(
      duty(tshirt('2026-06-30')).map((l) => [l.amount, l.measure]),
      [['0.00', 'Duty relief Art. 23 Reg. 1186/2009']],
    );
  });

  it('charges the flat 3.00 from 2026-07-01 until 2028-06-30', () => {
    assert.equal(duty(tshirt('2026-07-01'))[0]?.amount, '3.00');
    assert.equal(duty(tshirt('2028-06-30'))[0]?.amount, '3.00');
  });

  it('charges ad valorem tariff duty from 2028-07-01 when the interim period ends', () => {
    const a = tshirt('2028-07-01');
    assert.deepEqual([duty(a)[0]?.amount, duty(a)[0]?.rate], ['12.00', '0.12']);
  });

  it('charges tariff duty at exactly 150.00 in the interim period because the flat duty is for parcels below 150', () => {
    assert.equal(duty(tshirt('2026-07-01', '150.00'))[0]?.amount, '18.00');
    assert.equal(duty(tshirt('2026-07-01', '149.99'))[0]?.amount, '3.00');
  });

  it('counts distinct 6-digit subheadings once and each item without an HS code on its own', () => {
    const items = [item('10.00', '61091000'), item('10.00', '610910'), item('10.00'), item('10.00')];
    const a = assessRevenue(parcel({ items, arrival: at('2026-07-01') }), ctx, BEFORE_REFORM);
    assert.deepEqual(
      duty(a).map((l) => [l.itemIndex, l.amount]),
      [
        [0, '3.00'],
        [2, '3.00'],
        [3, '3.00'],
      ],
    );
  });

  it('applies the flat duty only to IOSS parcels when the scope flag says ioss-only', () => {
    const iossOnly = contextWith((p) => {
      for (const r of p.regimes) if (r.flatDuty !== undefined) r.flatDuty.scope = 'ioss-only';
      return p;
    });
    const plain = assessRevenue(parcel({ items: [item('100.00', '610910')] }), iossOnly, REFORM_DAY);
    assert.equal(duty(plain)[0]?.amount, '12.00');
    const ioss = assessRevenue(
      parcel({ items: [item('100.00', '610910')], ioss: IOSS }),
      iossOnly,
      REFORM_DAY,
    );
    assert.equal(duty(ioss)[0]?.amount, '3.00');
  });

  it('reads rules on the expected arrival date rather than the assessment time', () => {
    const input = parcel({ items: [item('10.00')], arrival: '2026-07-01T00:30:00+02:00' });
    assert.equal(relevantDate(input, BEFORE_REFORM), '2026-07-01');
    assert.equal(relevantDate(parcel({ items: [item('1')] }), REFORM_DAY), '2026-07-01');
  });

  it('uses the VAT period in force: FI 24% before and 25.5% from 2024-09-01', () => {
    const fi = (date: string) =>
      vat(assessRevenue(parcel({ to: 'FI', items: [item('100.00')] }), ctx, at(date)));
    assert.equal(fi('2024-08-31')?.amount, '24.00');
    assert.equal(fi('2024-09-01')?.amount, '25.50');
  });
});

/** The bundled HMRC rate stands in for the EU's prescribed ECB rate, and the source text says so. */
const STAND_IN =
  '; stand-in: prescribed ecb rates (rate of the penultimate Wednesday of the previous month, valid for the whole month) not loaded';

describe('EU fees, FX and missing data', () => {
  it('charges an enabled per-item national fee at the border, and none while it ships disabled', () => {
    const input = parcel({ to: 'FR', items: [item('10.00'), item('20.00')] });
    assert.equal(assessRevenue(input, ctx, REFORM_DAY).lines.filter((l) => l.type === 'fee').length, 0);
    const enabled = contextWith((p) => {
      for (const f of p.fees ?? []) if (f.id === 'fr-declaration-line-fee') f.enabled = true;
      return p;
    });
    const a = assessRevenue(input, enabled, REFORM_DAY);
    const fee = a.lines.find((l) => l.type === 'fee');
    assert.deepEqual([fee?.amount, fee?.collectedBy, fee?.base], ['4.00', 'border', '2']);
    // flat duty 2 x 3.00 + VAT 20% of 36.00 = 7.20 + fee 4.00
    assert.equal(a.dueAtBorder, '17.20');
  });

  it('converts other currencies with the HMRC rate of the month and records the conversion', () => {
    const a = assessRevenue(parcel({ items: [item('100.00', '847130', 'USD')] }), ctx, at('2023-08-15'));
    assert.deepEqual(a.fx, [
      {
        from: 'USD',
        to: 'EUR',
        rate: '0.8936054633',
        source: `HMRC monthly 2023-08${STAND_IN}`,
        date: '2023-08-01',
      },
    ]);
    assert.equal(a.intrinsicValue, '89.36');
    assert.match(vat(a)?.explanation ?? '', /1 USD = 0\.8936054633 EUR/);
  });

  it('uses the latest HMRC month after the data ends and says so', () => {
    const a = assessRevenue(parcel({ items: [item('10.00', undefined, 'GBP')] }), ctx, REFORM_DAY);
    assert.equal(a.fx[0]?.source, `HMRC monthly 2023-08 (latest available)${STAND_IN}`);
    assert.equal(a.fx[0]?.rate, '1.1515');
  });

  it('returns a zero assessment noting fx.unavailable for a currency without a rate', () => {
    const a = assessRevenue(parcel({ items: [item('10.00', undefined, 'ZZZ')] }), ctx, REFORM_DAY);
    assert.equal(a.lines.length, 0);
    assert.equal(a.total, '0.00');
    assert.ok(a.notes[0]?.startsWith('fx.unavailable'));
    assert.equal(a.jurisdiction, 'EU-DE');
  });

  it('accepts a pluggable FX provider', () => {
    const withTestFx = contextWith((p) => p, testFx);
    const a = assessRevenue(parcel({ items: [item('110.00', undefined, 'USD')] }), withTestFx, REFORM_DAY);
    assert.equal(a.intrinsicValue, '100.00');
    assert.equal(a.versions.fx, 'test table (stand-in for ecb)');
  });

  it('returns a border assessment with a note, not an error, for a destination without a profile', () => {
    const a = quote(parcel({ to: 'US', items: [item('10.00', undefined, 'USD')] }), ctx, REFORM_DAY);
    assert.deepEqual(
      [a.jurisdiction, a.collectionModel, a.lines.length, a.total, a.notes],
      ['US', 'border', 0, '0.00', ['revenue.no-profile: no revenue profile for US']],
    );
  });

  it('notes an IOSS tax-paid figure that differs from the computed VAT', () => {
    const input = parcel({ items: [item('100.00')], ioss: IOSS });
    input.taxCollection = { scheme: 'IOSS', number: IOSS, taxPaid: { amount: '16.00', currency: 'EUR' } };
    const a = assessRevenue(input, ctx, BEFORE_REFORM);
    assert.ok(a.notes.some((n) => n.includes('differs from computed 19.00')));
  });
});
