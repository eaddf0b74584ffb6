/**
 * Contract tests of a submitter's list (`ListQuery.partyId`): the consignments it created and those it
 * contributed a record to, newest first, paged like a reference order; part of the store contract.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { SourceKind } from '../domain/index.js';
import type { BatchWrites, ClearanceStore, ListQuery, StoredConsignment } from './port.js';
import { createWrites, fixtureConsignment, fixtureSource } from './testing/fixtures.js';
import { listAll } from './testing/list-all.js';

type MakeStore = () => Promise<ClearanceStore>;

const kinds: SourceKind[] = ['platform-order', 'carrier-waybill', 'postal-item', 'payment'];

/** `c` with a record of `submitter` added (or, when `replace`, replacing that submitter's record). */
function withRecord(c: StoredConsignment, submitter: string, at: string, replace = false): StoredConsignment {
  const kind = kinds[c.sources.length % kinds.length] as SourceKind;
  const record = fixtureSource({ ...c.merged, source: kind }, submitter, at);
  const kept = replace ? c.sources.filter((s) => s.submitterId !== submitter) : c.sources;
  return { ...c, version: c.version + 1, sources: [...kept, record], updatedAt: at };
}

/** The writes that turn each `before` into its `after` (new records as declarations, old versions archived). */
function linkWrites(pairs: { before: StoredConsignment; after: StoredConsignment }[]): BatchWrites {
  return {
    upserts: pairs.map((p) => p.after),
    archive: pairs.map((p) => p.before),
    declarations: pairs.flatMap(({ before, after }) =>
      after.sources
        .filter((s) => !before.sources.some((b) => b.declarationId === s.declarationId))
        .map((record) => ({ consignmentId: after.id, record })),
    ),
    events: [],
  };
}

/** Newest first by (created_at, id), as every list orders. */
const newestFirst = (a: StoredConsignment, b: StoredConsignment): number =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

/** What a submitter may read: what it created, or holds a record of (the read rule of src/access/plugin.ts). */
const readable = (c: StoredConsignment, who: string): boolean =>
  c.submitterId === who || c.sources.some((s) => s.submitterId === who);

const parcel = fc.record({
  creator: fc.integer({ min: 0, max: 2 }),
  second: fc.integer({ min: 0, max: 5 }),
  red: fc.boolean(),
  // Records of other submitters: in the creating batch, in a later batch, and amended once more later.
  together: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  later: fc.subarray([0, 1, 2, 3]),
  amended: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

/** Registers the tests (inside the adapter's contract suite). */
export function runContributorContract(makeStore: MakeStore): void {
  test("a submitter's list holds what it created and what it contributed a record to, paged newest first like a reference order", async () => {
    const store = await makeStore();
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(parcel, { minLength: 1, maxLength: 14 }),
          fc.integer({ min: 1, max: 6 }),
          async (specs, limit) => {
            run++;
            // Submitters of this run only (the store is shared between runs): 3 is never a creator.
            const who = [0, 1, 2, 3].map((i) => `opr_${'abcd'[i]}${run}`);
            const name = (i: number) => who[i] as string;
            const created = specs.map((s) => {
              const c = fixtureConsignment({
                submitterId: name(s.creator),
                createdAt: `2025-01-01T00:00:0${s.second}.000Z`,
                lane: s.red ? 'red' : 'green',
              });
              return s.together === undefined ? c : withRecord(c, name(s.together), c.createdAt);
            });
            await store.transact({ keys: [], ids: [] }, () => ({
              writes: createWrites(created),
              result: null,
            }));
            let now = created;
            const step = async (
              at: string,
              change: (c: StoredConsignment, i: number) => StoredConsignment,
            ) => {
              const pairs = now.map((before, i) => ({ before, after: change(before, i) }));
              const changed = pairs.filter((p) => p.after !== p.before);
              if (changed.length > 0)
                await store.transact({ keys: [], ids: changed.map((p) => p.before.id) }, () => ({
                  writes: linkWrites(changed),
                  result: null,
                }));
              now = pairs.map((p) => p.after);
            };
            await step('2025-01-02T00:00:00.000Z', (c, i) =>
              (specs[i]?.later ?? []).reduce((x, l) => withRecord(x, name(l), '2025-01-02T00:00:00.000Z'), c),
            );
            await step('2025-01-03T00:00:00.000Z', (c, i) => {
              const a = specs[i]?.amended;
              return a === undefined ? c : withRecord(c, name(a), '2025-01-03T00:00:00.000Z', true);
            });
            for (const id of who) {
              const mine = now.filter((c) => readable(c, id)).sort(newestFirst);
              assert.deepEqual(
                await listAll(store, { partyId: id }, limit),
                mine.map((c) => c.id),
                id,
              );
              assert.deepEqual(
                await listAll(store, { partyId: id, lane: 'red' }, limit),
                mine.filter((c) => c.assessment.risk.lane === 'red').map((c) => c.id),
                `${id}, red`,
              );
              // An officer's `submitter` filter still means the creator.
              assert.deepEqual(
                await listAll(store, { submitterId: id }, limit),
                now
                  .filter((c) => c.submitterId === id)
                  .sort(newestFirst)
                  .map((c) => c.id),
                `${id} as creator`,
              );
            }
          },
        ),
        { numRuns: 20 },
      );
    } finally {
      await store.close();
    }
  });

  test("a record that joins its own creator's consignment, or joins again, adds nothing to other lists", async () => {
    const store = await makeStore();
    try {
      const c = fixtureConsignment({ submitterId: 'opr_platform' });
      await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([c]), result: null }));
      const own = withRecord(c, 'opr_platform', '2025-01-02T00:00:00.000Z');
      const carrier = withRecord(own, 'opr_carrier', '2025-01-03T00:00:00.000Z');
      const again = withRecord(carrier, 'opr_carrier', '2025-01-04T00:00:00.000Z');
      for (const [before, after] of [
        [c, own],
        [own, carrier],
        [carrier, again],
      ] as const)
        await store.transact({ keys: [], ids: [c.id] }, () => ({
          writes: linkWrites([{ before, after }]),
          result: null,
        }));
      const ids = async (q: Omit<ListQuery, 'limit'>) =>
        (await store.list({ ...q, limit: 10 })).items.map((i) => i.id);
      assert.deepEqual(await ids({ partyId: 'opr_platform' }), [c.id]);
      assert.deepEqual(await ids({ partyId: 'opr_carrier' }), [c.id], 'listed once however many records');
      assert.deepEqual(await ids({ partyId: 'opr_other' }), []);
      assert.deepEqual(await ids({ submitterId: 'opr_carrier' }), []);
      assert.deepEqual(await ids({ partyId: 'opr_carrier', submitterId: 'opr_platform' }), [c.id]);
      assert.deepEqual(await ids({ partyId: 'opr_carrier', lane: 'red' }), []);
    } finally {
      await store.close();
    }
  });
}
