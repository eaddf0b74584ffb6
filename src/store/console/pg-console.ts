/** The console port on PostgreSQL: the same queries as SQLite, with numbered parameters. */
import type pg from 'pg';
import type { Lane } from '../../domain/index.js';
import type {
  Claim,
  ClaimRequest,
  ClaimResult,
  ConsoleStore,
  DailyLaneVolume,
  DailyVolume,
  KpiFact,
  KpiWindow,
  QueueCounts,
  QueueItem,
  QueueQuery,
  RevenueFact,
} from './port.js';
import { CommitWatermark } from '../postgres/commit-watermark.js';
import { inTransaction } from '../postgres/pool.js';
import { kpiFactColumns, kpiRefreshBatch, kpiRefreshSql } from './kpi-facts.js';
import { answeredCountSql, queuePage, queueSql, windowBounds, type KpiFactRow } from './queue-sql.js';
import { forgetAnswerSql, noteAnswerSql } from './information-sql.js';
import { claimColumns, planClaim, queuedSql } from './claims-sql.js';
import { countsFrom, dailyLaneSql, toKpiFact } from './sqlite-console.js';

const quote = (s: string) => `"${s}"`;
const param = (n: number) => `$${n}`;

/** Reads the console's queries through a pg pool (migration 60 applied). */
export class PgConsoleStore implements ConsoleStore {
  private readonly watermark: CommitWatermark;
  private refreshing: Promise<number> | undefined;

  constructor(private readonly pool: pg.Pool) {
    this.watermark = new CommitWatermark(pool);
  }

  async queue(query: QueueQuery): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
    const { sql, params } = queueSql(query, param, quote);
    const { rows } = await this.pool.query(sql, params);
    return queuePage(query, rows as never[]);
  }

  async claim(r: ClaimRequest): Promise<ClaimResult> {
    return inTransaction(this.pool, async (client): Promise<ClaimResult> => {
      // The consignment's row lock, as every transition takes it first: a claim waits for a decision or
      // transition under way and then finds the consignment (queued or not) and its claim as they left.
      await client.query('SELECT 1 FROM consignments WHERE id = $1 FOR UPDATE', [r.consignmentId]);
      const queued = await client.query(queuedSql('$1'), [r.consignmentId]);
      if (queued.rowCount === 0) return { ok: false, reason: 'not-queued' };
      // The row lock makes a concurrent claim on an existing row wait for this transaction and then
      // read its result; with no row yet, the primary key lets only one insert through.
      const { rows } = await client.query<Claim>(
        `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = $1 FOR UPDATE`,
        [r.consignmentId],
      );
      const plan = planClaim(rows[0], r);
      if (!plan.ok) return plan;
      const { claim, previous } = plan;
      const params = [claim.consignmentId, claim.officerId, claim.claimedAt, claim.expiresAt];
      if (previous !== null) {
        await client.query(
          'UPDATE work_queue_claims SET officer_id = $2, claimed_at = $3, expires_at = $4 WHERE consignment_id = $1',
          params,
        );
        return { ok: true, claim, previous };
      }
      const inserted = await client.query(
        `INSERT INTO work_queue_claims (consignment_id, officer_id, claimed_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (consignment_id) DO NOTHING`,
        params,
      );
      if (inserted.rowCount === 1) return { ok: true, claim, previous: null };
      // Another officer's claim was inserted since the read: it is live (just taken), so this one lost.
      const { rows: won } = await client.query<Claim>(
        `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = $1`,
        [r.consignmentId],
      );
      return won[0] !== undefined && won[0].officerId !== r.officerId
        ? { ok: false, reason: 'held-by-other', holder: won[0] }
        : { ok: false, reason: 'not-held' };
    });
  }

  async release(consignmentId: string, officerId?: string): Promise<Claim | null> {
    const { rows } =
      officerId === undefined
        ? await this.pool.query<Claim>(
            `DELETE FROM work_queue_claims WHERE consignment_id = $1 RETURNING ${claimColumns}`,
            [consignmentId],
          )
        : await this.pool.query<Claim>(
            `DELETE FROM work_queue_claims WHERE consignment_id = $1 AND officer_id = $2 RETURNING ${claimColumns}`,
            [consignmentId, officerId],
          );
    return rows[0] ?? null;
  }

  async claimOf(consignmentId: string): Promise<Claim | null> {
    const { rows } = await this.pool.query<Claim>(
      `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = $1`,
      [consignmentId],
    );
    return rows[0] ?? null;
  }

  async noteAnswer(consignmentId: string, at: string): Promise<void> {
    await this.pool.query(noteAnswerSql('$1', '$2'), [consignmentId, at]);
  }

  async forgetAnswer(consignmentId: string): Promise<void> {
    await this.pool.query(forgetAnswerSql('$1'), [consignmentId]);
  }

  async queueCounts(): Promise<QueueCounts> {
    const { rows } = await this.pool.query<{ kind: string; k: string | null; n: string }>(
      `SELECT 'state' AS kind, state AS k, count(*) AS n FROM work_queue GROUP BY state
       UNION ALL SELECT 'lane', lane, count(*) FROM work_queue GROUP BY lane
       UNION ALL SELECT 'office', office, count(*) FROM work_queue GROUP BY office
       UNION ALL SELECT 'reason', reason, count(*) FROM work_queue_reasons GROUP BY reason
       UNION ALL SELECT 'answered', NULL, (${answeredCountSql})`,
    );
    return countsFrom(rows);
  }

  /**
   * Brings kpi_facts up to the commit watermark (events that can no longer be joined by an earlier
   * seq), `kpiRefreshBatch` events per transaction; one catch-up at a time per process. Returns the
   * number of seqs passed.
   */
  async refreshKpiFacts(maxEvents = Number.POSITIVE_INFINITY): Promise<number> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.refresh(maxEvents).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(maxEvents: number): Promise<number> {
    const sql = kpiRefreshSql({
      param: (n) => `$${n}`,
      finding: (d) => `(${d}::jsonb ->> 'finding')`,
      randomSelected: (doc) =>
        `CASE WHEN ((${doc}::jsonb) -> 'assessment' -> 'risk' ->> 'randomSelected') = 'true' THEN 1 ELSE 0 END`,
      revenue: (doc, field) => `((${doc}::jsonb) -> 'assessment' -> 'revenue' ->> '${field}')`,
      insert: 'postgres',
    });
    const safe = await this.watermark.current();
    let total = 0;
    while (total < maxEvents) {
      const n = await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<{ frontier: string }>(
          'SELECT frontier FROM kpi_cursor WHERE id = 1 FOR UPDATE',
        );
        const from = Number(rows[0]?.frontier ?? 0);
        const to = Math.min(safe, from + Math.min(kpiRefreshBatch, maxEvents - total));
        if (to <= from) return 0;
        await client.query(sql, [from, to]);
        await client.query('UPDATE kpi_cursor SET frontier = $1 WHERE id = 1', [to]);
        return to - from;
      });
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  async kpiFacts(window: KpiWindow): Promise<KpiFact[]> {
    await this.refreshKpiFacts();
    const { rows } = await this.pool.query<KpiFactRow>(
      `SELECT ${kpiFactColumns} FROM kpi_facts WHERE received_at >= $1 AND received_at < $2`,
      windowBounds(window),
    );
    return rows.map(toKpiFact);
  }

  async revenueFacts(window: KpiWindow): Promise<RevenueFact[]> {
    await this.refreshKpiFacts();
    const { rows } = await this.pool.query<RevenueFact>(
      `SELECT collection_model AS "collectionModel", currency, due_at_border AS "dueAtBorder", prepaid
       FROM kpi_facts WHERE created_at >= $1 AND created_at < $2`,
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

  async dailyLaneVolume(window: KpiWindow): Promise<DailyLaneVolume[]> {
    await this.refreshKpiFacts();
    const { rows } = await this.pool.query<{
      day: string;
      office: string | null;
      lane: Lane;
      count: string;
      inspected: string;
    }>(dailyLaneSql('$1', '$2'), windowBounds(window));
    return rows.map((r) => ({
      day: r.day,
      office: r.office,
      lane: r.lane,
      count: Number(r.count),
      inspected: Number(r.inspected),
    }));
  }
}
