/**
 * The EU before the VAT e-commerce package (until 30 June 2021): EUR 22 import VAT exemption, EUR 150
 * duty relief, no IOSS or special arrangements (docs/rules/eu.md), as dated data for as-of quotes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RevenueAssessment } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { IOSS, item, parcel, shippedContext } from './scenario-fixtures.js';

const ctx = shippedContext();
const OLD = '2020-10-01T09:00:00Z'; // Germany's temporary 16% standard rate (1 Jul - 31 Dec 2020)
const line = (a: RevenueAssessment, type: string) => a.lines.find((l) => l.type === type);

describe('EU before 1 July 2021', () => {
  it('exempts import VAT up to EUR 22.00 intrinsic value and relieves duty', () => {
    const a = assessRevenue(parcel({ items: [item('22.00', '610910')], transport: '3.00' }), ctx, OLD);
    const vat = line(a, 'vat')!;
    assert.deepEqual([vat.amount, vat.collectedBy], ['0.00', 'none']);
    assert.match(vat.explanation, /22\.00 EUR <= 22\.00 EUR/);
    assert.match(vat.explanation, /Directive 2009\/132\/EC/);
    assert.deepEqual(
      [line(a, 'duty')!.amount, line(a, 'duty')!.measure],
      ['0.00', 'Duty relief Art. 23 Reg. 1186/2009'],
    );
    assert.equal(a.dueAtBorder, '0.00');
  });

  it('charges import VAT at the border from EUR 22.01, on goods and transport, at the rate then in force', () => {
    const a = assessRevenue(parcel({ items: [item('22.01', '610910')], transport: '3.00' }), ctx, OLD);
    const vat = line(a, 'vat')!;
    // 16% of 25.01 = 4.0016
    assert.deepEqual([vat.base, vat.rate, vat.amount, vat.collectedBy], ['25.01', '0.16', '4.00', 'border']);
    assert.equal(line(a, 'duty')!.amount, '0.00');
    assert.equal(a.dueAtBorder, '4.00');
  });

  it('charges duty above EUR 150 and VAT on the duty-paid value', () => {
    const a = assessRevenue(parcel({ items: [item('150.01', '610910')], transport: '3.00' }), ctx, OLD);
    // duty 12% of 153.01 = 18.3612; VAT 16% of (153.01 + 18.36) = 27.4192
    assert.deepEqual(
      [line(a, 'duty')!.amount, line(a, 'vat')!.base, line(a, 'vat')!.amount, a.dueAtBorder],
      ['18.36', '171.37', '27.42', '45.78'],
    );
  });

  it('has no IOSS: an IOSS number before 1 July 2021 changes nothing; from that day it does', () => {
    const input = parcel({ items: [item('20.00', '610910')], ioss: IOSS });
    const before = assessRevenue(input, ctx, '2021-06-30T23:00:00Z');
    assert.equal(before.collectionModel, 'border');
    assert.ok(before.notes.includes('IOSS is not a collection scheme of EU on 2021-06-30'));
    assert.deepEqual([line(before, 'vat')!.amount, before.total], ['0.00', '0.00']);
    const after = assessRevenue(input, ctx, '2021-07-01T00:00:00Z');
    assert.deepEqual([after.collectionModel, line(after, 'vat')!.amount], ['vendor', '3.80']);
  });

  it('excludes alcohol, perfume and tobacco from the exemption and the relief', () => {
    const a = assessRevenue(parcel({ items: [item('10.00', '220421')] }), ctx, OLD);
    assert.equal(line(a, 'vat')!.collectedBy, 'border');
    assert.notEqual(line(a, 'duty')?.measure, 'Duty relief Art. 23 Reg. 1186/2009');
  });

  it('applies EUR 22 on the right side of the boundary on every date before the package, and never after', () => {
    const day = fc
      .integer({ min: 0, max: 4200 })
      .map((n) => new Date(Date.UTC(2010, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        day,
        fc.constantFrom('DE', 'FR', 'IT', 'NL'),
        (cents, d, to) => {
          const value = (cents / 100).toFixed(2);
          const a = assessRevenue(parcel({ to, items: [item(value, '610910')] }), ctx, `${d}T12:00:00Z`);
          const exempt = line(a, 'vat')?.collectedBy === 'none';
          assert.equal(exempt, d < '2021-07-01' && cents <= 2200, `${value} EUR to ${to} on ${d}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
