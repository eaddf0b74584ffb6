/** The PostgreSQL adapter of the security store: a small pool on the clearance store's schema. */
import pg from 'pg';
import type {
  ClaimReleaseRow,
  ApiKeyRecord,
  AuditEntry,
  AuditInput,
  DocumentTable,
  EventRowForSeal,
  SecurityStore,
  SettingSwap,
} from './port.js';
import { auditOf, genesisHash, keyOf } from './sqlite.js';
import { creationSpan, expandEventRows } from '../store/event-rows.js';
import { inTransaction, openMigratedPool } from '../store/postgres/pool.js';
import { CommitWatermark } from '../store/postgres/commit-watermark.js';
import {
  contributorIntegritySql,
  type ContributorIntegrity,
  type ContributorPair,
} from '../store/contributors-guard.js';

/** How long `settledEventSeq` waits for the writers of earlier seqs to finish before settling lower. */
const settleWaitMs = 2000;

/** Opens the security store on `url` / `schema` (migrating it as needed, under the migration lock). */
export async function openPgSecurityStore(opts: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<SecurityStore> {
  const pool = await openMigratedPool(opts, 3);
  return new PgSecurityStore(pool);
}

const claimReleaseSelect = `SELECT seq, consignment_id AS "consignmentId", officer_id AS "officerId",
  claimed_at AS "claimedAt", expires_at AS "expiresAt", released_at AS "releasedAt",
  released_by AS "releasedBy", reason FROM work_queue_claim_releases`;

class PgSecurityStore implements SecurityStore {
  readonly kind = 'postgres' as const;
  private closed = false;
  private readonly watermark: CommitWatermark;
  constructor(private readonly pool: pg.Pool) {
    this.watermark = new CommitWatermark(pool);
  }

  async insertKey(k: ApiKeyRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_keys (id, label, role, operator_id, secret_hash, created_at, created_by, expires_at,
         revoked_at, rotated_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        k.id,
        k.label,
        k.role,
        k.operatorId,
        k.secretHash,
        k.createdAt,
        k.createdBy,
        k.expiresAt,
        k.revokedAt,
        k.rotatedTo,
      ],
    );
  }

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ? keyOf(rows[0]) : undefined;
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows.map(keyOf);
  }

  async countActiveKeys(now: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $1)`,
      [now],
    );
    return Number(rows[0]!.n);
  }

  async updateKey(
    id: string,
    patch: Partial<Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt' | 'rotatedTo'>>,
  ): Promise<void> {
    const cols = { expiresAt: 'expires_at', revokedAt: 'revoked_at', rotatedTo: 'rotated_to' } as const;
    for (const [k, col] of Object.entries(cols)) {
      const v = patch[k as keyof typeof cols];
      if (v !== undefined) await this.pool.query(`UPDATE api_keys SET ${col} = $1 WHERE id = $2`, [v, id]);
    }
  }

  async appendAudit(
    inputs: AuditInput[],
    link: (prevHash: string, seq: number, input: AuditInput) => string,
    cas?: SettingSwap,
  ): Promise<AuditEntry[]> {
    return inTransaction(this.pool, async (client) => {
      // One appender at a time across processes: the head is read under this lock. It is keyed by
      // schema, so other schemas' audit logs in the same database never wait for this one.
      await client.query(
        "SELECT pg_advisory_xact_lock(hashtextextended('parcelgate.audit:' || current_schema(), 0))",
      );
      if (cas) {
        const cur = await client.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [
          cas.name,
        ]);
        // Nothing is written yet: ending the transaction releases the lock either way.
        if ((cur.rows[0]?.value ?? '0') !== cas.expect) return [];
        await client.query(
          `INSERT INTO settings (name, value) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
          [cas.name, cas.value],
        );
      }
      const head = await client.query<{ seq: string; hash: string }>(
        'SELECT seq::text AS seq, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1',
      );
      let seq = Number(head.rows[0]?.seq ?? 0);
      let prev = head.rows[0]?.hash ?? genesisHash;
      const out: AuditEntry[] = [];
      for (const input of inputs) {
        seq += 1;
        const hash = link(prev, seq, input);
        await client.query(
          `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            seq,
            input.at,
            input.actor,
            input.action,
            input.subject,
            input.data === undefined ? null : JSON.stringify(input.data),
            prev,
            hash,
          ],
        );
        out.push({ ...input, seq, prevHash: prev, hash });
        prev = hash;
      }
      return out;
    });
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
      afterSeq,
      limit,
    ]);
    return rows.map(auditOf);
  }

  async lastAudit(): Promise<AuditEntry | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
    return rows[0] ? auditOf(rows[0]) : undefined;
  }

  /**
   * Sequence numbers are handed out before commit, so a lower seq may become visible after a higher
   * one. The commit watermark (it never goes down) covers the seqs drawn before this call once the
   * transactions of this schema that drew them have ended; it waits for them at most `settleWaitMs`.
   */
  async settledEventSeq(): Promise<number> {
    return this.watermark.settle(settleWaitMs);
  }

  async claimReleasesAfter(afterSeq: number, limit: number): Promise<ClaimReleaseRow[]> {
    const { rows } = await this.pool.query<ClaimReleaseRow & { seq: string }>(
      `${claimReleaseSelect} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  async scanEvents(afterSeq: number, toSeq: number, each: (rows: EventRowForSeal[]) => void): Promise<void> {
    let from = afterSeq;
    for (;;) {
      const { rows } = await this.pool.query<EventRowForSeal & { seq: string }>(
        `SELECT seq::text AS seq, consignment_id AS "consignmentId", type, from_state AS "from",
           to_state AS "to", at, actor, reason, data
         FROM events WHERE seq > $1 AND seq <= $2 ORDER BY events.seq LIMIT 5000`,
        [from, toSeq + creationSpan - 1],
      );
      // A creation row stands for the seqs up to its own (see event-rows.ts).
      const typed = expandEventRows(rows, from, toSeq);
      if (typed.length === 0) return;
      each(typed);
      from = typed[typed.length - 1]!.seq;
    }
  }

  async contributorIntegrity(limit: number): Promise<ContributorIntegrity> {
    const q = contributorIntegritySql;
    const rows = await this.pool.query<{ n: string }>(q.rows);
    return {
      rows: Number(rows.rows[0]!.n),
      unbacked: (await this.pool.query<ContributorPair>(q.unbacked('$1'), [limit])).rows,
      missing: (await this.pool.query<ContributorPair>(q.missing('$1'), [limit])).rows,
    };
  }

  async getSetting(name: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [
      name,
    ]);
    return rows[0]?.value;
  }

  async initSetting(name: string, value: string): Promise<string> {
    await this.pool.query(
      'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, value],
    );
    return (await this.getSetting(name))!;
  }

  async forgetPartyKeys(before: string): Promise<number> {
    const r = await this.pool.query(
      `UPDATE risk_outcomes SET consignee_key = NULL, seller_key = NULL WHERE at < $1 AND (consignee_key IS NOT NULL OR seller_key IS NOT NULL)`,
      [before],
    );
    return r.rowCount ?? 0;
  }

  async rewriteDocuments(
    opts: { updatedBefore?: string; chunk?: number },
    fn: (table: DocumentTable, doc: string) => string | undefined,
  ): Promise<{ scanned: number; changed: number }> {
    const chunk = opts.chunk ?? 1000;
    let scanned = 0;
    let changed = 0;
    let after = '';
    for (;;) {
      const params: unknown[] = [after, chunk];
      if (opts.updatedBefore) params.push(opts.updatedBefore);
      const { rows } = await this.pool.query<{ id: string }>(
        `SELECT id FROM consignments WHERE id > $1 ${opts.updatedBefore ? 'AND updated_at < $3' : ''}
         ORDER BY id LIMIT $2`,
        params,
      );
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      await inTransaction(this.pool, async (client) => {
        const reads: [DocumentTable, string, string][] = [
          [
            'consignments',
            'SELECT id AS c, id AS k, doc FROM consignments WHERE id = ANY($1) FOR UPDATE',
            'UPDATE consignments SET doc = $1 WHERE id = $2 AND id = $3',
          ],
          [
            'consignment_versions',
            'SELECT consignment_id AS c, version::text AS k, doc FROM consignment_versions WHERE consignment_id = ANY($1) FOR UPDATE',
            'UPDATE consignment_versions SET doc = $1 WHERE version = $2::integer AND consignment_id = $3',
          ],
          [
            'declarations',
            'SELECT consignment_id AS c, id AS k, doc FROM declarations WHERE consignment_id = ANY($1) FOR UPDATE',
            'UPDATE declarations SET doc = $1 WHERE id = $2 AND consignment_id = $3',
          ],
        ];
        for (const [table, read, write] of reads) {
          const docs = await client.query<{ c: string; k: string; doc: string }>(read, [ids]);
          for (const row of docs.rows) {
            const next = fn(table, row.doc);
            if (next === undefined || next === row.doc) continue;
            changed += 1;
            await client.query(write, [next, row.k, row.c]);
          }
        }
      });
      scanned += ids.length;
      after = ids[ids.length - 1]!;
    }
    return { scanned, changed };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
