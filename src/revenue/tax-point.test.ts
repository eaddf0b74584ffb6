/**
 * The tax point: the later of the date the data was lodged and the arrival (declared expected arrival
 * as the estimate, the reported arrival once known). A back-dated expected arrival does not select an
 * older regime, rate or exchange rate (docs/revenue.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessRevenue, backDatedArrival, relevantDate, taxPointOf } from './assess-revenue.js';
import { item, parcel, shippedContext } from './scenario-fixtures.js';
import { cnPlatformOrder } from '../testing/consignments.js';
import { ledgerBatch } from './ledger-batch.js';
import { loadRevenueContext } from './load-context.js';
import { PersonHistory, personEntryOf } from './person-history.js';
import { replayRevenue, simulate, trafficAt } from './simulate.js';

const ctx = shippedContext();
const duty = (a: RevenueAssessment) =>
  a.lines.filter((l) => l.type === 'duty').map((l) => [l.amount, l.rate]);
/** A parcel under EUR 150 with a silk shirt and a wool hat: two distinct tariff subheadings (EU-6). */
const shirtAndHat = (arrival?: string): ConsignmentInput =>
  parcel({
    to: 'AT',
    items: [item('60.00', '620610', 'EUR', 'silk shirt'), item('40.00', '650500', 'EUR', 'wool hat')],
    ...(arrival === undefined ? {} : { arrival }),
  });
const FLAT = [
  ['3.00', '3.00 EUR per tariff subheading'],
  ['3.00', '3.00 EUR per tariff subheading'],
];

/** An ISO date or datetime between 2020 and 2030 (as a submitter or a clock writes it). */
const isoArb = fc
  .tuple(
    fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('date', 'utc', 'offset'),
  )
  .map(([d, form]) => {
    const s = d.toISOString();
    return form === 'date' ? s.slice(0, 10) : form === 'utc' ? s : `${s.slice(0, 19)}+02:00`;
  });

describe('tax point', () => {
  it('is never before the lodging date and is the later of it and the expected, then the actual, arrival', () => {
    fc.assert(
      fc.property(
        fc.option(isoArb, { nil: undefined }),
        isoArb,
        fc.option(isoArb, { nil: undefined }),
        (expected, lodgedAt, arrivedAt) => {
          const input = shirtAndHat(expected);
          const tp = taxPointOf(input, lodgedAt, arrivedAt);
          const lodged = lodgedAt.slice(0, 10);
          const arrival = (arrivedAt ?? expected)?.slice(0, 10);
          assert.equal(tp.lodged, lodged);
          assert.ok(tp.date >= lodged);
          assert.equal(tp.date, arrival !== undefined && arrival > lodged ? arrival : lodged);
          assert.equal(
            tp.basis,
            arrivedAt !== undefined
              ? 'arrival'
              : arrival !== undefined && arrival >= lodged
                ? 'expected-arrival'
                : 'lodged',
          );
          assert.equal(relevantDate(input, lodgedAt, arrivedAt), tp.date);
          assert.equal(
            backDatedArrival(input, lodgedAt),
            expected !== undefined && expected.slice(0, 10) < lodged,
          );
        },
      ),
    );
  });

  it('a back-dated expected arrival lodged after 1 July 2026 gets the EUR 3 per subheading duty, with a note', () => {
    const a = assessRevenue(shirtAndHat('2026-06-30T08:00:00Z'), ctx, '2026-11-30T10:00:00.000Z');
    assert.deepEqual(duty(a), FLAT);
    assert.equal(a.dueAtBorder, '27.20');
    assert.deepEqual(a.taxPoint, { date: '2026-11-30', basis: 'lodged', lodged: '2026-11-30' });
    assert.ok(
      a.notes.includes(
        'expected arrival 2026-06-30 is before the data was lodged on 2026-11-30; assessed on 2026-11-30',
      ),
      a.notes.join(' | '),
    );
  });

  it('a genuine future expected arrival across the 1 July 2026 change is assessed on that date', () => {
    const lodged = '2026-06-20T10:00:00.000Z';
    const after = assessRevenue(shirtAndHat('2026-07-02T08:00:00Z'), ctx, lodged);
    assert.deepEqual(duty(after), FLAT);
    assert.deepEqual(after.taxPoint, { date: '2026-07-02', basis: 'expected-arrival', lodged: '2026-06-20' });
    const before = assessRevenue(shirtAndHat('2026-06-25T08:00:00Z'), ctx, lodged);
    assert.deepEqual(
      duty(before).map(([amount]) => amount),
      ['0.00'],
    );
    assert.equal(before.taxPoint?.date, '2026-06-25');
    for (const a of [after, before])
      assert.ok(!a.notes.some((n) => n.includes('before the data was lodged')));
  });

  it('the reported arrival replaces the estimate, never before the lodging date', () => {
    const input = shirtAndHat('2026-06-25T08:00:00Z');
    const lodged = '2026-06-20T10:00:00.000Z';
    const arrived = assessRevenue(input, ctx, lodged, { arrivedAt: '2026-07-03T07:00:00Z' });
    assert.deepEqual(duty(arrived), FLAT);
    assert.deepEqual(arrived.taxPoint, { date: '2026-07-03', basis: 'arrival', lodged: '2026-06-20' });
    assert.ok(
      arrived.notes.some((n) => n.startsWith('tax point 2026-07-03: the parcel arrived on 2026-07-03')),
    );
    const early = assessRevenue(input, ctx, '2026-07-01T10:00:00.000Z', {
      arrivedAt: '2026-06-28T07:00:00Z',
    });
    assert.deepEqual(early.taxPoint, { date: '2026-07-01', basis: 'arrival', lodged: '2026-07-01' });
    assert.deepEqual(duty(early), FLAT);
  });

  it('a quote with no lodging (the quote date) keeps the estimate of a future expected arrival', () => {
    // A platform pre-checking checkout in June for a parcel due in July sees the July regime.
    assert.deepEqual(duty(assessRevenue(shirtAndHat('2026-07-05'), ctx, '2026-06-10T12:00:00.000Z')), FLAT);
  });

  it('a replay reproduces the recorded assessment from its tax point, whatever the replay time', () => {
    const input = shirtAndHat('2026-06-30T08:00:00Z');
    for (const recorded of [
      assessRevenue(input, ctx, '2026-11-30T10:00:00.000Z'),
      assessRevenue(input, ctx, '2026-06-20T10:00:00.000Z'),
      assessRevenue(input, ctx, '2026-06-20T10:00:00.000Z', { arrivedAt: '2026-07-02T06:00:00Z' }),
    ]) {
      const r = replayRevenue(input, recorded, '2027-01-15T10:00:00.000Z', ctx);
      assert.deepEqual(r.differences, [], JSON.stringify(recorded.taxPoint));
    }
    // What-if traffic from a stored assessment is assessed on the same tax point (its day, its total).
    const onArrival = assessRevenue(input, ctx, '2026-06-20T10:00:00.000Z', {
      arrivedAt: '2026-07-02T06:00:00Z',
    });
    const [row] = simulate([{ input, ...trafficAt(onArrival, '2027-01-15T10:00:00.000Z') }], ctx, ctx);
    assert.deepEqual([row?.day, row?.baselineRevenue], ['2026-07-02', onArrival.total]);
    // Recorded before tax points were: read on the declared expected arrival, as then.
    const { taxPoint: _tp, ...legacy } = assessRevenue(input, ctx, '2026-06-20T10:00:00.000Z');
    assert.deepEqual(replayRevenue(input, legacy, '2026-11-30T10:00:00.000Z', ctx).differences, []);
  });

  it('per-person windows use the bounded date: a back-dated order counts in the year it was lodged', () => {
    const world = loadRevenueContext();
    const history = new PersonHistory(world);
    const buyerId = '410101199001017777';
    // ¥24,000 of the ¥26,000 yearly limit used in December 2026.
    for (let i = 0; i < 5; i++) {
      const input = cnPlatformOrder(`6000000${i}`, { cny: '4800.00', buyerId, day: '2026-12-20' });
      const at = '2026-12-18T10:00:00.000Z';
      const r = assessRevenue(input, world, at, history.optionsFor(`dec${i}`, input, at));
      assert.equal(r.collectionModel, 'platform-withholding');
      history.note(`dec${i}`, input, r, at);
    }
    // Lodged on 5 January 2027 declaring an arrival on 30 December 2026: the 2027 year, not 2026's.
    const input = cnPlatformOrder('60000009', { cny: '4000.00', buyerId, day: '2026-12-30' });
    const at = '2027-01-05T10:00:00.000Z';
    const r = assessRevenue(input, world, at, history.optionsFor('jan', input, at));
    assert.equal(r.taxPoint?.date, '2027-01-05');
    assert.deepEqual(r.history?.personYearToDate, { amount: '0.00', currency: 'CNY' });
    assert.equal(r.collectionModel, 'platform-withholding');
    assert.equal(personEntryOf(world, 'jan', input, r, at)?.date, '2027-01-05');
    // The ledger records it on the same date, from the recorded tax point, whatever its assessment time.
    const batch = ledgerBatch(
      world,
      [{ id: 'jan', input, revenue: r, assessedAt: '2027-02-01T00:00:00.000Z', state: 'released' }],
      [],
      't',
    );
    assert.equal(batch.persons[0]?.date, '2027-01-05');
  });
});
