/**
 * The exchange store port: the clearance event log read as an outbox (`eventsSince`), webhook
 * subscriptions with their delivery cursors and dead letters, the signing-key registry and the
 * three-document (order, payment, waybill) records. SQLite and PostgreSQL implement it.
 */
import type { ClearanceEvent } from './port.js';

/** A clearance event as the feed serves it: its seq and the submitter owning the consignment. */
export interface FeedEvent extends ClearanceEvent {
  seq: number;
  submitterId: string;
}

/** Reads the append-only clearance event log in seq order. */
export interface EventFeed {
  /**
   * Up to `limit` events with seq > `afterSeq`, in seq order, optionally only those of consignments
   * `submitterId` is a party to: it owns the consignment or submitted one of its records (each event
   * once). `FeedEvent.submitterId` stays the owner, so callers can tell the owner's view from a party's. Never skips an event that a later call could return below the last seq
   * it returned (PostgreSQL: only events below the commit watermark are served).
   */
  eventsSince(afterSeq: number, limit: number, filter?: { submitterId?: string }): Promise<FeedEvent[]>;
  /** The events with these seqs (for replaying dead letters), in seq order. */
  eventsBySeq(seqs: readonly number[]): Promise<FeedEvent[]>;
}

/** An Ed25519 public key registered for an operator, with the documents it may sign. */
export interface SigningKey {
  keyId: string;
  operatorId: string;
  /** What the key may sign, e.g. `order`, `payment`, `waybill`, `list`, `export-data`, `findings`. */
  purposes: string[];
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  registeredAt: string;
  revokedAt: string | null;
}

/** A webhook subscription and its delivery state (the cursor is the last seq delivered or skipped). */
export interface WebhookSubscription {
  id: string;
  operatorId: string;
  url: string;
  /** Shared secret for the HMAC-SHA256 signature (`whsec_` + base64). */
  secret: string;
  /** Event types delivered (`consignment.released`, …); empty = all. */
  eventTypes: string[];
  active: boolean;
  cursor: number;
  /** Failed attempts so far for the event after the cursor. */
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A change an operator makes to its subscription (`PATCH /v1/webhooks/:id`): only the fields given
 * change. The cursor never does: pending deliveries keep their position. `resetRetry` clears the retry
 * state (attempts, next attempt, last error), so a new URL is tried at once.
 */
export interface SubscriptionChange {
  url?: string;
  eventTypes?: string[];
  active?: boolean;
  secret?: string;
  resetRetry?: boolean;
}

/** The delivery state a dispatcher writes after an attempt. */
export interface DeliveryProgress {
  cursor: number;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  updatedAt: string;
}

/** An event a subscription gave up on after the attempt limit; `replay` marks it for redelivery. */
export interface DeadLetter {
  subscriptionId: string;
  seq: number;
  attempts: number;
  lastError: string;
  deadAt: string;
  replay: boolean;
}

/** One signed three-document record (order, payment or waybill) as stored, latest version per kind. */
export interface CbecDocumentRow {
  orderNo: string;
  kind: string;
  version: number;
  submitterId: string;
  keyId: string;
  receivedAt: string;
  hash: string;
  payload: string;
  signature: string;
}

/** A reason a declaration list is not (yet) accepted. */
export interface ListReason {
  code: string;
  field?: string;
  message: string;
}

/** A declaration list and its matching outcome. */
export interface CbecListRow {
  orderNo: string;
  submitterId: string;
  /** `pending` (documents missing), `accepted`, `rejected`, `missing` (timed out). */
  status: string;
  receivedAt: string;
  decidedAt: string | null;
  reasons: ListReason[];
  buyerId: string;
  quotaYear: string;
  /** Value counted against the buyer's annual quota, CNY decimal text. */
  valueCny: string;
  consignmentId: string | null;
  payload: string;
}

/**
 * A notice of the exchange outbox for one receiving party: a three-document matching outcome or
 * customs-to-customs findings. `id` is the de-duplication key (the same for every party of one
 * notice); `body` is sent as it is, so every delivery of it is byte-identical.
 */
export interface ExchangeNotice {
  id: string;
  operatorId: string;
  type: string;
  at: string;
  body: string;
}

/** A stored notice with its seq (strictly increasing, in commit order). */
export interface StoredNotice extends ExchangeNotice {
  seq: number;
}

/** The exchange store port. */
export interface ExchangeStore extends EventFeed {
  readonly kind: 'sqlite' | 'postgres';
  addSigningKey(key: SigningKey): Promise<void>;
  getSigningKey(keyId: string): Promise<SigningKey | undefined>;
  listSigningKeys(operatorId?: string): Promise<SigningKey[]>;
  /** Sets revokedAt (once); false when there is no such key. */
  revokeSigningKey(keyId: string, at: string): Promise<boolean>;

  addSubscription(sub: WebhookSubscription): Promise<void>;
  getSubscription(id: string): Promise<WebhookSubscription | undefined>;
  listSubscriptions(operatorId?: string): Promise<WebhookSubscription[]>;
  setSubscriptionActive(id: string, active: boolean, at: string): Promise<boolean>;
  /** Applies a change in one statement (all of it or nothing); false when there is no such subscription. */
  updateSubscription(id: string, change: SubscriptionChange, at: string): Promise<boolean>;
  /** Writes the delivery state, and the dead letter when one is given, in one transaction. */
  saveProgress(id: string, progress: DeliveryProgress, deadLetter?: DeadLetter): Promise<void>;
  /** Moves the cursor back so every event after `cursor` is delivered again. */
  rewind(id: string, cursor: number, at: string): Promise<boolean>;
  deadLetters(subscriptionId: string): Promise<DeadLetter[]>;
  /** Marks dead letters for redelivery (all when `seqs` is absent); returns how many. */
  markReplay(subscriptionId: string, seqs?: readonly number[]): Promise<number>;
  /** Dead letters marked for redelivery, oldest seq first. */
  pendingReplays(subscriptionId: string, limit: number): Promise<DeadLetter[]>;
  /** Records a redelivery outcome: delivered removes the dead letter; failed clears the mark. */
  settleReplay(subscriptionId: string, seq: number, delivered: boolean, error: string | null): Promise<void>;
  /** Highest seq in the log (0 when empty). */
  latestSeq(): Promise<number>;

  /** Stores a document (insert or newer version). */
  putDocument(row: CbecDocumentRow): Promise<void>;
  documents(orderNo: string): Promise<CbecDocumentRow[]>;
  /** Stores a list outcome and, in the same transaction, the notices reporting it (a repeated id is kept once). */
  putList(row: CbecListRow, notices?: readonly ExchangeNotice[]): Promise<void>;
  /** Appends notices to the exchange outbox in one transaction (a repeated id per party is kept once). */
  addNotices(notices: readonly ExchangeNotice[]): Promise<void>;
  /** Notices addressed to `operatorId` with seq > `afterSeq`, in seq order, at most `limit`. */
  noticesSince(operatorId: string, afterSeq: number, limit: number): Promise<StoredNotice[]>;
  /** Highest seq in the exchange outbox, whoever the notice is for (0 when empty). */
  latestNoticeSeq(): Promise<number>;
  getList(orderNo: string): Promise<CbecListRow | undefined>;
  /** Lists in a status, received at or before `receivedBefore` when given, oldest first. */
  listsByStatus(status: string, limit: number, receivedBefore?: string): Promise<CbecListRow[]>;
  /** CNY values of the buyer's accepted lists in a quota year. */
  quotaValues(buyerId: string, year: string): Promise<string[]>;
  close(): Promise<void>;
}
