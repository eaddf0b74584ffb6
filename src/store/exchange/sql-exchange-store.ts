/** The exchange store queries, written once over a SqlRunner for SQLite and PostgreSQL. */
import { ParcelgateError } from '../../domain/index.js';
import type {
  CbecDocumentRow,
  CbecListRow,
  DeadLetter,
  DeliveryProgress,
  ExchangeNotice,
  ExchangeStore,
  FeedEvent,
  StoredNotice,
  ListReason,
  SigningKey,
  SubscriptionChange,
  WebhookSubscription,
} from '../exchange-port.js';
import type { SqlRunner } from './sql-runner.js';
import { creationSpan, expandEventRows, type EventText, type Expanded } from '../event-rows.js';

interface EventRow extends EventText {
  seq: number | string;
  consignment_id: string;
  submitter_id: string;
}

interface KeyRow {
  key_id: string;
  operator_id: string;
  purposes: string;
  public_key: string;
  registered_at: string;
  revoked_at: string | null;
}

interface SubRow {
  id: string;
  operator_id: string;
  url: string;
  secret: string;
  event_types: string;
  active: number;
  cursor: number | string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

interface DeadRow {
  subscription_id: string;
  seq: number | string;
  attempts: number;
  last_error: string;
  dead_at: string;
  replay: number;
}

interface DocRow {
  order_no: string;
  kind: string;
  version: number;
  submitter_id: string;
  key_id: string;
  received_at: string;
  hash: string;
  payload: string;
  signature: string;
}

interface ListRow {
  order_no: string;
  submitter_id: string;
  status: string;
  received_at: string;
  decided_at: string | null;
  reasons: string;
  buyer_id: string;
  quota_year: string;
  value_cny: string;
  consignment_id: string | null;
  payload: string;
}

const eventColumns = `e.seq, e.consignment_id, e.type, e.from_state AS "from", e.to_state AS "to", e.at, e.actor,
  e.reason, e.data, c.submitter_id`;

/** A logical event (see event-rows.ts) as a feed event. */
function toEvent(r: Expanded<EventRow>): FeedEvent {
  const e: FeedEvent = {
    seq: r.seq,
    consignmentId: r.consignment_id,
    type: r.type,
    from: r.from,
    to: r.to,
    at: r.at,
    actor: r.actor,
    submitterId: r.submitter_id,
  };
  if (r.reason !== null) e.reason = r.reason;
  if (r.data !== null) e.data = JSON.parse(r.data) as Record<string, unknown>;
  return e;
}

const toKey = (r: KeyRow): SigningKey => ({
  keyId: r.key_id,
  operatorId: r.operator_id,
  purposes: JSON.parse(r.purposes) as string[],
  publicKey: r.public_key,
  registeredAt: r.registered_at,
  revokedAt: r.revoked_at,
});

const toSub = (r: SubRow): WebhookSubscription => ({
  id: r.id,
  operatorId: r.operator_id,
  url: r.url,
  secret: r.secret,
  eventTypes: JSON.parse(r.event_types) as string[],
  active: Number(r.active) === 1,
  cursor: Number(r.cursor),
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDead = (r: DeadRow): DeadLetter => ({
  subscriptionId: r.subscription_id,
  seq: Number(r.seq),
  attempts: Number(r.attempts),
  lastError: r.last_error,
  deadAt: r.dead_at,
  replay: Number(r.replay) === 1,
});

const toDoc = (r: DocRow): CbecDocumentRow => ({
  orderNo: r.order_no,
  kind: r.kind,
  version: Number(r.version),
  submitterId: r.submitter_id,
  keyId: r.key_id,
  receivedAt: r.received_at,
  hash: r.hash,
  payload: r.payload,
  signature: r.signature,
});

const toList = (r: ListRow): CbecListRow => ({
  orderNo: r.order_no,
  submitterId: r.submitter_id,
  status: r.status,
  receivedAt: r.received_at,
  decidedAt: r.decided_at,
  reasons: JSON.parse(r.reasons) as ListReason[],
  buyerId: r.buyer_id,
  quotaYear: r.quota_year,
  valueCny: r.value_cny,
  consignmentId: r.consignment_id,
  payload: r.payload,
});

/** Options of the shared implementation: the runner, and the highest seq that may be served. */
export interface SqlExchangeOptions {
  kind: 'sqlite' | 'postgres';
  runner: SqlRunner;
  /** Highest seq every reader can already see in full; undefined = no bound (SQLite). */
  watermark: () => Promise<number | undefined>;
  close: () => Promise<void>;
}

/** The exchange store over a SqlRunner. */
export class SqlExchangeStore implements ExchangeStore {
  readonly kind: 'sqlite' | 'postgres';
  private readonly r: SqlRunner;

  constructor(private readonly opts: SqlExchangeOptions) {
    this.kind = opts.kind;
    this.r = opts.runner;
  }

  async eventsSince(afterSeq: number, limit: number, filter: { submitterId?: string } = {}) {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
      throw new ParcelgateError('feed.invalid-cursor', `after must be a whole number >= 0, got ${afterSeq}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new ParcelgateError('feed.invalid-limit', `limit must be a whole number 1-10000, got ${limit}`);
    const bound = await this.opts.watermark();
    const params: unknown[] = [afterSeq];
    let where = 'e.seq > ?';
    if (bound !== undefined) {
      if (bound <= afterSeq) return [];
      // A creation row stands for the seqs up to its own: one just above the bound may hold events below it.
      where += ' AND e.seq <= ?';
      params.push(bound + creationSpan - 1);
    }
    if (filter.submitterId !== undefined) {
      // Every party of the consignment: its owner, or a submitter of any of its records (the contributor
      // rows, see contributors.ts: the same consignments as the party's list; EXISTS: one row per event).
      where += ` AND (c.submitter_id = ? OR EXISTS (SELECT 1 FROM consignment_contributors p
        WHERE p.submitter_id = ? AND p.created_at = c.created_at AND p.consignment_id = e.consignment_id))`;
      params.push(filter.submitterId, filter.submitterId);
    }
    params.push(limit);
    const rows = await this.r.all<EventRow>(
      `SELECT ${eventColumns} FROM events e JOIN consignments c ON c.id = e.consignment_id
       WHERE ${where} ORDER BY e.seq LIMIT ?`,
      params,
    );
    return expandEventRows(rows, afterSeq, bound).slice(0, limit).map(toEvent);
  }

  async eventsBySeq(seqs: readonly number[]) {
    if (seqs.length === 0) return [];
    // An event's row is at its seq or, for a creation row's first events, up to two seqs above it.
    const wanted = new Set(seqs);
    const rowSeqs = [...new Set(seqs.flatMap((s) => [s, s + 1, s + 2]))];
    const marks = rowSeqs.map(() => '?').join(', ');
    const rows = await this.r.all<EventRow>(
      `SELECT ${eventColumns} FROM events e JOIN consignments c ON c.id = e.consignment_id
       WHERE e.seq IN (${marks}) ORDER BY e.seq`,
      rowSeqs,
    );
    return expandEventRows(rows)
      .filter((e) => wanted.has(e.seq))
      .map(toEvent);
  }

  async latestSeq() {
    const rows = await this.r.all<{ s: number | string | null }>('SELECT max(seq) AS s FROM events');
    return Number(rows[0]?.s ?? 0);
  }

  async addSigningKey(k: SigningKey) {
    const existing = await this.getSigningKey(k.keyId);
    if (existing !== undefined)
      throw new ParcelgateError('keys.exists', `a signing key with id ${k.keyId} is already registered`, 409);
    await this.r.run(
      `INSERT INTO signing_keys (key_id, operator_id, purposes, public_key, registered_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [k.keyId, k.operatorId, JSON.stringify(k.purposes), k.publicKey, k.registeredAt, k.revokedAt],
    );
  }

  async getSigningKey(keyId: string) {
    const rows = await this.r.all<KeyRow>('SELECT * FROM signing_keys WHERE key_id = ?', [keyId]);
    return rows[0] === undefined ? undefined : toKey(rows[0]);
  }

  async listSigningKeys(operatorId?: string) {
    const rows =
      operatorId === undefined
        ? await this.r.all<KeyRow>('SELECT * FROM signing_keys ORDER BY key_id')
        : await this.r.all<KeyRow>('SELECT * FROM signing_keys WHERE operator_id = ? ORDER BY key_id', [
            operatorId,
          ]);
    return rows.map(toKey);
  }

  async revokeSigningKey(keyId: string, at: string) {
    const key = await this.getSigningKey(keyId);
    if (key === undefined) return false;
    await this.r.run('UPDATE signing_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL', [
      at,
      keyId,
    ]);
    return true;
  }

  async addSubscription(s: WebhookSubscription) {
    await this.r.run(
      `INSERT INTO webhook_subscriptions (id, operator_id, url, secret, event_types, active, cursor, attempts,
         next_attempt_at, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        s.id,
        s.operatorId,
        s.url,
        s.secret,
        JSON.stringify(s.eventTypes),
        s.active ? 1 : 0,
        s.cursor,
        s.attempts,
        s.nextAttemptAt,
        s.lastError,
        s.createdAt,
        s.updatedAt,
      ],
    );
  }

  async getSubscription(id: string) {
    const rows = await this.r.all<SubRow>('SELECT * FROM webhook_subscriptions WHERE id = ?', [id]);
    return rows[0] === undefined ? undefined : toSub(rows[0]);
  }

  async listSubscriptions(operatorId?: string) {
    const rows =
      operatorId === undefined
        ? await this.r.all<SubRow>('SELECT * FROM webhook_subscriptions ORDER BY id')
        : await this.r.all<SubRow>('SELECT * FROM webhook_subscriptions WHERE operator_id = ? ORDER BY id', [
            operatorId,
          ]);
    return rows.map(toSub);
  }

  async setSubscriptionActive(id: string, active: boolean, at: string) {
    const n = await this.r.run('UPDATE webhook_subscriptions SET active = ?, updated_at = ? WHERE id = ?', [
      active ? 1 : 0,
      at,
      id,
    ]);
    return n > 0;
  }

  async updateSubscription(id: string, c: SubscriptionChange, at: string) {
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      args.push(value);
    };
    if (c.url !== undefined) set('url', c.url);
    if (c.eventTypes !== undefined) set('event_types', JSON.stringify(c.eventTypes));
    if (c.active !== undefined) set('active', c.active ? 1 : 0);
    if (c.secret !== undefined) set('secret', c.secret);
    if (c.resetRetry === true) sets.push('attempts = 0', 'next_attempt_at = NULL', 'last_error = NULL');
    set('updated_at', at);
    const n = await this.r.run(`UPDATE webhook_subscriptions SET ${sets.join(', ')} WHERE id = ?`, [
      ...args,
      id,
    ]);
    return n > 0;
  }

  async saveProgress(id: string, p: DeliveryProgress, dead?: DeadLetter) {
    await this.r.tx(async (t) => {
      await t.run(
        `UPDATE webhook_subscriptions SET cursor = ?, attempts = ?, next_attempt_at = ?, last_error = ?,
           updated_at = ? WHERE id = ?`,
        [p.cursor, p.attempts, p.nextAttemptAt, p.lastError, p.updatedAt, id],
      );
      if (dead !== undefined) {
        await t.run('DELETE FROM webhook_dead_letters WHERE subscription_id = ? AND seq = ?', [
          dead.subscriptionId,
          dead.seq,
        ]);
        await t.run(
          `INSERT INTO webhook_dead_letters (subscription_id, seq, attempts, last_error, dead_at, replay)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [dead.subscriptionId, dead.seq, dead.attempts, dead.lastError, dead.deadAt, dead.replay ? 1 : 0],
        );
      }
    });
  }

  async rewind(id: string, cursor: number, at: string) {
    const n = await this.r.run(
      `UPDATE webhook_subscriptions SET cursor = ?, attempts = 0, next_attempt_at = NULL, last_error = NULL,
         updated_at = ? WHERE id = ?`,
      [cursor, at, id],
    );
    return n > 0;
  }

  async deadLetters(subscriptionId: string) {
    const rows = await this.r.all<DeadRow>(
      'SELECT * FROM webhook_dead_letters WHERE subscription_id = ? ORDER BY seq',
      [subscriptionId],
    );
    return rows.map(toDead);
  }

  async markReplay(subscriptionId: string, seqs?: readonly number[]) {
    if (seqs === undefined)
      return this.r.run('UPDATE webhook_dead_letters SET replay = 1 WHERE subscription_id = ?', [
        subscriptionId,
      ]);
    if (seqs.length === 0) return 0;
    const marks = seqs.map(() => '?').join(', ');
    return this.r.run(
      `UPDATE webhook_dead_letters SET replay = 1 WHERE subscription_id = ? AND seq IN (${marks})`,
      [subscriptionId, ...seqs],
    );
  }

  async pendingReplays(subscriptionId: string, limit: number) {
    const rows = await this.r.all<DeadRow>(
      'SELECT * FROM webhook_dead_letters WHERE subscription_id = ? AND replay = 1 ORDER BY seq LIMIT ?',
      [subscriptionId, limit],
    );
    return rows.map(toDead);
  }

  async settleReplay(subscriptionId: string, seq: number, delivered: boolean, error: string | null) {
    if (delivered) {
      await this.r.run('DELETE FROM webhook_dead_letters WHERE subscription_id = ? AND seq = ?', [
        subscriptionId,
        seq,
      ]);
      return;
    }
    await this.r.run(
      `UPDATE webhook_dead_letters SET replay = 0, attempts = attempts + 1, last_error = ?
       WHERE subscription_id = ? AND seq = ?`,
      [error ?? 'replay failed', subscriptionId, seq],
    );
  }

  async putDocument(d: CbecDocumentRow) {
    await this.r.tx(async (t) => {
      await t.run('DELETE FROM cbec_documents WHERE order_no = ? AND kind = ?', [d.orderNo, d.kind]);
      await t.run(
        `INSERT INTO cbec_documents (order_no, kind, version, submitter_id, key_id, received_at, hash, payload,
           signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [d.orderNo, d.kind, d.version, d.submitterId, d.keyId, d.receivedAt, d.hash, d.payload, d.signature],
      );
    });
  }

  async documents(orderNo: string) {
    const rows = await this.r.all<DocRow>('SELECT * FROM cbec_documents WHERE order_no = ? ORDER BY kind', [
      orderNo,
    ]);
    return rows.map(toDoc);
  }

  /** Appends notices inside a transaction; on PostgreSQL writers queue on a lock so seqs commit in order. */
  private async appendNotices(t: SqlRunner, notices: readonly ExchangeNotice[]): Promise<void> {
    if (notices.length === 0) return;
    if (this.kind === 'postgres')
      await t.all(
        "SELECT pg_advisory_xact_lock(hashtextextended('parcelgate.exchange_notices:' || current_schema(), 0))",
      );
    for (const n of notices)
      await t.run(
        `INSERT INTO exchange_notices (id, operator_id, type, at, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id, operator_id) DO NOTHING`,
        [n.id, n.operatorId, n.type, n.at, n.body],
      );
  }

  async addNotices(notices: readonly ExchangeNotice[]) {
    if (notices.length === 0) return;
    await this.r.tx((t) => this.appendNotices(t, notices));
  }

  async latestNoticeSeq() {
    const rows = await this.r.all<{ s: number | string | null }>(
      'SELECT max(seq) AS s FROM exchange_notices',
    );
    return Number(rows[0]?.s ?? 0);
  }

  async noticesSince(operatorId: string, afterSeq: number, limit: number) {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
      throw new ParcelgateError('feed.invalid-cursor', `after must be a whole number >= 0, got ${afterSeq}`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new ParcelgateError('feed.invalid-limit', `limit must be a whole number 1-10000, got ${limit}`);
    const rows = await this.r.all<{
      seq: number | string;
      id: string;
      operator_id: string;
      type: string;
      at: string;
      body: string;
    }>(
      `SELECT seq, id, operator_id, type, at, body FROM exchange_notices
       WHERE operator_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [operatorId, afterSeq, limit],
    );
    return rows.map((r): StoredNotice => ({
      seq: Number(r.seq),
      id: r.id,
      operatorId: r.operator_id,
      type: r.type,
      at: r.at,
      body: r.body,
    }));
  }

  async putList(l: CbecListRow, notices: readonly ExchangeNotice[] = []) {
    await this.r.tx(async (t) => {
      await this.appendNotices(t, notices);
      await t.run('DELETE FROM cbec_lists WHERE order_no = ?', [l.orderNo]);
      await t.run(
        `INSERT INTO cbec_lists (order_no, submitter_id, status, received_at, decided_at, reasons, buyer_id,
           quota_year, value_cny, consignment_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          l.orderNo,
          l.submitterId,
          l.status,
          l.receivedAt,
          l.decidedAt,
          JSON.stringify(l.reasons),
          l.buyerId,
          l.quotaYear,
          l.valueCny,
          l.consignmentId,
          l.payload,
        ],
      );
    });
  }

  async getList(orderNo: string) {
    const rows = await this.r.all<ListRow>('SELECT * FROM cbec_lists WHERE order_no = ?', [orderNo]);
    return rows[0] === undefined ? undefined : toList(rows[0]);
  }

  async listsByStatus(status: string, limit: number, receivedBefore?: string) {
    const rows =
      receivedBefore === undefined
        ? await this.r.all<ListRow>(
            'SELECT * FROM cbec_lists WHERE status = ? ORDER BY received_at, order_no LIMIT ?',
            [status, limit],
          )
        : await this.r.all<ListRow>(
            `SELECT * FROM cbec_lists WHERE status = ? AND received_at <= ?
             ORDER BY received_at, order_no LIMIT ?`,
            [status, receivedBefore, limit],
          );
    return rows.map(toList);
  }

  async quotaValues(buyerId: string, year: string) {
    const rows = await this.r.all<{ value_cny: string }>(
      `SELECT value_cny FROM cbec_lists WHERE buyer_id = ? AND quota_year = ? AND status = 'accepted'`,
      [buyerId, year],
    );
    return rows.map((r) => r.value_cny);
  }

  close(): Promise<void> {
    return this.opts.close();
  }
}
