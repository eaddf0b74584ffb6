import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { RevenueAssessment, TaxLine } from '../domain/index.js';
import type { AppliedRefundRule } from '../revenue/index.js';
import { refundPosition } from './refund.js';
import {
  applyReturnAction,
  returnStates,
  returnTransitions,
  type ParcelReturn,
  type ReturnState,
} from './returns.js';
import { ReturnInput, returnActions, type ReturnAction } from './schemas.js';
import { returnStats } from './service.js';

const line = (
  type: TaxLine['type'],
  amount: string,
  collectedBy: TaxLine['collectedBy'],
  itemIndex?: number,
): TaxLine => ({
  type,
  amount,
  collectedBy,
  base: '0',
  rate: '0',
  measure: 'm',
  explanation: 'e',
  ...(itemIndex !== undefined ? { itemIndex } : {}),
});
const revenue = (lines: TaxLine[], currency = 'EUR'): RevenueAssessment => ({
  jurisdiction: 'EU-DE',
  currency,
  collectionModel: 'border',
  intrinsicValue: '0',
  customsValue: '0',
  lines,
  dueAtBorder: currency === 'JPY' ? '0' : '0.00',
  prepaid: '0.00',
  total: '0.00',
  fx: [],
  notes: [],
  versions: {},
});

function ret(state: ReturnState, repayable = '4.56'): ParcelReturn {
  return {
    id: 'ret_1',
    consignmentId: 'csg_1',
    kind: 'returned-by-buyer',
    reason: 'damaged',
    state,
    submitterId: 's',
    platformId: 'MKT',
    sellerKey: 'MKT/1',
    sellerOperatorId: null,
    destination: 'DE',
    refund: { ...refundPosition(revenue([]), undefined, true, 1), repayable },
    registeredAt: '2026-11-27T00:00:00Z',
    history: [],
  };
}
const extra: Partial<Record<ReturnAction, Record<string, string>>> = {
  're-export': { exportReference: 'EX1' },
  'reject-refund': { reason: 'no proof of exit' },
  'pay-refund': { paymentReference: 'P1' },
};

describe('returns', () => {
  for (const state of returnStates) {
    for (const action of returnActions) {
      const to = returnTransitions[state][action];
      test(`${action} on a ${state} return ${to ? `moves it to ${to}` : 'is refused'}`, () => {
        const input = { action, ...extra[action] } as never;
        if (!to) {
          assert.throws(
            () => applyReturnAction(ret(state), input, 'o', 'now'),
            (e: { code?: string }) => e.code === 'return.transition-not-allowed',
          );
          return;
        }
        const next = applyReturnAction(ret(state), input, 'o', '2026-11-28T00:00:00Z');
        assert.equal(next.state, to);
        if (action === 're-export') assert.equal(next.reExport?.exportReference, 'EX1');
        if (action === 'pay-refund') assert.equal(next.payment?.reference, 'P1');
      });
    }
  }

  test('a claim with nothing repayable, a re-export without reference and a payment without reference are refused', () => {
    assert.throws(
      () => applyReturnAction(ret('re-exported', '0.00'), { action: 'claim-refund' }, 'o', 'n'),
      (e: { code?: string }) => e.code === 'return.nothing-repayable',
    );
    assert.throws(
      () => applyReturnAction(ret('registered'), { action: 're-export' }, 'o', 'n'),
      (e: { code?: string }) => e.code === 'return.export-reference-required',
    );
    assert.throws(
      () => applyReturnAction(ret('refund-approved'), { action: 'pay-refund' }, 'o', 'n'),
      (e: { code?: string }) => e.code === 'return.payment-reference-required',
    );
    assert.throws(
      () => applyReturnAction(ret('refund-claimed'), { action: 'reject-refund' }, 'o', 'n'),
      (e: { code?: string }) => e.code === 'return.reason-required',
    );
  });

  test("border tax of a delivered parcel is repayable, IOSS tax is the seller's to refund, fees are kept", () => {
    const r = revenue([
      line('vat', '3.80', 'border', 0),
      line('duty', '1.20', 'border', 1),
      line('vat', '2.00', 'vendor', 1),
      line('fee', '6.00', 'border'),
    ]);
    const all = refundPosition(r, undefined, true, 2);
    assert.deepEqual([all.repayable, all.sellerRefunds, all.notDue], ['5.00', '2.00', '0.00']);
    assert.deepEqual(all.byType, { vat: '3.80', duty: '1.20' });
    assert.equal(all.lines.find((l) => l.type === 'fee')?.treatment, 'not-repayable');
    const first = refundPosition(r, [0], true, 2);
    assert.deepEqual([first.repayable, first.sellerRefunds], ['3.80', '0.00']);
    const undelivered = refundPosition(r, undefined, false, 2);
    assert.deepEqual([undelivered.repayable, undelivered.notDue], ['0.00', '5.00']);
    assert.equal(
      refundPosition(revenue([line('vat', '120', 'border', 0)], 'JPY'), undefined, true, 1).repayable,
      '120',
      "keeps the currency's precision",
    );
  });

  test('the refund position adds up exactly: repayable + seller + not due + kept equals the returned lines', () => {
    const amount = fc.integer({ min: 0, max: 10_000_00 }).map((c) => (c / 100).toFixed(2));
    const lineArb = fc.tuple(
      fc.constantFrom<TaxLine['type']>('vat', 'duty', 'fee', 'excise'),
      amount,
      fc.constantFrom<TaxLine['collectedBy']>('border', 'vendor', 'platform', 'intermediary', 'none'),
      fc.option(fc.nat(3), { nil: undefined }),
    );
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 12 }),
        fc.boolean(),
        fc.option(fc.uniqueArray(fc.nat(3), { minLength: 1 }), { nil: undefined }),
        (ls, paid, items) => {
          const r = revenue(ls.map(([t, a, c, i]) => line(t, a, c, i)));
          const p = refundPosition(r, items, paid, 4);
          const cents = (s: string) => Math.round(Number(s) * 100);
          const returned = p.lines.filter(
            (l) =>
              l.treatment !== 'not-returned' && l.treatment !== 'not-repayable' && l.collectedBy !== 'none',
          );
          const sum = returned.reduce((s, l) => s + cents(l.amount), 0);
          assert.equal(cents(p.repayable) + cents(p.sellerRefunds) + cents(p.notDue), sum);
          if (!paid) assert.equal(p.repayable, '0.00');
        },
      ),
    );
  });

  test('a claim after the time limit is refused naming the deadline, also for a return registered after it', () => {
    const rule: AppliedRefundRule = {
      rule: {
        from: '2021-07-01',
        claimant: 'importer',
        refundable: ['duty', 'vat'],
        timeLimitDays: 365,
        conditions: 'goods re-exported',
      } as AppliedRefundRule['rule'],
      deadline: '2027-11-27',
    };
    const r = revenue([line('vat', '3.80', 'border', 0)]);
    const inTime = refundPosition(r, undefined, true, 1, { rule, returnedAt: '2026-12-01T10:00:00Z' });
    assert.equal(inTime.repayable, '3.80');
    const reExported = { ...ret('re-exported'), refund: inTime };
    const claimed = applyReturnAction(reExported, { action: 'claim-refund' }, 'o', '2027-11-27T23:00:00Z');
    assert.equal(claimed.state, 'refund-claimed', 'the last day is still in time');
    assert.throws(
      () => applyReturnAction(reExported, { action: 'claim-refund' }, 'o', '2027-11-28T08:00:00Z'),
      (e: { code?: string; message?: string }) =>
        e.code === 'return.claim-time-limit' && /2027-11-27/.test(e.message ?? ''),
    );
    const late = refundPosition(r, undefined, true, 1, { rule, returnedAt: '2027-12-01T10:00:00Z' });
    assert.equal(late.repayable, '0.00');
    assert.throws(
      () =>
        applyReturnAction(
          { ...ret('re-exported'), refund: late },
          { action: 'claim-refund', at: '2027-11-20T00:00:00Z' },
          'o',
          '2027-12-02T08:00:00Z',
        ),
      (e: { code?: string }) => e.code === 'return.claim-time-limit',
      'a backdated claim of a late return is refused by the time limit, not as "nothing repayable"',
    );
  });

  test("an action dated before the return's last step or after the clock is refused at /at, nothing applied", () => {
    const reExported: ParcelReturn = {
      ...ret('re-exported'),
      history: [
        { action: 'register', at: '2026-12-01T10:00:00.000Z', actor: 'c' },
        { action: 're-export', at: '2026-12-03T10:00:00.000Z', actor: 'o' },
      ],
    };
    const now = '2026-12-05T10:00:00.000Z';
    const refused = (at: string, pattern: RegExp) =>
      assert.throws(
        () => applyReturnAction(reExported, { action: 'claim-refund', at }, 'o', now),
        (e: { code?: string; message?: string; details?: { issues?: { path: string }[] } }) =>
          e.code === 'return.invalid-date' &&
          e.details?.issues?.[0]?.path === '/at' &&
          pattern.test(e.message ?? ''),
      );
    // A refund claimed before the goods went back out (or dated to slip under the time limit).
    refused('2026-12-02T10:00:00.000Z', /before the return's last step \(re-export\)/);
    refused('2026-01-01T00:00:00.000Z', /2026-12-03T10:00:00.000Z/);
    refused('2030-01-01T00:00:00.000Z', /after the clock/);
    assert.throws(
      () =>
        applyReturnAction(
          ret('registered'),
          { action: 're-export', exportReference: 'EX1', at: '2030-01-01T00:00:00.000Z' },
          'o',
          now,
        ),
      (e: { code?: string }) => e.code === 'return.invalid-date',
    );
    const inOrder = applyReturnAction(
      reExported,
      { action: 'claim-refund', at: '2026-12-03T10:00:00.000Z' },
      'o',
      now,
    );
    assert.equal(inOrder.state, 'refund-claimed', 'a claim on the day of the re-export is in order');
    assert.equal(
      applyReturnAction(reExported, { action: 'claim-refund', at: '2026-12-05T10:04:00.000Z' }, 'o', now)
        .state,
      'refund-claimed',
      "within the clock's skew",
    );
  });

  test('statistics group by platform, seller, reason and kind and sum repayable amounts per currency exactly', () => {
    const s = returnStats([
      ret('registered', '0.10'),
      ret('closed', '0.20'),
      { ...ret('registered', '5'), platformId: null, sellerKey: null, reason: 'refused' as never },
    ]);
    assert.equal(s.total, 3);
    assert.deepEqual(s.by.platform!.MKT, { returns: 2, repayable: { EUR: '0.30' } }, 'money keeps its cents');
    assert.deepEqual(s.by.platform!['(none)']!.repayable, { EUR: '5.00' });
    assert.equal(s.by.platform!['(none)']!.returns, 1);
    assert.equal(s.by.reason!.damaged!.returns, 2);
  });
});

describe('ReturnInput', () => {
  test('applyClearanceEvent is optional, defaulting to true (the service applies the event unless it is false)', () => {
    assert.ok(!(ReturnInput.required as string[]).includes('applyClearanceEvent'));
    assert.deepEqual(ReturnInput.required, ['consignmentId', 'kind', 'reason']);
    assert.equal(ReturnInput.properties.applyClearanceEvent.default, true);
  });
});
