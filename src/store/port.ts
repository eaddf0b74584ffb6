/** The store port: what the clearance pipeline needs from a database. SQLite and PostgreSQL implement it. */
import type {
  Assessment,
  ClearanceState,
  ConsignmentInput,
  Decision,
  Lane,
  Mismatch,
  SourceKind,
  SourceRecord,
} from '../domain/index.js';
import type { Claim, ConsoleStore } from './console/port.js';
import type { EventText } from './event-rows.js';
import type { WorkQueueColumns } from './work-queue-row.js';

/** A consignment as stored: all its sources, the merged view, and the latest assessment. */
export interface StoredConsignment {
  id: string;
  /** 1 on creation; +1 on each amendment. */
  version: number;
  state: ClearanceState;
  /** The submitter of the first source record (owner for access control). */
  submitterId: string;
  /** Link keys (transport document, order id, payment reference) that identify this parcel. */
  keys: string[];
  sources: SourceRecord[];
  merged: ConsignmentInput;
  mismatches: Mismatch[];
  assessment: Assessment;
  createdAt: string;
  updatedAt: string;
  /**
   * Set while an arrived consignment still has an open request for information (it was held for
   * information when it arrived, or an officer asked after arrival, and no decision came since): it
   * can be answered and waits in the work queue (docs/information-requests.md §3).
   */
  informationOpen?: true;
  /**
   * Set while an arrived consignment stands released: it was released before it arrived and no officer
   * has held it since. Its data can no longer be amended and its response says release
   * (src/clearance/arrived-release.ts).
   */
  releasedBeforeArrival?: true;
  /**
   * Items partial returns took back while the buyer kept the rest (`consignment.items-returned`,
   * src/returns): the revenue ledger counts only the kept items toward per-person limits.
   */
  returnedItems?: number[];
}

/** Row shape for lists: enough to triage without loading the document. */
export interface ConsignmentSummary {
  id: string;
  version: number;
  state: ClearanceState;
  lane: Lane;
  decision: Decision;
  riskScore: number;
  destination: string;
  office: string | null;
  submitterId: string;
  dueAtBorder: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

/** One entry of the append-only clearance event log. */
export interface ClearanceEvent {
  /** Assigned by the store; strictly increasing. */
  seq?: number;
  consignmentId: string;
  /** Past-tense event name, e.g. `consignment.declared`, `consignment.released`. */
  type: string;
  from: ClearanceState | null;
  to: ClearanceState | null;
  at: string;
  actor: string;
  reason?: string;
  data?: Record<string, unknown>;
}

/** One `consignments` row: denormalised summary columns plus the whole document as JSON. */
export interface ConsignmentRow {
  id: string;
  version: number;
  state: ClearanceState;
  lane: Lane;
  decision: Decision;
  riskScore: number;
  destination: string;
  office: string | null;
  submitterId: string;
  dueAtBorder: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  doc: string;
}

/**
 * A consignment that exists only because of this batch (every record of it is in the batch), given as
 * ready-to-write text: its slim document (see docs/storage.md), the records' data as canonical JSON,
 * event data as JSON. The pipeline prepares it, possibly on another thread; adapters write it as is.
 */
export interface FreshConsignment extends ConsignmentRow {
  keys: string[];
  /** Earlier versions replaced by an amendment within the batch. */
  archive: { version: number; doc: string }[];
  declarations: {
    declarationId: string;
    kind: SourceKind;
    submitterId: string;
    receivedAt: string;
    hash: string;
    /** The record's data (a ConsignmentInput) as canonical JSON. */
    json: string;
  }[];
  /**
   * Its work-queue columns (`workQueueColumns`: null when it is not held); adapters that need them
   * derive them from `doc` when absent.
   */
  queue?: WorkQueueColumns | null;
  /** Its events, in order, with `data` as JSON. */
  events: EventText[];
}

/** Everything one batch writes, computed by the pipeline from what the store found. */
export interface BatchWrites {
  /** Consignments wholly new in this batch, as text, with their declarations, history and events. */
  fresh?: FreshConsignment[];
  /** New or changed consignments (whole documents, version already incremented). */
  upserts: StoredConsignment[];
  /** Previous versions to keep in history before they are overwritten. */
  archive: StoredConsignment[];
  /** Newly accepted source records, with the consignment they belong to. */
  declarations: { consignmentId: string; record: SourceRecord }[];
  events: ClearanceEvent[];
  /**
   * Deferred-payment reservations the batch books against guarantees, in its transaction
   * (src/store/guarantee-reservations.ts): refused whole with `guarantee.headroom-taken` when one would
   * take its account past its guarantee.
   */
  guarantee?: GuaranteeWrites;
  /**
   * An officer decision's claim check, made in the decision's transaction (docs/console.md "Claims"):
   * `claim.held-by-other` when another officer holds a live claim and no override is allowed; the
   * claim is released in the same transaction and the store notes what it did in `outcome`.
   */
  claimCheck?: ClaimCheck;
}

/** A parcel deferred on an account: its amount is reserved on the account's guarantee. */
export interface GuaranteeReservation {
  consignmentId: string;
  account: string;
  currency: string;
  /** Exact decimal string. */
  amount: string;
}

/** What a batch changes of the guarantees' reservations. */
export interface GuaranteeWrites {
  /** Parcels deferred (booked, or re-booked with a new amount). */
  reserve: GuaranteeReservation[];
  /** Parcels re-assessed without deferral: their reservation goes. */
  clear: string[];
}

/** The claim check of an officer decision on `consignmentId` at `now`. */
export interface ClaimCheck {
  consignmentId: string;
  officerId: string;
  now: string;
  /** The caller may override another officer's live claim (a supervisor with a reason). */
  mayOverride: boolean;
  /** Set by the store when the transaction ran: the claim it released, and the other officer's live claim it overrode. */
  outcome?: { released: Claim | null; overridden: Claim | null };
}

export interface ListQuery {
  state?: ClearanceState;
  lane?: Lane;
  /** The lane as a submitter is told it (blue reads green): a submitter's `lane` filter. */
  shownLane?: Exclude<Lane, 'blue'>;
  decision?: Decision;
  destination?: string;
  office?: string;
  /** The submitter that created the consignment (the `submitter` filter of officers). */
  submitterId?: string;
  /**
   * A submitter's own list: consignments it created or contributed a record to (the consignments it
   * may read), newest first like every list (see party-list.ts).
   */
  partyId?: string;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
}

export interface StoreStats {
  consignments: number;
  byState: Record<string, number>;
  byLane: Record<string, number>;
  events: number;
}

/** Options of `ClearanceStore.transact`. */
export interface TransactOptions {
  /**
   * `plan` may first be called with no consignments found (before the lookup ran), and is called again
   * with what the lookup found whenever that differs; only a plan made against what the committing
   * transaction found is written. Adapters may ignore it (and call `plan` once, with what they found).
   */
  speculative?: boolean;
}

/**
 * The store port. `transact` runs lookup, planning and writing as one transaction: either every
 * write of the batch is durable when it resolves, or none is.
 */
export interface ClearanceStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Finds the consignments owning any of `keys` or with any of `ids`, passes them to the pure
   * `plan`, writes what it returns, commits, then resolves with the plan's result.
   */
  transact<T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
    opts?: TransactOptions,
  ): Promise<T>;
  /**
   * True when `transact` with `speculative` commits off this thread (the SQLite writer thread): a caller
   * gains by preparing its next batch while one commits.
   */
  readonly commitsInBackground?: boolean;
  get(id: string): Promise<StoredConsignment | undefined>;
  list(query: ListQuery): Promise<{ items: ConsignmentSummary[]; nextCursor: string | null }>;
  /** A consignment's events in seq order (a creation row read as the events it stands for: see event-rows.ts). */
  events(consignmentId: string): Promise<ClearanceEvent[]>;
  history(consignmentId: string): Promise<StoredConsignment[]>;
  stats(): Promise<StoreStats>;
  /** Read-side queries of the officer console (work queue, KPI facts), when the adapter offers them. */
  readonly console?: ConsoleStore;
  close(): Promise<void>;
}
