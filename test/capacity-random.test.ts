/**
 * The random control sample within capacity: the selector's random inspections are exactly the
 * assessment's own draw (whatever rate operator facilitation gave it), and a random draw that finds the
 * office's inspections for the day used up is not inspected, so the red lane never exceeds capacity
 * except for lanes a rule sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assess, groupParcels, loadSnapshot, openRiskRuntime } from '../src/clearance/index.js';
import type { RiskAssessment } from '../src/domain/index.js';
import { capacityLanes, controlDraw, createSelector } from '../src/risk/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteRiskStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const NOW = '2026-11-27T12:00:00.000Z';
const SEED = 'seed-x';

const risk = (over: Partial<RiskAssessment> = {}): RiskAssessment => ({
  score: 0,
  lane: 'green',
  security: 'assessment-complete',
  hits: [],
  randomSelected: false,
  ruleSetVersion: 'test@1',
  ...over,
});

/** Consignment ids whose control draw is below (or not below) `rate`. */
function ids(rate: number, below: boolean, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const id = `csg_${i}`;
    if (controlDraw(SEED, id) < rate === below) out.push(id);
  }
  return out;
}

test('a parcel the assessment did not draw is never inspected as random control, whatever its draw', () => {
  // Operator facilitation halved this operator's random rate: draws between 0.25 and 0.5 are not drawn.
  const lanes = capacityLanes(
    createSelector({ capacityPerOfficeDay: 100, randomRate: 0.5, explorationRate: 0 }),
    SEED,
  );
  for (const id of ids(0.5, true, 20).filter((x) => controlDraw(SEED, x) >= 0.25)) {
    const r = lanes.apply(risk(), id, postalItem(), NOW);
    assert.notEqual(r.selection?.reason, 'random', id);
    assert.equal(r.lane, 'green', id);
  }
});

test('a random draw over capacity is not inspected: the lane it would have had without the draw', () => {
  const lanes = capacityLanes(
    createSelector({ capacityPerOfficeDay: 0, randomRate: 0.01, explorationRate: 0 }),
    SEED,
  );
  const drawn = risk({
    lane: 'red',
    randomSelected: true,
    hits: [
      {
        id: 'random-control',
        version: 1,
        kind: 'random',
        score: 0,
        lane: 'red',
        reason: 'random control sample',
        inputs: { laneWithoutDraw: 'green' },
      },
    ],
  });
  const r = lanes.apply(drawn, ids(0.01, true, 1)[0] as string, postalItem(), NOW);
  assert.equal(r.lane, 'green');
  assert.equal(r.randomSelected, false, 'not inspected, so not part of the control sample');
  assert.equal(r.selection?.reason, 'over-capacity');
  assert.ok(!r.hits.some((h) => h.id === 'random-control'));
});

test('when the flood doubles with a large random sample, red lanes not set by a rule stay within capacity', async () => {
  const base = loadSnapshot({ classifier: false, randomRate: 0.05 });
  const parcels = groupParcels(
    generateFlood({ seed: 'capacity-random', count: 3000, day: '2026-11-27' }),
    base,
    NOW,
  );
  const runtime = await openRiskRuntime({
    store: openSqliteRiskStore({ memory: true }),
    base,
    now: NOW,
    // Expected 100 parcels per office and day: the busiest offices get two to three times that.
    selector: { capacityPerOfficeDay: 3, expectedVolumePerOfficeDay: 100, explorationRate: 0.005 },
  });
  const red = new Map<string, number>();
  let random = 0;
  for (const p of parcels) {
    const a = assess(
      { consignmentId: p.ref, input: p.merged, mismatches: p.mismatches, sourceKinds: p.sourceKinds },
      runtime.snapshot(),
      NOW,
    );
    const directRed = a.risk.hits.some((h) => h.kind === 'rule' && h.lane === 'red');
    if (a.risk.randomSelected) {
      random++;
      assert.equal(a.risk.selection?.reason, 'random', 'a parcel in the control sample is inspected');
      assert.equal(a.risk.lane, 'red');
    }
    if (a.risk.lane !== 'red' || directRed) continue;
    const office = a.risk.selection?.office as string;
    red.set(office, (red.get(office) ?? 0) + 1);
  }
  assert.ok(random > 0, 'the control sample is kept');
  for (const [office, n] of red) assert.ok(n <= 3, `${office}: ${n} red lanes for a capacity of 3`);
});
