/**
 * The demo's database: the demo starts afresh on every run, but replaces only a database it created
 * itself. It marks its SQLite file with an application id in the file header (`PRAGMA application_id`),
 * which travels with the file (a copy or a restored backup of a demo database is still the demo's),
 * and refuses any other `parcelgate.db` (one `serve` or `ingest` wrote, or a file that is not a
 * database) unless the operator passes `--replace`.
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteFileName } from '../store/index.js';
import { UsageError, makeDataDir } from './io.js';

/** 'PGDM' (parcelgate demo) in the SQLite header's application id field. */
export const demoApplicationId = 0x5047444d;

/** Whether the SQLite file at `file` carries the demo's mark (false for any other file, or none). */
export function isDemoDatabase(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('application_id', { simple: true }) === demoApplicationId;
    } finally {
      db.close();
    }
  } catch {
    return false; // not a database, or one that cannot be read: not the demo's
  }
}

/**
 * Empties `dataDir` of the demo's previous database and creates a new, marked one. Refuses (a usage
 * error, before anything is removed) a database the demo did not create, unless `replace` is set.
 */
export function freshDemoDatabase(dataDir: string, replace: boolean): void {
  const file = join(dataDir, sqliteFileName);
  if (existsSync(file) && !replace && !isDemoDatabase(file)) {
    throw new UsageError(
      `${file} was not created by the demo, which replaces only its own database: choose another --data-dir, or pass --replace to discard it`,
    );
  }
  makeDataDir(dataDir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  try {
    db.pragma(`application_id = ${demoApplicationId}`);
  } finally {
    db.close();
  }
}
