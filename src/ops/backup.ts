/**
 * Backup and restore of the embedded SQLite store. `backup` uses SQLite's online backup API while
 * the server runs (readers and the writer keep going; the copy is a consistent snapshot), then checks
 * the copy. `restore` checks a backup and puts it in place of a stopped data directory's database.
 * PostgreSQL is backed up with its own tools (pg_dump / PITR): see docs/operations.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { logicalEventCountSql, sqliteFileName } from '../store/index.js';

/** What a backup or restore wrote, and what the copy holds. */
export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  consignments: number;
  events: number;
  auditEntries: number;
}

/** Checks a database file: integrity, schema version and row counts. Throws when it is not sound. */
export function inspectDatabase(file: string): Omit<BackupReport, 'file' | 'bytes'> {
  if (!fs.existsSync(file)) throw new Error(`no backup file at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    let integrity: unknown;
    try {
      integrity = db.pragma('integrity_check', { simple: true });
    } catch (e) {
      throw new Error(`${file} is not a SQLite database (${(e as Error).message})`, { cause: e });
    }
    if (integrity !== 'ok') throw new Error(`${file} fails the integrity check: ${String(integrity)}`);
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    const has = (t: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
    if (!has('consignments')) throw new Error(`${file} is not a parcelgate database`);
    return {
      schemaVersion: one('SELECT max(version) FROM schema_migrations'),
      consignments: one('SELECT count(*) FROM consignments'),
      events: one(`SELECT ${logicalEventCountSql} FROM events`),
      auditEntries: has('audit_log') ? one('SELECT count(*) FROM audit_log') : 0,
    };
  } finally {
    db.close();
  }
}

/** Copies the live database of `dataDir` to `out` with the online backup API, then checks the copy. */
export async function backupSqlite(dataDir: string, out: string): Promise<BackupReport> {
  const source = path.join(dataDir, sqliteFileName);
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (fs.existsSync(out)) throw new Error(`${out} exists; backups never overwrite`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const partial = `${out}.partial`;
  try {
    await db.backup(partial);
  } finally {
    db.close();
  }
  const facts = inspectDatabase(partial);
  fs.renameSync(partial, out);
  return { file: out, bytes: fs.statSync(out).size, ...facts };
}

/**
 * Restores `backup` as the database of `dataDir`. The server must be stopped. Refuses to replace an
 * existing database unless `force`; the replaced one is kept as `parcelgate.db.before-restore-<time>`.
 */
export function restoreSqlite(
  backup: string,
  dataDir: string,
  opts: { force?: boolean; now?: Date } = {},
): BackupReport {
  const facts = inspectDatabase(backup);
  fs.mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, sqliteFileName);
  if (fs.existsSync(target)) {
    if (!opts.force) throw new Error(`${target} exists; pass --force to replace it (it is kept aside)`);
    // Fails if a server still holds the database. In WAL mode `BEGIN EXCLUSIVE` only excludes other
    // writers, so an idle server would pass; the exclusive locking mode also needs every other
    // connection (each keeps a shared lock while it has the database open) to be gone.
    const live = new Database(target, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 0');
      live.pragma('locking_mode = EXCLUSIVE');
      live.exec('BEGIN EXCLUSIVE; COMMIT;');
      live.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      throw new Error(`${target} is in use; stop the server before restoring`);
    } finally {
      live.close();
    }
    const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
    fs.renameSync(target, `${target}.before-restore-${stamp}`);
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.copyFileSync(backup, `${target}.restoring`);
  fs.renameSync(`${target}.restoring`, target);
  return { file: target, bytes: fs.statSync(target).size, ...facts };
}
