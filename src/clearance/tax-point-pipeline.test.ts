/**
 * The tax point through the pipeline, on SQLite and PostgreSQL: a back-dated expected arrival is
 * assessed on the lodging date; an amendment keeps the first lodging date, not its own; the carrier's
 * arrival re-assesses the revenue on the actual date, which later amendments keep (docs/revenue.md).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { Assessment, ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import {
  assessRevenue,
  BoundedPersonHistory,
  loadRevenueContext,
  replayRevenue,
  type PersonHistoryPort,
  type PersonImport,
  type RevenueContext,
  type PersonImportSource,
} from '../revenue/index.js';
import {
  openPostgresStore,
  openSqliteStore,
  type ClearanceStore,
  type StoredConsignment,
} from '../store/index.js';
import { bothStores } from '../store/postgres/testing/pg-suite.js';
import { cnPlatformOrder, postalItem } from '../testing/consignments.js';
import { scratchDir } from '../testing/scratch.js';
import {
  prepareArrival,
  reviseOnArrival,
  type ArrivalReference,
  type ReviseOnArrival,
} from './arrival-revenue.js';
import { loadSnapshot } from './load-snapshot.js';
import { buildResponse } from './response.js';
import { submitBatch, type PipelineDeps } from './submit.js';
import { recordCarrierEvent } from './transitions.js';
import { identityPersonKey } from '../revenue/person-key.js';

/** A reviser on the reference data of the moment. */
function arrivalReviser(ref: () => RevenueContext | ArrivalReference, now: string): ReviseOnArrival {
  return (c, arrivedAt) => reviseOnArrival(c, ref(), arrivedAt, now);
}

// Every parcel drawn for inspection: none is released, so its data can still be amended.
const snapshot = loadSnapshot({ classifier: false, randomRate: 1 });
const dutyOf = (r: RevenueAssessment) => r.lines.filter((l) => l.type === 'duty').map((l) => l.amount);
const ctxAt = (now: string) => ({ actor: 'carrier:t', submitterId: 'post-t', now });

/** A postal item to DE (one T-shirt, EUR 24): duty relief before 1 July 2026, EUR 3 from then. */
function tshirt(serial: string, expectedArrival: string | undefined, transport = '3.50'): ConsignmentInput {
  const base = postalItem({}, serial);
  return {
    ...base,
    totals: { ...base.totals, transport: { amount: transport, currency: 'EUR' } },
    dates: {
      accepted: '2026-06-15T08:00:00Z',
      ...(expectedArrival === undefined ? {} : { expectedArrival }),
    },
  };
}

function scenario(name: string, open: () => Promise<ClearanceStore>): void {
  describe(`tax point through the pipeline on ${name}`, () => {
    it('bounds the tax point by the lodging date, keeps it on amendment and follows the arrival', async () => {
      const store = await open();
      const deps: PipelineDeps = { store, snapshot: () => snapshot };
      try {
        // Lodged on 30 November with an expected arrival of 30 June: assessed on 30 November.
        const [back] = await submitBatch(
          ctxAt('2026-11-30T10:00:00.000Z'),
          [tshirt('40000001', '2026-06-30T06:00:00Z')],
          deps,
        );
        assert.equal(back?.status, 'created', JSON.stringify(back));
        const b = (await store.get(back!.consignmentId!))!;
        assert.deepEqual(dutyOf(b.assessment.revenue), ['3.00']);
        assert.deepEqual(b.assessment.revenue.taxPoint, {
          date: '2026-11-30',
          basis: 'lodged',
          lodged: '2026-11-30',
        });
        assert.ok(
          b.assessment.revenue.notes.includes(
            'expected arrival 2026-06-30 is before the data was lodged on 2026-11-30; assessed on 2026-11-30',
          ),
        );
        assert.equal(back!.dueAtBorder, buildResponse(b).dueAtBorder);

        // Lodged on 20 June without an expected arrival: duty relief, on the lodging date.
        const [first] = await submitBatch(
          ctxAt('2026-06-20T10:00:00.000Z'),
          [tshirt('40000002', undefined)],
          deps,
        );
        const id = first!.consignmentId!;
        const lodged = (await store.get(id))!;
        assert.deepEqual(dutyOf(lodged.assessment.revenue), ['0.00']);
        // Amended on 10 July: the tax point stays the first lodging date, not the amendment's.
        const [amended] = await submitBatch(
          ctxAt('2026-07-10T10:00:00.000Z'),
          [tshirt('40000002', undefined, '4.00')],
          deps,
        );
        assert.equal(amended?.status, 'amended', JSON.stringify(amended));
        const a = (await store.get(id))!;
        assert.equal(a.assessment.assessedAt, '2026-07-10T10:00:00.000Z');
        assert.deepEqual(a.assessment.revenue.taxPoint, {
          date: '2026-06-20',
          basis: 'lodged',
          lodged: '2026-06-20',
        });
        assert.deepEqual(dutyOf(a.assessment.revenue), ['0.00']);

        // It arrives on 12 July: the revenue follows the actual date (EUR 3 duty), and the submitter sees it.
        const now = '2026-07-12T09:00:00.000Z';
        const arrived = await recordCarrierEvent(
          ctxAt(now),
          store,
          id,
          { type: 'arrived', at: '2026-07-12T08:30:00.000Z' },
          arrivalReviser(() => snapshot.revenue, now),
        );
        const c = (await store.get(id))!;
        assert.equal(c.state, 'arrived');
        assert.deepEqual(c.assessment.revenue.taxPoint, {
          date: '2026-07-12',
          basis: 'arrival',
          lodged: '2026-06-20',
        });
        assert.deepEqual(dutyOf(c.assessment.revenue), ['3.00']);
        assert.equal(c.assessment.assessedAt, now);
        assert.equal(c.assessment.risk.lane, a.assessment.risk.lane);
        assert.equal(buildResponse(arrived.consignment).dueAtBorder, c.assessment.revenue.dueAtBorder);
        assert.ok(Number(c.assessment.revenue.dueAtBorder) > Number(a.assessment.revenue.dueAtBorder));
        // The stored figures replay as recorded.
        assert.deepEqual(
          replayRevenue(c.merged, c.assessment.revenue, c.assessment.assessedAt, snapshot.revenue)
            .differences,
          [],
        );

        // An amendment after arrival keeps the arrival's tax point.
        const [late] = await submitBatch(
          ctxAt('2026-07-20T10:00:00.000Z'),
          [tshirt('40000002', undefined, '4.50')],
          deps,
        );
        assert.equal(late?.status, 'amended', JSON.stringify(late));
        const d = (await store.get(id))!;
        assert.deepEqual(d.assessment.revenue.taxPoint, {
          date: '2026-07-12',
          basis: 'arrival',
          lodged: '2026-06-20',
        });
        assert.deepEqual(dutyOf(d.assessment.revenue), ['3.00']);

        // The back-dated parcel arrives on 2 December: same figures, so the assessment time stays; the
        // tax point records the arrival. A repeated report of it changes nothing.
        const arrive = (at: string) =>
          recordCarrierEvent(
            ctxAt(at),
            store,
            back!.consignmentId!,
            { type: 'arrived' },
            arrivalReviser(() => snapshot.revenue, at),
          );
        const once = await arrive('2026-12-02T09:00:00.000Z');
        assert.deepEqual(once.consignment.assessment.revenue.taxPoint, {
          date: '2026-12-02',
          basis: 'arrival',
          lodged: '2026-11-30',
        });
        assert.equal(once.consignment.assessment.assessedAt, b.assessment.assessedAt);
        assert.equal(once.consignment.assessment.revenue.dueAtBorder, b.assessment.revenue.dueAtBorder);
        // A second arrival report is refused by the state machine before anything is assessed.
        await assert.rejects(arrive('2026-12-02T10:00:00.000Z'));
      } finally {
        await store.close();
      }
    });
  });
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
bothStores('tax point through the pipeline on postgres', scenario, {
  sqlite: () => {
    const dataDir = scratchDir('tax-point-');
    dirs.push(dataDir);
    return openSqliteStore({ dataDir });
  },
  postgres: (url, freshSchema) => openPostgresStore({ url, schema: freshSchema() }),
});

describe('arrival across New Year under a per-person yearly limit (China ¥26,000)', () => {
  const world = loadRevenueContext();
  const buyerId = '410101199001018888';
  const key = identityPersonKey(`PERSONAL:${buyerId}`);
  /** ¥24,000 of 2027's limit already used on 1 January 2027, in the ledger. */
  const rows: PersonImport[] = Array.from({ length: 5 }, (_, i) => ({
    personKey: key,
    jurisdiction: 'CN',
    consignmentId: `jan${i}`,
    date: '2027-01-01',
    amount: '4800.00',
    currency: 'CNY',
  }));
  const source: PersonImportSource = {
    personImportsOf: (keys, since) =>
      Promise.resolve(rows.filter((r) => keys.includes(r.personKey) && r.date >= since)),
  };
  // Lodged on 28 December 2026, expected on 30 December: 2026's year, nothing used yet.
  const input = cnPlatformOrder('70000001', { cny: '4000.00', buyerId, day: '2026-12-30' });
  const lodged = '2026-12-28T10:00:00.000Z';

  function stored(persons: PersonHistoryPort): StoredConsignment {
    const revenue = assessRevenue(input, world, lodged, persons.optionsFor('csg_x', input, lodged));
    assert.equal(revenue.collectionModel, 'platform-withholding');
    return {
      id: 'csg_x',
      merged: input,
      createdAt: lodged,
      assessment: { revenue, assessedAt: lodged } as Assessment,
    } as StoredConsignment;
  }

  it('reads the per-person totals again on the arrival date, loading the consignee first', async () => {
    const now = '2027-01-02T09:00:00.000Z';
    const persons = new BoundedPersonHistory(world, source, { clock: () => now });
    const c = stored(persons);
    persons.takeMisses(); // the first assessment's read (its person was not loaded: nothing in 2026)
    const store = { get: (id: string) => Promise.resolve(id === c.id ? c : undefined) } as ClearanceStore;
    const { revise, release } = await prepareArrival(store, { revenue: world, persons }, c.id, now, now);
    const a = revise(c, now);
    release();
    // 2027: ¥24,000 used + ¥4,000 > ¥26,000: over the yearly limit, general trade at the border.
    assert.deepEqual(a?.revenue.taxPoint, { date: '2027-01-02', basis: 'arrival', lodged: '2026-12-28' });
    assert.deepEqual(a?.revenue.history?.personYearToDate, { amount: '24000.00', currency: 'CNY' });
    assert.equal(a?.revenue.collectionModel, 'border');
    assert.equal(persons.takeMisses().length, 0);
    // Without a per-person view, the totals the first assessment counted are kept (docs/revenue.md).
    assert.equal(reviseOnArrival(c, world, now, now)?.revenue.collectionModel, 'platform-withholding');
  });
});
