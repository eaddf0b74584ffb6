/**
 * The revenue ledger's live state around the pure pipeline (docs/revenue.md "Revenue ledger"):
 *
 * - the per-person view every assessment reads (China ¥26,000 a year, same-day totals), bounded in
 *   memory: a batch's persons are loaded from the ledger before it is assessed (src/revenue/person-cache.ts),
 *   and each assessment notes its own;
 * - the ledger follows the clearance event log: after each commit (and every few seconds, for other
 *   processes' writes) it reads the events after its cursor and writes person entries, IOSS entries
 *   and the trail (refunds and reversals for returns) with the new cursor in ONE transaction. A crash
 *   between a batch's commit and its ledger write loses nothing: the next start catches up from the
 *   cursor. The consignments the pipeline just wrote are taken from memory; others are read back.
 */
import {
  BoundedPersonHistory,
  ledgerBatch,
  returnTriggerOf,
  type LedgerSubject,
  type ReturnFact,
  type RevenueContext,
  type RevenueLedger,
} from '../revenue/index.js';
import type {
  ClearanceStore,
  EventFeed,
  FeedEvent,
  FreshConsignment,
  StoredConsignment,
} from '../store/index.js';
import { freshLedgerSubject } from './fresh-revenue.js';
import { itemsReturnedEvent } from './transitions.js';
import { withPersonLoads } from './person-loads.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Options of openRevenueRuntime. */
export interface RevenueRuntimeOptions {
  ledger: RevenueLedger;
  /** The clearance event log (seq order; PostgreSQL: only below the commit watermark). */
  feed: EventFeed;
  /** Reads consignments the runtime did not see written (after a restart, or by another process). */
  store: Pick<ClearanceStore, 'get' | 'events'>;
  revenue: RevenueContext;
  /** The current instant: the per-person view is pruned as of it at start. */
  now: string;
  /** Actor recorded on assessed trail entries. */
  actor?: string;
  /** The current instant for pruning the per-person view (default the system clock). */
  clock?: () => string;
  /** Events read per round (default 5,000). */
  batch?: number;
  /**
   * Most persons and entries the per-person view holds in memory (defaults 20,000 and 100,000); the
   * others are read from the ledger for each batch that needs them (src/revenue/person-cache.ts).
   */
  maxPersons?: number;
  maxEntries?: number;
  onError?: (err: unknown) => void;
}

/** The live revenue state the CLI and API shells use. */
export interface RevenueRuntime {
  readonly ledger: RevenueLedger;
  readonly history: BoundedPersonHistory;
  /** Processes every event after the ledger's cursor; resolves with the number of events read. */
  catchUp(): Promise<number>;
  /** After a commit: remembers the written consignments and schedules a catch-up. */
  observe(consignments: readonly StoredConsignment[]): void;
  /**
   * `observe` for what a batch wrote as it was written (PipelineDeps.observeWrites): fresh consignments
   * are read from their texts (fresh-revenue.ts), never materialised.
   */
  observeWrites(fresh: readonly FreshConsignment[], changed: readonly StoredConsignment[]): void;
  /** Waits until the ledger has caught up with everything observed so far. */
  flush(): Promise<void>;
  /** The snapshot with the per-person view (its version says so: plans made without it are redone). */
  snapshotOf(base: ReferenceSnapshot): ReferenceSnapshot;
  /**
   * The store the pipeline should commit through: a plan that read a person the view had not loaded is
   * planned again once they are (src/clearance/person-loads.ts).
   */
  storeOf(store: ClearanceStore): ClearanceStore;
}

const subjectOf = (c: StoredConsignment): LedgerSubject => ({
  id: c.id,
  input: c.merged,
  revenue: c.assessment.revenue,
  assessedAt: c.assessment.assessedAt,
  state: c.state,
  ...(c.returnedItems !== undefined ? { returnedItems: c.returnedItems } : {}),
});

/** The item indexes an items-returned event names. */
const itemsOf = (data: Record<string, unknown> | undefined): number[] =>
  Array.isArray(data?.items)
    ? (data.items as unknown[]).filter((i): i is number => typeof i === 'number')
    : [];

/** Most consignments kept in memory between a commit and their ledger write (beyond: read back). */
const maxCached = 100_000;

/** Opens the runtime: catches the ledger up with the event log, then loads the per-person view. */
export async function openRevenueRuntime(opts: RevenueRuntimeOptions): Promise<RevenueRuntime> {
  const { ledger, feed, store } = opts;
  const actor = opts.actor ?? 'revenue-ledger';
  const limit = opts.batch ?? 5000;
  const onError =
    opts.onError ?? ((e: unknown) => process.stderr.write(`revenue ledger write failed: ${String(e)}\n`));
  const clock = opts.clock ?? (() => new Date().toISOString());
  const history = new BoundedPersonHistory(opts.revenue, ledger, {
    clock,
    ...(opts.maxPersons === undefined ? {} : { maxPersons: opts.maxPersons }),
    ...(opts.maxEntries === undefined ? {} : { maxEntries: opts.maxEntries }),
  });
  const cache = new Map<string, LedgerSubject>();
  let running: Promise<number> | undefined;
  let again = false;

  // How far this process's per-person view has followed the log. The ledger cursor is shared by every
  // process on the database: events another process already wrote to the ledger are read again here
  // (the view needs them; the ledger writes are idempotent and skipped when nothing is new).
  let viewSeq: number | undefined;

  async function round(): Promise<number> {
    const cursor = await ledger.cursor();
    const events = await feed.eventsSince(Math.min(viewSeq ?? cursor, cursor), limit);
    if (events.length === 0) return 0;
    const ids = [...new Set(events.map((e) => e.consignmentId))];
    const subjects: LedgerSubject[] = [];
    for (const id of ids) {
      const hit = cache.get(id);
      if (hit !== undefined) subjects.push(hit);
      else {
        const c = await store.get(id);
        if (c !== undefined) subjects.push(subjectOf(c));
      }
    }
    const returns: ReturnFact[] = [];
    for (const e of events)
      if (e.to === 'returned' || e.type === itemsReturnedEvent) returns.push(await returnFact(e));
    const batch = ledgerBatch(opts.revenue, subjects, returns, actor);
    const last = (events[events.length - 1] as FeedEvent).seq;
    if (last > cursor) await ledger.writeBatch(batch, last);
    for (const id of ids) cache.delete(id);
    // Other processes' consignments (shared PostgreSQL) and returns reach the live view here; what this
    // process noted is written now, so its persons may leave memory.
    for (const p of batch.persons) history.add(p);
    for (const id of batch.removePersons) history.remove(id);
    viewSeq = last;
    history.prune(clock());
    return events.length;
  }

  async function returnFact(e: FeedEvent): Promise<ReturnFact> {
    const before = await store.events(e.consignmentId);
    const released = before.find((x) => x.to === 'released' && (x.seq ?? 0) < e.seq);
    // Items earlier partial returns took back: their lines are unwound already.
    const earlier = before
      .filter((x) => x.type === itemsReturnedEvent && (x.seq ?? 0) < e.seq)
      .flatMap((x) => itemsOf(x.data));
    const partial = e.type === itemsReturnedEvent;
    return {
      consignmentId: e.consignmentId,
      ...(partial ? { items: itemsOf(e.data) } : {}),
      ...(earlier.length > 0 ? { earlierItems: earlier } : {}),
      trigger: returnTriggerOf(e.data?.trigger),
      at: e.at,
      actor: e.actor,
      borderPaid: released !== undefined,
      ...(released === undefined ? {} : { releasedAt: released.at }),
    };
  }

  async function loop(): Promise<number> {
    let total = 0;
    for (;;) {
      again = false;
      const n = await round();
      total += n;
      if (n < limit && !again) return total;
    }
  }

  function catchUp(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  }

  await catchUp();
  // The ledger holds everything up to its cursor, whoever wrote it; the view loads persons from it as
  // batches need them, and follows the log from here for what changes after.
  viewSeq = await ledger.cursor();
  history.prune(opts.now);

  function afterCommit(): void {
    if (cache.size > maxCached) {
      const drop = cache.size - maxCached;
      let i = 0;
      for (const id of cache.keys()) {
        if (i++ >= drop) break;
        cache.delete(id);
      }
    }
    catchUp().catch(onError);
  }

  const versions = new WeakMap<ReferenceSnapshot, ReferenceSnapshot>();
  const stores = new WeakMap<ClearanceStore, ClearanceStore>();
  return {
    ledger,
    history,
    catchUp,
    observe(consignments) {
      for (const c of consignments) cache.set(c.id, subjectOf(c));
      afterCommit();
    },
    observeWrites(fresh, changed) {
      for (const f of fresh) cache.set(f.id, freshLedgerSubject(f));
      for (const c of changed) cache.set(c.id, subjectOf(c));
      afterCommit();
    },
    async flush() {
      while (running) await running.catch(onError);
    },
    snapshotOf(base) {
      let s = versions.get(base);
      if (s === undefined) {
        s = { ...base, persons: history, version: `${base.version};persons` };
        versions.set(base, s);
      }
      return s;
    },
    storeOf(inner) {
      let s = stores.get(inner);
      if (s === undefined) stores.set(inner, (s = withPersonLoads(inner, history)));
      return s;
    },
  };
}
