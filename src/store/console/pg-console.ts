/** The console port on PostgreSQL: the same queries as SQLite, with numbered parameters. */
import type pg from 'pg';
import type {
  ConsoleStore,
  DailyVolume,
  KpiFact,
  KpiWindow,
  QueueCounts,
  QueueItem,
  QueueQuery,
  RevenueFact,
} from './port.js';
import { kpiFactsSql, queuePage, queueSql, windowBounds, type KpiFactRow } from './queue-sql.js';
import { countsFrom, toKpiFact } from './sqlite-console.js';

const quote = (s: string) => `"${s}"`;
const param = (n: number) => `$${n}`;

/** Reads the console's queries through a pg pool (migration 60 applied). */
export class PgConsoleStore implements ConsoleStore {
  constructor(private readonly pool: pg.Pool) {}

  async queue(query: QueueQuery): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
    const { sql, params } = queueSql(query, param, quote);
    const { rows } = await this.pool.query(sql, params);
    return queuePage(query, rows as never[]);
  }

  async queueCounts(): Promise<QueueCounts> {
    const { rows } = await this.pool.query<{ kind: string; k: string | null; n: string }>(
      `SELECT 'state' AS kind, state AS k, count(*) AS n FROM work_queue GROUP BY state
       UNION ALL SELECT 'lane', lane, count(*) FROM work_queue GROUP BY lane
       UNION ALL SELECT 'office', office, count(*) FROM work_queue GROUP BY office
       UNION ALL SELECT 'reason', reason, count(*) FROM work_queue_reasons GROUP BY reason`,
    );
    return countsFrom(rows);
  }

  async kpiFacts(window: KpiWindow): Promise<KpiFact[]> {
    const sql = kpiFactsSql(
      param,
      quote,
      (d) => `(${d}::jsonb ->> 'finding')`,
      (doc) => `((${doc}::jsonb) -> 'assessment' -> 'risk' ->> 'randomSelected')`,
    );
    const { rows } = await this.pool.query<KpiFactRow>(sql, windowBounds(window));
    return rows.map(toKpiFact);
  }

  async revenueFacts(window: KpiWindow): Promise<RevenueFact[]> {
    const { rows } = await this.pool.query<RevenueFact>(
      `SELECT (doc::jsonb) -> 'assessment' -> 'revenue' ->> 'collectionModel' AS "collectionModel", currency,
         due_at_border AS "dueAtBorder", (doc::jsonb) -> 'assessment' -> 'revenue' ->> 'prepaid' AS prepaid
       FROM consignments WHERE created_at >= $1 AND created_at < $2`,
      windowBounds(window),
    );
    return rows;
  }

  async changeMark(): Promise<string> {
    // The sequence's last value moves with every event and reads in O(1), unlike max(seq).
    const { rows } = await this.pool.query<{ v: string }>(
      "SELECT last_value::text || CASE WHEN is_called THEN '' ELSE '-' END AS v FROM events_seq",
    );
    return rows[0]?.v ?? '0';
  }

  async dailyVolume(window: KpiWindow): Promise<DailyVolume[]> {
    const { rows } = await this.pool.query<{ day: string; office: string | null; count: string }>(
      `SELECT substr(created_at, 1, 10) AS day, office, count(*) AS count FROM consignments
       WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      windowBounds(window),
    );
    return rows.map((r) => ({ day: r.day, office: r.office, count: Number(r.count) }));
  }
}
