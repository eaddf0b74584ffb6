/** The PostgreSQL adapter of the revenue ledger port; sums are exact `numeric` in SQL. */
import pg from 'pg';
import type {
  IossEntry,
  IossReportLine,
  PersonImport,
  PersonTotals,
  RevenueLedger,
  RevenueTrailEntry,
} from '../../revenue/index.js';
import { openMigratedPool } from './pool.js';

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
        `INSERT INTO revenue_trail (consignment_id, kind, collected_by, amount, currency, reason, at, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [e.consignmentId, e.kind, e.collectedBy, e.amount, e.currency, e.reason, e.at, e.actor],
      );
  }

  async trail(consignmentId: string): Promise<RevenueTrailEntry[]> {
    const { rows } = await this.pool.query<RevenueTrailEntry>(
      `SELECT consignment_id AS "consignmentId", kind, collected_by AS "collectedBy", amount::text AS amount,
              currency, reason, at, actor
       FROM revenue_trail WHERE consignment_id = $1 ORDER BY seq`,
      [consignmentId],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function pad(text: string, places: number): string {
  const [int, frac = ''] = text.split('.');
  return `${int ?? '0'}.${frac.padEnd(places, '0').slice(0, places)}`;
}
