/** The console port on SQLite: work-queue pages and counts, KPI facts and volumes over the event log. */
import type Database from 'better-sqlite3';
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
import { kpiFactColumns, kpiRefreshBatch, kpiRefreshSql } from './kpi-facts.js';
import { answeredCountSql, queuePage, queueSql, windowBounds, type KpiFactRow } from './queue-sql.js';
import { forgetAnswerSql, noteAnswerSql } from './information-sql.js';
import { claimColumns, planClaim, queuedSql } from './claims-sql.js';

const quote = (s: string) => `"${s}"`;
const param = () => '?';

/** Turns a raw KPI row into a fact (shared by both adapters). */
export function toKpiFact(r: KpiFactRow): KpiFact {
  const flag = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
  return {
    id: r.id,
    office: r.office,
    lane: r.lane as Lane,
    receivedAt: r.receivedAt,
    decidedAt: r.decidedAt,
    releasedAt: r.releasedAt,
    releasedBeforeArrivalAt: r.releasedBeforeArrivalAt,
    arrivedAt: r.arrivedAt,
    heldForInformation: flag(r.rfi),
    inspected: flag(r.inspectedFlag),
    finding: r.finding,
    randomSelected: flag(r.randomFlag),
  };
}

/** Reads the console's queries from an open better-sqlite3 database (migration 60 applied). */
export class SqliteConsoleStore implements ConsoleStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private prepared(key: string, sql: string): Database.Statement {
    let s = this.statements.get(key);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(key, s);
    }
    return s;
  }

  async queue(query: QueueQuery): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
    const { key, sql, params } = queueSql(query, param, quote);
    return queuePage(query, this.prepared(`queue:${key}`, sql).all(...params) as never[]);
  }

  async claim(r: ClaimRequest): Promise<ClaimResult> {
    const queued = this.prepared('claim-queued', queuedSql('?'));
    const current = this.prepared(
      'claim-of',
      `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = ?`,
    );
    const write = this.prepared(
      'claim-write',
      `INSERT OR REPLACE INTO work_queue_claims (consignment_id, officer_id, claimed_at, expires_at)
       VALUES (?, ?, ?, ?)`,
    );
    // IMMEDIATE: the read and the write hold the database's write lock, so another connection's claim
    // waits and then sees this one.
    const take = this.db.transaction((): ClaimResult => {
      if (queued.get(r.consignmentId) === undefined) return { ok: false, reason: 'not-queued' };
      const plan = planClaim(current.get(r.consignmentId) as Claim | undefined, r);
      if (!plan.ok) return plan;
      const { claim, previous } = plan;
      write.run(claim.consignmentId, claim.officerId, claim.claimedAt, claim.expiresAt);
      return { ok: true, claim, previous };
    });
    return take.immediate();
  }

  async release(consignmentId: string, officerId?: string): Promise<Claim | null> {
    const row =
      officerId === undefined
        ? this.prepared(
            'release-any',
            `DELETE FROM work_queue_claims WHERE consignment_id = ? RETURNING ${claimColumns}`,
          ).get(consignmentId)
        : this.prepared(
            'release-own',
            `DELETE FROM work_queue_claims WHERE consignment_id = ? AND officer_id = ? RETURNING ${claimColumns}`,
          ).get(consignmentId, officerId);
    return (row as Claim | undefined) ?? null;
  }

  async claimOf(consignmentId: string): Promise<Claim | null> {
    const row = this.prepared(
      'claim-of',
      `SELECT ${claimColumns} FROM work_queue_claims WHERE consignment_id = ?`,
    ).get(consignmentId);
    return (row as Claim | undefined) ?? null;
  }

  async queueCounts(): Promise<QueueCounts> {
    const rows = this.prepared(
      'counts',
      `SELECT 'state' AS kind, state AS k, count(*) AS n FROM work_queue GROUP BY state
       UNION ALL SELECT 'lane', lane, count(*) FROM work_queue GROUP BY lane
       UNION ALL SELECT 'office', office, count(*) FROM work_queue GROUP BY office
       UNION ALL SELECT 'reason', reason, count(*) FROM work_queue_reasons GROUP BY reason
       UNION ALL SELECT 'answered', NULL, (${answeredCountSql})`,
    ).all() as { kind: string; k: string | null; n: number }[];
    return countsFrom(rows);
  }

  /**
   * Brings kpi_facts up to the event log: recomputes the rows of the consignments with events after
   * the cursor, `kpiRefreshBatch` events per transaction. Returns the number of events read.
   */
  async noteAnswer(consignmentId: string, at: string): Promise<void> {
    this.prepared('note-answer', noteAnswerSql('?', '?')).run(consignmentId, at);
  }

  async forgetAnswer(consignmentId: string): Promise<void> {
    this.prepared('forget-answer', forgetAnswerSql('?')).run(consignmentId);
  }

  async refreshKpiFacts(maxEvents = Number.POSITIVE_INFINITY): Promise<number> {
    const refresh = this.prepared(
      'kpi-refresh',
      kpiRefreshSql({
        param: () => '?',
        finding: (d) => `json_extract(${d}, '$.finding')`,
        randomSelected: (doc) => `json_extract(${doc}, '$.assessment.risk.randomSelected')`,
        revenue: (doc, field) => `json_extract(${doc}, '$.assessment.revenue.${field}')`,
        insert: 'sqlite',
      }),
    );
    const frontier = this.prepared('kpi-frontier', 'SELECT frontier FROM kpi_cursor WHERE id = 1').pluck();
    const last = this.prepared('kpi-last', 'SELECT max(seq) FROM events').pluck();
    const advance = this.prepared('kpi-advance', 'UPDATE kpi_cursor SET frontier = ? WHERE id = 1');
    // SQLite has one writer: seqs commit in order, so everything at or below max(seq) is final.
    const step = this.db.transaction((limit: number): number => {
      const from = Number(frontier.get() ?? 0);
      const to = Math.min(Number(last.get() ?? 0), from + limit);
      if (to <= from) return 0;
      refresh.run(from, to);
      advance.run(to);
      return to - from;
    });
    let total = 0;
    while (total < maxEvents) {
      const n = step.immediate(Math.min(kpiRefreshBatch, maxEvents - total));
      if (n === 0) break;
      total += n;
      // Let other work run between steps of a long catch-up.
      await new Promise((r) => setImmediate(r));
    }
    return total;
  }

  async kpiFacts(window: KpiWindow): Promise<KpiFact[]> {
    await this.refreshKpiFacts();
    const rows = this.prepared(
      'kpi',
      `SELECT ${kpiFactColumns} FROM kpi_facts WHERE received_at >= ? AND received_at < ?`,
    ).all(...windowBounds(window)) as KpiFactRow[];
    return rows.map(toKpiFact);
  }

  async revenueFacts(window: KpiWindow): Promise<RevenueFact[]> {
    await this.refreshKpiFacts();
    return this.prepared(
      'revenue',
      `SELECT collection_model AS "collectionModel", currency, due_at_border AS "dueAtBorder", prepaid
       FROM kpi_facts WHERE created_at >= ? AND created_at < ?`,
    ).all(...windowBounds(window)) as RevenueFact[];
  }

  async changeMark(): Promise<string> {
    const seq = this.prepared('mark', 'SELECT max(seq) FROM events').pluck().get() as number | null;
    return String(seq ?? 0);
  }

  async dailyVolume(window: KpiWindow): Promise<DailyVolume[]> {
    return this.prepared(
      'daily',
      `SELECT substr(created_at, 1, 10) AS day, office, count(*) AS count FROM consignments
       WHERE created_at >= ? AND created_at < ? GROUP BY day, office ORDER BY day, office`,
    ).all(...windowBounds(window)) as DailyVolume[];
  }

  async dailyLaneVolume(window: KpiWindow): Promise<DailyLaneVolume[]> {
    await this.refreshKpiFacts();
    return this.prepared('daily-lane', dailyLaneSql('?', '?')).all(
      ...windowBounds(window),
    ) as DailyLaneVolume[];
  }
}

/** Parcels and inspections per day, office and lane from the KPI facts (both adapters). */
export const dailyLaneSql = (from: string, to: string): string =>
  `SELECT substr(created_at, 1, 10) AS day, office, lane, count(*) AS count, sum(inspected) AS inspected
   FROM kpi_facts WHERE created_at >= ${from} AND created_at < ${to}
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

/** Folds (kind, key, count) rows into queue counts (shared by both adapters). */
export function countsFrom(rows: { kind: string; k: string | null; n: number | string }[]): QueueCounts {
  const c: QueueCounts = { total: 0, byState: {}, byLane: {}, byOffice: {}, byReason: {}, answered: 0 };
  const into = { state: c.byState, lane: c.byLane, office: c.byOffice, reason: c.byReason } as Record<
    string,
    Record<string, number>
  >;
  for (const r of rows) {
    const n = Number(r.n);
    const bucket = into[r.kind];
    if (r.kind === 'answered') c.answered = n;
    if (bucket === undefined) continue;
    bucket[r.k ?? '(none)'] = n;
    if (r.kind === 'state') c.total += n;
  }
  return c;
}
