import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyCaseAction,
  caseStates,
  caseTransitions,
  type CaseState,
  type EnforcementCase,
} from './cases.js';
import { caseActions } from './schemas.js';

const kase = (state: CaseState): EnforcementCase => ({
  id: 'cas_1',
  kind: 'counterfeit',
  state,
  evidence: [],
  openedAt: '2026-11-27T00:00:00Z',
  history: [],
});

describe('enforcement cases', () => {
  for (const state of caseStates) {
    for (const action of caseActions) {
      const to = caseTransitions[state][action];
      test(`${action} on a ${state} case ${to ? `moves it to ${to}` : 'is refused'}`, () => {
        const input = {
          action,
          reason: 'officer finding',
          ...(action === 'dispose' ? { disposal: 'destroyed' as const } : {}),
        };
        if (!to) {
          assert.throws(
            () => applyCaseAction(kase(state), input, 'o', 'n'),
            (e: { code?: string }) => e.code === 'case.transition-not-allowed',
          );
          return;
        }
        const next = applyCaseAction(kase(state), input, 'officer:x', '2026-11-28T00:00:00Z');
        assert.equal(next.state, to);
        assert.deepEqual(next.history.at(-1), {
          action,
          at: '2026-11-28T00:00:00Z',
          actor: 'officer:x',
          reason: 'officer finding',
        });
        if (action === 'dispose') assert.equal(next.disposal, 'destroyed');
      });
    }
  }

  test('disposal needs its method', () => {
    assert.throws(
      () => applyCaseAction(kase('seized'), { action: 'dispose', reason: 'gone' }, 'o', 'n'),
      (e: { code?: string; details?: { path?: string } }) =>
        e.code === 'case.disposal-required' && e.details?.path === '/disposal',
    );
  });
});
