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
 *
 * Migration 78 (both stores) makes the check constant per batch, whatever an account has reserved:
 * `guarantee_reserved` keeps each account's running total of its reservation rows (per currency, exact
 * decimal text), changed in the same transactions as the rows, and `guarantee_settled` is filled by
 * triggers with the reservations that stop counting (a debit booked, a consignment ended), which the
 * next batch on the account deletes and takes off its total. An account without a total yet gets one
 * from a full read the first time it reserves (and so do databases migrated with reservations).
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

/** The states in which a consignment's reservation stops counting (as {@link reservationSettledSql}). */
const endedStates = `'seized', 'returned', 'abandoned'`;

/** SQLite DDL of migration 78: the running totals, the settled reservations and the triggers that note them. */
export const sqliteGuaranteeTotalsSql = `
-- A trigger's OR IGNORE gives way to its outer statement's conflict clause (an upsert's): NOT EXISTS.
CREATE TABLE guarantee_reserved (
  account TEXT PRIMARY KEY,
  totals TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE guarantee_settled (
  account TEXT NOT NULL,
  consignment_id TEXT NOT NULL,
  PRIMARY KEY (account, consignment_id)
) WITHOUT ROWID;
CREATE TRIGGER guarantee_settled_by_debit AFTER INSERT ON registry_docs
  WHEN NEW.collection = 'payment-entry' AND substr(NEW.id, -6) = ':debit' BEGIN
  INSERT INTO guarantee_settled (account, consignment_id)
    SELECT r.account, r.consignment_id FROM guarantee_reservations r
    WHERE r.consignment_id = substr(NEW.id, 1, length(NEW.id) - 6) AND NOT EXISTS (SELECT 1
      FROM guarantee_settled s WHERE s.account = r.account AND s.consignment_id = r.consignment_id);
END;
CREATE TRIGGER guarantee_settled_by_end AFTER UPDATE OF state ON consignments
  WHEN NEW.state IN (${endedStates}) BEGIN
  INSERT INTO guarantee_settled (account, consignment_id)
    SELECT r.account, r.consignment_id FROM guarantee_reservations r
    WHERE r.consignment_id = NEW.id AND NOT EXISTS (SELECT 1
      FROM guarantee_settled s WHERE s.account = r.account AND s.consignment_id = r.consignment_id);
END;
`;

/**
 * PostgreSQL DDL of migration 78. The debit's trigger runs at commit (deferred): a batch re-reserving
 * the parcel in another transaction holds the account's guarantee record, which the payments follower
 * updates in the debit's transaction, so at that commit the batch's row is visible or the batch, once
 * it has the lock, sees the debit (and does not count its row).
 */
export const pgGuaranteeTotalsSql = `
CREATE TABLE guarantee_reserved (
  account text COLLATE "C" PRIMARY KEY,
  totals text
);
CREATE TABLE guarantee_settled (
  account text COLLATE "C" NOT NULL,
  consignment_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (account, consignment_id)
);
CREATE FUNCTION guarantee_settled_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cid text := CASE WHEN TG_TABLE_NAME = 'registry_docs' THEN left(NEW.id, length(NEW.id) - 6) ELSE NEW.id END;
BEGIN
  INSERT INTO guarantee_settled (account, consignment_id)
    SELECT r.account, r.consignment_id FROM guarantee_reservations r WHERE r.consignment_id = cid
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER guarantee_settled_by_debit AFTER INSERT ON registry_docs
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.collection = 'payment-entry' AND right(NEW.id, 6) = ':debit')
  EXECUTE FUNCTION guarantee_settled_note();
CREATE TRIGGER guarantee_settled_by_end AFTER UPDATE OF state ON consignments FOR EACH ROW
  WHEN (NEW.state IN (${endedStates}) AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION guarantee_settled_note();
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

/** Running totals of one account's reservation rows, per currency (stored as exact decimal text). */
type Totals = Map<string, Decimal>;

/** A reservation row as the write reads it back. */
interface Row {
  consignmentId: string;
  account: string;
  currency: string;
  amount: string;
}

const add = (t: Totals, currency: string, amount: string, sign: 1 | -1): void => {
  const d = new Decimal(amount);
  const was = t.get(currency);
  const by = sign === 1 ? d : d.neg();
  t.set(currency, was === undefined ? by : was.plus(by));
};

/** The sum of `rows` per currency. */
function totalsOf(rows: readonly { currency: string; amount: string }[]): Totals {
  const t: Totals = new Map();
  for (const r of rows) add(t, r.currency, r.amount, 1);
  return t;
}

const readTotals = (text: string): Totals =>
  new Map(Object.entries(JSON.parse(text) as Record<string, string>).map(([c, v]) => [c, new Decimal(v)]));

const writeTotals = (t: Totals): string =>
  JSON.stringify(Object.fromEntries([...t].map(([c, v]) => [c, v.toFixed()])));

/**
 * Throws `guarantee.headroom-taken` when the account's booked utilisation plus its live reservations
 * (this batch's included) exceed its guarantee. No guarantee registered, or one in another currency:
 * nothing to check (the assessment refused such deferrals when a guarantee is required).
 */
function checkWithin(account: string, doc: GuaranteeDoc | undefined, totals: Totals): void {
  if (doc?.amount === undefined || doc.currency === undefined) return;
  const currency = doc.currency;
  const reserved = totals.get(currency) ?? new Decimal(0);
  const utilised = new Decimal(doc.utilised?.[currency] ?? 0);
  // A negative utilisation (credits after a settlement: owed back to the operator) adds no headroom.
  if (Decimal.max(0, utilised).plus(reserved).lte(doc.amount)) return;
  throw new ParcelgateError(
    'guarantee.headroom-taken',
    `the deferrals of this batch would take account ${account} past its guarantee of ${doc.amount} ${currency} (${utilised.toFixed()} booked, ${reserved.toFixed()} reserved): another process deferred meanwhile`,
    409,
    { account, guarantee: doc.amount, currency, utilised: utilised.toFixed(), reserved: reserved.toFixed() },
  );
}

/**
 * The batch's row changes, applied to `totals` (accounts without a total yet are skipped: they get one
 * from a full read). `before` holds the rows of the batch's consignments as they were.
 */
function applyToTotals(
  g: GuaranteeWrites,
  before: Map<string, Row>,
  totals: Map<string, Totals | null>,
): void {
  const rows = new Map(before);
  const take = (id: string) => {
    const old = rows.get(id);
    if (old === undefined) return;
    const t = totals.get(old.account);
    if (t) add(t, old.currency, old.amount, -1);
    rows.delete(id);
  };
  for (const id of g.clear) take(id);
  for (const r of g.reserve) {
    take(r.consignmentId);
    const t = totals.get(r.account);
    if (t) add(t, r.currency, r.amount, 1);
    rows.set(r.consignmentId, r);
  }
}

/** Accounts whose totals the batch changes: those it reserves on and those of the rows it replaces. */
function touchedAccounts(g: GuaranteeWrites, before: Map<string, Row>): string[] {
  const set = new Set(g.reserve.map((r) => r.account));
  for (const r of before.values()) set.add(r.account);
  return [...set].sort();
}

const idsOf = (g: GuaranteeWrites): string[] => [...g.clear, ...g.reserve.map((r) => r.consignmentId)];

const rowColumns = `consignment_id AS "consignmentId", account, currency, amount`;

const sqliteCache = new WeakMap<Database.Database, Record<string, Database.Statement>>();

function sqliteStatements(db: Database.Database): Record<string, Database.Statement> {
  const hit = sqliteCache.get(db);
  if (hit) return hit;
  const made = {
    record: db
      .prepare(`SELECT doc FROM registry_docs WHERE collection = '${guaranteeCollection}' AND id = ?`)
      .pluck(),
    before: db.prepare(
      `SELECT ${rowColumns} FROM guarantee_reservations WHERE consignment_id IN (SELECT value FROM json_each(?))`,
    ),
    clear: db.prepare('DELETE FROM guarantee_reservations WHERE consignment_id = ?'),
    upsert: db.prepare(`INSERT INTO guarantee_reservations (consignment_id, account, currency, amount)
      VALUES (?, ?, ?, ?) ON CONFLICT (consignment_id) DO UPDATE SET account = excluded.account,
      currency = excluded.currency, amount = excluded.amount`),
    // A parcel re-reserved after its debit was booked or it ended: noted at once, as the triggers would.
    noteSettled: db.prepare(`INSERT OR IGNORE INTO guarantee_settled (account, consignment_id)
      SELECT r.account, r.consignment_id FROM guarantee_reservations AS r
      WHERE r.consignment_id IN (SELECT value FROM json_each(?)) AND ${reservationSettledSql}`),
    totals: db.prepare('SELECT totals FROM guarantee_reserved WHERE account = ?').pluck(),
    saveTotals: db.prepare(
      'INSERT INTO guarantee_reserved (account, totals) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET totals = excluded.totals',
    ),
    settled: db.prepare('DELETE FROM guarantee_settled WHERE account = ? RETURNING consignment_id').pluck(),
    dropSettled: db.prepare(
      'DELETE FROM guarantee_reservations WHERE consignment_id = ? AND account = ? RETURNING currency, amount',
    ),
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
 * drops the reservations of `clear`, books those of `reserve`, keeps the totals of the accounts they
 * touch and checks each account they reserve on.
 */
export function writeGuaranteesSqlite(db: Database.Database, g: GuaranteeWrites): void {
  const s = sqliteStatements(db);
  const ids = idsOf(g);
  const before = new Map(
    (s.before!.all(JSON.stringify(ids)) as Row[]).map((r) => [r.consignmentId, r] as const),
  );
  const accounts = touchedAccounts(g, before);
  const totals = new Map<string, Totals | null>();
  for (const a of accounts) {
    const text = s.totals!.get(a) as string | undefined;
    totals.set(a, text === undefined ? null : readTotals(text));
  }
  applyToTotals(g, before, totals);
  for (const id of g.clear) s.clear!.run(id);
  for (const r of g.reserve) s.upsert!.run(r.consignmentId, r.account, r.currency, r.amount);
  if (g.reserve.length > 0) s.noteSettled!.run(JSON.stringify(g.reserve.map((r) => r.consignmentId)));
  for (const a of accounts) {
    const settled = s.settled!.all(a) as string[];
    let t = totals.get(a)!;
    if (t === null) {
      // No total yet: one full read (the settled rows go first).
      s.stale!.run(a);
      t = totalsOf(s.live!.all(a) as Row[]);
    } else
      for (const id of settled) {
        const gone = s.dropSettled!.get(id, a) as Row | undefined;
        if (gone) add(t, gone.currency, gone.amount, -1);
      }
    s.saveTotals!.run(a, writeTotals(t));
    totals.set(a, t);
  }
  for (const a of new Set(g.reserve.map((r) => r.account))) {
    const text = s.record!.get(a) as string | undefined;
    checkWithin(a, text === undefined ? undefined : (JSON.parse(text) as GuaranteeDoc), totals.get(a)!);
  }
}

/**
 * PostgreSQL (inside the batch's transaction): locks each touched account's guarantee record and
 * running total (`FOR UPDATE`, in account order) before reading them, so a concurrent batch of another
 * process waits and then sees this one's rows, and the payments follower's booking (which moves an
 * amount from a reservation into the record's utilisation) cannot land between the two reads.
 */
export async function writeGuaranteesPg(client: pg.ClientBase, g: GuaranteeWrites): Promise<void> {
  const ids = idsOf(g);
  // The batch's consignments are locked by its own rows: no other transaction changes these meanwhile.
  const before = new Map(
    (
      await client.query<Row>(
        `SELECT ${rowColumns} FROM guarantee_reservations WHERE consignment_id = ANY($1::text[])`,
        [ids],
      )
    ).rows.map((r) => [r.consignmentId, r] as const),
  );
  const accounts = touchedAccounts(g, before);
  const docs = new Map<string, GuaranteeDoc>();
  const totals = new Map<string, Totals | null>();
  for (const account of accounts) {
    const r = await client.query<{ doc: string }>(
      `SELECT doc FROM registry_docs WHERE collection = $1 AND id = $2 FOR UPDATE`,
      [guaranteeCollection, account],
    );
    if (r.rows[0]) docs.set(account, JSON.parse(r.rows[0].doc) as GuaranteeDoc);
    const lock = `SELECT totals FROM guarantee_reserved WHERE account = $1 FOR UPDATE`;
    let t = await client.query<{ totals: string | null }>(lock, [account]);
    if (t.rows.length === 0) {
      await client.query(
        'INSERT INTO guarantee_reserved (account, totals) VALUES ($1, NULL) ON CONFLICT DO NOTHING',
        [account],
      );
      t = await client.query<{ totals: string | null }>(lock, [account]);
    }
    const text = t.rows[0]?.totals ?? null;
    totals.set(account, text === null ? null : readTotals(text));
  }
  applyToTotals(g, before, totals);
  if (g.clear.length > 0)
    await client.query('DELETE FROM guarantee_reservations WHERE consignment_id = ANY($1::text[])', [
      g.clear,
    ]);
  if (g.reserve.length > 0) {
    const reserved = g.reserve.map((r) => r.consignmentId);
    await client.query(
      `INSERT INTO guarantee_reservations (consignment_id, account, currency, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (consignment_id) DO UPDATE SET account = excluded.account,
         currency = excluded.currency, amount = excluded.amount`,
      [
        reserved,
        g.reserve.map((r) => r.account),
        g.reserve.map((r) => r.currency),
        g.reserve.map((r) => r.amount),
      ],
    );
    // A parcel re-reserved after its debit was booked or it ended: noted at once, as the triggers would.
    await client.query(
      `INSERT INTO guarantee_settled (account, consignment_id)
       SELECT r.account, r.consignment_id FROM guarantee_reservations r
       WHERE r.consignment_id = ANY($1::text[]) AND ${reservationSettledSql}
       ON CONFLICT DO NOTHING`,
      [reserved],
    );
  }
  for (const account of accounts) {
    let t = totals.get(account)!;
    if (t === null) {
      await client.query('DELETE FROM guarantee_settled WHERE account = $1', [account]);
      await client.query(
        `DELETE FROM guarantee_reservations r WHERE r.account = $1 AND ${reservationSettledSql}`,
        [account],
      );
      const live = await client.query<Row>(
        'SELECT currency, amount FROM guarantee_reservations WHERE account = $1',
        [account],
      );
      t = totalsOf(live.rows);
    } else {
      const gone = await client.query<Row>(
        `WITH s AS (DELETE FROM guarantee_settled WHERE account = $1 RETURNING consignment_id)
         DELETE FROM guarantee_reservations r USING s
         WHERE r.account = $1 AND r.consignment_id = s.consignment_id RETURNING r.currency, r.amount`,
        [account],
      );
      for (const r of gone.rows) add(t, r.currency, r.amount, -1);
    }
    await client.query('UPDATE guarantee_reserved SET totals = $2 WHERE account = $1', [
      account,
      writeTotals(t),
    ]);
    totals.set(account, t);
  }
  for (const account of new Set(g.reserve.map((r) => r.account)))
    checkWithin(account, docs.get(account), totals.get(account)!);
}
