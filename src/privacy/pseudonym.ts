/**
 * Keyed pseudonyms (docs/security.md, "Pseudonyms"): every stored key that stands for a person or a
 * party (the revenue ledger's person key, the risk history's consignee and seller keys) is an
 * HMAC-SHA-256 under a secret pseudonym key, never the identity number, name or postcode, nor an
 * unkeyed hash of them. Identity numbers and names have so little entropy that an unkeyed hash is
 * reversed by trying every candidate; without the key, a copy of the database cannot be.
 *
 * The key comes from `PARCELGATE_PSEUDONYM_KEY` (`id:base64` of 32 bytes, like a data key), kept in the
 * deployment's secret store. Without it the process uses the built-in development key (id `dev`),
 * which is public: the embedded SQLite store of the demo and of development runs on it, and a
 * PostgreSQL deployment or a SQLite server on a non-loopback address refuses to start with it
 * (src/privacy/pseudonym-guard.ts). The database records which key its pseudonyms are under, so
 * processes with different keys cannot both write to one database.
 *
 * The process holds one pseudonymiser (`pseudonyms()`), set once at start (`usePseudonymiser`) and
 * passed to worker threads by its key text; the pure key functions (`personKeyOf`, `consigneeKey`,
 * `sellerKey`) read it.
 */
import crypto, { createHash, createHmac, randomBytes } from 'node:crypto';
import { ParcelgateError } from '../domain/index.js';

/** The configuration variable: `id:base64key` of 32 random bytes. */
export const pseudonymKeyVariable = 'PARCELGATE_PSEUDONYM_KEY';

/** The id of the built-in development key (public: demo and development only). */
export const devPseudonymKeyId = 'dev';

/** The setting that records the key the database's pseudonyms are under (`id:check`). */
export const pseudonymKeySetting = 'pseudonym.key';

/** A pseudonym key: its id (recorded with the database) and its 32 secret bytes. */
export interface PseudonymKey {
  readonly id: string;
  readonly secret: Buffer;
}

const block = 64;
/** Entries of the key cache: two passes over a batch of 2,000 records and three kinds fit (about 3 MB). */
const cacheEntries = 16_384;
/** Inputs up to this many UTF-8 bytes take the two one-shot hashes; longer ones createHmac. */
const maxFast = 1024;
const oneShot = (crypto as { hash?: (alg: string, data: Buffer, enc: string) => Buffer | string }).hash;

/**
 * Computes pseudonyms under one key. HMAC-SHA-256 by its definition, H((K ^ opad) || H((K ^ ipad) || m)),
 * with both pads prepared once and Node's one-shot `crypto.hash` for the two hashes: about 10-40 %
 * cheaper than `createHmac` per call, which prepares the key every time (bench/pseudonym-bench.ts).
 */
export class Pseudonymiser {
  readonly id: string;
  /** Whether this is the built-in, public development key. */
  readonly dev: boolean;
  /** `id:check`: what the database records; the check is an HMAC of a fixed text (reveals nothing). */
  readonly fingerprint: string;
  private readonly secret: Buffer;
  private readonly inner: Buffer;
  private readonly outer: Buffer;

  constructor(key: PseudonymKey) {
    this.id = key.id;
    this.dev = key.id === devPseudonymKeyId;
    this.secret = Buffer.from(key.secret);
    const k = Buffer.alloc(block);
    this.secret.copy(k);
    this.inner = Buffer.allocUnsafe(block + maxFast);
    this.outer = Buffer.allocUnsafe(block + 32);
    for (let i = 0; i < block; i++) {
      this.inner[i] = k[i]! ^ 0x36;
      this.outer[i] = k[i]! ^ 0x5c;
    }
    this.fingerprint = `${this.id}:${this.hex('parcelgate pseudonym key check', 16)}`;
  }

  /** The key itself, to hand to a worker thread of this process (never logged or stored). */
  key(): PseudonymKey {
    return { id: this.id, secret: Buffer.from(this.secret) };
  }

  /**
   * `hex(text)` (32 characters) through a bounded cache: the pipeline makes the key of one party from
   * the raw record (to load its history before the batch) and again from the validated input, so
   * the second costs a map lookup instead of an HMAC. Emptied when it reaches `cacheEntries`.
   */
  cached(text: string): string {
    let k = this.cache.get(text);
    if (k === undefined) {
      if (this.cache.size >= cacheEntries) this.cache.clear();
      this.cache.set(text, (k = this.hex(text)));
    }
    return k;
  }

  private readonly cache = new Map<string, string>();

  /** HMAC-SHA-256 of `text` (UTF-8) under the key, hex, cut to `chars` characters. */
  hex(text: string, chars = 32): string {
    if (oneShot !== undefined && text.length <= maxFast / 3) {
      const n = this.inner.write(text, block, 'utf8');
      (oneShot('sha256', this.inner.subarray(0, block + n), 'buffer') as Buffer).copy(this.outer, block);
      return (oneShot('sha256', this.outer, 'hex') as string).slice(0, chars);
    }
    return createHmac('sha256', this.secret).update(text).digest('hex').slice(0, chars);
  }
}

/** Parses `id:base64` of a 32-byte key; throws `privacy.invalid-pseudonym-key` on anything else. */
export function parsePseudonymKey(text: string): PseudonymKey {
  const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(text.trim());
  const secret = m ? Buffer.from(m[2]!, 'base64') : undefined;
  if (!m || !secret || secret.length !== 32)
    throw new ParcelgateError(
      'privacy.invalid-pseudonym-key',
      `${pseudonymKeyVariable} is not id:base64 of a 32-byte key (create one with \`parcelgate privacy new-pseudonym-key <id>\`)`,
      500,
    );
  if (m[1] === devPseudonymKeyId)
    throw new ParcelgateError(
      'privacy.invalid-pseudonym-key',
      `${pseudonymKeyVariable}: the id '${devPseudonymKeyId}' is the built-in development key's; choose another`,
      500,
    );
  return { id: m[1]!, secret };
}

/** The built-in development key: public, derived from a fixed text. Demo and development only. */
export const devPseudonymiser = new Pseudonymiser({
  id: devPseudonymKeyId,
  secret: createHash('sha256').update('parcelgate development pseudonym key (public, not a secret)').digest(),
});

/** The pseudonymiser of `PARCELGATE_PSEUDONYM_KEY`, or the development one when it is unset. */
export function pseudonymiserFromEnv(env: NodeJS.ProcessEnv = process.env): Pseudonymiser {
  const text = env[pseudonymKeyVariable];
  return text === undefined || text.trim() === ''
    ? devPseudonymiser
    : new Pseudonymiser(parsePseudonymKey(text));
}

/** A fresh key for the variable (`id:base64`). */
export const newPseudonymKey = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;

let current: Pseudonymiser = devPseudonymiser;
let generation = 0;

/** The process's pseudonymiser (the development key until `usePseudonymiser` is called). */
export const pseudonyms = (): Pseudonymiser => current;

/** A number that changes whenever the process's pseudonymiser does (for memos of computed keys). */
export const pseudonymGeneration = (): number => generation;

/** Sets the process's pseudonymiser (at start; tests and the re-key command switch it). */
export function usePseudonymiser(p: Pseudonymiser): void {
  if (p === current) return;
  current = p;
  generation++;
}

// The stored forms. Each kind hashes under its own label, so equal texts of two kinds never share a key.

/** The ledger's person key of an identity number normalised as `TYPE:VALUE`: `p:` + 32 hex. */
export const identityPseudonym = (typeAndValue: string, p: Pseudonymiser = current): string =>
  `p:${p.cached(`identity\u0000${typeAndValue}`)}`;

/** The ledger's person key of a normalised name, postcode and country: `h:` + 32 hex. */
export const namePseudonym = (basis: string, p: Pseudonymiser = current): string =>
  `h:${p.cached(`name\u0000${basis}`)}`;

/** The risk history's consignee key of a folded name, postcode and country: `c:` + 32 hex. */
export const consigneePseudonym = (basis: string, p: Pseudonymiser = current): string =>
  `c:${p.cached(`consignee\u0000${basis}`)}`;

/** The risk history's seller key of a seller id or folded seller name: `s:` + 32 hex. */
export const sellerPseudonym = (basis: string, p: Pseudonymiser = current): string =>
  `s:${p.cached(`seller\u0000${basis}`)}`;
