import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { StoredConsignment } from '../port.js';
import { amendWrites, createWrites, fixtureConsignment, fixtureSource } from '../testing/fixtures.js';
import { applyMigrations, currentSchemaVersion, latestSchemaVersion, migrations } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { scratchDir } from '../../testing/scratch.js';

const tempDirs: string[] = [];
function tempFile(): string {
  const dir = scratchDir('parcelgate-slim-');
  tempDirs.push(dir);
  return path.join(dir, 'p.db');
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Reads one column of one row straight from the file. */
function column(file: string, sql: string, ...params: string[]): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(sql)
      .pluck()
      .get(...params);
  } finally {
    db.close();
  }
}

describe('slim documents', () => {
  test('a consignment document refers to its sources by declaration id and leaves out merged', async () => {
    const file = tempFile();
    const store = openSqliteStore({ file });
    const v1 = fixtureConsignment();
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([v1]), result: null }));
    const amend = amendWrites(v1, '2025-01-02T00:00:00.000Z');
    await store.transact({ keys: [], ids: [v1.id] }, () => ({ writes: amend, result: null }));
    await store.close();

    const doc = JSON.parse(String(column(file, 'SELECT doc FROM consignments WHERE id = ?', v1.id))) as {
      sources: unknown[];
      merged: unknown;
    };
    const v2 = amend.upserts[0] as StoredConsignment;
    assert.deepEqual(
      doc.sources,
      v2.sources.map((s) => s.declarationId),
    );
    assert.deepEqual(doc.merged, v2.merged, 'two sources: merged is kept');
    const archived = String(
      column(file, 'SELECT doc FROM consignment_versions WHERE consignment_id = ?', v1.id),
    );
    const full = JSON.stringify(v1);
    const data = JSON.stringify(v1.merged);
    assert.ok(!archived.includes(data), 'the archived version holds no source data');
    assert.equal(JSON.parse(archived).merged, null, 'single source: merged is left out');
    assert.ok(archived.length < full.length - 2 * data.length + 100, `${archived.length} vs ${full.length}`);
    const declared = column(
      file,
      'SELECT doc FROM declarations WHERE id = ?',
      v1.sources[0]?.declarationId ?? '',
    );
    assert.equal(declared, data, 'the data is stored once, in declarations');
  });

  test('a source record the store never stored or read is kept inline and round-trips', async () => {
    const store = openSqliteStore({ memory: true });
    const c = fixtureConsignment();
    const stray = fixtureSource(c.merged, 'opr_other', c.createdAt);
    const withStray: StoredConsignment = { ...c, sources: [...c.sources, stray] };
    const writes = {
      ...createWrites([withStray]),
      declarations: [{ consignmentId: c.id, record: c.sources[0]! }],
    };
    await store.transact({ keys: [], ids: [] }, () => ({ writes, result: null }));
    assert.deepEqual(await store.get(c.id), withStray);
    await store.close();
  });

  test('a database written by schema version 1 migrates and its full documents stay readable', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    applyMigrations(db, migrations.slice(0, 1));
    const c = fixtureConsignment({ office: 'DE1' });
    const source = c.sources[0]!;
    db.prepare(
      `INSERT INTO consignments VALUES (?, 1, ?, 'green', 'release', 10, 'DE', 'DE1', ?, '3.78', 'EUR', ?, ?, ?)`,
    ).run(c.id, c.state, c.submitterId, c.createdAt, c.updatedAt, JSON.stringify(c));
    db.prepare('INSERT INTO declarations VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      source.declarationId,
      c.id,
      source.kind,
      source.submitterId,
      source.receivedAt,
      source.hash,
      JSON.stringify(source.data),
    );
    db.close();

    const store = openSqliteStore({ file });
    assert.deepEqual(await store.get(c.id), c);
    const amend = amendWrites(c, '2025-01-02T00:00:00.000Z');
    await store.transact({ keys: [], ids: [c.id] }, (found) => {
      assert.deepEqual(found, [c]);
      return { writes: amend, result: null };
    });
    assert.deepEqual(await store.get(c.id), amend.upserts[0]);
    assert.deepEqual(await store.history(c.id), [c]);
    await store.close();
    const reopened = new Database(file, { readonly: true });
    assert.equal(currentSchemaVersion(reopened), latestSchemaVersion);
    assert.equal(
      reopened.pragma('page_size', { simple: true }),
      4096,
      'an existing file keeps its page size',
    );
    reopened.close();
  });

  test('a new database file uses 16 KiB pages', async () => {
    const file = tempFile();
    await openSqliteStore({ file }).close();
    assert.equal(column(file, 'PRAGMA page_size'), 16384);
  });
});
