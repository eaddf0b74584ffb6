/** Creation rows in PostgreSQL: written as one row when their seqs are consecutive, else as their events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { creationRowType, expandEventRows } from '../event-rows.js';
import type { SqliteBatchRows } from '../sqlite/sqlite-rows.js';
import { placeEvents } from './pg-writes.js';

type Row = SqliteBatchRows['events'][number];

const plain = (i: number): Row => ({
  consignmentId: `csg_${i}`,
  type: 'consignment.arrived',
  fromState: 'released-before-arrival',
  toState: 'arrived',
  at: 't',
  actor: 'a',
  reason: null,
  data: '{"trigger":"carrier.arrived"}',
});
const creation = (i: number): Row => ({
  consignmentId: `csg_${i}`,
  type: creationRowType,
  fromState: null,
  toState: 'held-for-inspection',
  at: 't',
  actor: 'a',
  reason: null,
  data: '{"declarationId":"dcl_1","source":"postal-item"}',
});

/** The logical events of placed rows, by seq. */
function logical(rows: readonly Row[], seqs: readonly number[]) {
  return expandEventRows(rows.map((r, i) => ({ ...r, seq: seqs[i]!, from: r.fromState, to: r.toState }))).map(
    ({ seq, consignmentId, type, from, to, data }) => ({ seq, consignmentId, type, from, to, data }),
  );
}

test('placed events read back as the logical events at the drawn seqs, whatever the gaps', () => {
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 60, maxLength: 60 }),
      (kinds, steps) => {
        const events = kinds.map((c, i) => (c ? creation(i) : plain(i)));
        const n = kinds.reduce((s, c) => s + (c ? 3 : 1), 0);
        const seqs: number[] = [];
        let s = 100;
        for (let i = 0; i < n; i++) seqs.push((s += steps[i] ?? 1));
        const placed = placeEvents(events, seqs);
        // The same events as if every creation row were written as its events, one seq each.
        const oneByOne = expandEventRows(
          events.map((r, i) => ({ ...r, seq: 3 * i + 3, from: r.fromState, to: r.toState })),
        );
        const got = logical(placed.rows, placed.seqs);
        assert.deepEqual(
          got.map((e) => e.seq),
          seqs,
        );
        assert.deepEqual(
          got.map(({ seq: _s, ...e }) => e),
          oneByOne.map(({ seq: _s, consignmentId, type, from, to, data }) => ({
            consignmentId,
            type,
            from,
            to,
            data,
          })),
        );
        // Consecutive seqs keep a creation row whole.
        if (steps.every((x) => x === 1)) assert.equal(placed.rows.length, events.length);
      },
    ),
  );
});

test('creation rows on consecutive seqs stay one row each, at the last of their seqs', () => {
  const placed = placeEvents([creation(0), plain(1), creation(2)], [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(placed.seqs, [3, 4, 7]);
  assert.deepEqual(
    placed.rows.map((r) => r.type),
    [creationRowType, 'consignment.arrived', creationRowType],
  );
  const split = placeEvents([creation(0)], [1, 2, 4]);
  assert.deepEqual(
    split.rows.map((r) => r.type),
    ['consignment.declared', 'consignment.assessed', 'consignment.held-for-inspection'],
  );
});
