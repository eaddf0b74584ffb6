import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addCounts,
  complianceScore,
  emptyCounts,
  type ComplianceCounts,
  type ExternalRating,
} from './compliance.js';
import { countsOf } from './compliance-events.js';
import { advanceCursor, initialCursor } from './event-cursor.js';
import { postalItem } from '../testing/consignments.js';
import type { FeedEvent } from '../registry/index.js';

const countsArb: fc.Arbitrary<ComplianceCounts> = fc
  .record({
    declarations: fc.nat(5000),
    inspections: fc.nat(500),
    inspectionFindings: fc.nat(500),
    seizures: fc.nat(100),
    amendments: fc.nat(1000),
    lateFilings: fc.nat(1000),
    missingData: fc.nat(1000),
  })
  // Consistent counts: no more bad outcomes of a kind than declarations, no more findings than inspections.
  .map((c) => ({
    ...c,
    inspectionFindings: Math.min(c.inspectionFindings, c.inspections),
    seizures: Math.min(c.seizures, c.declarations),
    amendments: Math.min(c.amendments, c.declarations),
    lateFilings: Math.min(c.lateFilings, c.declarations),
    missingData: Math.min(c.missingData, c.declarations),
  }));
const ratingArb: fc.Arbitrary<ExternalRating> = fc.record({
  source: fc.constantFrom('platform-seller-rating', 'credit-bureau'),
  value: fc.integer({ min: 0, max: 100 }),
  weight: fc.double({ min: 0.01, max: 2, noNaN: true }),
  at: fc.constant('2026-01-01T00:00:00Z'),
});
const bad: (keyof ComplianceCounts)[] = ['seizures', 'amendments', 'lateFilings', 'missingData'];

describe('compliance score', () => {
  test('is always between 0 and 100 and its band follows the thresholds', () => {
    fc.assert(
      fc.property(countsArb, fc.array(ratingArb, { maxLength: 3 }), (c, r) => {
        const s = complianceScore(c, r);
        assert.ok(s.score >= 0 && s.score <= 100);
        assert.equal(s.band, s.score >= 85 ? 'high' : s.score >= 60 ? 'medium' : 'low');
        assert.equal(s.components.length, 5);
      }),
    );
  });

  test('a further bad outcome never raises the score; a further clean declaration or inspection never lowers it', () => {
    fc.assert(
      fc.property(countsArb, fc.constantFrom(...bad), (c, k) => {
        const base = complianceScore(c).internal;
        // A bad outcome comes with its declaration when the denominator would otherwise not cover it.
        const worse = { ...c, [k]: c[k] + 1, declarations: Math.max(c.declarations, c[k] + 1) };
        const withDecl = complianceScore({ ...c, declarations: worse.declarations }).internal;
        assert.ok(complianceScore(worse).internal <= withDecl + 1e-9);
        assert.ok(complianceScore({ ...c, declarations: c.declarations + 1 }).internal >= base - 1e-9);
        assert.ok(complianceScore({ ...c, inspections: c.inspections + 1 }).internal >= base - 1e-9);
        assert.ok(
          complianceScore({
            ...c,
            inspections: c.inspections + 1,
            inspectionFindings: c.inspectionFindings + 1,
          }).internal <=
            base + 1e-9,
        );
      }),
    );
  });

  test('external ratings pull the score towards them: it lies between the internal score and the ratings', () => {
    fc.assert(
      fc.property(countsArb, fc.array(ratingArb, { minLength: 1, maxLength: 3 }), (c, r) => {
        const s = complianceScore(c, r);
        const lo = Math.min(s.internal, ...r.map((x) => x.value));
        const hi = Math.max(s.internal, ...r.map((x) => x.value));
        assert.ok(s.score >= lo - 0.1 && s.score <= hi + 0.1, `${s.score} in [${lo}, ${hi}]`);
      }),
    );
  });

  test('a newcomer starts in the middle band and a clean record of 1,000 parcels reaches the high band', () => {
    assert.equal(complianceScore(emptyCounts()).band, 'medium');
    const clean = complianceScore({ ...emptyCounts(), declarations: 1000, inspections: 50 });
    assert.equal(clean.band, 'high');
    const seized = complianceScore({
      ...emptyCounts(),
      declarations: 100,
      inspections: 10,
      inspectionFindings: 6,
      seizures: 6,
    });
    assert.equal(seized.band, 'low');
    assert.match(
      seized.components.find((x) => x.id === 'seizures')!.explanation,
      /6 of 100 seizures per declaration/,
    );
  });

  test('counting is a commutative fold: any split and order of the events gives the same counts', () => {
    const ev = (
      type: string,
      from: string | null,
      to: string | null,
      data: Record<string, unknown> = {},
    ): FeedEvent => ({
      seq: 0,
      consignmentId: 'csg_1',
      submitterId: 'opr_x',
      type,
      from: from as never,
      to: to as never,
      at: '2026-11-30T00:00:00Z',
      actor: 'x',
      data,
    });
    const pool = [
      ev('consignment.declared', null, 'declared'),
      ev('consignment.amended', 'held-for-information', 'held-for-information'),
      ev('consignment.held-for-information', 'assessed', 'held-for-information', { trigger: 'route-yellow' }),
      ev('consignment.seized', 'held-for-inspection', 'seized', {
        trigger: 'officer.seize',
        finding: 'counterfeit',
      }),
      ev('consignment.released', 'held-for-inspection', 'released', {
        trigger: 'officer.release',
        finding: 'nothing-found',
      }),
    ];
    const input = postalItem();
    fc.assert(
      fc.property(fc.array(fc.nat(pool.length - 1), { maxLength: 30 }), fc.nat(30), (picks, cut) => {
        const events = picks.map((i) => pool[i]!);
        const all = events.reduce((acc, e) => addCounts(acc, countsOf(e, input)), emptyCounts());
        const k = Math.min(cut, events.length);
        const left = events.slice(0, k).reduce((acc, e) => addCounts(acc, countsOf(e, input)), emptyCounts());
        const right = events
          .slice(k)
          .reverse()
          .reduce((acc, e) => addCounts(acc, countsOf(e, input)), emptyCounts());
        assert.deepEqual(addCounts(right, left), all);
      }),
    );
  });

  test('events map to counts: a seizure after inspection is an inspection with a finding and a seizure; late data counts', () => {
    const seized = countsOf(
      {
        seq: 1,
        consignmentId: 'c',
        submitterId: 's',
        type: 'consignment.seized',
        from: 'held-for-inspection',
        to: 'seized',
        at: 'x',
        actor: 'o',
        data: { trigger: 'officer.seize' },
      },
      undefined,
    );
    assert.deepEqual([seized.inspections, seized.inspectionFindings, seized.seizures], [1, 1, 1]);
    const late = countsOf(
      {
        seq: 2,
        consignmentId: 'c',
        submitterId: 's',
        type: 'consignment.declared',
        from: null,
        to: 'declared',
        at: '2026-11-29T00:00:00Z',
        actor: 's',
      },
      postalItem({ dates: { departure: '2026-11-28T00:00:00Z' } }),
    );
    assert.deepEqual([late.declarations, late.lateFilings], [1, 1]);
  });
});

describe('event cursor', () => {
  test('processes every event exactly once whatever order they become visible in, if gaps fill within the grace period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.shuffledSubarray(
              [...Array(n).keys()].map((i) => i + 1),
              { minLength: n },
            ),
            fc.array(fc.nat(n), { maxLength: 10 }),
          ),
        ),
        ([n, order, cuts]) => {
          // Events become visible in `order`; reads happen at the cut points.
          const points = [...new Set([...cuts, n])].sort((a, b) => a - b);
          let state = initialCursor();
          const seen: number[] = [];
          for (const p of points) {
            const visible = order
              .slice(0, p)
              .filter((s) => s > state.frontier)
              .sort((a, b) => a - b)
              .map((seq) => ({ seq }));
            const r = advanceCursor(state, visible, 0, 1000);
            seen.push(...r.process.map((e) => e.seq));
            state = r.state;
          }
          assert.deepEqual(
            [...seen].sort((a, b) => a - b),
            [...Array(n).keys()].map((i) => i + 1),
          );
          assert.equal(state.frontier, n);
        },
      ),
    );
  });

  test('moves past a gap that stays open longer than the grace period', () => {
    let r = advanceCursor(initialCursor(), [{ seq: 1 }, { seq: 3 }], 0, 1000);
    assert.deepEqual([r.state.frontier, r.state.above], [1, [3]]);
    r = advanceCursor(r.state, [{ seq: 3 }], 500, 1000);
    assert.deepEqual([r.process.length, r.state.frontier], [0, 1]);
    r = advanceCursor(r.state, [{ seq: 3 }], 1000, 1000);
    assert.equal(r.state.frontier, 3);
  });
});
