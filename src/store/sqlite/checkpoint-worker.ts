/**
 * Worker-thread entry of the background checkpointer (see checkpointer.ts): its own connection to the
 * database file, copying committed WAL frames into the database whenever the writer says it committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database((workerData as { file: string }).file);
db.pragma('busy_timeout = 5000');
// This connection never writes; it must not checkpoint on its own schedule either.
db.pragma('wal_autocheckpoint = 0');

let scheduled = false;
let closing = false;
/** The highest commit number the writer has announced. */
let seen = 0;

function checkpoint(): void {
  scheduled = false;
  if (closing) return;
  // Every commit announced so far is in the WAL, so this checkpoint covers it.
  const covers = seen;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    parentPort?.postMessage({ covers, left: row ? Math.max(0, row.log - row.checkpointed) : 0 });
  } catch {
    // A busy or locked database only postpones the copy to the next commit's request.
    parentPort?.postMessage({ covers, left: -1 });
  }
}

parentPort?.on('message', (m: number | 'close') => {
  if (m === 'close') {
    closing = true;
    db.close();
    parentPort?.postMessage({ closed: true });
    parentPort?.close();
    return;
  }
  seen = Math.max(seen, m);
  // Requests that arrive while one checkpoint runs are served by one more checkpoint.
  if (!scheduled) {
    scheduled = true;
    setImmediate(checkpoint);
  }
});
