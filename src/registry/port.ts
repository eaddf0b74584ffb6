/**
 * The registry store port: documents of the operator registry, trust, quality, partnership and returns
 * modules, plus read-only views of the clearance tables they derive scores from. SQLite and PostgreSQL
 * implement it (`sqlite-registry.ts`, `pg-registry.ts`); one contract suite tests both.
 */
import type { ClearanceEvent } from '../store/index.js';
import type { ConsignmentInput } from '../domain/index.js';
import type { ReservationRow } from '../store/guarantee-reservations.js';

/** A stored document of one collection, with the columns it is indexed by. */
export interface RegistryDoc<T = unknown> {
  collection: string;
  id: string;
  /** The operator the document belongs to (access scoping and per-operator lists), or null. */
  owner: string | null;
  /** A second lookup key (e.g. the operator a status is about, the consignment a return is about). */
  ref: string | null;
  /** The time the document is about (ISO 8601), for period queries. */
  at: string | null;
  /** 1 on creation, +1 on each write: optimistic concurrency. */
  version: number;
  /** Registry-wide write sequence: strictly increasing in commit order (polling cursors use it). */
  seq: number;
  doc: T;
}

/** One write of a batch. `expectVersion` 0 means "must not exist yet"; absent means "any". */
export interface RegistryWrite {
  collection: string;
  id: string;
  owner?: string | null;
  ref?: string | null;
  at?: string | null;
  doc: unknown;
  expectVersion?: number;
  /** Removes the document instead of writing it (the version check still applies). */
  remove?: boolean;
}

/** A list query over one collection, ordered by `seq` (oldest first) unless `newestFirst`. */
export interface RegistryQuery {
  collection: string;
  owner?: string;
  ref?: string;
  /** Inclusive lower bound on `at`. */
  atFrom?: string;
  /** Exclusive upper bound on `at`. */
  atTo?: string;
  afterSeq?: number;
  limit?: number;
  newestFirst?: boolean;
}

/** A clearance event as the trust modules read it: with its sequence number and the consignment's submitter. */
export interface FeedEvent extends ClearanceEvent {
  seq: number;
  submitterId: string;
}

/** One stored source record (a row of `declarations`), for data-quality scorecards. */
export interface DeclarationFact {
  declarationId: string;
  consignmentId: string;
  kind: string;
  submitterId: string;
  receivedAt: string;
  hash: string;
  data: ConsignmentInput;
}

/** What the scorecards need to know about a consignment beyond one of its source records. */
export interface ConsignmentFact {
  id: string;
  sourceCount: number;
  mismatchCount: number;
  /** Time of the first `consignment.arrived` event, or null. */
  arrivedAt: string | null;
}

/** The registry store. `write` is atomic: every write of the batch commits, or none. */
export interface RegistryStore {
  readonly kind: 'sqlite' | 'postgres';
  write(writes: readonly RegistryWrite[]): Promise<RegistryDoc[]>;
  get<T>(collection: string, id: string): Promise<RegistryDoc<T> | undefined>;
  find<T>(query: RegistryQuery): Promise<RegistryDoc<T>[]>;
  /** Clearance events with `seq > afterSeq`, oldest first, at most `limit`. */
  clearanceEventsSince(afterSeq: number, limit: number): Promise<FeedEvent[]>;
  /** Source records received in `[from, to)`, optionally of one submitter, ordered by id, after `afterId`. */
  declarations(query: {
    submitterId?: string;
    from: string;
    to: string;
    afterId?: string;
    limit: number;
  }): Promise<DeclarationFact[]>;
  consignmentFacts(ids: readonly string[]): Promise<ConsignmentFact[]>;
  /**
   * The deferred-payment reservations of these accounts (all when absent) every process booked
   * (src/store/guarantee-reservations.ts), each saying whether it stopped counting.
   */
  guaranteeReservations(accounts?: readonly string[]): Promise<ReservationRow[]>;
  close(): Promise<void>;
}
