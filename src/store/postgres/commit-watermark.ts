/** The commit watermark of a PostgreSQL schema's event log (see docs/notifications.md). */
import type pg from 'pg';

/**
 * The highest events.seq below which no transaction can still commit an event. PostgreSQL draws seqs
 * from a sequence before commit, so concurrent transactions may commit out of seq order. The watermark
 * reads the sequence's last value s, then which transactions hold this schema's `events_seq` in
 * RowExclusiveLock (pg_locks): `nextval` takes that lock and keeps it to the end of the transaction,
 * so every transaction that drew a seq <= s and has not ended is among them. Once none of them holds
 * the lock any more, every event with seq <= s is committed (PostgreSQL makes a commit visible before
 * it releases the transaction's locks) or never will be, and s becomes the watermark. Only writers of
 * this schema's event log are waited for: transactions of other schemas or databases on the same
 * server (another tenant, a migration, a long report) never hold the feed back. See
 * docs/notifications.md.
 */
export class CommitWatermark {
  private safe = 0;
  private pending: { seq: number; writers: string[] } | undefined;
  private target: Promise<{ db: string; seq: string }> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** The oids of this database and of the schema's `events_seq` (they identify its lock in pg_locks). */
  private lockTarget(): Promise<{ db: string; seq: string }> {
    this.target ??= this.pool
      .query<{ db: string; seq: string }>(
        `SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text AS db,
           'events_seq'::regclass::oid::text AS seq`,
      )
      .then(({ rows }) => rows[0]!)
      .catch((e: unknown) => {
        this.target = undefined;
        throw e;
      });
    return this.target;
  }

  /** Virtual transaction ids holding the sequence's writer lock, or only those of `among` when given. */
  private async writers(among?: string[]): Promise<string[]> {
    const t = await this.lockTarget();
    const { rows } = await this.pool.query<{ v: string }>(
      `SELECT virtualtransaction AS v FROM pg_locks
       WHERE locktype = 'relation' AND database = $1::oid AND relation = $2::oid
         AND mode = 'RowExclusiveLock'${among === undefined ? '' : ' AND virtualtransaction = ANY($3::text[])'}`,
      among === undefined ? [t.db, t.seq] : [t.db, t.seq, among],
    );
    return rows.map((r) => r.v);
  }

  private async finished(writers: string[]): Promise<boolean> {
    return writers.length === 0 || (await this.writers(writers)).length === 0;
  }

  /** Advances when the pending candidate is settled; returns the current safe seq. */
  async current(): Promise<number> {
    // Callers may overlap (the feed, the KPI follower, audit sealing): each works on the candidate it
    // read, and only clears it if no other call has replaced or cleared it meanwhile.
    const pending = this.pending;
    if (pending !== undefined && (await this.finished(pending.writers))) {
      this.safe = Math.max(this.safe, pending.seq);
      if (this.pending === pending) this.pending = undefined;
    }
    if (this.pending === undefined) {
      // The last value first: a transaction that draws a seq after this read is not waited for.
      const last = await this.pool.query<{ s: string }>(
        'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS s FROM events_seq',
      );
      const candidate = { seq: Number(last.rows[0]?.s ?? 0), writers: await this.writers() };
      if (candidate.writers.length === 0) this.safe = Math.max(this.safe, candidate.seq);
      else this.pending = candidate;
    }
    return this.safe;
  }

  /**
   * The watermark once it covers every seq drawn before this call, waiting (polling every `pollMs`)
   * at most `maxWaitMs` for the transactions that drew them; after that, whatever it has reached.
   */
  async settle(maxWaitMs: number, pollMs = 20): Promise<number> {
    const started = Date.now();
    const last = await this.pool.query<{ s: string }>(
      'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS s FROM events_seq',
    );
    const drawn = Number(last.rows[0]?.s ?? 0);
    for (;;) {
      const safe = await this.current();
      if (safe >= drawn || Date.now() - started >= maxWaitMs) return safe;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
