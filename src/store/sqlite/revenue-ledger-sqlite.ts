/** The SQLite adapter of the revenue ledger port (person history, IOSS entries, refunds trail). */
import Database from 'better-sqlite3';
import { sum } from '../../domain/index.js';
import type {
  IossEntry,
  IossReportLine,
  LedgerBatch,
  PersonImport,
  PersonTotals,
  RevenueLedger,
  RevenueTrailEntry,
} from '../../revenue/index.js';

import { type SqliteStoreOptions } from './sqlite-store.js';
import { openMigratedDatabase } from './sqlite-store.js';

/** Opens the revenue ledger on the store's SQLite file (its own connection; migrates as needed). */
export function openSqliteRevenueLedger(opts: SqliteStoreOptions): RevenueLedger & { close(): void } {
  const db = openMigratedDatabase(opts);
  return new SqliteRevenueLedger(db);
}

class SqliteRevenueLedger implements RevenueLedger {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      person: db.prepare(
        `INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (person_key, jurisdiction, consignment_id)
         DO UPDATE SET import_date = excluded.import_date, amount = excluded.amount, currency = excluded.currency`,
      ),
      range: db.prepare(
        `SELECT import_date AS date, amount FROM revenue_person_imports
         WHERE person_key = ? AND jurisdiction = ? AND currency = ? AND import_date >= ? AND import_date <= ?
           AND consignment_id <> ?`,
      ),
      ioss: db.prepare(
        `INSERT INTO revenue_ioss_entries (consignment_id, ioss_number, member_state, month, intrinsic_value_eur, vat_eur)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (consignment_id) DO UPDATE SET ioss_number = excluded.ioss_number,
           member_state = excluded.member_state, month = excluded.month,
           intrinsic_value_eur = excluded.intrinsic_value_eur, vat_eur = excluded.vat_eur`,
      ),
      month: db.prepare(
        `SELECT ioss_number AS iossNumber, member_state AS memberState, intrinsic_value_eur AS value, vat_eur AS vat
         FROM revenue_ioss_entries WHERE month = ? ORDER BY ioss_number, member_state`,
      ),
      trail: db.prepare(
        `INSERT INTO revenue_trail (consignment_id, kind, collected_by, amount, currency, reason, at, actor, ref)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      unperson: db.prepare('DELETE FROM revenue_person_imports WHERE consignment_id = ?'),
      unpersonElsewhere: db.prepare(
        `DELETE FROM revenue_person_imports
         WHERE consignment_id = ? AND (person_key <> ? OR jurisdiction <> ?)`,
      ),
      cursor: db.prepare(`SELECT seq FROM revenue_ledger_cursor WHERE id = 'events'`),
      setCursor: db.prepare(
        `INSERT INTO revenue_ledger_cursor (id, seq) VALUES ('events', ?)
         ON CONFLICT (id) DO UPDATE SET seq = max(seq, excluded.seq)`,
      ),
      since: db.prepare(
        `SELECT person_key AS personKey, jurisdiction, consignment_id AS consignmentId, import_date AS date,
           amount, currency
         FROM revenue_person_imports WHERE import_date >= ? ORDER BY import_date, consignment_id`,
      ),
      // By person key (the primary key's first column), then the date: json_each keeps it one statement.
      of: db.prepare(
        `SELECT person_key AS personKey, jurisdiction, consignment_id AS consignmentId, import_date AS date,
           amount, currency
         FROM revenue_person_imports
         WHERE person_key IN (SELECT value FROM json_each(?)) AND import_date >= ?`,
      ),
      read: db.prepare(
        `SELECT consignment_id AS consignmentId, kind, collected_by AS collectedBy, amount, currency, reason, at, actor,
           ref
         FROM revenue_trail WHERE consignment_id = ? ORDER BY seq`,
      ),
    };
  }

  recordPersonImport(e: PersonImport): Promise<void> {
    this.st.person.run(e.personKey, e.jurisdiction, e.consignmentId, e.date, e.amount, e.currency);
    return Promise.resolve();
  }

  personTotals(
    personKey: string,
    jurisdiction: string,
    date: string,
    currency: string,
    exceptConsignment = '',
  ): Promise<PersonTotals> {
    const rows = this.st.range.all(
      personKey,
      jurisdiction,
      currency,
      `${date.slice(0, 4)}-01-01`,
      date,
      exceptConsignment,
    ) as { date: string; amount: string }[];
    const places = Math.max(0, ...rows.map((r) => r.amount.split('.')[1]?.length ?? 0));
    return Promise.resolve({
      day: sum(rows.filter((r) => r.date === date).map((r) => r.amount)).toFixed(places),
      yearToDate: sum(rows.map((r) => r.amount)).toFixed(places),
      currency,
    });
  }

  recordIoss(e: IossEntry): Promise<void> {
    this.st.ioss.run(e.consignmentId, e.iossNumber, e.memberState, e.month, e.intrinsicValueEur, e.vatEur);
    return Promise.resolve();
  }

  iossMonthly(month: string): Promise<IossReportLine[]> {
    const rows = this.st.month.all(month) as {
      iossNumber: string;
      memberState: string;
      value: string;
      vat: string;
    }[];
    const out: IossReportLine[] = [];
    let i = 0;
    while (i < rows.length) {
      const first = rows[i]!;
      const group = [];
      while (
        i < rows.length &&
        rows[i]!.iossNumber === first.iossNumber &&
        rows[i]!.memberState === first.memberState
      )
        group.push(rows[i++]!);
      out.push({
        iossNumber: first.iossNumber,
        memberState: first.memberState,
        consignments: group.length,
        intrinsicValueEur: sum(group.map((r) => r.value)).toFixed(2),
        vatEur: sum(group.map((r) => r.vat)).toFixed(2),
      });
    }
    return Promise.resolve(out);
  }

  appendTrail(entries: readonly RevenueTrailEntry[]): Promise<void> {
    const run = this.db.transaction((list: readonly RevenueTrailEntry[]) => {
      for (const e of list) this.insertTrail(e);
    });
    run(entries);
    return Promise.resolve();
  }

  private insertTrail(e: RevenueTrailEntry): void {
    this.st.trail.run(
      e.consignmentId,
      e.kind,
      e.collectedBy,
      e.amount,
      e.currency,
      e.reason,
      e.at,
      e.actor,
      e.ref ?? '',
    );
  }

  writeBatch(batch: LedgerBatch, cursor?: number): Promise<void> {
    const st = this.st;
    this.db.transaction(() => {
      for (const id of batch.removePersons) st.unperson.run(id);
      // A consignment counts for one person: a re-assessment naming another consignee moves its entry.
      for (const e of batch.persons) st.unpersonElsewhere.run(e.consignmentId, e.personKey, e.jurisdiction);
      for (const e of batch.persons)
        st.person.run(e.personKey, e.jurisdiction, e.consignmentId, e.date, e.amount, e.currency);
      for (const e of batch.ioss)
        st.ioss.run(e.consignmentId, e.iossNumber, e.memberState, e.month, e.intrinsicValueEur, e.vatEur);
      for (const e of batch.trail) this.insertTrail(e);
      if (cursor !== undefined) st.setCursor.run(cursor);
    })();
    return Promise.resolve();
  }

  cursor(): Promise<number> {
    const row = this.st.cursor.get() as { seq: number } | undefined;
    return Promise.resolve(row?.seq ?? 0);
  }

  personImportsSince(date: string): Promise<PersonImport[]> {
    return Promise.resolve(this.st.since.all(date) as PersonImport[]);
  }

  personImportsOf(personKeys: readonly string[], since: string): Promise<PersonImport[]> {
    if (personKeys.length === 0) return Promise.resolve([]);
    return Promise.resolve(this.st.of.all(JSON.stringify(personKeys), since) as PersonImport[]);
  }

  trail(consignmentId: string): Promise<RevenueTrailEntry[]> {
    return Promise.resolve(
      (this.st.read.all(consignmentId) as (RevenueTrailEntry & { ref: string })[]).map(withoutEmptyRef),
    );
  }

  close(): void {
    this.db.close();
  }
}

/** A trail row as the port gives it: `ref` only when it has one. */
export function withoutEmptyRef(r: RevenueTrailEntry & { ref: string }): RevenueTrailEntry {
  if (r.ref !== '') return r;
  const { ref: _none, ...rest } = r;
  return rest;
}
