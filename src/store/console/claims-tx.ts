/**
 * Work-queue claims inside clearance transactions (docs/console.md "Claims"):
 *
 * - an officer decision checks the claim in its own transaction (`BatchWrites.claimCheck`): another
 *   officer's live claim refuses it (`claim.held-by-other`) unless an override is allowed; the claim
 *   is released in that transaction, so no officer can take it between the check and the decision;
 * - a consignment that leaves the work queue without an officer decision (carrier arrival, return,
 *   an amendment re-assessed to green, …) loses its claim in the transaction of that transition,
 *   recorded in `work_queue_claim_releases` (migration 77) as released by the system with the reason.
 *   The audit chain takes those rows in as `claim.released` entries when it seals (src/audit/chain.ts).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { ParcelgateError } from '../../domain/index.js';
import type { BatchWrites, ClaimCheck, ClearanceEvent, StoredConsignment } from '../port.js';
import { claimColumns } from './claims-sql.js';
import type { Claim } from './port.js';

/** SQLite DDL of migration 77. */
export const sqliteClaimReleasesSql = `
CREATE TABLE work_queue_claim_releases (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  consignment_id TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  released_at TEXT NOT NULL,
  released_by TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX work_queue_claim_releases_consignment ON work_queue_claim_releases (consignment_id, seq);
`;

/** PostgreSQL DDL of migration 77. */
export const pgClaimReleasesSql = `
CREATE TABLE work_queue_claim_releases (
  seq bigint PRIMARY KEY,
  consignment_id text COLLATE "C" NOT NULL,
  officer_id text COLLATE "C" NOT NULL,
  claimed_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL,
  released_at text COLLATE "C" NOT NULL,
  released_by text COLLATE "C" NOT NULL,
  reason text NOT NULL
);
CREATE INDEX work_queue_claim_releases_consignment ON work_queue_claim_releases (consignment_id, seq);
-- One row, locked by every transaction that records a release: seq order is commit order, so the
-- sealer reading "seq > cursor" never skips a release that commits late.
CREATE TABLE work_queue_claim_release_counter (n bigint NOT NULL);
INSERT INTO work_queue_claim_release_counter (n) VALUES (0);
`;

/** Who a release without an officer is recorded under. */
export const systemReleaser = 'system';

/** A claim the system released because its consignment left the queue, as recorded. */
export interface ClaimRelease extends Claim {
  seq: number;
  releasedAt: string;
  releasedBy: string;
  reason: string;
}

/** Columns of a release row aliased to {@link ClaimRelease}'s fields. */
export const claimReleaseColumns = `seq, ${claimColumns}, released_at AS "releasedAt",
  released_by AS "releasedBy", reason`;

/** The decision of a claim check over the current row (the same for both adapters). */
function decide(check: ClaimCheck, current: Claim | undefined): void {
  const live =
    current !== undefined && current.officerId !== check.officerId && current.expiresAt > check.now;
  if (live && !check.mayOverride)
    throw new ParcelgateError(
      'claim.held-by-other',
      `${current.officerId} holds consignment ${check.consignmentId} until ${current.expiresAt}`,
      409,
      {
        holder: { officerId: current.officerId, claimedAt: current.claimedAt, expiresAt: current.expiresAt },
      },
    );
  check.outcome = { released: current ?? null, overridden: live ? current : null };
}

/** SQLite (inside the decision's IMMEDIATE transaction): checks and releases the claim. */
export function checkClaimSqlite(db: Database.Database, check: ClaimCheck): void {
  const current = db
    .prepare(`SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = ?`)
    .get(check.consignmentId) as Claim | undefined;
  decide(check, current);
  if (current) db.prepare('DELETE FROM work_queue_claims WHERE consignment_id = ?').run(check.consignmentId);
}

/**
 * PostgreSQL (inside the decision's transaction, which holds the consignment's row lock: a claim takes
 * that lock too, so it waits for the decision and then finds the consignment as decided).
 */
export async function checkClaimPg(client: pg.ClientBase, check: ClaimCheck): Promise<void> {
  const r = await client.query<Claim>(
    `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = $1 FOR UPDATE`,
    [check.consignmentId],
  );
  decide(check, r.rows[0]);
  if (r.rows[0])
    await client.query('DELETE FROM work_queue_claims WHERE consignment_id = $1', [check.consignmentId]);
}

/** Why a consignment's claim goes with a transition: the batch's last event for it, and its new state. */
export function leftQueueReason(
  c: Pick<StoredConsignment, 'id' | 'state'>,
  last: ClearanceEvent | undefined,
): string {
  return `the consignment left the work queue${last ? ` (${last.type})` : ''}: it is now ${c.state}`;
}

const sqliteRelease = new WeakMap<
  Database.Database,
  {
    release: Database.Statement;
    drop: Database.Statement;
    any: Database.Statement;
    among: Database.Statement;
  }
>();

function releaseStatements(db: Database.Database) {
  let s = sqliteRelease.get(db);
  if (s === undefined) {
    s = {
      // SQLite has no data-modifying CTE: the release row first, then the delete.
      release: db.prepare(`INSERT INTO work_queue_claim_releases
        (consignment_id, officer_id, claimed_at, expires_at, released_at, released_by, reason)
      SELECT consignment_id, officer_id, claimed_at, expires_at, @at, '${systemReleaser}', @reason
      FROM work_queue_claims WHERE consignment_id = @id
        AND NOT EXISTS (SELECT 1 FROM work_queue w WHERE w.consignment_id = @id)`),
      drop: db.prepare('DELETE FROM work_queue_claims WHERE consignment_id = ?'),
      any: db.prepare('SELECT EXISTS (SELECT 1 FROM work_queue_claims)').pluck(),
      among: db
        .prepare(
          'SELECT consignment_id FROM work_queue_claims WHERE consignment_id IN (SELECT value FROM json_each(?))',
        )
        .pluck(),
    };
    sqliteRelease.set(db, s);
  }
  return s;
}

/**
 * SQLite: releases the claim of one consignment the batch changed when it is no longer queued (call
 * after the batch's rows are written, in its transaction). Arguments as {@link releaseArgs}.
 */
export function releaseLeftClaimSqlite(db: Database.Database, id: string, at: string, reason: string): void {
  const s = releaseStatements(db);
  if (s.release.run({ id, at, reason }).changes > 0) s.drop.run(id);
}

/**
 * SQLite: of `ids`, those that hold a claim, in one query (none at all when no consignment is claimed,
 * which is one probe of the table): the batch releases only these, not one statement per changed
 * consignment.
 */
export function claimedAmongSqlite(db: Database.Database, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const s = releaseStatements(db);
  if (s.any.get() === 0) return new Set();
  return new Set(s.among.all(JSON.stringify(ids)) as string[]);
}

/** SQLite: {@link releaseLeftClaimSqlite} for each of `args` (as {@link releaseArgs}) that holds a claim. */
export function releaseLeftClaimsOfSqlite(
  db: Database.Database,
  args: readonly (readonly [string, string, string])[],
): void {
  const claimed = claimedAmongSqlite(
    db,
    args.map((a) => a[0]),
  );
  if (claimed.size === 0) return;
  for (const [id, at, reason] of args) if (claimed.has(id)) releaseLeftClaimSqlite(db, id, at, reason);
}

/** The (consignment id, release time, reason) of each consignment a batch changed. */
export function releaseArgs(writes: BatchWrites): [string, string, string][] {
  // Only consignments the batch changed: fresh ones have no claim.
  if (writes.upserts.length === 0) return [];
  // The batch's last event per consignment, in one pass over the events (not one per consignment).
  const last = new Map<string, ClearanceEvent>();
  for (const e of writes.events) last.set(e.consignmentId, e);
  return writes.upserts.map((c) => [c.id, c.updatedAt, leftQueueReason(c, last.get(c.id))]);
}

/** SQLite: releases the claims of consignments the batch took out of the queue ({@link releaseLeftClaimsOfSqlite}). */
export function releaseLeftClaimsSqlite(db: Database.Database, writes: BatchWrites): void {
  releaseLeftClaimsOfSqlite(db, releaseArgs(writes));
}

/** PostgreSQL: releases the claims of consignments the batch took out of the queue, with the reason. */
export async function releaseLeftClaimsPg(client: pg.ClientBase, writes: BatchWrites): Promise<void> {
  const args = releaseArgs(writes);
  if (args.length === 0) return;
  const gone = await client.query<Claim>(
    `DELETE FROM work_queue_claims c WHERE c.consignment_id = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM work_queue w WHERE w.consignment_id = c.consignment_id)
     RETURNING ${claimColumns}`,
    [args.map((a) => a[0])],
  );
  if (gone.rows.length === 0) return;
  const by = new Map(args.map((a) => [a[0], a]));
  const rows = gone.rows.map((c) => ({ c, a: by.get(c.consignmentId)! }));
  const top = await client.query<{ n: string }>(
    'UPDATE work_queue_claim_release_counter SET n = n + $1 RETURNING n::text AS n',
    [rows.length],
  );
  await client.query(
    `INSERT INTO work_queue_claim_releases
       (seq, consignment_id, officer_id, claimed_at, expires_at, released_at, released_by, reason)
     SELECT $7::bigint - $8::bigint + k, i, o, c, e, r, '${systemReleaser}', why
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       WITH ORDINALITY AS t(i, o, c, e, r, why, k)`,
    [
      rows.map((x) => x.c.consignmentId),
      rows.map((x) => x.c.officerId),
      rows.map((x) => x.c.claimedAt),
      rows.map((x) => x.c.expiresAt),
      rows.map((x) => x.a[1]),
      rows.map((x) => x.a[2]),
      top.rows[0]!.n,
      rows.length,
    ],
  );
}
