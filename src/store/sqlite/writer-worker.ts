/**
 * Worker-thread entry of the SQLite batch writer (see writer-thread.ts): its own connection to the
 * database file; each request looks up a batch's link keys inside a write transaction and, when what
 * it finds is what the batch was planned against, writes the batch's ops and commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ParcelgateError } from '../../domain/index.js';
import { configureConnection } from './connection.js';
import { foundFingerprint, lookupDocsSql, type WriterReply, type WriterRequest } from './writer-protocol.js';
import { runOps } from './write-ops.js';

const { file, autoCheckpoint } = workerData as { file: string; autoCheckpoint: boolean };
const db = new Database(file);
configureConnection(db);
// The checkpointer (another worker) copies WAL pages; this connection must not do it inside commits.
if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');

// The same lookup as the in-thread adapter's: consignments owning any key, or with any id.
const find = db.prepare(lookupDocsSql).pluck();

// Changes whenever another connection (the main one, another process) has committed since this one
// last looked; this connection's own commits leave it as it is.
const dataVersion = db.prepare('PRAGMA data_version').pluck();
/** The last request handled, and the data version at the end of its transaction (undefined: unknown). */
let lastHandled = 0;
let versionAtEnd: number | undefined;

const attempt = db.transaction((req: WriterRequest): WriterReply => {
  // Nothing has changed since the plan's documents were read: no request handled since, and no other
  // connection committed (checked under the write lock). The lookup would find them again.
  const unchanged =
    req.readAfter === lastHandled && versionAtEnd !== undefined && dataVersion.get() === versionAtEnd;
  if (!unchanged) {
    const docs =
      req.keys.length === 0 && req.ids.length === 0
        ? []
        : (find.all(JSON.stringify(req.keys), JSON.stringify(req.ids)) as string[]);
    const fingerprint = foundFingerprint(docs);
    // Planned against something else: write nothing, hand back what is there (the transaction only read).
    if (fingerprint !== req.expect) {
      versionAtEnd = dataVersion.get() as number;
      return { id: req.id, found: docs, fingerprint };
    }
  }
  const seqs = runOps(db, req);
  // Read inside the write transaction: no other connection can commit before this one does.
  versionAtEnd = dataVersion.get() as number;
  return { id: req.id, seqs, lookedUp: !unchanged };
});

parentPort?.on('message', (m: WriterRequest | 'close') => {
  if (m === 'close') {
    db.close();
    parentPort?.postMessage({ closed: true });
    parentPort?.close();
    return;
  }
  let reply: WriterReply;
  try {
    // IMMEDIATE takes the write lock before the lookup: what it finds cannot change before COMMIT.
    reply = attempt.immediate(m);
  } catch (e) {
    versionAtEnd = undefined;
    const err = e as Error;
    reply = {
      id: m.id,
      error:
        e instanceof ParcelgateError
          ? {
              message: err.message,
              code: e.code,
              status: e.status,
              ...(e.details ? { details: e.details } : {}),
            }
          : {
              message: err.message,
              ...(typeof (e as { code?: unknown }).code === 'string'
                ? { sqliteCode: (e as { code: string }).code }
                : {}),
            },
    };
  }
  lastHandled = m.id;
  parentPort?.postMessage(reply);
});
