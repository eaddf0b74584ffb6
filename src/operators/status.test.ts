import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  applyStatusAction,
  effectiveAt,
  statusActions,
  statusStates,
  statusTransitions,
  type StatusAction,
  type TrustStatus,
} from './status.js';
import { testStatus } from './test-fixtures.js';

const now = '2026-06-01T00:00:00.000Z';
const act = (s: TrustStatus, action: StatusAction, extra: Record<string, string | undefined> = {}) =>
  applyStatusAction(s, { action, reason: 'audit finding', ...extra }, 'officer:x', now);

function inState(state: (typeof statusStates)[number]): TrustStatus {
  const s = testStatus('opr_a');
  if (state === 'suspended') return act(s, 'suspend', { at: '2026-05-01T00:00:00.000Z' });
  if (state === 'withdrawn') return act(s, 'withdraw', { at: '2026-05-01T00:00:00.000Z' });
  return s;
}

describe('AEO and credit status', () => {
  for (const state of statusStates) {
    for (const action of statusActions) {
      const to = statusTransitions[state][action];
      test(`${action} on a ${state} status ${to ? `moves it to ${to}` : 'is refused'}`, () => {
        const s = inState(state);
        const extra = action === 'renew' ? { validTo: '2032-01-01T00:00:00.000Z' } : {};
        if (!to) {
          assert.throws(
            () => act(s, action, extra),
            (e: { code?: string }) => e.code === 'status.transition-not-allowed',
          );
          return;
        }
        const next = act(s, action, extra);
        assert.equal(next.state, to);
        assert.equal(next.history.at(-1)?.action, action);
        assert.equal(s.history.length + 1, next.history.length, 'the input record is not changed');
      });
    }
  }

  test('a status is in force only inside its validity and outside suspensions, and withdrawal is dated', () => {
    const s = testStatus('opr_a');
    assert.equal(effectiveAt(s, '2024-12-31T23:59:59.000Z'), 'not-yet-valid');
    assert.equal(effectiveAt(s, '2026-01-01T00:00:00.000Z'), 'in-force');
    assert.equal(effectiveAt(s, '2030-01-01T00:00:00.000Z'), 'expired');
    const suspended = act(s, 'suspend', {
      at: '2026-03-01T00:00:00.000Z',
      until: '2026-04-01T00:00:00.000Z',
    });
    assert.equal(effectiveAt(suspended, '2026-02-28T00:00:00.000Z'), 'in-force');
    assert.equal(effectiveAt(suspended, '2026-03-15T00:00:00.000Z'), 'suspended');
    assert.equal(effectiveAt(suspended, '2026-04-01T00:00:00.000Z'), 'in-force');
    const open = act(s, 'suspend', { at: '2026-03-01T00:00:00.000Z' });
    const back = applyStatusAction(
      open,
      { action: 'reinstate', reason: 'corrective plan done', at: '2026-05-01T00:00:00.000Z' },
      'o',
      now,
    );
    assert.equal(
      effectiveAt(back, '2026-04-30T00:00:00.000Z'),
      'suspended',
      'the past suspension stays on record',
    );
    assert.equal(effectiveAt(back, '2026-05-01T00:00:00.000Z'), 'in-force');
    const gone = act(s, 'withdraw', { at: '2026-07-01T00:00:00.000Z' });
    assert.equal(
      effectiveAt(gone, '2026-06-30T00:00:00.000Z'),
      'in-force',
      'in force until the withdrawal date',
    );
    assert.equal(effectiveAt(gone, '2026-07-01T00:00:00.000Z'), 'withdrawn');
  });

  test('a suspension that has run out does not block a new one, and a reinstatement cannot predate its suspension', () => {
    const s = testStatus('opr_a');
    const spent = act(s, 'suspend', { at: '2026-03-01T00:00:00.000Z', until: '2026-04-01T00:00:00.000Z' });
    assert.equal(effectiveAt(spent, '2026-05-01T00:00:00.000Z'), 'in-force');
    const again = act(spent, 'suspend', { at: '2026-05-10T00:00:00.000Z' });
    assert.equal(again.state, 'suspended');
    assert.equal(effectiveAt(again, '2026-05-15T00:00:00.000Z'), 'suspended');
    assert.throws(
      () => act(spent, 'reinstate', { at: '2026-05-10T00:00:00.000Z' }),
      (e: { code?: string }) => e.code === 'status.transition-not-allowed',
      'nothing to reinstate once the suspension ran out',
    );
    const open = act(s, 'suspend', { at: '2026-03-01T00:00:00.000Z' });
    assert.throws(
      () => act(open, 'reinstate', { at: '2026-02-01T00:00:00.000Z' }),
      (e: { code?: string; details?: { path?: string } }) =>
        e.code === 'status.invalid-validity' && e.details?.path === '/at',
      'a reinstatement dated before the suspension would silently erase it',
    );
    assert.equal(effectiveAt(open, '2026-03-15T00:00:00.000Z'), 'suspended');
  });

  test('a dishonest grade without an end date lapses after 12 months', () => {
    const s = testStatus('opr_a', {
      level: 'cn-dishonest',
      issuer: 'CN',
      validFrom: '2026-01-15T00:00:00.000Z',
      validTo: undefined,
    });
    assert.equal(s.validTo, '2027-01-15T00:00:00.000Z');
    assert.equal(effectiveAt(s, '2027-01-14T00:00:00.000Z'), 'in-force');
    assert.equal(effectiveAt(s, '2027-01-15T00:00:00.000Z'), 'expired');
  });

  test('bad validity, a missing reason and a renewal that does not extend are refused with codes', () => {
    assert.throws(
      () =>
        testStatus('opr_a', { validFrom: '2026-01-01T00:00:00.000Z', validTo: '2025-01-01T00:00:00.000Z' }),
      (e: { code?: string; details?: { path?: string } }) =>
        e.code === 'status.invalid-validity' && e.details?.path === '/validTo',
    );
    const s = testStatus('opr_a');
    assert.throws(
      () => applyStatusAction(s, { action: 'suspend', reason: ' ' }, 'o', now),
      (e: { code?: string }) => e.code === 'status.reason-required',
    );
    assert.throws(
      () => act(s, 'renew', { validTo: '2029-01-01T00:00:00.000Z' }),
      (e: { code?: string }) => e.code === 'status.invalid-validity',
    );
  });

  test('any sequence of allowed actions keeps the state the table says and never resurrects a withdrawal', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statusActions), { maxLength: 12 }), (actions) => {
        let s = testStatus('opr_a');
        let day = 1;
        for (const a of actions) {
          const to = statusTransitions[s.state][a];
          const at = `2026-02-${String(day++).padStart(2, '0')}T00:00:00.000Z`;
          const extra = a === 'renew' ? { validTo: `${2030 + day}-01-01T00:00:00.000Z` } : {};
          if (!to) {
            assert.throws(() => act(s, a, { at, ...extra }));
            continue;
          }
          s = act(s, a, { at, ...extra });
          assert.equal(s.state, to);
        }
        if (s.withdrawnAt) assert.equal(s.state, 'withdrawn');
      }),
    );
  });
});
