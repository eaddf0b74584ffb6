/**
 * Migration 76 (both stores): `guarantee_reservations`, the deferred-payment guarantee's reservations
 * kept in the database (docs/operators.md "Guarantee"). A batch that defers a parcel's duties books a
 * row in the same transaction as the consignment, after locking its account's guarantee record and
 * checking that booked utilisation + every live reservation (any process's) stays within the
 * guarantee; otherwise the whole batch is refused with `guarantee.headroom-taken` and the pipeline
 * plans it again against what is reserved now. A reservation stops counting once the payments
 * follower booked its debit (the amount is then in the record's utilisation, moved in that same
 * write) or its consignment ended without release (seized, returned, abandoned); such rows are
 * deleted the next time their account reserves. Exact decimals (decimal.js), never floats.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { Decimal } from 'decimal.js';
import { ParcelgateError } from '../domain/index.js';
import type { GuaranteeWrites } from './port.js';

/** SQLite DDL of migration 76. */
export const sqliteGuaranteeReservationsSql = `
CREATE TABLE guarantee_reservations (
  consignment_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX guarantee_reservations_account ON guarantee_reservations (account, currency);
`;

/** PostgreSQL DDL of migration 76. */
export const pgGuaranteeReservationsSql = `
CREATE TABLE guarantee_reservations (
  consignment_id text COLLATE "C" PRIMARY KEY,
  account text COLLATE "C" NOT NULL,
  currency text COLLATE "C" NOT NULL,
  amount text NOT NULL
);
CREATE INDEX guarantee_reservations_account ON guarantee_reservations (account, currency);
`;

/** The registry collection of guarantee records (as src/operators/guarantee.ts names it). */
const guaranteeCollection = 'payment-guarantee';

/**
 * Whether a reservation row (alias `r`) no longer counts: its debit is booked, or its consignment
 * ended without release. The same condition in both dialects (`||` concatenates in both).
 */
export const reservationSettledSql = `(EXISTS (SELECT 1 FROM registry_docs d
    WHERE d.collection = 'payment-entry' AND d.id = r.consignment_id || ':debit')
  OR EXISTS (SELECT 1 FROM consignments c
    WHERE c.id = r.consignment_id AND c.state IN ('seized', 'returned', 'abandoned')))`;

/** A reservation row as read back, with whether it still counts against its guarantee. */
export interface ReservationRow {
  consignmentId: string;
  account: string;
  currency: string;
  amount: string;
  settled: boolean;
}

/** The columns of a reservation row aliased to {@link ReservationRow} (`settled` as 0/1). */
export const reservationColumns = `r.consignment_id AS "consignmentId", r.account, r.currency, r.amount,
  CASE WHEN ${reservationSettledSql} THEN 1 ELSE 0 END AS settled`;

/** The part of a guarantee record the check reads. */
interface GuaranteeDoc {
  amount?: string;
  currency?: string;
  utilised?: Record<string, string>;
}

/** Accounts the batch reserves on, in a fixed order (locks are taken in it: no deadlock). */
function accountsOf(g: GuaranteeWrites): string[] {
  return [...new Set(g.reserve.map((r) => r.account))].sort();
}

/**
 * Throws `guarantee.headroom-taken` when the account's booked utilisation plus its live reservations
 * (this batch's included) exceed its guarantee. No guarantee registered, or one in another currency:
 * nothing to check (the assessment refused such deferrals when a guarantee is required).
 */
function checkWithin(
  account: string,
  doc: GuaranteeDoc | undefined,
  live: readonly { currency: string; amount: string }[],
): void {
  if (doc?.amount === undefined || doc.currency === undefined) return;
  const currency = doc.currency;
  const reserved = live
    .filter((r) => r.currency === currency)
    .reduce((sum, r) => sum.plus(r.amount), new Decimal(0));
  const utilised = new Decimal(doc.utilised?.[currency] ?? 0);
  if (utilised.plus(reserved).lte(doc.amount)) return;
  throw new ParcelgateError(
    'guarantee.headroom-taken',
    `the deferrals of this batch would take account ${account} past its guarantee of ${doc.amount} ${currency} (${utilised.toFixed()} booked, ${reserved.toFixed()} reserved): another process deferred meanwhile`,
    409,
    { account, guarantee: doc.amount, currency, utilised: utilised.toFixed(), reserved: reserved.toFixed() },
  );
}

const sqliteCache = new WeakMap<Database.Database, Record<string, Database.Statement>>();

function sqliteStatements(db: Database.Database): Record<string, Database.Statement> {
  const hit = sqliteCache.get(db);
  if (hit) return hit;
  const made = {
    record: db
      .prepare(`SELECT doc FROM registry_docs WHERE collection = '${guaranteeCollection}' AND id = ?`)
      .pluck(),
    clear: db.prepare('DELETE FROM guarantee_reservations WHERE consignment_id = ?'),
    upsert: db.prepare(`INSERT INTO guarantee_reservations (consignment_id, account, currency, amount)
      VALUES (?, ?, ?, ?) ON CONFLICT (consignment_id) DO UPDATE SET account = excluded.account,
      currency = excluded.currency, amount = excluded.amount`),
    stale: db.prepare(
      `DELETE FROM guarantee_reservations AS r WHERE r.account = ? AND ${reservationSettledSql}`,
    ),
    live: db.prepare('SELECT currency, amount FROM guarantee_reservations WHERE account = ?'),
  };
  sqliteCache.set(db, made);
  return made;
}

/**
 * SQLite (inside the batch's IMMEDIATE transaction, which already excludes every other writer):
 * drops the reservations of `clear`, books those of `reserve`, and checks each account they touch.
 */
export function writeGuaranteesSqlite(db: Database.Database, g: GuaranteeWrites): void {
  const s = sqliteStatements(db);
  for (const id of g.clear) s.clear!.run(id);
  for (const r of g.reserve) s.upsert!.run(r.consignmentId, r.account, r.currency, r.amount);
  for (const account of accountsOf(g)) {
    const text = s.record!.get(account) as string | undefined;
    s.stale!.run(account);
    const live = s.live!.all(account) as { currency: string; amount: string }[];
    checkWithin(account, text === undefined ? undefined : (JSON.parse(text) as GuaranteeDoc), live);
  }
}

/**
 * PostgreSQL (inside the batch's transaction): locks each account's guarantee record (`FOR UPDATE`,
 * in account order) before reading what is reserved, so a concurrent batch of another process waits
 * and then sees this one's rows, and the payments follower's booking (which moves an amount from a
 * reservation into the record's utilisation) cannot land between the two reads.
 */
export async function writeGuaranteesPg(client: pg.ClientBase, g: GuaranteeWrites): Promise<void> {
  const accounts = accountsOf(g);
  const docs = new Map<string, GuaranteeDoc>();
  for (const account of accounts) {
    const r = await client.query<{ doc: string }>(
      `SELECT doc FROM registry_docs WHERE collection = $1 AND id = $2 FOR UPDATE`,
      [guaranteeCollection, account],
    );
    if (r.rows[0]) docs.set(account, JSON.parse(r.rows[0].doc) as GuaranteeDoc);
  }
  if (g.clear.length > 0)
    await client.query('DELETE FROM guarantee_reservations WHERE consignment_id = ANY($1::text[])', [
      g.clear,
    ]);
  if (g.reserve.length > 0)
    await client.query(
      `INSERT INTO guarantee_reservations (consignment_id, account, currency, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (consignment_id) DO UPDATE SET account = excluded.account,
         currency = excluded.currency, amount = excluded.amount`,
      [
        g.reserve.map((r) => r.consignmentId),
        g.reserve.map((r) => r.account),
        g.reserve.map((r) => r.currency),
        g.reserve.map((r) => r.amount),
      ],
    );
  for (const account of accounts) {
    await client.query(
      `DELETE FROM guarantee_reservations r WHERE r.account = $1 AND ${reservationSettledSql}`,
      [account],
    );
    const live = await client.query<{ currency: string; amount: string }>(
      'SELECT currency, amount FROM guarantee_reservations WHERE account = $1',
      [account],
    );
    checkWithin(account, docs.get(account), live.rows);
  }
}
