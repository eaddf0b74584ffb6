/**
 * Planning ahead: groups of linked records planned against an empty store must be written exactly as
 * the transaction would have planned them, and re-planned whenever that assumption fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createdConsignment,
  createdDocument,
  freshOf,
  freshOfCreated,
  groupByKeys,
  planBatch,
  planSingle,
  prepareBatch,
  submitBatch,
  type PipelineDeps,
  type PreparedRecord,
} from '../src/clearance/index.js';
import { validRecord } from '../src/intake/fixtures.js';
import { canonicalJson } from '../src/match/index.js';
import { ConsigneeWindow } from '../src/risk/index.js';
import { consignmentRow, encodeConsignment, openSqliteStore } from '../src/store/index.js';
import { contents, ctx, flood, historyIds, snapshot } from './helpers/flood.js';

test('groups partition the records and no link key crosses two groups', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 3 }), {
        maxLength: 30,
      }),
      (keyLists) => {
        const recs = keyLists.map((keys, index) => ({ index, keys }) as unknown as PreparedRecord);
        const groups = groupByKeys(recs);
        const seen = groups.flat().sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          recs.map((_, i) => i),
        );
        const groupOfKey = new Map<string, number>();
        groups.forEach((members, g) => {
          assert.deepEqual(
            members,
            [...members].sort((a, b) => a - b),
          );
          for (const m of members) {
            for (const k of keyLists[m]!) {
              assert.equal(groupOfKey.get(k) ?? g, g, `key ${k} in two groups`);
              groupOfKey.set(k, g);
            }
          }
        });
        // records sharing a key are together; a group is connected (minimal)
        for (const members of groups) {
          if (members.length < 2) continue;
          const reached = new Set([members[0]!]);
          let grew = true;
          while (grew) {
            grew = false;
            for (const m of members) {
              if (reached.has(m)) continue;
              if ([...reached].some((r) => keyLists[r]!.some((k) => keyLists[m]!.includes(k)))) {
                reached.add(m);
                grew = true;
              }
            }
          }
          assert.equal(reached.size, members.length, 'group is not connected');
        }
      },
    ),
  );
});

test('a created consignment as text is exactly the document the encoder writes for it', () => {
  const batch = prepareBatch(flood('text', 60), snapshot, ctx);
  let checked = 0;
  for (const g of batch.groups) {
    const plan = planBatch(
      ctx,
      g.members.map((m) => batch.accepted[m]!),
      [],
      snapshot,
    );
    for (const c of plan.created) {
      assert.equal(
        createdDocument(c),
        encodeConsignment(createdConsignment(c), () => true),
      );
      checked++;
    }
    assert.equal(freshOf(plan).length, plan.created.length + plan.writes.upserts.length);
  }
  assert.ok(checked > 30);
});

/** Text with generated ids replaced by their order of appearance (ids are unique per call). */
function withoutIds(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/(csg|dcl)_[0-9A-HJKMNP-TV-Z]{26}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `${id.slice(0, 3)}#${seen.size}`);
    return seen.get(id)!;
  });
}

test('a record planned alone is the fresh consignment and outcome the batch planner makes of it', () => {
  // No random draw (it depends on the generated id): the rules alone give releases and holds.
  const batch = prepareBatch(flood('single', 150), snapshot, ctx);
  const decisions = new Set<string>();
  for (const rec of batch.accepted) {
    const one = planSingle(ctx, rec, snapshot);
    const fresh = { ...freshOfCreated(one.created), events: one.events };
    const plan = planBatch(ctx, [rec], [], snapshot);
    assert.equal(
      withoutIds(JSON.stringify({ fresh, result: one.result })),
      withoutIds(JSON.stringify({ fresh: freshOf(plan)[0], result: plan.result[0] })),
    );
    decisions.add(one.result.decision!);
  }
  assert.ok(decisions.size >= 2, [...decisions].join());
});

test('prepared records carry the canonical JSON of their data, extra declarant keys included', async () => {
  const { writeCanonical } = await import('../src/match/content-hash.js');
  const records = flood('canonical', 40).map((r, i) =>
    i % 3 === 0
      ? {
          ...r,
          declarant: { name: 'Broker', address: { country: 'DE' }, status: 'direct', '10': 'a', '9': 'b' },
        }
      : r,
  );
  const batch = prepareBatch(records, snapshot, ctx);
  assert.equal(batch.rejected.length, 0);
  for (const rec of batch.accepted) assert.equal(rec.json, writeCanonical(rec.input));
});

test('groups planned ahead are stored exactly as groups planned inside the transaction', async () => {
  const records = flood('ahead', 300);
  const ahead: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  // Same records, but every plan made ahead is marked stale, so the transaction plans them all.
  const inside: PipelineDeps = {
    store: openSqliteStore({ memory: true }),
    snapshot: () => snapshot,
    prepare: async (rs, c) => {
      const b = prepareBatch(rs, snapshot, c);
      for (const g of b.groups) g.planned.snapshotVersion = 'stale';
      return b;
    },
  };
  const a = await submitBatch(ctx, records, ahead);
  const b = await submitBatch(ctx, records, inside);
  const view = (rs: typeof a) => rs.map((r) => [r.index, r.status, r.version, r.state, r.decision]);
  assert.deepEqual(view(a), view(b));
  assert.ok(
    a.some((r) => r.status === 'linked'),
    'the flood links sources within the batch',
  );
  const ids = (rs: typeof a) => rs.flatMap((r) => (r.consignmentId ? [r.consignmentId] : []));
  assert.deepEqual(
    await contents(ahead, ids(a), { mismatches: true }),
    await contents(inside, ids(b), { mismatches: true }),
  );
});

test('a group whose key is already stored is planned against the stored consignment', async () => {
  const records = flood('stored', 40);
  const deps: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  // First batch: every record's first source only; second batch: the rest link or amend.
  const first = await submitBatch(ctx, records.slice(0, 20), deps);
  const again = await submitBatch({ ...ctx, now: '2026-11-27T11:00:00.000Z' }, records.slice(0, 20), deps);
  assert.ok(first.every((r) => r.status === 'created' || r.status === 'linked'));
  assert.deepEqual(
    again.map((r) => [r.status, r.consignmentId]),
    first.map((r) => ['unchanged', r.consignmentId]),
  );
  const stats = await deps.store.stats();
  assert.equal(stats.consignments, new Set(first.map((r) => r.consignmentId)).size);
});

test('a group planned again forgets what its discarded plan noted in the live consignee history', async () => {
  const history = new ConsigneeWindow(48);
  const live = { ...snapshot, history };
  const deps: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => live };
  const records = flood('history', 30);
  await submitBatch(ctx, records, deps);
  // The same records again: every group links to a stored consignment and is planned again.
  await submitBatch({ ...ctx, now: '2026-11-27T10:30:00.000Z' }, records, deps);
  const stored = historyIds(history, records);
  assert.ok(stored.size > 0);
  for (const id of stored) assert.ok(await deps.store.get(id), `history holds ${id}, which was never stored`);
});

test('a consignment a group changes is written as its row: every column, then its texts', () => {
  const batch = prepareBatch(flood('rows', 150), snapshot, ctx);
  const recs = batch.groups
    .filter((g) => g.members.length > 1)
    .map((g) => g.members.map((m) => batch.accepted[m] as PreparedRecord));
  assert.ok(recs.length > 0, 'the flood links records within the batch');
  let upserts = 0;
  for (const group of recs) {
    const plan = planBatch(ctx, group, [], snapshot);
    const fresh = freshOf(plan);
    for (const c of plan.writes.upserts) {
      upserts++;
      const f = fresh.find((x) => x.id === c.id);
      assert.ok(f !== undefined);
      const row = consignmentRow(c, () => true);
      // The same fields with the same values, in the row's order, then the texts it carries.
      assert.deepEqual(Object.keys(f), [...Object.keys(row), 'keys', 'archive', 'declarations', 'events']);
      for (const [k, v] of Object.entries(row)) assert.deepEqual(f[k as keyof typeof f], v, k);
      assert.deepEqual(f.keys, c.keys);
    }
  }
  assert.ok(upserts > 0, 'some group changes a consignment it created');
});

test("a linked group's records are written as their canonical JSON, also where JSON.stringify would differ", () => {
  const declaration = validRecord() as Record<string, unknown>;
  // Integer-like keys enumerate before the others and in numeric order: plain JSON.stringify is not canonical.
  declaration.declarant = {
    name: 'Broker',
    address: { country: 'DE' },
    status: 'direct',
    '10': 'a',
    '2': 'b',
  };
  const waybill = { ...validRecord(), source: 'carrier-waybill' };
  const batch = prepareBatch([declaration, waybill], snapshot, ctx);
  assert.equal(batch.groups.length, 1);
  const group = batch.groups[0]!;
  assert.equal(group.members.length, 2);
  const written = group.planned.fresh.flatMap((f) => f.declarations.map((d) => d.json));
  const prepared = batch.accepted.map((r) => r.json);
  assert.deepEqual([...written].sort(), [...prepared].sort());
  const withDeclarant = batch.accepted.find((r) => r.input?.declarant !== undefined)!;
  assert.notEqual(withDeclarant.json, JSON.stringify(withDeclarant.input));
  assert.equal(withDeclarant.json, canonicalJson(JSON.parse(withDeclarant.json)));
});
