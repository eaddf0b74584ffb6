/** The store port's contract as node:test tests; every adapter runs the same suite. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ClearanceStore, StoredConsignment } from './port.js';
import { amendWrites, createWrites, fixtureConsignment, fixtureSource } from './testing/fixtures.js';
import { listAll } from './testing/list-all.js';
import { runContributorContract } from './contributors-contract.js';

type MakeStore = () => Promise<ClearanceStore>;

async function withStore(
  makeStore: MakeStore,
  body: (store: ClearanceStore) => Promise<void>,
): Promise<void> {
  const store = await makeStore();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** Creates consignments in one batch, asserting none of their keys was known. */
async function create(store: ClearanceStore, consignments: StoredConsignment[]): Promise<void> {
  await store.transact({ keys: consignments.flatMap((c) => c.keys), ids: [] }, (found) => {
    assert.deepEqual(found, []);
    return { writes: createWrites(consignments), result: undefined };
  });
}

function sortedIds(cs: { id: string }[]): string[] {
  return cs.map((c) => c.id).sort();
}

/** Registers the port's contract tests for an adapter; `makeStore` must return a fresh, empty store. */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name} store contract`, () => {
    runContributorContract(makeStore);

    test('creates a batch and returns each consignment by id exactly as written', async () => {
      await withStore(makeStore, async (store) => {
        const cs = [
          fixtureConsignment(),
          fixtureConsignment({ office: 'DE004851', state: 'held-for-inspection' }),
        ];
        await create(store, cs);
        for (const c of cs) assert.deepEqual(await store.get(c.id), c);
        assert.equal(await store.get('csg_missing'), undefined);
      });
    });

    test('resolves with the result the plan returned', async () => {
      await withStore(makeStore, async (store) => {
        const c = fixtureConsignment();
        const result = await store.transact({ keys: c.keys, ids: [] }, () => ({
          writes: createWrites([c]),
          result: { created: [c.id] },
        }));
        assert.deepEqual(result, { created: [c.id] });
      });
    });

    test('finds existing consignments by link key and by id, each once however many keys match', async () => {
      await withStore(makeStore, async (store) => {
        const [a, b, c] = [fixtureConsignment(), fixtureConsignment(), fixtureConsignment()];
        await create(store, [a, b, c]);
        const found = await store.transact(
          { keys: [...a.keys, 'unknown-key'], ids: [b.id, a.id, 'csg_nope'] },
          (f) => ({
            writes: createWrites([]),
            result: f,
          }),
        );
        assert.deepEqual(sortedIds(found), sortedIds([a, b]));
        const none = await store.transact({ keys: [], ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(none, []);
      });
    });

    test('looks up ten thousand consignments by thirty thousand keys in one batch', async () => {
      await withStore(makeStore, async (store) => {
        const cs = Array.from({ length: 10_000 }, () => fixtureConsignment());
        await create(store, cs);
        const keys = cs.flatMap((c) => [...c.keys, `absent:${c.id}`]);
        const found = await store.transact({ keys, ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.equal(found.length, 10_000);
        assert.equal(new Set(found.map((f) => f.id)).size, 10_000);
      });
    });

    test('an amendment replaces the document, keeps the previous version in history and adds its key', async () => {
      await withStore(makeStore, async (store) => {
        const v1 = fixtureConsignment();
        await create(store, [v1]);
        const writes = amendWrites(v1, '2025-01-02T00:00:00.000Z', 'order:new');
        await store.transact({ keys: ['order:new'], ids: [v1.id] }, (found) => {
          assert.deepEqual(found, [v1]);
          return { writes, result: undefined };
        });
        const v2 = writes.upserts[0];
        assert.deepEqual(await store.get(v1.id), v2);
        assert.deepEqual(await store.history(v1.id), [v1]);
        const byNewKey = await store.transact({ keys: ['order:new'], ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(sortedIds(byNewKey), [v1.id]);
        const summary = (await store.list({ limit: 10 })).items[0];
        assert.equal(summary?.version, 2);
        assert.equal(summary?.state, 'assessed');
      });
    });

    test('a key owned by another consignment rejects with store.key-conflict and writes nothing of the batch', async () => {
      await withStore(makeStore, async (store) => {
        const owner = fixtureConsignment();
        await create(store, [owner]);
        const before = await store.stats();
        const innocent = fixtureConsignment();
        const thief = fixtureConsignment({ keys: [`fresh:${owner.id}`, owner.keys[0] ?? ''] });
        await assert.rejects(
          store.transact({ keys: [], ids: [] }, () => ({
            writes: createWrites([innocent, thief]),
            result: 1,
          })),
          (err: { code?: string }) => err.code === 'store.key-conflict',
        );
        assert.equal(await store.get(innocent.id), undefined);
        assert.equal(await store.get(thief.id), undefined);
        assert.deepEqual(await store.events(innocent.id), []);
        assert.deepEqual(await store.stats(), before);
        const byFreshKey = await store.transact({ keys: [`fresh:${owner.id}`], ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(byFreshKey, []);
      });
    });

    test('a plan that throws rejects with its error and writes nothing', async () => {
      await withStore(makeStore, async (store) => {
        const c = fixtureConsignment();
        const boom = new Error('plan failed');
        await assert.rejects(
          store.transact({ keys: c.keys, ids: [] }, () => {
            throw boom;
          }),
          (err) => err === boom,
        );
        assert.equal(await store.get(c.id), undefined);
        assert.deepEqual(await store.stats(), { consignments: 0, byState: {}, byLane: {}, events: 0 });
      });
    });

    test('lists summaries filtered by state, lane, decision, destination, office and submitter', async () => {
      await withStore(makeStore, async (store) => {
        const red = fixtureConsignment({
          lane: 'red',
          state: 'held-for-inspection',
          office: 'DE1',
          riskScore: 80,
        });
        const yellow = fixtureConsignment({
          lane: 'yellow',
          state: 'held-for-information',
          destination: 'FR',
        });
        const green = fixtureConsignment({ submitterId: 'opr_post', office: 'DE1' });
        await create(store, [red, yellow, green]);
        const ids = async (q: Record<string, string>): Promise<string[]> =>
          sortedIds((await store.list({ ...q, limit: 50 })).items);
        assert.deepEqual(await ids({ state: 'held-for-inspection' }), [red.id]);
        assert.deepEqual(await ids({ lane: 'yellow' }), [yellow.id]);
        assert.deepEqual(await ids({ decision: 'release' }), [green.id]);
        assert.deepEqual(await ids({ destination: 'FR' }), [yellow.id]);
        assert.deepEqual(await ids({ office: 'DE1' }), sortedIds([red, green]));
        assert.deepEqual(await ids({ submitterId: 'opr_post' }), [green.id]);
        assert.deepEqual(await ids({ office: 'DE1', lane: 'red' }), [red.id]);
        const summary = (await store.list({ state: 'held-for-inspection', limit: 1 })).items[0];
        assert.deepEqual(summary, {
          id: red.id,
          version: 1,
          state: 'held-for-inspection',
          lane: 'red',
          decision: 'inspect',
          riskScore: 80,
          destination: 'DE',
          office: 'DE1',
          submitterId: 'opr_carrier',
          dueAtBorder: '3.78',
          currency: 'EUR',
          createdAt: red.createdAt,
          updatedAt: red.updatedAt,
        });
      });
    });

    test('the shown-lane filter reads blue as green, in a plain list and in a party list', async () => {
      await withStore(makeStore, async (store) => {
        const blue = fixtureConsignment({ lane: 'blue', submitterId: 'opr_a' });
        const green = fixtureConsignment({ lane: 'green', submitterId: 'opr_a' });
        const red = fixtureConsignment({ lane: 'red', state: 'held-for-inspection', submitterId: 'opr_a' });
        await create(store, [blue, green, red]);
        const ids = async (q: Record<string, string>): Promise<string[]> =>
          sortedIds((await store.list({ ...q, limit: 50 })).items);
        for (const party of [{}, { partyId: 'opr_a' }] as Record<string, string>[]) {
          assert.deepEqual(await ids({ ...party, shownLane: 'green' }), sortedIds([blue, green]));
          assert.deepEqual(await ids({ ...party, shownLane: 'blue' }), []);
          assert.deepEqual(await ids({ ...party, shownLane: 'red' }), [red.id]);
          assert.deepEqual(
            await ids({ ...party, lane: 'blue' }),
            [blue.id],
            'staff filter the lane as assessed',
          );
        }
      });
    });

    test('paging newest first visits every row exactly once, ties on created_at included', async () => {
      await withStore(makeStore, async (store) => {
        const cs = Array.from({ length: 57 }, (_, i) =>
          fixtureConsignment({
            createdAt: `2025-01-01T00:00:${String(i % 7).padStart(2, '0')}.000Z`,
            lane: i % 3 === 0 ? 'red' : 'green',
          }),
        );
        await create(store, cs);
        const expected = [...cs]
          .sort((a, b) =>
            a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt.localeCompare(b.createdAt),
          )
          .reverse()
          .map((c) => c.id);
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (limit) => {
            assert.deepEqual(await listAll(store, {}, limit), expected);
            const reds = expected.filter((id) => cs.find((c) => c.id === id)?.assessment.risk.lane === 'red');
            assert.deepEqual(await listAll(store, { lane: 'red' }, limit), reds);
          }),
          { numRuns: 25 },
        );
      });
    });

    test('an empty store lists nothing and a forged cursor rejects with store.invalid-cursor', async () => {
      await withStore(makeStore, async (store) => {
        assert.deepEqual(await store.list({ limit: 10 }), { items: [], nextCursor: null });
        await assert.rejects(
          store.list({ limit: 10, cursor: 'not-a-cursor' }),
          (err: { code?: string }) => err.code === 'store.invalid-cursor',
        );
      });
    });

    test('returns events in write order with strictly increasing sequence numbers across batches', async () => {
      await withStore(makeStore, async (store) => {
        const c = fixtureConsignment();
        await create(store, [c]);
        const amend = amendWrites(c, '2025-01-02T00:00:00.000Z');
        await store.transact({ keys: [], ids: [c.id] }, () => ({ writes: amend, result: undefined }));
        const events = await store.events(c.id);
        assert.deepEqual(
          events.map((e) => e.type),
          ['consignment.declared', 'consignment.amended'],
        );
        const [first, second] = events;
        assert.ok(first?.seq !== undefined && second?.seq !== undefined && first.seq < second.seq);
        assert.equal(amend.events[0]?.seq, second.seq, 'transact assigns seq on the events it was given');
        assert.deepEqual(second, amend.events[0]);
        assert.equal(first.reason, undefined);
        assert.deepEqual(await store.events('csg_unknown'), []);
      });
    });

    test('returns events in numeric sequence order when the sequence crosses a power of ten', async () => {
      await withStore(makeStore, async (store) => {
        const c = fixtureConsignment();
        await create(store, [c]);
        // Enough events that their sequence numbers go from one digit to two (a text sort would not).
        const events = Array.from({ length: 12 }, (_, i) => ({
          consignmentId: c.id,
          type: 'consignment.noted',
          from: null,
          to: null,
          at: `2025-01-02T00:00:${String(i).padStart(2, '0')}.000Z`,
          actor: 'test',
        }));
        await store.transact({ keys: [], ids: [] }, () => ({
          writes: { upserts: [], archive: [], declarations: [], events },
          result: undefined,
        }));
        const seqs = (await store.events(c.id)).map((e) => e.seq as number);
        assert.equal(seqs.length, 13);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
        );
      });
    });

    test('a multi-source consignment round-trips exactly through transact, get, find and history', async () => {
      await withStore(makeStore, async (store) => {
        const v1 = fixtureConsignment();
        await create(store, [v1]);
        const at = '2025-01-02T00:00:00.000Z';
        const order = fixtureSource({ ...v1.merged, source: 'platform-order' }, 'opr_platform', at);
        const merged = { ...v1.merged, category: 'gift' as const };
        const found = await store.transact({ keys: [], ids: [v1.id] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        const [current] = found;
        assert.ok(current !== undefined);
        const v2: StoredConsignment = {
          ...current,
          version: 2,
          sources: [...current.sources, order],
          merged,
          updatedAt: at,
        };
        const writes = {
          ...createWrites([]),
          upserts: [v2],
          archive: [current],
          declarations: [{ consignmentId: v1.id, record: order }],
        };
        await store.transact({ keys: [], ids: [v1.id] }, () => ({ writes, result: undefined }));
        assert.deepEqual(await store.get(v1.id), v2);
        assert.deepEqual(await store.history(v1.id), [v1]);
        const again = await store.transact({ keys: v1.keys, ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(again, [v2]);
      });
    });

    test('a consignment amended twice from what the store found round-trips with its whole history', async () => {
      await withStore(makeStore, async (store) => {
        const v1 = fixtureConsignment();
        await create(store, [v1]);
        const amend = async (at: string): Promise<StoredConsignment> => {
          let next: StoredConsignment | undefined;
          await store.transact({ keys: [], ids: [v1.id] }, (found) => {
            const [prev] = found;
            assert.ok(prev !== undefined);
            const record = fixtureSource(
              { ...prev.merged, category: prev.merged.category === 'gift' ? 'sample' : 'gift' },
              prev.submitterId,
              at,
            );
            next = {
              ...prev,
              version: prev.version + 1,
              sources: [record],
              merged: record.data,
              updatedAt: at,
            };
            const writes = {
              upserts: [next],
              archive: [prev],
              declarations: [{ consignmentId: prev.id, record }],
              events: [],
            };
            return { writes, result: undefined };
          });
          assert.ok(next !== undefined);
          return next;
        };
        const v2 = await amend('2025-01-02T00:00:00.000Z');
        const v3 = await amend('2025-01-03T00:00:00.000Z');
        assert.deepEqual(await store.get(v1.id), v3);
        assert.deepEqual(await store.history(v1.id), [v1, v2]);
      });
    });

    test('counts consignments by state and by lane and counts all events', async () => {
      await withStore(makeStore, async (store) => {
        const cs = [
          fixtureConsignment({ lane: 'red', state: 'held-for-inspection' }),
          fixtureConsignment({ lane: 'red', state: 'held-for-inspection' }),
          fixtureConsignment(),
        ];
        await create(store, cs);
        const first = cs[2];
        assert.ok(first !== undefined);
        await store.transact({ keys: [], ids: [first.id] }, () => ({
          writes: amendWrites(first, '2025-01-03T00:00:00.000Z'),
          result: undefined,
        }));
        assert.deepEqual(await store.stats(), {
          consignments: 3,
          byState: { 'held-for-inspection': 2, assessed: 1 },
          byLane: { red: 2, green: 1 },
          events: 4,
        });
      });
    });
  });
}
