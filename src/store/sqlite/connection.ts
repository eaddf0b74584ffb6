/** Connection settings shared by every connection parcelgate opens to its SQLite file. */
import type Database from 'better-sqlite3';

/**
 * Applies the connection settings: 16 KiB pages (new files only), WAL, synchronous=NORMAL (a commit
 * survives a process crash; a power loss may drop the last commits but never corrupts), foreign keys,
 * busy timeout, larger cache.
 */
export function configureConnection(db: Database.Database): void {
  // Takes effect only before the first table is created (before WAL too); an existing file keeps its size.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
}
