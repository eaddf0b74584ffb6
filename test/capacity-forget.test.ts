/**
 * Inspection and documentary-check capacity take back what a discarded plan counted: a group planned
 * ahead and then planned again in the transaction must not use capacity twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadSnapshot, submitBatch, type PipelineDeps, type RequestContext } from '../src/clearance/index.js';
import type { ConsignmentInput, RiskAssessment } from '../src/domain/index.js';
import {
  capacityLanes,
  createDocumentarySelector,
  createSelector,
  selectionOffice,
} from '../src/risk/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';

const DAY = '2026-11-27';
const ctx: RequestContext = { actor: 't', submitterId: 't', now: `${DAY}T10:00:00.000Z` };
const flood = (seed: string, count: number) =>
  [...generateFlood({ seed, count, day: DAY })].map((r) => r.input);

const lanes = () =>
  capacityLanes(
    createSelector({
      capacityPerOfficeDay: 3,
      expectedVolumePerOfficeDay: 60,
      randomRate: 0.05,
      explorationRate: 0.02,
    }),
    'seed',
    createDocumentarySelector({ capacityPerOfficeDay: 2, expectedVolumePerOfficeDay: 60 }),
  );

const input = (office: string) =>
  ({ routing: { officeOfEntry: office, destinationCountry: 'DE' } }) as unknown as ConsignmentInput;
const risk = (score: number, lane: RiskAssessment['lane']): RiskAssessment => ({
  score,
  lane,
  security: 'assessment-complete',
  hits: [],
  randomSelected: false,
  ruleSetVersion: 'x@1',
});
const laneOf = (score: number): RiskAssessment['lane'] =>
  score >= 70 ? 'red' : score >= 40 ? 'yellow' : score >= 20 ? 'blue' : 'green';

test('forgetting an assessment takes its score out of the day and gives back the capacity it used', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 60 }),
      fc.nat(),
      (scores, k) => {
        const sel = lanes();
        const now = `${DAY}T09:00:00.000Z`;
        const lanesOut = scores.map((s, i) => sel.apply(risk(s, laneOf(s)), `c${i}`, input('FRA'), now));
        const before = sel.state('FRA', DAY)!;
        const docBefore = sel.documentaryState!('FRA', DAY)!;
        const gone = k % scores.length;
        sel.forget!(`c${gone}`);
        sel.forget!(`c${gone}`); // twice: the second finds nothing
        const after = sel.state('FRA', DAY)!;
        const docAfter = sel.documentaryState!('FRA', DAY)!;
        const used = (s: typeof before) => s.targeted + s.random + s.exploration;
        const r = lanesOut[gone]!.selection!;
        const inspected = r.reason === 'targeted' || r.reason === 'random' || r.reason === 'exploration';
        assert.equal(after.seen, before.seen - 1);
        assert.equal(used(after), used(before) - (inspected ? 1 : 0));
        const bin = Math.round(scores[gone]!);
        assert.equal(after.histogram[bin], before.histogram[bin]! - 1);
        const d = r.documentary;
        const held = d?.reason === 'checked' || d?.reason === 'direct';
        assert.equal(docAfter.seen, docBefore.seen - (d === undefined ? 0 : 1));
        assert.equal(docAfter.checked, docBefore.checked - (held ? 1 : 0));
      },
    ),
  );
});

test('assessing the same consignment again replaces its earlier count instead of adding to it', () => {
  const sel = lanes();
  const now = `${DAY}T09:00:00.000Z`;
  for (let i = 0; i < 5; i++) sel.apply(risk(90, 'red'), 'same', input('FRA'), now);
  assert.equal(sel.state('FRA', DAY)!.seen, 1);
});

test('a group planned again forgets what its discarded plan counted against inspection capacity', async () => {
  const selection = lanes();
  const live = { ...loadSnapshot({ randomRate: 0.05, classifier: false }), selection };
  const store = openSqliteStore({ memory: true });
  const deps: PipelineDeps = { store, snapshot: () => live };
  const records = flood('capacity-forget', 40);
  await submitBatch(ctx, records, deps);
  // The same records again: every group links to a stored consignment and is planned again.
  await submitBatch({ ...ctx, now: `${DAY}T10:30:00.000Z` }, records, deps);
  // Each stored consignment was counted once, at the office its stored assessment records.
  const counted = new Map<string, number>();
  const documentary = new Map<string, number>();
  const page = await store.list({ limit: 500 });
  assert.equal(page.nextCursor, null);
  for (const s of page.items) {
    const sel = (await store.get(s.id))!.assessment.risk.selection;
    assert.ok(sel, 'every stored assessment records its selection');
    counted.set(sel.office, (counted.get(sel.office) ?? 0) + 1);
    if (sel.documentary) documentary.set(sel.office, (documentary.get(sel.office) ?? 0) + 1);
  }
  assert.ok(counted.size > 0);
  // No discarded plan is left in any office's day, including offices no stored assessment names.
  const offices = new Set([...counted.keys(), ...records.map((r) => selectionOffice(r))]);
  for (const office of offices) {
    assert.equal(selection.state(office, DAY)?.seen ?? 0, counted.get(office) ?? 0, office);
    assert.equal(selection.documentaryState!(office, DAY)?.seen ?? 0, documentary.get(office) ?? 0, office);
  }
});
