/** The SQLite adapter of the security store: its own connection to the clearance store's file. */
import Database from 'better-sqlite3';

import { type SqliteStoreOptions } from '../store/sqlite/sqlite-store.js';
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
import { creationSpan, expandEventRows } from '../store/event-rows.js';
import { openMigratedDatabase } from '../store/sqlite/sqlite-store.js';
import {
  contributorIntegritySql,
  type ContributorIntegrity,
  type ContributorPair,
} from '../store/contributors-guard.js';

interface KeyRow {
  id: string;
  label: string;
  role: string;
  operator_id: string;
  secret_hash: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_to: string | null;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string | null;
  prev_hash: string;
  hash: string;
}

/** Turns a stored key row into a record. */
export function keyOf(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    label: r.label,
    role: r.role,
    operatorId: r.operator_id,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    rotatedTo: r.rotated_to,
  };
}

/** Turns a stored audit row into an entry. */
export function auditOf(r: AuditRow): AuditEntry {
  const e: AuditEntry = {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
  if (r.data !== null) e.data = JSON.parse(r.data) as Record<string, unknown>;
  return e;
}

/** The 64-hex-zero hash the first audit entry links to. */
export const genesisHash = '0'.repeat(64);

/** Opens the security store on the same database as `openSqliteStore(opts)` (migrating it as needed). */
export function openSqliteSecurityStore(opts: SqliteStoreOptions): SecurityStore {
  const db = openMigratedDatabase(opts);
  return new SqliteSecurityStore(db);
}

const claimReleaseSelect = `SELECT seq, consignment_id AS "consignmentId", officer_id AS "officerId",
  claimed_at AS "claimedAt", expires_at AS "expiresAt", released_at AS "releasedAt",
  released_by AS "releasedBy", reason FROM work_queue_claim_releases`;

class SqliteSecurityStore implements SecurityStore {
  readonly kind = 'sqlite' as const;
  constructor(private readonly db: Database.Database) {}

  async insertKey(k: ApiKeyRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, label, role, operator_id, secret_hash, created_at, created_by, expires_at,
           revoked_at, rotated_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  async getKey(id: string): Promise<ApiKeyRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
    return r ? keyOf(r) : undefined;
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as KeyRow[]).map(keyOf);
  }

  async countActiveKeys(now: string): Promise<number> {
    return this.db
      .prepare(
        'SELECT count(*) FROM api_keys WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
      )
      .pluck()
      .get(now) as number;
  }

  async updateKey(
    id: string,
    patch: Partial<Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt' | 'rotatedTo'>>,
  ): Promise<void> {
    const cols = { expiresAt: 'expires_at', revokedAt: 'revoked_at', rotatedTo: 'rotated_to' } as const;
    for (const [k, col] of Object.entries(cols)) {
      const v = patch[k as keyof typeof cols];
      if (v !== undefined) this.db.prepare(`UPDATE api_keys SET ${col} = ? WHERE id = ?`).run(v, id);
    }
  }

  async appendAudit(
    inputs: AuditInput[],
    link: (prevHash: string, seq: number, input: AuditInput) => string,
    cas?: SettingSwap,
  ): Promise<AuditEntry[]> {
    const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const insert = this.db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const run = this.db.transaction(() => {
      if (cas) {
        const current =
          (this.db.prepare('SELECT value FROM settings WHERE name = ?').pluck().get(cas.name) as
            string | undefined) ?? '0';
        if (current !== cas.expect) return [];
        this.db
          .prepare(
            'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
          )
          .run(cas.name, cas.value);
      }
      const head = last.get() as { seq: number; hash: string } | undefined;
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? genesisHash;
      const out: AuditEntry[] = [];
      for (const input of inputs) {
        seq += 1;
        const hash = link(prev, seq, input);
        insert.run(
          seq,
          input.at,
          input.actor,
          input.action,
          input.subject,
          input.data === undefined ? null : JSON.stringify(input.data),
          prev,
          hash,
        );
        out.push({ ...input, seq, prevHash: prev, hash });
        prev = hash;
      }
      return out;
    });
    // IMMEDIATE: the head is read under the write lock, so two processes never link to the same entry.
    return run.immediate();
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as AuditRow[];
    return rows.map(auditOf);
  }

  async lastAudit(): Promise<AuditEntry | undefined> {
    const r = this.db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      AuditRow | undefined;
    return r ? auditOf(r) : undefined;
  }

  async settledEventSeq(): Promise<number> {
    // One writer at a time: sequence numbers are assigned in commit order, so every committed event
    // up to the highest one is visible.
    return (this.db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number) ?? 0;
  }

  async claimReleasesAfter(afterSeq: number, limit: number): Promise<ClaimReleaseRow[]> {
    return this.db
      .prepare(`${claimReleaseSelect} WHERE seq > ? ORDER BY seq LIMIT ?`)
      .all(afterSeq, limit) as ClaimReleaseRow[];
  }

  async scanEvents(afterSeq: number, toSeq: number, each: (rows: EventRowForSeal[]) => void): Promise<void> {
    const stmt = this.db.prepare(
      `SELECT seq, consignment_id AS consignmentId, type, from_state AS "from", to_state AS "to", at, actor,
         reason, data FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 5000`,
    );
    // A creation row stands for the seqs up to its own (see event-rows.ts): rows up to two seqs above
    // toSeq may hold events in range, and a chunk may end inside a row (the next starts after it).
    let from = afterSeq;
    for (;;) {
      const rows = expandEventRows(
        stmt.all(from, toSeq + creationSpan - 1) as EventRowForSeal[],
        from,
        toSeq,
      );
      if (rows.length === 0) return;
      each(rows);
      from = rows[rows.length - 1]!.seq;
    }
  }

  async contributorIntegrity(limit: number): Promise<ContributorIntegrity> {
    const q = contributorIntegritySql;
    return {
      rows: Number((this.db.prepare(q.rows).get() as { n: number }).n),
      unbacked: this.db.prepare(q.unbacked('?')).all(limit) as ContributorPair[],
      missing: this.db.prepare(q.missing('?')).all(limit) as ContributorPair[],
    };
  }

  async getSetting(name: string): Promise<string | undefined> {
    return this.db.prepare('SELECT value FROM settings WHERE name = ?').pluck().get(name) as
      string | undefined;
  }

  async initSetting(name: string, value: string): Promise<string> {
    this.db
      .prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
      .run(name, value);
    return (await this.getSetting(name))!;
  }

  async forgetPartyKeys(before: string): Promise<number> {
    return this.db
      .prepare(
        `UPDATE risk_outcomes SET consignee_key = NULL, seller_key = NULL WHERE at < ? AND (consignee_key IS NOT NULL OR seller_key IS NOT NULL)`,
      )
      .run(before).changes;
  }

  async rewriteDocuments(
    opts: { updatedBefore?: string; chunk?: number },
    fn: (table: DocumentTable, doc: string) => string | undefined,
  ): Promise<{ scanned: number; changed: number }> {
    const chunk = opts.chunk ?? 1000;
    const ids = this.db.prepare(
      `SELECT id FROM consignments WHERE id > ? ${opts.updatedBefore ? 'AND updated_at < ?' : ''} ORDER BY id LIMIT ?`,
    );
    const docs = {
      consignments: [
        this.db.prepare('SELECT id AS k, doc FROM consignments WHERE id = ?'),
        this.db.prepare('UPDATE consignments SET doc = ? WHERE id = ?'),
      ],
      consignment_versions: [
        this.db.prepare('SELECT version AS k, doc FROM consignment_versions WHERE consignment_id = ?'),
        this.db.prepare('UPDATE consignment_versions SET doc = ? WHERE version = ? AND consignment_id = ?'),
      ],
      declarations: [
        this.db.prepare('SELECT id AS k, doc FROM declarations WHERE consignment_id = ?'),
        this.db.prepare('UPDATE declarations SET doc = ? WHERE id = ? AND consignment_id = ?'),
      ],
    } as const;
    let scanned = 0;
    let changed = 0;
    let after = '';
    for (;;) {
      const batch = (
        opts.updatedBefore ? ids.pluck().all(after, opts.updatedBefore, chunk) : ids.pluck().all(after, chunk)
      ) as string[];
      if (batch.length === 0) break;
      this.db.transaction(() => {
        for (const id of batch) {
          scanned += 1;
          for (const [table, [read, write]] of Object.entries(docs)) {
            for (const row of read.all(id) as { k: string | number; doc: string }[]) {
              const next = fn(table as DocumentTable, row.doc);
              if (next === undefined || next === row.doc) continue;
              changed += 1;
              if (table === 'consignments') write.run(next, id);
              else write.run(next, row.k, id);
            }
          }
        }
      })();
      after = batch[batch.length - 1]!;
    }
    return { scanned, changed };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
