/** Property tests for the generic profiles: exact money, monotonic tax, thresholds on the right side. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Dec } from '../domain/index.js';
import { assessWorld, worldParcel } from './world-fixtures.js';

const AT = '2025-06-10T10:00:00Z';
const cents = (min: number, max: number) =>
  fc.integer({ min, max }).map((c) => new Dec(c).div(100).toFixed(2));
const CUR: Record<string, string> = {
  AU: 'AUD',
  NZ: 'NZD',
  CA: 'CAD',
  GB: 'GBP',
  CH: 'CHF',
  NO: 'NOK',
  SG: 'SGD',
};
const to = fc.constantFrom(...Object.keys(CUR));
const assess = (dest: string, amount: string) =>
  assessWorld(worldParcel({ to: dest, currency: CUR[dest] ?? 'USD', items: [{ amount, hs: '610910' }] }), AT);

describe('generic profile properties', () => {
  it('keeps every amount exact to two places and totals equal to the sum of lines', () => {
    fc.assert(
      fc.property(to, cents(1, 500_000), (dest, amount) => {
        const a = assess(dest, amount);
        let sum = new Dec(0);
        for (const l of a.lines) {
          assert.match(l.amount, /^\d+\.\d{2}$/);
          sum = sum.plus(l.amount);
        }
        assert.equal(sum.toFixed(2), a.total);
      }),
    );
  });

  it('never lowers the border tax when the value rises above every threshold (ad valorem regimes)', () => {
    fc.assert(
      fc.property(to, cents(500_000, 5_000_000), cents(0, 100_000), (dest, amount, more) => {
        const low = new Dec(assess(dest, amount).dueAtBorder);
        const high = new Dec(assess(dest, new Dec(amount).plus(more).toFixed(2)).dueAtBorder);
        assert.ok(high.greaterThanOrEqualTo(low), `${dest} ${amount} + ${more}`);
      }),
    );
  });

  it('puts each threshold on the right side of the boundary', () => {
    const cases: [string, string, string][] = [
      ['AU', '1000.00', '1000.01'],
      ['NZ', '1000.00', '1000.01'],
      ['GB', '135.00', '135.01'],
      ['SG', '400.00', '400.01'],
    ];
    for (const [dest, at, over] of cases) {
      assert.equal(assess(dest, at).dueAtBorder, '0.00', `${dest} at ${at}`);
      assert.ok(new Dec(assess(dest, over).dueAtBorder).greaterThan(0), `${dest} over ${over}`);
    }
  });

  it('compares a threshold in a currency with cents exactly, even where the profile rounds to whole units', () => {
    // Korea (KRW, no minor unit): US$200 from the US for list-clearance goods, US$150 otherwise and
    // for general-clearance chapters (food); Indonesia (IDR): duty from FOB US$3.
    const kr = (from: string, hs: string, amount: string) =>
      assessWorld(worldParcel({ to: 'KR', from, currency: 'USD', items: [{ amount, hs }] }), AT, {
        KRW: '1000',
      });
    const cases: [string, string, string, string][] = [
      ['US', '420222', '200.00', '200.01'],
      ['CN', '420222', '150.00', '150.01'],
      ['US', '210690', '150.00', '150.01'],
    ];
    for (const [from, hs, at, over] of cases) {
      assert.equal(kr(from, hs, at).dueAtBorder, '0', `KR from ${from} ${hs} at ${at}`);
      assert.ok(new Dec(kr(from, hs, over).dueAtBorder).greaterThan(0), `KR from ${from} ${hs} at ${over}`);
    }
    const idDuty = (amount: string) =>
      assessWorld(worldParcel({ to: 'ID', currency: 'USD', items: [{ amount }] }), AT, { IDR: '16000' })
        .lines.filter((l) => l.type === 'duty')
        .map((l) => l.amount);
    assert.deepEqual(idDuty('3.00'), ['0']);
    assert.ok(new Dec(idDuty('3.01')[0] ?? '0').greaterThan(0));
  });
});
