import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runStoreContract } from '../store-contract.js';
import { createWrites, fixtureConsignment } from '../testing/fixtures.js';
import { configureConnection, openSqliteStore, sqliteFileName } from './sqlite-store.js';
import { sqliteSchemaSql } from './migrations.js';
import { clearanceTables, rawInsertRows, toBatchRows } from './sqlite-rows.js';
import { scratchDir } from '../../testing/scratch.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = scratchDir('parcelgate-sqlite-');
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

runStoreContract('sqlite (file, WAL)', async () =>
  openSqliteStore({ dataDir: tempDir(), keyPolicy: 'exclusive' }),
);
runStoreContract('sqlite (memory)', async () => openSqliteStore({ memory: true, keyPolicy: 'exclusive' }));

function tableDump(db: Database.Database): Record<string, unknown[]> {
  const tables = clearanceTables;
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
}

describe('sqlite store', () => {
  test('creates the data directory with its parents and configures WAL, NORMAL sync and foreign keys', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const store = openSqliteStore({ dataDir });
    await store.close();
    const file = path.join(dataDir, sqliteFileName);
    assert.ok(fs.existsSync(file));
    const db = new Database(file);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    configureConnection(db);
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });

  test('opens an explicit file path and keeps data across reopen', async () => {
    const file = path.join(tempDir(), 'sub', 'x.db');
    const c = fixtureConsignment();
    const first = openSqliteStore({ file });
    await first.transact({ keys: c.keys, ids: [] }, () => ({ writes: createWrites([c]), result: null }));
    await first.close();
    await first.close();
    const second = openSqliteStore({ file });
    assert.deepEqual(await second.get(c.id), c);
    await second.close();
  });

  test('under the shared key policy an order key may link several consignments and finds them all', async () => {
    const store = openSqliteStore({ memory: true, keyPolicy: 'shared' });
    const a = fixtureConsignment({ keys: ['hawb:A', 'order:O'] });
    const b = fixtureConsignment({ keys: ['hawb:B', 'order:O'] });
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([a]), result: null }));
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([b]), result: null }));
    const found = await store.transact({ keys: ['order:O'], ids: [] }, (f) => ({
      writes: createWrites([]),
      result: f,
    }));
    assert.deepEqual(found.map((c) => c.id).sort(), [a.id, b.id].sort());
    await store.close();
  });

  test('the raw-insert baseline writes exactly the rows the adapter writes for a batch', async () => {
    const cs = Array.from({ length: 50 }, (_, i) => fixtureConsignment({ office: i % 2 ? 'DE1' : null }));
    const writes = createWrites(cs);
    const adapterFile = path.join(tempDir(), 'adapter.db');
    const store = openSqliteStore({ file: adapterFile });
    await store.transact({ keys: [], ids: [] }, () => ({ writes, result: null }));
    await store.close();
    const raw = new Database(path.join(tempDir(), 'raw.db'));
    configureConnection(raw);
    raw.exec(sqliteSchemaSql);
    rawInsertRows(raw, toBatchRows(createWrites(cs)));
    const adapter = new Database(adapterFile);
    assert.deepEqual(tableDump(raw), tableDump(adapter));
    raw.close();
    adapter.close();
  });

  test('lookups, listing and per-consignment reads use indexes rather than table scans', () => {
    const db = new Database(':memory:');
    db.exec(sqliteSchemaSql);
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    const noScan = (sql: string): void => {
      const detail = plan(sql);
      assert.doesNotMatch(detail, /SCAN consignments(?! USING)|SCAN link_keys|SCAN events(?! USING)/, detail);
    };
    noScan(`SELECT doc FROM consignments WHERE id IN (
      SELECT consignment_id FROM link_keys WHERE key IN (SELECT value FROM json_each('[]'))
      UNION SELECT value FROM json_each('[]'))`);
    noScan(
      "SELECT id FROM consignments WHERE (created_at, id) < ('a', 'b') ORDER BY created_at DESC, id DESC LIMIT 5",
    );
    noScan("SELECT id FROM consignments WHERE state = 'x' ORDER BY created_at DESC, id DESC LIMIT 5");
    noScan(
      "SELECT id FROM consignments WHERE office = 'x' AND (created_at, id) < ('a', 'b') ORDER BY created_at DESC, id DESC LIMIT 5",
    );
    noScan("SELECT seq FROM events WHERE consignment_id = 'x' ORDER BY seq");
    noScan("SELECT min(at) FROM events WHERE consignment_id = 'x' AND type = 'consignment.arrived'");
    assert.doesNotMatch(
      plan("SELECT id FROM consignments WHERE lane = 'red' ORDER BY created_at DESC, id DESC LIMIT 5"),
      /TEMP B-TREE/,
    );
    db.close();
  });
});
