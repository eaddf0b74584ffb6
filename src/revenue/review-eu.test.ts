/**
 * EU cases re-derived from REFERENCE.md §3.2–3.4 and §7.1 that the worked examples do not pin:
 * special arrangements at the standard rate whatever a tariff line's rate, the C2C gift relief
 * after the EUR 150 relief ends, dated reliefs, multi-currency FX rounding and the
 * EUR 3-per-subheading count at its boundaries.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { contextWith, IOSS, item, parcel, shippedContext } from './scenario-fixtures.js';
import { readSchedule, withSchedules } from './tariff-import.js';

const ctx = shippedContext();
const BEFORE = '2025-03-14T09:00:00Z';
const AFTER = '2026-08-03T09:00:00Z';
const lines = (a: RevenueAssessment, type: string) =>
  a.lines.filter((l) => l.type === type).map((l) => [l.base, l.rate, l.amount, l.collectedBy]);
const gift = (amount: string, hs = '610910'): ConsignmentInput => ({
  ...parcel({ items: [item(amount, hs)] }),
  category: 'gift',
});

describe('EU special arrangements (REFERENCE §3.2: standard rate of the importing state only)', () => {
  // An administration's schedule with a reduced VAT rate on books.
  const books = withSchedules(ctx, {
    eu: readSchedule('own.csv', 'prefix,ad_valorem,vat_rate,description\n4901,0,0.07,Books\n', {
      version: 'own@1',
      currency: 'EUR',
    }),
  });

  it('charges the standard rate under F49 even where the tariff line has its own VAT rate', () => {
    const input = parcel({ items: [item('50.00', '490199')], transport: '5.00', codes: ['F49'] });
    const a = assessRevenue(input, books, BEFORE);
    assert.equal(a.collectionModel, 'intermediary');
    // EU-7's figures: 19 % x 55.00 = 10.45, not 7 % x 55.00 = 3.85.
    assert.deepEqual(lines(a, 'vat'), [['55.00', '0.19', '10.45', 'intermediary']]);
  });

  it('keeps one line at the standard rate for a mixed parcel under F49', () => {
    const input = parcel({
      items: [item('50.00', '490199'), item('30.00', '610910')],
      transport: '5.00',
      codes: ['F49'],
    });
    assert.deepEqual(lines(assessRevenue(input, books, BEFORE), 'vat'), [
      ['85.00', '0.19', '16.15', 'intermediary'],
    ]);
  });

  it("still uses the tariff line's rate at the border (standard import)", () => {
    const a = assessRevenue(parcel({ items: [item('50.00', '490199')], transport: '5.00' }), books, BEFORE);
    assert.deepEqual(lines(a, 'vat'), [['55.00', '0.07', '3.85', 'border']]);
  });
});

describe('EU gifts between individuals after 1 July 2026 (REFERENCE §3.3: Art. 25(1), C2C gifts <= EUR 45)', () => {
  it('relieves a gift of EUR 45.00 from the EUR 3 flat duty; VAT stays due (§3.2: all imports bear VAT)', () => {
    const a = assessRevenue(gift('45.00'), ctx, AFTER);
    const duty = a.lines.filter((l) => l.type === 'duty');
    assert.deepEqual(
      duty.map((l) => [l.amount, l.collectedBy]),
      [['0.00', 'none']],
    );
    assert.match(
      duty[0]!.explanation,
      /Art\. 25\(1\) Reg\. 1186\/2009\) applies \(relief not verified\): intrinsic value 45\.00 EUR <= 45\.00 EUR/,
    );
    assert.deepEqual(lines(a, 'vat'), [['45.00', '0.19', '8.55', 'border']]);
    assert.equal(a.dueAtBorder, '8.55');
  });

  it('charges the flat duty one cent above, and on a sale of the same value', () => {
    assert.deepEqual(lines(assessRevenue(gift('45.01'), ctx, AFTER), 'duty'), [
      ['45.01', '3.00 EUR per tariff subheading', '3.00', 'border'],
    ]);
    const sale = assessRevenue(parcel({ items: [item('30.00', '610910')] }), ctx, AFTER);
    assert.deepEqual(lines(sale, 'duty'), [['30.00', '3.00 EUR per tariff subheading', '3.00', 'border']]);
    assert.deepEqual(lines(sale, 'vat'), [['33.00', '0.19', '6.27', 'border']]);
  });

  it('before 1 July 2026 the EUR 150 relief covers gifts and sales alike', () => {
    for (const input of [gift('120.00'), parcel({ items: [item('120.00', '610910')] })]) {
      const a = assessRevenue(input, ctx, BEFORE);
      assert.deepEqual(
        a.lines.filter((l) => l.type === 'duty').map((l) => l.measure),
        ['Duty relief Art. 23 Reg. 1186/2009'],
      );
    }
  });

  it('applies a relief only within its own dates', () => {
    const later = contextWith((p) => {
      const r = p.regimes.find((x) => x.from === '2026-07-01')!;
      r.reliefs = r.reliefs.map((x) => ({ ...x, from: '2027-01-01' }));
      return p;
    });
    assert.deepEqual(lines(assessRevenue(gift('30.00'), later, AFTER), 'duty'), [
      ['30.00', '3.00 EUR per tariff subheading', '3.00', 'border'],
    ]);
    assert.deepEqual(lines(assessRevenue(gift('30.00'), later, '2027-01-04T09:00:00Z'), 'duty'), [
      ['30.00', '0', '0.00', 'none'],
    ]);
  });
});

describe('EU EUR 3 per distinct subheading (REFERENCE §3.4, EU-6)', () => {
  it('counts 6-digit subheadings: two national codes of one subheading are one category', () => {
    const input = parcel({
      items: [item('60.00', '6206100010'), item('20.00', '6206100090'), item('20.00', '650500')],
    });
    const a = assessRevenue(input, ctx, AFTER);
    assert.deepEqual(lines(a, 'duty'), [
      ['80.00', '3.00 EUR per tariff subheading', '3.00', 'border'],
      ['20.00', '3.00 EUR per tariff subheading', '3.00', 'border'],
    ]);
    // VAT on 100.00 + 6.00 duty.
    assert.deepEqual(lines(a, 'vat'), [['106.00', '0.19', '20.14', 'border']]);
  });

  it('charges the flat duty at the border under IOSS too; the IOSS VAT base excludes it', () => {
    const a = assessRevenue(parcel({ items: [item('149.99', '620610')], ioss: IOSS }), ctx, AFTER);
    assert.deepEqual([a.dueAtBorder, a.prepaid, a.collectionModel], ['3.00', '28.50', 'vendor']);
    assert.deepEqual(lines(a, 'vat'), [['149.99', '0.19', '28.50', 'vendor']]);
  });
});

describe('EU VAT rates as of past dates (shared/data/tax: ibericode, kdeldycke history before its open start)', () => {
  const vatOn = (to: string, at: string) => {
    const a = assessRevenue(parcel({ to, items: [item('100.00', '847130')] }), ctx, at);
    const vat = a.lines.find((l) => l.type === 'vat')!;
    return [vat.rate, vat.amount];
  };

  it('reads the rate in force then where the ibericode table only has the current rate', () => {
    // Before 1 July 2021 EUR 100 is above the EUR 22 exemption: import VAT at the rate of the day.
    assert.deepEqual(vatOn('ES', '2010-03-01T09:00:00Z'), ['0.16', '16.00']);
    assert.deepEqual(vatOn('ES', '2011-05-02T09:00:00Z'), ['0.18', '18.00']);
    assert.deepEqual(vatOn('ES', '2013-01-07T09:00:00Z'), ['0.21', '21.00']);
    assert.deepEqual(vatOn('IT', '2012-06-01T09:00:00Z'), ['0.21', '21.00']);
    assert.deepEqual(vatOn('CY', '2013-06-03T09:00:00Z'), ['0.18', '18.00']);
    assert.deepEqual(vatOn('CY', '2015-06-01T09:00:00Z'), ['0.19', '19.00']);
  });

  it('keeps the dated ibericode periods: DE 16 % in late 2020, IE 21 % from Sept 2020, FI 25.5 %, RO 21 %', () => {
    assert.deepEqual(vatOn('DE', '2020-08-03T09:00:00Z'), ['0.16', '16.00']);
    assert.deepEqual(vatOn('IE', '2020-10-05T09:00:00Z'), ['0.21', '21.00']);
    assert.deepEqual(vatOn('FI', '2024-10-01T09:00:00Z'), ['0.255', '25.50']);
    assert.deepEqual(vatOn('RO', '2025-08-04T09:00:00Z'), ['0.21', '21.00']);
    assert.deepEqual(vatOn('RO', '2025-07-28T09:00:00Z'), ['0.19', '19.00']);
  });
});
