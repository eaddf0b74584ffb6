/**
 * The console port: the read-side queries the officer console and the KPIs need (the work queue and
 * aggregates over the event log). SQLite and PostgreSQL implement it next to their store adapters; a
 * store that offers it exposes it as `ClearanceStore.console`.
 */
// Narrow imports (not the domain index): the web console type-checks this file too.
import type { Decision, Lane } from '../../domain/assessment.js';
import type { ClearanceState } from '../../domain/clearance-state.js';

/** The states a consignment waits in for an officer. */
export const queueStates = ['held-for-information', 'held-for-inspection', 'do-not-load'] as const;
export type QueueState = (typeof queueStates)[number];
/**
 * The states the queue filters by: the held states, and `arrived` (an arrived consignment is queued only
 * while its request for information is open, docs/information-requests.md §3).
 */
export const queueFilterStates = [...queueStates, 'arrived'] as const;
export type QueueFilterState = (typeof queueFilterStates)[number];

/** Queue orders: newest or oldest first (by when the data was received), or highest risk score first. */
export const queueSorts = ['newest', 'oldest', 'risk'] as const;
export type QueueSort = (typeof queueSorts)[number];

/** Claim filters of the queue: every row, rows no live claim holds, or rows the caller holds. */
export const queueClaimFilters = ['all', 'unclaimed', 'mine'] as const;
export type QueueClaimFilter = (typeof queueClaimFilters)[number];

export interface QueueQuery {
  state?: QueueFilterState;
  lane?: Lane;
  office?: string;
  destination?: string;
  /** A rule or indicator id that fired on the consignment. */
  reason?: string;
  /**
   * `true`: only consignments with an open request for information (held for information, or arrived
   * with the request still open) answered since it was made (waiting for an officer's review);
   * `false`: every other queued consignment.
   */
  answered?: boolean;
  /** `unclaimed`: rows without a live claim; `mine`: rows `officerId` holds (default `all`). */
  claim?: QueueClaimFilter;
  /** The caller, for `claim: 'mine'`. */
  officerId?: string;
  /** The time claims are live at (ISO instant; default the current time). */
  now?: string;
  sort: QueueSort;
  /** Opaque cursor from a previous page of the same sort. */
  cursor?: string;
  limit: number;
}

/** One row of the work queue: enough to triage without loading the document. */
export interface QueueItem {
  id: string;
  state: ClearanceState;
  lane: Lane;
  decision: Decision;
  riskScore: number;
  destination: string;
  office: string | null;
  submitterId: string;
  dueAtBorder: string;
  currency: string;
  /** Ids of the rules and indicators that fired, highest contribution first. */
  reasons: string[];
  /** Plain-language reason of the highest-scoring hit. */
  topReason: string | null;
  /**
   * Priority handling from the operator's status (docs/operators.md): `high` items come first in every
   * order, `low` ones last.
   */
  priority?: 'high' | 'normal' | 'low';
  /**
   * For a consignment with an open request for information (held for information, or `arrived` with
   * the request still open: the only arrived consignments queued): `requested` (no answer yet) or
   * `answered` (the submitter answered since the request; waiting for an officer). Absent otherwise.
   */
  information?: 'requested' | 'answered';
  /**
   * The live claim on the row (docs/console.md "Claims"): the officer's principal id (`null` for a
   * role that reads no personal data) and when it expires. Absent when no live claim holds it.
   */
  claim?: { officerId: string | null; expiresAt: string };
  createdAt: string;
  updatedAt: string;
}

/** Queue sizes by facet, for the filter side bar. */
export interface QueueCounts {
  total: number;
  byState: Record<string, number>;
  byLane: Record<string, number>;
  byOffice: Record<string, number>;
  byReason: Record<string, number>;
  /** Consignments whose open request for information has been answered (waiting for review). */
  answered?: number;
}

/** A time window over when consignment data was received (ISO instants, `to` exclusive). */
export interface KpiWindow {
  from?: string;
  to?: string;
}

/**
 * What the event log says about one consignment: when its data was received, when it was first
 * routed (the decision), first released, arrived; whether it was inspected, with what finding, and
 * whether it was selected at random. Read from event timestamps, never from the current state alone.
 */
export interface KpiFact {
  id: string;
  office: string | null;
  lane: Lane;
  receivedAt: string;
  decidedAt: string | null;
  releasedAt: string | null;
  releasedBeforeArrivalAt: string | null;
  arrivedAt: string | null;
  /**
   * Information was requested at any time: held for information (its lane or an officer), or an
   * officer's request while held for information or after arrival (docs/console.md, KPIs).
   */
  heldForInformation: boolean;
  /** Held for inspection at any time (lane red or an officer's call). */
  inspected: boolean;
  /** The last inspection finding an officer recorded, if any. */
  finding: string | null;
  /** Whether the assessment selected it under the random control (only read when a finding exists). */
  randomSelected: boolean;
}

/**
 * Revenue of the consignments of a window, by collection model and currency: what is due at the border
 * now (nothing for a parcel seized, returned or abandoned) and what was prepaid.
 */
export interface RevenueFact {
  collectionModel: string;
  currency: string;
  dueAtBorder: string;
  prepaid: string;
}

/** Parcels received per day and office (UTC days). */
export interface DailyVolume {
  day: string;
  office: string | null;
  count: number;
}

/**
 * Parcels received per UTC day, office and lane, and how many of them were held for inspection at
 * any time (from the KPI facts): the series behind the forecast per office and lane, and the
 * expected selection rate of each lane.
 */
export interface DailyLaneVolume {
  day: string;
  office: string | null;
  lane: Lane;
  count: number;
  inspected: number;
}

/** An officer's claim on a queued consignment (docs/console.md "Claims"). */
export interface Claim {
  consignmentId: string;
  /** The principal id of the officer (`officer:jdoe`). */
  officerId: string;
  claimedAt: string;
  /** From then on the claim is free: anyone may take it over. */
  expiresAt: string;
}

/** A claim (or renewal) to take at `now` for `ttlMs`. */
export interface ClaimRequest {
  consignmentId: string;
  officerId: string;
  now: string;
  ttlMs: number;
  /** Renew only: refused (`not-held`) unless the caller holds the claim (live, or expired and not taken). */
  renew?: boolean;
}

/**
 * What a claim request got: the claim (with the one it replaced: the caller's own, or an expired one of
 * another officer taken over), or why not.
 */
export type ClaimResult =
  | { ok: true; claim: Claim; previous: Claim | null }
  | { ok: false; reason: 'held-by-other'; holder: Claim }
  | { ok: false; reason: 'not-queued' }
  | { ok: false; reason: 'not-held' };

/** Read-side queries of the console, and the work-queue claims. */
export interface ConsoleStore {
  /**
   * Takes (or renews) a claim atomically: of two officers claiming the same consignment at once,
   * exactly one wins. Only queued consignments can be claimed.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Removes the claim on `consignmentId` (only if `officerId` holds it, when given); returns it. */
  release(consignmentId: string, officerId?: string): Promise<Claim | null>;
  /** The claim row on `consignmentId`, live or expired, or null. */
  claimOf(consignmentId: string): Promise<Claim | null>;
  queue(query: QueueQuery): Promise<{ items: QueueItem[]; nextCursor: string | null }>;
  queueCounts(): Promise<QueueCounts>;
  /** KPI facts of the consignments received in the window (brings the fact table up to date first). */
  kpiFacts(window: KpiWindow): Promise<KpiFact[]>;
  /**
   * Brings the KPI fact table up to the event log, at most `maxEvents` events (default all); returns
   * how many were read. Servers call it in the background so that a report rarely has to.
   */
  refreshKpiFacts(maxEvents?: number): Promise<number>;
  revenueFacts(window: KpiWindow): Promise<RevenueFact[]>;
  dailyVolume(window: KpiWindow): Promise<DailyVolume[]>;
  /** Parcels and inspections per day, office and lane (brings the KPI fact table up to date first). */
  dailyLaneVolume(window: KpiWindow): Promise<DailyLaneVolume[]>;
  /** A cheap token that changes whenever an event is appended (for caching aggregates). */
  changeMark(): Promise<string>;
  /**
   * Notes that `consignmentId` is about to get an answer to a request for information (called before
   * the answer's transaction; the queue confirms it from the event log, so a failed answer leaves no
   * mark). Idempotent.
   */
  noteAnswer?(consignmentId: string, at: string): Promise<void>;
  /**
   * Removes that note once an officer's decision has closed the request for information (keeps the
   * candidates few; a note left behind, e.g. by a delivery that closed it, is harmless).
   */
  forgetAnswer?(consignmentId: string): Promise<void>;
}
