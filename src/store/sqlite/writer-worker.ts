/**
 * Worker-thread entry of the SQLite batch writer (see writer-thread.ts): its own connection to the
 * database file; each request looks up a batch's link keys inside a write transaction and, when what
 * it finds is what the batch was planned against, writes the batch's ops and commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ParcelgateError } from '../../domain/index.js';
import { configureConnection } from './connection.js';
import { foundFingerprint, type WriterReply, type WriterRequest } from './writer-protocol.js';
import { runOps } from './write-ops.js';

const { file, autoCheckpoint } = workerData as { file: string; autoCheckpoint: boolean };
const db = new Database(file);
configureConnection(db);
// The checkpointer (another worker) copies WAL pages; this connection must not do it inside commits.
if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');

// The same lookup as the in-thread adapter's: consignments owning any key, or with any id.
const find = db
  .prepare(
    `SELECT doc FROM consignments WHERE id IN (
       SELECT consignment_id FROM link_keys WHERE key IN (SELECT value FROM json_each(?))
       UNION SELECT value FROM json_each(?))`,
  )
  .pluck();

const attempt = db.transaction((req: WriterRequest): WriterReply => {
  const docs =
    req.keys.length === 0 && req.ids.length === 0
      ? []
      : (find.all(JSON.stringify(req.keys), JSON.stringify(req.ids)) as string[]);
  const fingerprint = foundFingerprint(docs);
  // Planned against something else: write nothing, hand back what is there (the transaction only read).
  if (fingerprint !== req.expect) return { id: req.id, found: docs, fingerprint };
  return { id: req.id, seqs: runOps(db, req) };
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
  parentPort?.postMessage(reply);
});
