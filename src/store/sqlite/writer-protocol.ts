/** Messages between the SQLite store and its writer thread (writer-thread.ts, writer-worker.ts). */
import { createHash } from 'node:crypto';
import type { WriteOps } from './write-ops.js';

/**
 * The lookup of a batch's stored consignments (documents of those owning any key, or with any id), as
 * the store's connection and the writer run it: keys and ids each one JSON array parameter. The keys
 * are joined to `link_keys` by its primary key, one probe per key (`key IN (SELECT … json_each)`
 * built and sorted a temporary index of the keys first, about twice the time for 6,000 keys).
 */
export const lookupDocsSql = `SELECT doc FROM consignments WHERE id IN (
  SELECT l.consignment_id FROM json_each(?) j JOIN link_keys l ON l.key = j.value
  UNION SELECT value FROM json_each(?))`;

/** Commit a batch: its lookup, the fingerprint of what it was planned against, and its ops. */
export interface WriterRequest extends WriteOps {
  id: number;
  keys: string[];
  ids: string[];
  /** `foundFingerprint` of the consignment documents the plan was made against ('' for none). */
  expect: string;
  /**
   * The request after whose handling (and before any later one) those documents were read: the last
   * request answered when the main connection read with none in flight, or the request whose reply
   * brought them; -1 when unknown. When it is the last request the writer handled and no other
   * connection has committed since (`PRAGMA data_version`), the writer skips its lookup.
   */
  readAfter: number;
}

/** Committed (with the reported events' seqs), or not written because the lookup found other documents. */
export type WriterReply =
  | { id: number; seqs: number[]; lookedUp: boolean }
  | { id: number; found: string[]; fingerprint: string }
  | {
      id: number;
      error: {
        message: string;
        code?: string;
        status?: number;
        details?: Record<string, unknown>;
        sqliteCode?: string;
      };
    };

/**
 * A fingerprint of a lookup's result: the stored documents (each holds its consignment's id, version,
 * state and every field a plan reads), in a fixed order. '' when nothing was found.
 */
export function foundFingerprint(docs: readonly string[]): string {
  if (docs.length === 0) return '';
  const h = createHash('sha256');
  for (const d of [...docs].sort()) h.update(d).update('\u0000');
  return h.digest('hex');
}
