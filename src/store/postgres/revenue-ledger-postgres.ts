/** The PostgreSQL adapter of the revenue ledger port; sums are exact `numeric` in SQL. */
import pg from 'pg';
import type {
  IossEntry,
  IossReportLine,
  LedgerBatch,
  PersonImport,
  PersonTotals,
  RevenueLedger,
  RevenueTrailEntry,
} from '../../revenue/index.js';
import { inTransaction, openMigratedPool } from './pool.js';

/** Opens the revenue ledger on a PostgreSQL schema (migrating it as needed). */
export async function openPostgresRevenueLedger(opts: {
  url: string;
  schema?: string;
}): Promise<RevenueLedger & { close(): Promise<void> }> {
  const pool = await openMigratedPool(opts, 4);
  return new PostgresRevenueLedger(pool);
}

class PostgresRevenueLedger implements RevenueLedger {
  constructor(private readonly pool: pg.Pool) {}

  async recordPersonImport(e: PersonImport): Promise<void> {
    await this.pool.query(
      `INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (person_key, jurisdiction, consignment_id)
       DO UPDATE SET import_date = excluded.import_date, amount = excluded.amount, currency = excluded.currency`,
      [e.personKey, e.jurisdiction, e.consignmentId, e.date, e.amount, e.currency],
    );
  }

  async personTotals(
    personKey: string,
    jurisdiction: string,
    date: string,
    currency: string,
    exceptConsignment = '',
  ): Promise<PersonTotals> {
    const { rows } = await this.pool.query<{ day: string; year: string; places: number }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE import_date = $4), 0)::text AS day,
              coalesce(sum(amount), 0)::text AS year,
              coalesce(max(scale(amount)), 0) AS places
       FROM revenue_person_imports
       WHERE person_key = $1 AND jurisdiction = $2 AND currency = $3
         AND import_date >= $5 AND import_date <= $4 AND consignment_id <> $6`,
      [personKey, jurisdiction, currency, date, `${date.slice(0, 4)}-01-01`, exceptConsignment],
    );
    const r = rows[0];
    const places = Number(r?.places ?? 0);
    const fix = (v: string | undefined) => (places === 0 ? (v ?? '0') : pad(v ?? '0', places));
    return { day: fix(r?.day), yearToDate: fix(r?.year), currency };
  }

  async recordIoss(e: IossEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO revenue_ioss_entries (consignment_id, ioss_number, member_state, month, intrinsic_value_eur, vat_eur)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consignment_id) DO UPDATE SET ioss_number = excluded.ioss_number,
         member_state = excluded.member_state, month = excluded.month,
         intrinsic_value_eur = excluded.intrinsic_value_eur, vat_eur = excluded.vat_eur`,
      [e.consignmentId, e.iossNumber, e.memberState, e.month, e.intrinsicValueEur, e.vatEur],
    );
  }

  async iossMonthly(month: string): Promise<IossReportLine[]> {
    const { rows } = await this.pool.query<{
      ioss: string;
      ms: string;
      n: string;
      value: string;
      vat: string;
    }>(
      `SELECT ioss_number AS ioss, member_state AS ms, count(*)::text AS n,
              round(sum(intrinsic_value_eur), 2)::text AS value, round(sum(vat_eur), 2)::text AS vat
       FROM revenue_ioss_entries WHERE month = $1
       GROUP BY ioss_number, member_state ORDER BY ioss_number, member_state`,
      [month],
    );
    return rows.map((r) => ({
      iossNumber: r.ioss,
      memberState: r.ms,
      consignments: Number(r.n),
      intrinsicValueEur: r.value,
      vatEur: r.vat,
    }));
  }

  async appendTrail(entries: readonly RevenueTrailEntry[]): Promise<void> {
    for (const e of entries)
      await this.pool.query(
        `INSERT INTO revenue_trail (consignment_id, kind, collected_by, amount, currency, reason, at, actor, ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [e.consignmentId, e.kind, e.collectedBy, e.amount, e.currency, e.reason, e.at, e.actor, e.ref ?? ''],
      );
  }

  async writeBatch(batch: LedgerBatch, cursor?: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      if (batch.removePersons.length > 0)
        await client.query('DELETE FROM revenue_person_imports WHERE consignment_id = ANY($1::text[])', [
          batch.removePersons,
        ]);
      const p = batch.persons;
      // A consignment counts for one person: a re-assessment naming another consignee moves its entry.
      if (p.length > 0)
        await client.query(
          `DELETE FROM revenue_person_imports r
           USING unnest($1::text[], $2::text[], $3::text[]) AS n(id, person_key, jurisdiction)
           WHERE r.consignment_id = n.id AND (r.person_key <> n.person_key OR r.jurisdiction <> n.jurisdiction)`,
          [p.map((e) => e.consignmentId), p.map((e) => e.personKey), p.map((e) => e.jurisdiction)],
        );
      if (p.length > 0)
        await client.query(
          `INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[])
         ON CONFLICT (person_key, jurisdiction, consignment_id)
         DO UPDATE SET import_date = excluded.import_date, amount = excluded.amount, currency = excluded.currency`,
          [
            p.map((e) => e.personKey),
            p.map((e) => e.jurisdiction),
            p.map((e) => e.consignmentId),
            p.map((e) => e.date),
            p.map((e) => e.amount),
            p.map((e) => e.currency),
          ],
        );
      const i = batch.ioss;
      if (i.length > 0)
        await client.query(
          `INSERT INTO revenue_ioss_entries (consignment_id, ioss_number, member_state, month, intrinsic_value_eur, vat_eur)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[])
         ON CONFLICT (consignment_id) DO UPDATE SET ioss_number = excluded.ioss_number,
           member_state = excluded.member_state, month = excluded.month,
           intrinsic_value_eur = excluded.intrinsic_value_eur, vat_eur = excluded.vat_eur`,
          [
            i.map((e) => e.consignmentId),
            i.map((e) => e.iossNumber),
            i.map((e) => e.memberState),
            i.map((e) => e.month),
            i.map((e) => e.intrinsicValueEur),
            i.map((e) => e.vatEur),
          ],
        );
      const t = batch.trail;
      if (t.length > 0)
        await client.query(
          `INSERT INTO revenue_trail (consignment_id, kind, collected_by, amount, currency, reason, at, actor, ref)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::text[],
           $7::text[], $8::text[], $9::text[])
         ON CONFLICT DO NOTHING`,
          [
            t.map((e) => e.consignmentId),
            t.map((e) => e.kind),
            t.map((e) => e.collectedBy),
            t.map((e) => e.amount),
            t.map((e) => e.currency),
            t.map((e) => e.reason),
            t.map((e) => e.at),
            t.map((e) => e.actor),
            t.map((e) => e.ref ?? ''),
          ],
        );
      if (cursor !== undefined)
        await client.query(
          `INSERT INTO revenue_ledger_cursor (id, seq) VALUES ('events', $1)
         ON CONFLICT (id) DO UPDATE SET seq = greatest(revenue_ledger_cursor.seq, excluded.seq)`,
          [cursor],
        );
    });
  }

  async cursor(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>(
      `SELECT seq::text AS seq FROM revenue_ledger_cursor WHERE id = 'events'`,
    );
    return Number(rows[0]?.seq ?? 0);
  }

  async personImportsSince(date: string): Promise<PersonImport[]> {
    const { rows } = await this.pool.query<PersonImport>(
      `SELECT person_key AS "personKey", jurisdiction, consignment_id AS "consignmentId", import_date AS date,
         amount::text AS amount, currency
       FROM revenue_person_imports WHERE import_date >= $1 ORDER BY import_date, consignment_id`,
      [date],
    );
    return rows;
  }

  async personImportsOf(personKeys: readonly string[], since: string): Promise<PersonImport[]> {
    if (personKeys.length === 0) return [];
    const { rows } = await this.pool.query<PersonImport>(
      `SELECT person_key AS "personKey", jurisdiction, consignment_id AS "consignmentId", import_date AS date,
         amount::text AS amount, currency
       FROM revenue_person_imports WHERE person_key = ANY($1::text[]) AND import_date >= $2`,
      [personKeys, since],
    );
    return rows;
  }

  async trail(consignmentId: string): Promise<RevenueTrailEntry[]> {
    const { rows } = await this.pool.query<RevenueTrailEntry & { ref: string }>(
      `SELECT consignment_id AS "consignmentId", kind, collected_by AS "collectedBy", amount::text AS amount,
              currency, reason, at, actor, ref
       FROM revenue_trail WHERE consignment_id = $1 ORDER BY seq`,
      [consignmentId],
    );
    return rows.map((r) => {
      if (r.ref !== '') return r;
      const { ref: _none, ...rest } = r;
      return rest;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function pad(text: string, places: number): string {
  const [int, frac = ''] = text.split('.');
  return `${int ?? '0'}.${frac.padEnd(places, '0').slice(0, places)}`;
}
