import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { CommitWatermark } from './commit-watermark.js';
import { migratePostgres } from './migrations.js';
import { postgresTests } from './testing/pg-suite.js';

postgresTests('commit watermark', (url, freshSchema) => {
  test('overlapping reads of the watermark settle a pending candidate once, without failing', async () => {
    const schema = freshSchema('pgwm');
    await migratePostgres(url, schema);
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 4 });
    const writer = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await writer.connect();
    try {
      const watermark = new CommitWatermark(pool);
      await writer.query('BEGIN');
      const { rows } = await writer.query<{ s: string }>("SELECT nextval('events_seq')::text AS s");
      const drawn = Number(rows[0]!.s);
      // The open writer holds the sequence: the candidate waits for it.
      assert.equal(await watermark.current(), 0);
      await writer.query('COMMIT');
      // Every caller (feed, KPI follower, sealing) may ask at once once the writer has ended: each sees
      // the candidate settle; none trips over another clearing it.
      const seen = await Promise.all(Array.from({ length: 6 }, () => watermark.current()));
      assert.deepEqual(seen, new Array(6).fill(drawn));
      assert.equal(await watermark.settle(1000), drawn);
    } finally {
      await writer.end();
      await pool.end();
    }
  });
});
