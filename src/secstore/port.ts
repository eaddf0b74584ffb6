/**
 * The security store port: API keys, the hash-chained audit log and a settings table, kept in the
 * same database as the clearance store (own tables, own connection). SQLite and PostgreSQL implement it.
 */

import type { ContributorIntegrity } from '../store/contributors-guard.js';

/** One API key as stored: the secret itself is never stored, only its SHA-256. */
export interface ApiKeyRecord {
  /** Public key id (`key_…`), the first part of the presented key. */
  id: string;
  label: string;
  role: string;
  /** The operator (submitter id) the key acts for; officers and other staff use their user id. */
  operatorId: string;
  /** Hex SHA-256 of the secret part. */
  secretHash: string;
  createdAt: string;
  createdBy: string;
  /** After this instant the key is refused (set by rotation's overlap window); null = no expiry. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** Id of the key that replaced this one by rotation. */
  rotatedTo: string | null;
}

/** An audit entry to append: who did what to what, with details (no personal data in `data`). */
export interface AuditInput {
  at: string;
  actor: string;
  /** Dotted action name, e.g. `decision.recorded`, `key.revoked`, `events.sealed`. */
  action: string;
  /** What was acted on: a consignment id, a key id, a rule set version, an event range. */
  subject: string;
  data?: Record<string, unknown>;
}

/** An audit entry as stored: position in the chain, previous entry's hash and its own hash. */
export interface AuditEntry extends AuditInput {
  seq: number;
  prevHash: string;
  hash: string;
}

/** A clearance event row as the sealer digests it (column values exactly as stored). */
export interface EventRowForSeal {
  seq: number;
  consignmentId: string;
  type: string;
  from: string | null;
  to: string | null;
  at: string;
  actor: string;
  reason: string | null;
  data: string | null;
}

/**
 * A compare-and-set of a setting done in the same transaction as an append: the append happens only
 * when the setting holds `expect` (absent counts as '0'), and then the setting becomes `value`.
 */
export interface SettingSwap {
  name: string;
  expect: string;
  value: string;
}

/** A claim released by the system, as the sealer reads it into the audit chain. */
export interface ClaimReleaseRow {
  seq: number;
  consignmentId: string;
  officerId: string;
  claimedAt: string;
  expiresAt: string;
  releasedAt: string;
  releasedBy: string;
  reason: string;
}

/** The security store. Appends to the audit chain are serialised across processes by the store. */
export interface SecurityStore extends DocumentRewriter {
  readonly kind: 'sqlite' | 'postgres';
  // API keys
  insertKey(key: ApiKeyRecord): Promise<void>;
  getKey(id: string): Promise<ApiKeyRecord | undefined>;
  listKeys(): Promise<ApiKeyRecord[]>;
  countActiveKeys(now: string): Promise<number>;
  /** Updates expiry, revocation and rotation fields of a key. */
  updateKey(
    id: string,
    patch: Partial<Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt' | 'rotatedTo'>>,
  ): Promise<void>;
  // Audit chain
  /**
   * Appends entries to the chain in one transaction, linking each to the previous hash with `link`.
   * `link(prevHash, seq, input)` computes the entry hash.
   */
  appendAudit(
    inputs: AuditInput[],
    link: (prevHash: string, seq: number, input: AuditInput) => string,
    cas?: SettingSwap,
  ): Promise<AuditEntry[]>;
  /** Entries with seq > afterSeq, in order, at most `limit`. */
  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  lastAudit(): Promise<AuditEntry | undefined>;
  // Clearance events (read only): the sealer digests committed ranges
  /** The highest event seq below which every event is committed and visible (see docs/security.md). */
  settledEventSeq(): Promise<number>;
  /** Events with afterSeq < seq <= toSeq, in seq order, passed to `each` in chunks. */
  scanEvents(afterSeq: number, toSeq: number, each: (rows: EventRowForSeal[]) => void): Promise<void>;
  /**
   * Work-queue claims the system released because their consignment left the queue (migration 77,
   * src/store/console/claims-tx.ts), with seq > afterSeq, in seq (= commit) order, at most `limit`.
   */
  claimReleasesAfter?(afterSeq: number, limit: number): Promise<ClaimReleaseRow[]>;
  // Contributor rows (read only): `audit verify` compares them with the records (src/store/contributors-guard.ts)
  /** The row count, rows no record backs and records whose row is missing (at most `limit` each). */
  contributorIntegrity?(limit: number): Promise<ContributorIntegrity>;
  // Settings
  getSetting(name: string): Promise<string | undefined>;
  /** Sets a setting only if it is unset; returns the value in force. */
  initSetting(name: string, value: string): Promise<string>;
  close(): Promise<void>;
}

/** Documents that hold personal data, by table. */
export type DocumentTable = 'consignments' | 'consignment_versions' | 'declarations';

/** Rewriting stored documents in place: the purge and re-encryption jobs. */
export interface DocumentRewriter {
  /**
   * Passes each stored document (JSON text) of a consignment last updated before `updatedBefore`
   * (every consignment when absent) to `fn`; a returned string replaces the document. Runs in
   * transactions of at most `chunk` consignments. Resolves with counts.
   */
  rewriteDocuments(
    opts: { updatedBefore?: string; chunk?: number },
    fn: (table: DocumentTable, doc: string) => string | undefined,
  ): Promise<{ scanned: number; changed: number }>;
  /**
   * Clears the party keys (consignee: folded name, street, postcode, country; seller) of inspection outcomes
   * recorded before `before` (`risk_outcomes`, the parties' history): the `party` class's purge
   * outside documents. Resolves with the number of outcomes cleared.
   */
  forgetPartyKeys?(before: string): Promise<number>;
}
