import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runStoreContract } from '../store-contract.js';
import { amendWrites, createWrites, fixtureConsignment } from '../testing/fixtures.js';
import type { BatchWrites } from '../port.js';
import { isStoreUnavailable } from '../error-codes.js';
import { openPostgresStore } from './postgres-store.js';
import { postgresTests } from './testing/pg-suite.js';
import { withPgClient } from './testing/pg-test-env.js';

postgresTests('postgres store contract', (url, schema) => {
  runStoreContract('postgres', () => openPostgresStore({ url, schema: schema(), keyPolicy: 'exclusive' }));

  describe('postgres store', () => {
    test('under the shared key policy an order key may link several consignments and finds them all', async () => {
      const store = await openPostgresStore({ url, schema: schema() });
      try {
        const a = fixtureConsignment({ keys: ['hawb:A', 'order:O'] });
        const b = fixtureConsignment({ keys: ['hawb:B', 'order:O'] });
        await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([a]), result: null }));
        await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([b]), result: null }));
        const found = await store.transact({ keys: ['order:O'], ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(found.map((c) => c.id).sort(), [a.id, b.id].sort());
      } finally {
        await store.close();
      }
    });

    test('values containing the separator characters or empty strings round-trip exactly', async () => {
      const store = await openPostgresStore({ url, schema: schema() });
      try {
        const c = fixtureConsignment({ keys: ['hawb:a\x1eb', 'order:c\x1fd'], submitterId: '' });
        await store.transact({ keys: c.keys, ids: [] }, () => ({ writes: createWrites([c]), result: null }));
        assert.deepEqual(await store.get(c.id), c);
        const found = await store.transact({ keys: ['order:c\x1fd'], ids: [] }, (f) => ({
          writes: createWrites([]),
          result: f,
        }));
        assert.deepEqual(found, [c]);
      } finally {
        await store.close();
      }
    });

    test('a batch whose last statement fails leaves nothing of it in any table', async () => {
      const s = schema();
      const store = await openPostgresStore({ url, schema: s });
      try {
        const first = fixtureConsignment();
        await store.transact({ keys: first.keys, ids: [] }, () => ({
          writes: createWrites([first]),
          result: null,
        }));
        const fresh = fixtureConsignment();
        // Archiving version 1 of `first` twice violates the versions primary key: consignments and
        // link keys are written by then, declarations and events not yet.
        const amend = amendWrites(first, '2025-02-01T00:00:00.000Z', 'extra:key');
        const broken: BatchWrites = {
          upserts: [fresh, ...amend.upserts],
          archive: [first, first],
          declarations: [...createWrites([fresh]).declarations, ...amend.declarations],
          events: amend.events,
        };
        const before = await withPgClient(url, s, (c) => dumpTables(c));
        await assert.rejects(
          store.transact({ keys: [...fresh.keys, 'extra:key'], ids: [first.id] }, () => ({
            writes: broken,
            result: null,
          })),
          (err: { code?: string }) => err.code === '23505',
        );
        assert.deepEqual(await withPgClient(url, s, (c) => dumpTables(c)), before);
        assert.equal(await store.get(fresh.id), undefined);
        assert.deepEqual(await store.get(first.id), first);
      } finally {
        await store.close();
      }
    });

    test('concurrent batches creating the same new key serialize: the second finds the first', async () => {
      const s = schema();
      const stores = await Promise.all([0, 1, 2, 3].map(() => openPostgresStore({ url, schema: s })));
      try {
        const key = 'td:S10:RR000000000CN';
        const created = await Promise.all(
          stores.map((store) =>
            store.transact({ keys: [key], ids: [] }, (found) => {
              if (found.length > 0) return { writes: createWrites([]), result: found[0]?.id };
              const c = fixtureConsignment({ keys: [key] });
              return { writes: createWrites([c]), result: c.id };
            }),
          ),
        );
        assert.equal(new Set(created).size, 1, 'every batch resolved to the one consignment');
        const owners = await withPgClient(url, s, (c) =>
          c.query('SELECT consignment_id FROM link_keys WHERE key = $1', [key]),
        );
        assert.equal(owners.rowCount, 1);
      } finally {
        await Promise.all(stores.map((st) => st.close()));
      }
    });

    test('stores events in the monthly partition of their time and the rest in the default partition', async () => {
      const s = schema();
      const store = await openPostgresStore({ url, schema: s });
      try {
        const now = new Date().toISOString();
        const c = fixtureConsignment({ createdAt: now });
        const old = fixtureConsignment({ createdAt: '2001-01-01T00:00:00.000Z' });
        await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([c, old]), result: null }));
        const where = await withPgClient(url, s, (client) =>
          client.query<{ part: string; consignment_id: string }>(
            'SELECT tableoid::regclass::text AS part, consignment_id FROM events ORDER BY seq',
          ),
        );
        assert.deepEqual(
          where.rows.map((r) => r.part.replace(`${s}.`, '')),
          [`events_${now.slice(0, 7).replace('-', '_')}`, 'events_default'],
        );
        assert.equal((await store.events(c.id)).length, 1);
      } finally {
        await store.close();
      }
    });
  });
});

async function dumpTables(client: {
  query: (sql: string) => Promise<{ rows: unknown[] }>;
}): Promise<Record<string, unknown[]>> {
  const tables = ['consignments', 'link_keys', 'declarations', 'consignment_versions', 'events'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = (await client.query(`SELECT * FROM ${t} ORDER BY 1, 2`)).rows;
  return out;
}

postgresTests('postgres store: a connection the server ends mid-batch', (url, schema) => {
  test('a connection ended while a batch holds it fails that batch only: no uncaught error, the store goes on', async () => {
    const s = schema();
    const store = await openPostgresStore({ url, schema: s });
    // Before, the checked-out client's 'error' event had no listener: uncaught, it ended the process
    // (every `serve --postgres` with a batch in flight when PostgreSQL restarted or failed over).
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.prependListener('uncaughtException', onUncaught);
    try {
      await withPgClient(url, s, async (locker) => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE link_key_locks, consignments IN ACCESS EXCLUSIVE MODE');
        const me = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        const c = fixtureConsignment();
        const failed = store
          .transact({ keys: c.keys, ids: [] }, () => ({ writes: createWrites([c]), result: null }))
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        // The batch's connection waits on the lock; end it as a restart, a failover or
        // pg_terminate_backend would.
        let victim: number | undefined;
        for (let i = 0; i < 400 && victim === undefined; i++) {
          // pg_stat_activity is read once per transaction unless the snapshot is cleared.
          await locker.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await locker.query<{ pid: number }>(
            'SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [me],
          );
          victim = rows[0]?.pid;
          if (victim === undefined) await new Promise((r) => setTimeout(r, 25));
        }
        assert.ok(victim !== undefined, 'the batch waits on the lock');
        await locker.query('SELECT pg_terminate_backend($1)', [victim]);
        await locker.query('ROLLBACK');
        const err = await failed;
        assert.ok(err instanceof Error, 'the batch fails');
        assert.ok(isStoreUnavailable(err), `a connection failure (503 store.unavailable): ${String(err)}`);
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(uncaught, [], 'no uncaught error');
      const c = fixtureConsignment();
      await store.transact({ keys: c.keys, ids: [] }, () => ({ writes: createWrites([c]), result: null }));
      assert.deepEqual(await store.get(c.id), c, 'the store works on with a fresh connection');
    } finally {
      process.off('uncaughtException', onUncaught);
      await store.close();
    }
  });
});
