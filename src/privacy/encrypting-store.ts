/**
 * A clearance store that keeps identity numbers encrypted at rest. It wraps any adapter: documents
 * are decrypted (in place) as they are read, and the batch's writes are encrypted in place just before
 * the adapter serialises them, then decrypted again once the batch has committed, so the pipeline
 * and the API only ever see plain values. Object identity is kept (the adapters track stored source
 * records by identity). Costs one AES-GCM operation per identity number written or read.
 */
import type { BatchWrites, ClearanceStore, FreshConsignment, StoredConsignment } from '../store/index.js';
import { mapIdentityNumbers } from './fields.js';
import { decryptValue, encryptValue, type Keyring } from './keyring.js';

function visit(writes: BatchWrites, fn: (doc: unknown) => void): void {
  for (const c of writes.upserts) fn(c);
  for (const c of writes.archive) fn(c);
  for (const d of writes.declarations) fn(d.record.data);
}

/**
 * A fresh consignment (written as text) with its identity numbers encrypted: a new object, so the
 * pipeline's own copy stays plain. Texts without identity numbers are kept as they are.
 */
function encryptFresh(f: FreshConsignment, enc: (doc: unknown) => number): FreshConsignment {
  const text = (json: string): string => {
    const doc: unknown = JSON.parse(json);
    return enc(doc) > 0 ? JSON.stringify(doc) : json;
  };
  return {
    ...f,
    doc: text(f.doc),
    archive: f.archive.map((v) => ({ ...v, doc: text(v.doc) })),
    declarations: f.declarations.map((d) => ({ ...d, json: text(d.json) })),
  };
}

/** Wraps `inner` so that identity numbers are encrypted with `ring` wherever they are stored. */
export function encryptingStore(inner: ClearanceStore, ring: Keyring): ClearanceStore {
  const enc = (doc: unknown) => mapIdentityNumbers(doc, (v) => encryptValue(ring, v));
  const dec = (doc: unknown) => mapIdentityNumbers(doc, (v) => decryptValue(ring, v));
  const decAll = (cs: readonly StoredConsignment[]) => {
    for (const c of cs) dec(c);
    return cs;
  };
  return {
    kind: inner.kind,
    ...(inner.commitsInBackground === undefined ? {} : { commitsInBackground: inner.commitsInBackground }),
    async transact(lookup, plan, opts) {
      let touched: BatchWrites | undefined;
      try {
        return await inner.transact(
          lookup,
          (found) => {
            // A retried attempt (PostgreSQL, or a speculative plan on SQLite's writer thread) may see records the previous attempt left encrypted.
            if (touched) visit(touched, dec);
            decAll(found);
            const out = plan(found);
            touched = out.writes;
            visit(out.writes, enc);
            const fresh = out.writes.fresh;
            if (fresh === undefined || fresh.length === 0) return out;
            return { ...out, writes: { ...out.writes, fresh: fresh.map((f) => encryptFresh(f, enc)) } };
          },
          opts,
        );
      } finally {
        if (touched) visit(touched, dec);
      }
    },
    async get(id) {
      const c = await inner.get(id);
      if (c) dec(c);
      return c;
    },
    list: (q) => inner.list(q),
    events: (id) => inner.events(id),
    async history(id) {
      return [...decAll(await inner.history(id))];
    },
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
}
