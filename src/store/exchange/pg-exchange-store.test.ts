import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../postgres/postgres-store.js';
import { postgresTests } from '../postgres/testing/pg-suite.js';
import { createWrites, fixtureConsignment } from '../testing/fixtures.js';
import { runExchangeContract } from './exchange-contract.js';
import { openPgExchangeStore } from './open-exchange-store.js';
import { openPgSecurityStore } from '../../secstore/postgres.js';

postgresTests('postgres exchange store', (url, freshSchema) => {
  const openPair = async () => {
    const schema = freshSchema('pgx');
    const clearance = await openPostgresStore({ url, schema });
    const exchange = await openPgExchangeStore({ url, schema });
    return {
      clearance,
      exchange,
      schema,
      close: async () => {
        await exchange.close();
        await clearance.close();
      },
    };
  };
  runExchangeContract('postgres', openPair);

  test('an event committed after a later-numbered one is not skipped: the feed waits for the earlier transaction', async () => {
    const { clearance, exchange, schema, close } = await openPair();
    const a = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    const b = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await a.connect();
    await b.connect();
    try {
      const c = fixtureConsignment({ submitterId: 'opr_a' });
      await clearance.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([c]), result: null }));
      const insert = async (client: pg.Client, key: string) => {
        await client.query('BEGIN');
        // A first write, then a seq, as a batch does (the watermark watches the seq, not the write).
        await client.query('INSERT INTO link_key_locks (key) VALUES ($1)', [key]);
        const { rows } = await client.query<{ s: string }>("SELECT nextval('events_seq')::text AS s");
        const seq = Number(rows[0]!.s);
        await client.query(
          `INSERT INTO events (seq, consignment_id, type, from_state, to_state, at, actor)
           VALUES ($1, $2, 'consignment.noted', NULL, NULL, '2026-11-29T10:00:00.000Z', 'test')`,
          [seq, c.id],
        );
        return seq;
      };
      const seqA = await insert(a, 'lock:a');
      const seqB = await insert(b, 'lock:b');
      assert.ok(seqA < seqB);
      await b.query('COMMIT');
      const whileAOpen = await exchange.eventsSince(0, 100);
      assert.ok(
        whileAOpen.every((e) => e.seq < seqA),
        `served ${whileAOpen.map((e) => e.seq).join(',')} while seq ${seqA} was uncommitted`,
      );
      await a.query('COMMIT');
      let after: number[] = [];
      for (let i = 0; i < 200 && !after.includes(seqB); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 25));
        after = (await exchange.eventsSince(0, 100)).map((e) => e.seq);
      }
      assert.deepEqual(after.slice(-2), [seqA, seqB]);
    } finally {
      await a.end();
      await b.end();
      await close();
    }
  });

  test('open transactions of another schema in the same database hold back neither the feed nor sealing', async () => {
    const { clearance, exchange, schema, close } = await openPair();
    const security = await openPgSecurityStore({ url, schema });
    // Another tenant's schema: one transaction with an id (it wrote) and one that drew a seq of its
    // own event log, both left open while this schema writes and reads.
    const other = freshSchema('pgxother');
    const setupOther = await openPostgresStore({ url, schema: other });
    await setupOther.close();
    const wrote = new pg.Client({ connectionString: url, options: `-c search_path=${other}` });
    const drew = new pg.Client({ connectionString: url, options: `-c search_path=${other}` });
    await wrote.connect();
    await drew.connect();
    try {
      await wrote.query('BEGIN');
      await wrote.query('INSERT INTO link_key_locks (key) VALUES ($1)', ['lock:other']);
      await drew.query('BEGIN');
      await drew.query("SELECT nextval('events_seq')");
      const cs = [fixtureConsignment({ submitterId: 'opr_a' }), fixtureConsignment({ submitterId: 'opr_b' })];
      await clearance.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(cs), result: null }));
      const served = await exchange.eventsSince(0, 100);
      assert.ok(served.length > 0, 'the feed serves committed events at once');
      assert.deepEqual(new Set(served.map((e) => e.consignmentId)), new Set(cs.map((c) => c.id)));
      const latest = served[served.length - 1]!.seq;
      assert.equal(await security.settledEventSeq(), latest, 'sealing reaches every committed event');
    } finally {
      await wrote.query('ROLLBACK');
      await drew.query('ROLLBACK');
      await wrote.end();
      await drew.end();
      await security.close();
      await close();
    }
  });
});
