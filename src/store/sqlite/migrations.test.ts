import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  applyMigrations,
  currentSchemaVersion,
  latestSchemaVersion,
  migrations,
  type Migration,
} from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import fs from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../../testing/scratch.js';

test('migration versions are unique and increasing, from 1', () => {
  const versions = migrations.map((m) => m.version);
  assert.equal(versions[0], 1);
  for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!);
  assert.equal(latestSchemaVersion, versions[versions.length - 1]);
});

test('a migration of a lower range added later is still applied (gaps between ranges)', () => {
  const db = new Database(':memory:');
  applyMigrations(db);
  // The lowest version no migration uses yet (ranges leave gaps).
  let free = 2;
  while (migrations.some((m) => m.version === free)) free++;
  const later: Migration[] = [
    ...migrations,
    { version: free, name: 'later', sql: 'CREATE TABLE t3 (a TEXT)' },
  ];
  applyMigrations(
    db,
    later.sort((a, b) => a.version - b.version),
  );
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't3'").pluck().get(), 1);
  db.close();
});

test('applying migrations twice is a no-op the second time', () => {
  const db = new Database(':memory:');
  assert.deepEqual(applyMigrations(db), { from: 0, to: latestSchemaVersion });
  assert.deepEqual(applyMigrations(db), { from: latestSchemaVersion, to: latestSchemaVersion });
  assert.equal(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get(), migrations.length);
  db.close();
});

test('pending migrations are applied in version order and recorded', () => {
  const db = new Database(':memory:');
  applyMigrations(db);
  const extra: Migration[] = [
    ...migrations,
    { version: latestSchemaVersion + 2, name: 'second', sql: 'ALTER TABLE t ADD COLUMN b TEXT' },
    { version: latestSchemaVersion + 1, name: 'first', sql: 'CREATE TABLE t (a TEXT)' },
  ];
  assert.deepEqual(applyMigrations(db, extra), { from: latestSchemaVersion, to: latestSchemaVersion + 2 });
  assert.equal(currentSchemaVersion(db), latestSchemaVersion + 2);
  db.close();
});

test('a failing migration rolls back every migration of the same run', () => {
  const db = new Database(':memory:');
  const broken: Migration[] = [
    ...migrations,
    { version: latestSchemaVersion + 1, name: 'bad', sql: 'NOT SQL' },
  ];
  assert.throws(() => applyMigrations(db, broken));
  assert.equal(currentSchemaVersion(db), 0);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'consignments'").pluck().get(), 0);
  db.close();
});

test('opening a database written by a newer parcelgate fails with store.schema-too-new', () => {
  const dir = scratchDir('parcelgate-migrate-');
  try {
    const file = path.join(dir, 'p.db');
    const db = new Database(file);
    applyMigrations(db);
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'future', '2099-01-01')").run(
      latestSchemaVersion + 1,
    );
    db.close();
    assert.throws(
      () => openSqliteStore({ file }),
      (err: { code?: string; details?: { databaseVersion?: number } }) =>
        err.code === 'store.schema-too-new' && err.details?.databaseVersion === latestSchemaVersion + 1,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
