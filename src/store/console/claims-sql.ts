/**
 * Migration 73 (both stores): `work_queue_claims`, who is working on which queued consignment
 * (docs/console.md "Claims"). One row per consignment, so two officers claiming at once cannot both
 * win: the adapters take a claim in one transaction (SQLite: IMMEDIATE; PostgreSQL: the row lock of
 * `SELECT … FOR UPDATE`, or the primary key when there is no row yet). An expired claim is free: the
 * queue and the checks compare `expires_at` with the caller's time, and the next claim replaces the row.
 */
import type { Claim, ClaimRequest, ClaimResult } from './port.js';

/** SQLite DDL of migration 73. */
export const sqliteClaimsSql = `
CREATE TABLE work_queue_claims (
  consignment_id TEXT PRIMARY KEY,
  officer_id TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX work_queue_claims_officer ON work_queue_claims (officer_id, expires_at);
`;

/** PostgreSQL DDL of migration 73 (ids in the "C" collation, as `work_queue`'s). */
export const pgClaimsSql = `
CREATE TABLE work_queue_claims (
  consignment_id text COLLATE "C" PRIMARY KEY,
  officer_id text COLLATE "C" NOT NULL,
  claimed_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL
);
CREATE INDEX work_queue_claims_officer ON work_queue_claims (officer_id, expires_at);
`;

/** Columns of a claim row aliased to `Claim`'s fields. */
export const claimColumns = `consignment_id AS "consignmentId", officer_id AS "officerId",
  claimed_at AS "claimedAt", expires_at AS "expiresAt"`;

/** Whether a consignment waits in the work queue (placeholder: its id). */
export const queuedSql = (p: string): string => `SELECT 1 FROM work_queue WHERE consignment_id = ${p}`;

/**
 * What a claim request (`renew`: only by its live or expired holder) gets over the current row, the
 * shared decision of both adapters: no row, an expired one or the caller's own is taken (`previous`:
 * the row it replaces, null for an insert); another officer's live claim refuses.
 */
export function planClaim(
  current: Claim | undefined,
  r: ClaimRequest,
): Exclude<ClaimResult, { reason: 'not-queued' }> {
  if (current !== undefined && current.officerId !== r.officerId && current.expiresAt > r.now)
    return { ok: false, reason: 'held-by-other', holder: current };
  const previous = current ?? null;
  if (r.renew && previous?.officerId !== r.officerId) return { ok: false, reason: 'not-held' };
  const claim: Claim = {
    consignmentId: r.consignmentId,
    officerId: r.officerId,
    claimedAt: r.renew && previous ? previous.claimedAt : r.now,
    expiresAt: new Date(Date.parse(r.now) + r.ttlMs).toISOString(),
  };
  return { ok: true, claim, previous };
}
