/** Priority handling in capacity selection: a high-priority candidate wins a tie at the threshold, and only a tie. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSelector } from './selector.js';

const selector = createSelector({
  capacityPerOfficeDay: 100,
  randomRate: 0,
  explorationRate: 0,
  expectedVolumePerOfficeDay: 1000,
});

test('at equal score a priority candidate tied with the threshold is released, a normal one inspected', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 0, maxLength: 300 }), (seen) => {
      let state = selector.initialState('DE004850', '2026-11-27');
      for (const score of seen) state = selector.select(state, { score, lane: 'green', draw: 0.5 }).state;
      // A score that ties the threshold it produces (the candidate's own score counts in the histogram).
      const tie = [...Array(101).keys()].find((x) => {
        const r = selector.select(state, { score: x, lane: 'red', draw: 0.5 });
        return r.threshold === x && r.reason === 'targeted';
      });
      if (tie === undefined) return;
      const low = selector.select(state, { score: tie, lane: 'red', draw: 0.5, priority: 'low' });
      const high = selector.select(state, { score: tie, lane: 'red', draw: 0.5, priority: 'high' });
      assert.equal(low.inspect, true, 'low priority gets no tie-break');
      assert.equal(high.inspect, false, 'the tie goes to the priority operator');
      assert.equal(high.reason, 'below-threshold');
      assert.equal(high.threshold, tie);
      const above = selector.select(state, { score: tie + 1, lane: 'red', draw: 0.5, priority: 'high' });
      if (tie < 100 && above.threshold <= tie + 1 && above.reason !== 'over-capacity')
        assert.equal(above.inspect, true, 'above the threshold priority does not exempt');
    }),
    { numRuns: 60 },
  );
});

test('random control still samples a priority candidate', () => {
  const s = createSelector({ capacityPerOfficeDay: 10, randomRate: 0.1, explorationRate: 0 });
  const state = s.initialState('X', '2026-11-27');
  const r = s.select(state, { score: 0, lane: 'green', draw: 0.01, priority: 'high' });
  assert.equal(r.reason, 'random');
});
