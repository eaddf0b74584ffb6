/** Messages between the SQLite store and its writer thread (writer-thread.ts, writer-worker.ts). */
import { createHash } from 'node:crypto';
import type { WriteOps } from './write-ops.js';

/** Commit a batch: its lookup, the fingerprint of what it was planned against, and its ops. */
export interface WriterRequest extends WriteOps {
  id: number;
  keys: string[];
  ids: string[];
  /** `foundFingerprint` of the consignment documents the plan was made against ('' for none). */
  expect: string;
}

/** Committed (with the reported events' seqs), or not written because the lookup found other documents. */
export type WriterReply =
  | { id: number; seqs: number[] }
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
