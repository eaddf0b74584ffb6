/**
 * `parcelgate backup` leaves one self-contained file, and `restore` only reads the backup: nothing is
 * changed or added beside it (no `-wal`, `-shm` or `.partial` files), whatever journal mode it is in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const tmp = scratchDir('parcelgate-backup-files-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(packageRoot, 'bin', 'parcelgate.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const listing = (dir: string) => readdirSync(dir).sort();

function dataDirWith(name: string, n: number, from: number): string {
  const dataDir = join(tmp, name);
  const file = join(tmp, `${name}.ndjson`);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(postalItem({}, String(from + i))));
  writeFileSync(file, lines.join('\n') + '\n');
  const r = run('ingest', file, '--data-dir', dataDir);
  assert.equal(r.status, 0, r.stderr);
  return dataDir;
}

async function restoreLeavesBackupAlone(
  backup: string,
  dataDir: string,
  consignments: number,
): Promise<void> {
  const dir = join(backup, '..');
  const before = { files: listing(dir), hash: sha(backup) };
  const r = run('restore', backup, '--data-dir', dataDir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { consignments: number }).consignments, consignments);
  assert.deepEqual(listing(dir), before.files, 'no file added beside the backup');
  assert.equal(sha(backup), before.hash, 'the backup is unchanged');
  assert.deepEqual(listing(dataDir), [sqliteFileName]);
  // The store runs the restored database in WAL mode again.
  const store = openSqliteStore({ dataDir });
  await store.close();
  const db = new Database(join(dataDir, sqliteFileName), { readonly: true });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.prepare('SELECT count(*) FROM consignments').pluck().get(), consignments);
  } finally {
    db.close();
  }
}

test('backup leaves only the backup file, and restore adds nothing beside it', async () => {
  const dataDir = dataDirWith('live', 7, 42_000_000);
  const out = join(tmp, 'bk2', 'b.db');
  const b = run('backup', '--data-dir', dataDir, '--out', out);
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(listing(join(tmp, 'bk2')), ['b.db']);
  await restoreLeavesBackupAlone(out, join(tmp, 'restored'), 7);
});

test('restore of a database file in WAL mode (a copy of a live store) adds nothing beside it', async () => {
  const dataDir = dataDirWith('wal', 3, 42_100_000);
  mkdirSync(join(tmp, 'copies'));
  const copy = join(tmp, 'copies', 'w.db');
  copyFileSync(join(dataDir, sqliteFileName), copy);
  // Bytes 18 and 19 of the header are 2 in WAL mode.
  assert.deepEqual([...readFileSync(copy).subarray(18, 20)], [2, 2]);
  await restoreLeavesBackupAlone(copy, join(tmp, 'restored-wal'), 3);
});

test('a backup that is not a database is refused: nothing is restored and no data directory is made', () => {
  mkdirSync(join(tmp, 'bad'));
  const notDb = join(tmp, 'bad', 'not.db');
  writeFileSync(notDb, 'hello');
  const r = run('restore', notDb, '--data-dir', join(tmp, 'never'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not\.db is not a SQLite database/);
  assert.deepEqual(listing(join(tmp, 'bad')), ['not.db']);
  assert.equal(existsSync(join(tmp, 'never')), false);
});
