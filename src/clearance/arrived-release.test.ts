import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clearanceTriggers, nextState } from '../domain/index.js';
import type { StoredConsignment } from '../store/index.js';
import { standsReleased } from './arrived-release.js';
import { isAnswerable, withOpenRequest } from './information.js';
import { step } from './routing.js';

test('an arrived parcel stands released iff it arrived released and no officer held it since (any trigger sequence)', () => {
  const holds = new Set(['officer.inspect', 'officer.request-information']);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...clearanceTriggers), { maxLength: 60 }), (triggers) => {
      let c = { id: 'csg_1', state: 'declared' } as unknown as StoredConsignment;
      let released = false; // the oracle, by trigger
      for (const t of triggers) {
        if (!nextState(c.state, t).ok) continue;
        if (t === 'submitter.information-provided' && !isAnswerable(c)) continue;
        const from = c.state;
        const { to, event } = step(c.id, from, t, { at: '2026-11-27T10:00:00Z', actor: 'x' });
        c = withOpenRequest(c, { ...c, state: to }, [event]);
        if (to !== 'arrived') released = false;
        else if (from === 'released-before-arrival') released = true;
        else if (holds.has(t)) released = false;
        assert.equal(standsReleased(c), released, `${t}: ${from} -> ${to}`);
        assert.equal(c.releasedBeforeArrival === true, released, 'the flag lives only in arrived');
      }
    }),
    { numRuns: 500 },
  );
});
