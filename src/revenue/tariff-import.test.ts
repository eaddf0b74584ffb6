/** An administration's CSV schedule in place of the shipped sample. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParcelgateError } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { item, parcel, shippedContext } from './scenario-fixtures.js';
import { readSchedule, withSchedules } from './tariff-import.js';

const ctx = shippedContext();
const csv = 'prefix,origins,ad_valorem,description\n6109,,0.08,T-shirts\n6109,VN,0,T-shirts (preference)\n';
const AT = '2025-03-14T09:00:00Z';

describe('withSchedules', () => {
  it("assesses duty from the administration's schedule and names its version", () => {
    const own = withSchedules(ctx, {
      eu: readSchedule('own.csv', csv, { version: 'own@1', currency: 'EUR' }),
    });
    const input = parcel({ items: [item('200.00', '610910')] });
    const shipped = assessRevenue(input, ctx, AT);
    const a = assessRevenue(input, own, AT);
    const duty = (r: typeof a) => r.lines.find((l) => l.type === 'duty')!;
    assert.deepEqual([duty(shipped).rate, duty(a).rate, duty(a).amount], ['0.12', '0.08', '16.00']);
    assert.equal(a.versions.tariff, 'own@1');
    // Other profiles are untouched.
    assert.equal(own.byCountry.get('GB'), ctx.byCountry.get('GB'));
  });

  it('rejects a bad CSV with every issue, a schedule in another currency and an unknown profile', () => {
    assert.throws(
      () =>
        readSchedule('bad.csv', 'prefix,ad_valorem,description\n61x9,0.08,a\n9,2,b\n', {
          version: 'v',
          currency: 'EUR',
        }),
      (e: unknown) =>
        e instanceof ParcelgateError &&
        e.code === 'revenue.tariff-invalid' &&
        ((e.details as { issues: unknown[] }).issues.length ?? 0) >= 2,
    );
    const usd = readSchedule('own.csv', csv, { version: 'v', currency: 'USD' });
    assert.throws(() => withSchedules(ctx, { eu: usd }), /is in USD; the profile's currency is EUR/);
    assert.throws(() => withSchedules(ctx, { xx: usd }), /no jurisdiction profile 'xx'/);
  });

  it('refuses a schedule JSON with a percentage rate or an unassigned origin, pointing at the field', () => {
    const good = readSchedule('own.csv', csv, { version: 'own@1', currency: 'EUR' });
    const json = JSON.stringify({
      ...good,
      measures: [
        { ...good.measures[0]!, vatRate: '20' },
        { ...good.measures[1]!, origins: ['ZZ'], adValorem: '12' },
      ],
    });
    assert.throws(
      () => readSchedule('own.json', json, { version: 'v', currency: 'EUR' }),
      (e: unknown) => {
        assert.ok(e instanceof ParcelgateError);
        assert.equal(e.code, 'revenue.tariff-invalid');
        assert.deepEqual(
          (e.details as { issues: { code: string; path: string }[] }).issues.map((i) => [i.code, i.path]),
          [
            ['tariff-csv.rate', '/measures/0/vatRate'],
            ['tariff-csv.origin', '/measures/1/origins/0'],
            ['tariff-csv.rate', '/measures/1/adValorem'],
          ],
        );
        assert.match(e.message, /"20" looks like a percentage: write 20% as 0\.2/);
        return true;
      },
    );
    assert.deepEqual(readSchedule('own.json', JSON.stringify(good), { version: 'v', currency: 'EUR' }), good);
  });
});
