/**
 * Background checkpoints: commits return without copying the WAL into the database file, and the
 * checkpointer's worker copies them soon after, so the database file alone holds every commit.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createWrites, fixtureConsignment } from '../testing/fixtures.js';
import type { Checkpointer } from './checkpointer.js';
import { openSqliteStore } from './sqlite-store.js';
import { scratchDir } from '../../testing/scratch.js';

test('the checkpointer copies committed batches into the database file off the writer', async (t) => {
  const dir = scratchDir('parcelgate-ckpt-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'p.db');
  const store = openSqliteStore({ file });
  const checkpointer = (store as unknown as { checkpointer?: Checkpointer }).checkpointer;
  assert.ok(checkpointer, 'a file store checkpoints in the background');
  const writer = (store as unknown as { db: Database.Database }).db;
  assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), 0);
  const ids: string[] = [];
  for (let b = 0; b < 5; b++) {
    const cs = Array.from({ length: 40 }, () => fixtureConsignment());
    ids.push(...cs.map((c) => c.id));
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(cs), result: null }));
  }
  assert.equal(await checkpointer.settled(), 0, 'every WAL frame was copied');
  // The database file alone (as a copy without its WAL) holds every committed consignment.
  const copy = path.join(dir, 'copy.db');
  fs.copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const stored = db.prepare('SELECT id FROM consignments').pluck().all() as string[];
    assert.deepEqual(stored.sort(), [...ids].sort());
  } finally {
    db.close();
  }
  await store.close();
  assert.equal(fs.existsSync(`${file}-wal`), false, 'closing the last connection removes the WAL');
});

test('memory stores and stores opened without it checkpoint as SQLite does', async () => {
  const memory = openSqliteStore({ memory: true });
  assert.equal((memory as unknown as { checkpointer?: Checkpointer }).checkpointer, undefined);
  await memory.close();
  const dir = scratchDir('parcelgate-ckpt-');
  const plain = openSqliteStore({ dataDir: dir, backgroundCheckpoints: false });
  assert.equal((plain as unknown as { checkpointer?: Checkpointer }).checkpointer, undefined);
  assert.equal(
    (plain as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true }),
    1000,
  );
  await plain.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
