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

/**
 * Checks a database file: integrity, schema version and row counts. Throws when it is not sound,
 * naming the file as `name` (e.g. the backup a checked copy was made from).
 */
export function inspectDatabase(file: string, name = file): Omit<BackupReport, 'file' | 'bytes'> {
  if (!fs.existsSync(file)) throw new Error(`no backup file at ${name}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    let integrity: unknown;
    try {
      integrity = db.pragma('integrity_check', { simple: true });
    } catch (e) {
      throw new Error(`${name} is not a SQLite database (${(e as Error).message})`, { cause: e });
    }
    if (integrity !== 'ok') throw new Error(`${name} fails the integrity check: ${String(integrity)}`);
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    const has = (t: string) =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
    if (!has('consignments')) throw new Error(`${name} is not a parcelgate database`);
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
  let facts: Omit<BackupReport, 'file' | 'bytes'>;
  try {
    facts = settleCopy(partial);
  } catch (e) {
    removeDatabaseFiles(partial);
    throw e;
  }
  fs.renameSync(partial, out);
  return { file: out, bytes: fs.statSync(out).size, ...facts };
}

/**
 * Makes a copy of the database one self-contained file, then checks it. The copy keeps the live
 * database's WAL mode, in which any connection, even a read-only one, leaves `-wal` and `-shm` files
 * beside it; in rollback-journal mode it has none. The store turns WAL on again when it opens the
 * restored file (store/sqlite/connection.ts).
 */
function settleCopy(file: string, name = file): Omit<BackupReport, 'file' | 'bytes'> {
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
  } catch (e) {
    throw new Error(`${name} is not a SQLite database (${(e as Error).message})`, { cause: e });
  }
  return inspectDatabase(file, name);
}

/** Removes a database file and the `-wal`, `-shm` and `-journal` files SQLite may have left beside it. */
function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
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
  if (!fs.existsSync(backup)) throw new Error(`no backup file at ${backup}`);
  const made = fs.mkdirSync(dataDir, { recursive: true });
  const target = path.join(dataDir, sqliteFileName);
  // The backup is copied first and the copy checked: the backup itself is only read, never opened by
  // SQLite, so nothing beside it is changed or added (not even for a backup in WAL mode).
  const restoring = `${target}.restoring`;
  removeDatabaseFiles(restoring);
  fs.copyFileSync(backup, restoring);
  try {
    const facts = settleCopy(restoring, backup);
    replaceDatabase(target, opts);
    fs.renameSync(restoring, target);
    return { file: target, bytes: fs.statSync(target).size, ...facts };
  } catch (e) {
    removeDatabaseFiles(restoring);
    // A data directory made for this restore is not left behind (it is empty again).
    if (made !== undefined && fs.readdirSync(dataDir).length === 0) fs.rmdirSync(dataDir);
    throw e;
  }
}

/** Moves the database of a stopped data directory aside (only with `force`), with its WAL files. */
function replaceDatabase(target: string, opts: { force?: boolean; now?: Date }): void {
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
}
