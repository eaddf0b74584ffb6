/** Refund rules per jurisdiction (profile `refunds`): who may claim, which taxes, time limit from release. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessRevenue } from './assess-revenue.js';
import { ledgerBatch, type ReturnFact } from './ledger-batch.js';
import { worldContext, worldParcel, type WorldParcel } from './world-fixtures.js';

const ctx = worldContext({ IDR: '14000', JPY: '150' });
const RELEASED = '2025-06-10T12:00:00Z';

function returned(p: WorldParcel, assessedAt: string, at: string, releasedAt: string | null = RELEASED) {
  const input = worldParcel(p);
  const revenue = assessRevenue(input, ctx, assessedAt);
  const fact: ReturnFact = {
    consignmentId: 'csg_1',
    trigger: 'returned',
    at,
    actor: 'carrier',
    borderPaid: releasedAt !== null,
    ...(releasedAt === null ? {} : { releasedAt }),
  };
  const batch = ledgerBatch(
    ctx,
    [{ id: 'csg_1', input, revenue, assessedAt, state: 'returned' }],
    [fact],
    'ledger',
  );
  return { revenue, trail: batch.trail.filter((e) => e.kind !== 'assessed') };
}

describe('refund rules per jurisdiction', () => {
  const gb = { to: 'GB', currency: 'GBP', items: [{ amount: '200.00', hs: '640399' }] };

  it('GB: duty and VAT repaid on a claim by the importer within 365 days of release (until 2026-06-10)', () => {
    const { revenue, trail } = returned(gb, RELEASED, '2025-07-01T10:00:00Z');
    assert.deepEqual(
      trail.map((e) => [e.kind, e.collectedBy, e.amount]),
      [['refund', 'border', revenue.dueAtBorder]],
    );
    assert.match(
      trail[0]!.reason,
      /duty, vat paid at the border repaid on a claim by the importer .* within 365 days of release, until 2026-06-10/,
    );
    assert.match(trail[0]!.reason, /rule not verified/);
  });

  it('GB: a return after the time limit is not refundable, on the last day it still is', () => {
    assert.equal(returned(gb, RELEASED, '2026-06-10T10:00:00Z').trail[0]?.kind, 'refund');
    const late = returned(gb, RELEASED, '2026-06-11T10:00:00Z').trail;
    assert.deepEqual(
      late.map((e) => e.kind),
      ['not-refundable'],
    );
    assert.match(late[0]!.reason, /after the claim time limit \(365 days from release, until 2026-06-10\)/);
  });

  it('JP: 182 days; CN general trade: 30 days', () => {
    const jp = { to: 'JP', currency: 'JPY', items: [{ amount: '30000', hs: '610910' }] };
    assert.equal(returned(jp, RELEASED, '2025-12-09T10:00:00Z').trail[0]?.kind, 'refund');
    assert.equal(returned(jp, RELEASED, '2025-12-10T10:00:00Z').trail[0]?.kind, 'not-refundable');
    const cn = { to: 'CN', currency: 'CNY', items: [{ amount: '3000', hs: '190110' }] };
    assert.equal(returned(cn, RELEASED, '2025-07-10T10:00:00Z').trail[0]?.kind, 'refund');
    assert.equal(returned(cn, RELEASED, '2025-07-11T10:00:00Z').trail[0]?.kind, 'not-refundable');
  });

  it('ID before 2020: duty and VAT repaid, income tax prepaid at import not (credited against income tax)', () => {
    const id = { to: 'ID', currency: 'IDR', items: [{ amount: '2000000' }] };
    const { trail } = returned(id, '2019-06-10T10:00:00Z', '2019-07-01T10:00:00Z', '2019-06-10T12:00:00Z');
    assert.deepEqual(
      trail.map((e) => [e.kind, e.amount]),
      [
        ['refund', '365000'],
        ['not-refundable', '430000'],
      ],
    );
    assert.match(trail[1]!.reason, /income-tax paid at the border not repaid under the ID refund rule/);
  });

  it('US: duty repaid by drawback within 5 years; a parcel returned before release owes nothing', () => {
    const us = { to: 'US', currency: 'USD', items: [{ amount: '100.00', hs: '610910' }] };
    const after = '2026-03-02T10:00:00Z';
    const { trail } = returned(us, after, '2031-02-01T10:00:00Z', after);
    assert.deepEqual(
      trail.map((e) => [e.kind, e.amount]),
      [['refund', '26.50']],
    );
    assert.match(trail[0]!.reason, /drawback claimant/);
    const before = returned(us, after, '2026-03-05T10:00:00Z', null).trail;
    assert.deepEqual(
      before.map((e) => e.kind),
      ['not-collected'],
    );
  });

  it('every shipped profile has a refund rule in force today, flagged unverified', () => {
    for (const p of ctx.profiles) {
      const r = p.raw.refunds?.find((x) => x.to === undefined);
      assert.ok(r !== undefined && r.claimant.length > 0 && r.refundable.length > 0, p.raw.id);
      assert.equal(r.verified, false, p.raw.id);
    }
  });
});

describe('refund position of a registered return follows the rule', () => {
  it('marks excluded types and late returns not repayable and names the claimant', async () => {
    const { refundPosition } = await import('../returns/refund.js');
    const { applyRefundRule } = await import('./ledger.js');
    const id = worldParcel({ to: 'ID', currency: 'IDR', items: [{ amount: '2000000' }] });
    const revenue = assessRevenue(id, ctx, '2019-06-10T10:00:00Z');
    const rule = applyRefundRule(ctx.byCountry.get('ID')!.raw.refunds![0]!, '2019-06-10T12:00:00Z');
    const inTime = refundPosition(revenue, undefined, true, 1, { rule, returnedAt: '2019-07-01T10:00:00Z' });
    assert.deepEqual(
      inTime.lines.map((l) => [l.type, l.treatment]),
      [
        ['duty', 'repayable'],
        ['vat', 'repayable'],
        ['income-tax', 'not-repayable'],
      ],
    );
    assert.equal(inTime.repayable, '365000');
    assert.match(
      inTime.lines[0]!.explanation,
      /claim by the importer \(consignee\) who paid within 365 days of release \(until 2020-06-09\)/,
    );
    const late = refundPosition(revenue, undefined, true, 1, { rule, returnedAt: '2020-06-10T10:00:00Z' });
    assert.equal(late.repayable, '0');
    assert.match(late.lines[0]!.explanation, /after the claim time limit/);
  });
});
