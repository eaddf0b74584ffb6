/**
 * Further outboxes the webhook dispatcher delivers besides the clearance event log, e.g. the
 * partnership notices to platforms. A stream serves its messages per operator in a commit-ordered
 * sequence; the dispatcher keeps, per subscription and stream, a stored cursor, the retry state and
 * dead letters (with the body, so a dead letter can be redelivered byte for byte).
 */

/** One message of a stream: its id is the de-duplication key, its body is sent as it is. */
export interface OutboxMessage {
  seq: number;
  id: string;
  type: string;
  at: string;
  body: string;
}

/** Delivery state of one subscription on one stream. */
export interface StreamState {
  cursor: number;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

/** A dead letter of a stream. */
export interface StreamDeadLetter {
  subscriptionId: string;
  stream: string;
  message: OutboxMessage;
  attempts: number;
  lastError: string;
  deadAt: string;
}

/** Where a stream's delivery state lives. */
export interface StreamStateStore {
  state(subscriptionId: string, stream: string): Promise<StreamState | undefined>;
  save(subscriptionId: string, stream: string, state: StreamState, dead?: StreamDeadLetter): Promise<void>;
  deadLetters(subscriptionId: string, stream: string): Promise<StreamDeadLetter[]>;
}

/** A stream the dispatcher delivers. */
export interface OutboxStream {
  readonly name: string;
  /** Messages addressed to `operatorId` with seq > `afterSeq`, in seq order, at most `limit`. */
  since(operatorId: string, afterSeq: number, limit: number): Promise<OutboxMessage[]>;
  readonly states: StreamStateStore;
}
