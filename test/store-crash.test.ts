import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore, sqliteFileName, type StoredConsignment } from '../src/store/index.js';
import { killedExit, spawnLines } from './helpers/child-lines.js';
import { scratchDir } from '../src/testing/scratch.js';

const writer = fileURLToPath(new URL('../src/store/sqlite/testing/crash-writer.js', import.meta.url));
const dataDir = scratchDir('parcelgate-crash-');
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the writer until `batches` acks arrived plus `delayMs`, SIGKILLs it, returns the acked ids. */
async function runAndKill(batches: number, delayMs: number, mode: string[] = []): Promise<string[]> {
  const acked: string[] = [];
  let killing = false;
  const run = spawnLines(writer, [dataDir, ...mode], (line) => {
    if (line.startsWith('ack ')) acked.push(...line.slice(4).split(','));
    if (!killing && acked.length >= batches * 200) {
      killing = true;
      setTimeout(() => run.kill(), delayMs);
    }
  });
  await killedExit(run);
  return acked;
}

async function checkStore(acked: string[]): Promise<void> {
  const store = openSqliteStore({ dataDir });
  for (const id of new Set(acked))
    assert.ok((await store.get(id)) !== undefined, `acknowledged ${id} is missing`);
  await store.close();

  const db = new Database(path.join(dataDir, sqliteFileName), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const keyOwner = db.prepare('SELECT consignment_id FROM link_keys WHERE key = ?').pluck();
    const count = (table: string): Map<string, number> =>
      new Map(
        (
          db
            .prepare(`SELECT consignment_id AS id, count(*) AS n FROM ${table} GROUP BY consignment_id`)
            .all() as {
            id: string;
            n: number;
          }[]
        ).map((r) => [r.id, r.n]),
      );
    const events = count('events');
    const declarations = count('declarations');
    const versions = count('consignment_versions');
    const docs = db.prepare('SELECT doc FROM consignments').pluck().all() as string[];
    assert.ok(docs.length >= new Set(acked).size);
    for (const doc of docs) {
      const c = JSON.parse(doc) as StoredConsignment;
      for (const key of c.keys) assert.equal(keyOwner.get(key), c.id, `key ${key} of ${c.id}`);
      assert.equal(events.get(c.id), c.version, `events of ${c.id}`);
      assert.equal(declarations.get(c.id), c.sources.length, `declarations of ${c.id}`);
      assert.equal(versions.get(c.id) ?? 0, c.version - 1, `archived versions of ${c.id}`);
    }
    const orphans = db
      .prepare(`SELECT count(*) FROM events WHERE consignment_id NOT IN (SELECT id FROM consignments)`)
      .pluck()
      .get();
    assert.equal(orphans, 0);
  } finally {
    db.close();
  }
}

test('a writer killed with SIGKILL mid-batch loses no acknowledged batch and leaves nothing half-written', async () => {
  const everAcked: string[] = [];
  for (const [batches, maxDelayMs] of [
    [3, 5],
    [6, 40],
    [10, 120],
  ] as const) {
    const acked = await runAndKill(batches, Math.floor(Math.random() * maxDelayMs));
    assert.ok(acked.length >= batches * 200);
    everAcked.push(...acked);
    await checkStore(everAcked);
  }
});

test('the same with batches committed on the writer thread', async () => {
  const everAcked: string[] = [];
  for (const [batches, maxDelayMs] of [
    [3, 5],
    [6, 40],
    [10, 120],
  ] as const) {
    const acked = await runAndKill(batches, Math.floor(Math.random() * maxDelayMs), ['writer']);
    assert.ok(acked.length >= batches * 200);
    everAcked.push(...acked);
    await checkStore(everAcked);
  }
});
