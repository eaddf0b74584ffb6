/** The registry store contract: the same tests run against the SQLite and PostgreSQL adapters. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClearanceStore } from '../store/index.js';
import { createWrites, fixtureConsignment } from '../store/testing/fixtures.js';
import type { RegistryStore } from './port.js';

/** Opens a clearance store and a registry store on the same fresh database. */
export type OpenPair = () => Promise<{ clearance: ClearanceStore; registry: RegistryStore }>;

/** Runs the contract against one adapter. */
export function runRegistryContract(name: string, open: OpenPair): void {
  const withPair = async (
    body: (p: { clearance: ClearanceStore; registry: RegistryStore }) => Promise<void>,
  ) => {
    const p = await open();
    try {
      await body(p);
    } finally {
      await p.registry.close();
      await p.clearance.close();
    }
  };

  describe(`registry store contract (${name})`, () => {
    test('writes, reads back and versions documents; seq grows with every write', async () =>
      withPair(async ({ registry }) => {
        const [a] = await registry.write([
          { collection: 'operator', id: 'opr_a', owner: 'opr_a', doc: { n: 1 } },
        ]);
        assert.equal(a?.version, 1);
        const [b] = await registry.write([
          { collection: 'operator', id: 'opr_a', owner: 'opr_a', doc: { n: 2 }, expectVersion: 1 },
        ]);
        assert.equal(b?.version, 2);
        assert.ok(b!.seq > a!.seq);
        const got = await registry.get<{ n: number }>('operator', 'opr_a');
        assert.deepEqual(got?.doc, { n: 2 });
        assert.equal(await registry.get('operator', 'nope'), undefined);
        await registry.write([
          { collection: 'operator', id: 'opr_a', doc: null, remove: true, expectVersion: 2 },
        ]);
        assert.equal(await registry.get('operator', 'opr_a'), undefined);
      }));

    test('a stale or duplicate write is refused with registry.conflict and the batch leaves nothing', async () =>
      withPair(async ({ registry }) => {
        await registry.write([{ collection: 'x', id: '1', doc: {} }]);
        await assert.rejects(
          registry.write([
            { collection: 'x', id: '2', doc: {} },
            { collection: 'x', id: '1', doc: {}, expectVersion: 0 },
          ]),
          (e: { code?: string }) => e.code === 'registry.conflict',
        );
        assert.equal(await registry.get('x', '2'), undefined);
        await assert.rejects(
          registry.write([{ collection: 'x', id: '1', doc: {}, expectVersion: 7 }]),
          (e: { code?: string }) => e.code === 'registry.conflict',
        );
      }));

    test('finds by owner, ref, time range and after a seq, in seq order or newest first', async () =>
      withPair(async ({ registry }) => {
        const rows = await registry.write([
          { collection: 'n', id: 'a', owner: 'p1', ref: 'r1', at: '2026-01-01T00:00:00Z', doc: 1 },
          { collection: 'n', id: 'b', owner: 'p2', ref: 'r1', at: '2026-02-01T00:00:00Z', doc: 2 },
          { collection: 'n', id: 'c', owner: 'p1', ref: 'r2', at: '2026-03-01T00:00:00Z', doc: 3 },
          { collection: 'm', id: 'a', owner: 'p1', doc: 4 },
        ]);
        const ids = (docs: { id: string }[]) => docs.map((d) => d.id);
        assert.deepEqual(ids(await registry.find({ collection: 'n', owner: 'p1' })), ['a', 'c']);
        assert.deepEqual(ids(await registry.find({ collection: 'n', ref: 'r1' })), ['a', 'b']);
        assert.deepEqual(
          ids(
            await registry.find({
              collection: 'n',
              atFrom: '2026-02-01T00:00:00Z',
              atTo: '2026-03-01T00:00:00Z',
            }),
          ),
          ['b'],
        );
        assert.deepEqual(ids(await registry.find({ collection: 'n', afterSeq: rows[0]!.seq })), ['b', 'c']);
        assert.deepEqual(ids(await registry.find({ collection: 'n', newestFirst: true, limit: 2 })), [
          'c',
          'b',
        ]);
      }));

    test('reads clearance events after a seq with the submitter, declarations by period and consignment facts', async () =>
      withPair(async ({ clearance, registry }) => {
        const a = fixtureConsignment({ submitterId: 'opr_x', createdAt: '2026-03-01T10:00:00.000Z' });
        const b = fixtureConsignment({ submitterId: 'opr_y', createdAt: '2026-03-02T10:00:00.000Z' });
        await clearance.transact({ keys: [], ids: [] }, () => ({
          writes: createWrites([a, b]),
          result: null,
        }));
        const events = await registry.clearanceEventsSince(0, 10);
        assert.deepEqual(
          events.map((e) => [e.consignmentId, e.submitterId, e.type]),
          [
            [a.id, 'opr_x', 'consignment.declared'],
            [b.id, 'opr_y', 'consignment.declared'],
          ],
        );
        assert.deepEqual(await registry.clearanceEventsSince(events[1]!.seq, 10), []);
        const decl = await registry.declarations({ from: '2026-03-01', to: '2026-03-02', limit: 10 });
        assert.deepEqual(
          decl.map((d) => [d.consignmentId, d.submitterId]),
          [[a.id, 'opr_x']],
        );
        assert.deepEqual(decl[0]?.data, a.merged);
        const only = await registry.declarations({
          submitterId: 'opr_y',
          from: '2026-01-01',
          to: '2027-01-01',
          limit: 10,
        });
        assert.deepEqual(
          only.map((d) => d.consignmentId),
          [b.id],
        );
        const facts = await registry.consignmentFacts([a.id]);
        assert.deepEqual(facts, [{ id: a.id, sourceCount: 1, mismatchCount: 0, arrivedAt: null }]);
      }));
  });
}
