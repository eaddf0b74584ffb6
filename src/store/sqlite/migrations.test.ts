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
import os from 'node:os';
import path from 'node:path';

test('migrations start at 1, are unique and listed in increasing order', () => {
  const versions = migrations.map((m) => m.version);
  assert.equal(versions[0], 1);
  assert.deepEqual(
    versions,
    [...new Set(versions)].sort((a, b) => a - b),
  );
  assert.equal(latestSchemaVersion, versions[versions.length - 1]);
});

test('a migration with a lower version than the database records is still applied', () => {
  const db = new Database(':memory:');
  const later = [
    ...migrations,
    { version: latestSchemaVersion + 10, name: 'later', sql: 'CREATE TABLE l (a TEXT)' },
  ];
  applyMigrations(db, later);
  const gap = [...later, { version: latestSchemaVersion + 5, name: 'gap', sql: 'CREATE TABLE g (a TEXT)' }];
  assert.deepEqual(applyMigrations(db, gap), {
    from: latestSchemaVersion + 10,
    to: latestSchemaVersion + 10,
  });
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'g'").pluck().get(), 1);
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcelgate-migrate-'));
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
