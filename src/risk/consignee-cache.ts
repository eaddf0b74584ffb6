/**
 * The consignee history the pipeline reads for split shipments, bounded: the recent parcels of at most
 * `maxConsignees` consignees are held in memory (least recently used dropped first), the rest stay in
 * the risk store. Before a batch is assessed, `prefetch` loads the batch's consignees that are not held
 * (one store query per batch), so the assessment's synchronous read sees every parcel of the window,
 * whether it was noted in this process, loaded at an earlier batch, or written by another process.
 *
 * The unbounded ConsigneeWindow held every parcel of the last 48 hours: memory grew with the day's
 * traffic (about 600 bytes a parcel, docs/performance.md "Soak"). Here memory is bounded by the
 * number of consignees, whatever the traffic.
 */
import type { ConsignmentInput } from '../domain/index.js';
import { pinAndLoad } from '../domain/pinned-loads.js';
import type { RecordingHistory } from './consignee-window.js';
import { consigneeKey, sellerKey, type ConsigneeParcel } from './split-shipment.js';

/** A stored parcel row (the risk store's `risk_consignee_parcels`). */
export interface StoredConsigneeParcel {
  consignmentId: string;
  consigneeKey: string;
  sellerKey: string | null;
  valueEur: string;
  at: string;
}

/** Where parcels not held in memory are read from (the risk store). */
export interface ConsigneeParcelSource {
  /** Parcels of these consignee keys at or after `at`. */
  parcelsOfConsignees(keys: readonly string[], at: string): Promise<StoredConsigneeParcel[]>;
}

/** Options of BoundedConsigneeWindow. */
export interface BoundedWindowOptions {
  /** Parcels within this many hours of the newest one are served (default 48). */
  windowHours?: number;
  /**
   * Most consignees held in memory (default 20,000, about 20 MB). A batch's consignees are touched when
   * it is prefetched, so they are dropped before its assessment only if this many others were touched
   * meanwhile (`misses` counts such reads).
   */
  maxConsignees?: number;
}

interface Entry {
  readonly parcels: Map<string, ConsigneeParcel>;
  /** Every stored parcel of the window was loaded (else: only what this process noted since). */
  complete: boolean;
  /** Parcels noted here and not yet confirmed written to the store: the entry is not dropped before. */
  unsaved: number;
  /** Batches prefetched and not yet released that read this consignee: the entry is not dropped before. */
  pins: number;
}

const NONE: readonly ConsigneeParcel[] = [];

/** The consignee key of a raw (not yet validated) record, as validation would normalise it; else null. */
export function consigneeKeyOfRecord(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const c = (raw as { consignee?: unknown }).consignee;
  if (typeof c !== 'object' || c === null) return null;
  const { name, address } = c as { name?: unknown; address?: unknown };
  if (typeof name !== 'string' || typeof address !== 'object' || address === null) return null;
  const { street, postcode, country } = address as {
    street?: unknown;
    postcode?: unknown;
    country?: unknown;
  };
  if (typeof country !== 'string') return null;
  return consigneeKey({
    consignee: {
      name,
      address: {
        country: country.trim().toUpperCase(),
        ...(typeof street === 'string' ? { street } : {}),
        ...(typeof postcode === 'string' ? { postcode } : {}),
      },
    },
  } as ConsignmentInput);
}

/** A consignee history bounded by consignees, backed by the store (see the module comment). */
export class BoundedConsigneeWindow implements RecordingHistory {
  private readonly entries = new Map<string, Entry>();
  private readonly keyOf = new Map<string, string>();
  // Parcels noted and not yet written (consignment id -> consignee key).
  private readonly pending = new Map<string, string>();
  // The latest instant seen (a parcel noted, a batch prefetched): the window ends here.
  private clockMs = -Infinity;
  private held = 0;
  private readonly windowMs: number;
  readonly maxConsignees: number;
  /** Reads of a consignee that was neither held nor loaded (answered from memory only: nothing). */
  misses = 0;
  /** Consignees loaded from the store. */
  loads = 0;

  constructor(
    private readonly source: ConsigneeParcelSource,
    opts: BoundedWindowOptions = {},
  ) {
    this.windowMs = (opts.windowHours ?? 48) * 3_600_000;
    this.maxConsignees = opts.maxConsignees ?? 20_000;
    if (!(this.maxConsignees >= 1)) throw new Error('maxConsignees must be at least 1');
  }

  /** Parcels currently held. */
  get size(): number {
    return this.held;
  }

  /** Consignees currently held. */
  get consignees(): number {
    return this.entries.size;
  }

  private cutoffMs(): number {
    return this.clockMs - this.windowMs;
  }

  private advance(atMs: number): void {
    if (atMs > this.clockMs) this.clockMs = atMs;
  }

  /**
   * Loads the consignees of `records` (raw submitted records) that are not held completely, so that
   * assessing them reads every parcel of the window; `now` is the batch's instant. The consignees stay
   * held (whatever the bound) until the returned release is called, once the batch is assessed.
   */
  async prefetch(records: readonly unknown[], now: string): Promise<() => void> {
    const keys = new Set<string>();
    for (const r of records) {
      const key = consigneeKeyOfRecord(r);
      if (key !== null) keys.add(key);
    }
    this.advance(Date.parse(now));
    return pinAndLoad(keys, {
      take: (key) => {
        let e = this.entries.get(key);
        if (e === undefined) this.entries.set(key, (e = this.entry()));
        else this.touch(key, e);
        return e;
      },
      get: (key) => this.entries.get(key),
      load: (want) => this.load(want),
      trim: () => this.evict(),
    });
  }

  private entry(): Entry {
    return { parcels: new Map(), complete: false, unsaved: 0, pins: 0 };
  }

  /** Reads the stored parcels of the window for these consignees into their (held) entries. */
  private async load(keys: readonly string[]): Promise<void> {
    const cutoff = this.cutoffMs();
    const since = Number.isFinite(cutoff) ? new Date(cutoff).toISOString() : '';
    const rows = await this.source.parcelsOfConsignees(keys, since);
    const byKey = new Map<string, StoredConsigneeParcel[]>();
    for (const row of rows) {
      const list = byKey.get(row.consigneeKey);
      if (list === undefined) byKey.set(row.consigneeKey, [row]);
      else list.push(row);
    }
    for (const key of keys) {
      const e = this.entries.get(key);
      // Loaded meanwhile by another batch (or, unpinned, dropped: nothing to fill).
      if (e === undefined || e.complete) continue;
      for (const row of byKey.get(key) ?? []) {
        // What this process noted is newer than (or the same as) what the store holds.
        if (this.keyOf.has(row.consignmentId)) continue;
        e.parcels.set(row.consignmentId, {
          value: row.valueEur,
          at: row.at,
          ref: row.consignmentId,
          ...(row.sellerKey === null ? {} : { seller: row.sellerKey }),
        });
        this.keyOf.set(row.consignmentId, key);
        this.held += 1;
      }
      e.complete = true;
      this.loads += 1;
    }
  }

  recentForConsignee(key: string): readonly ConsigneeParcel[] {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.misses += 1;
      return NONE;
    }
    this.prune(e);
    return e.parcels.size === 0 ? NONE : [...e.parcels.values()];
  }

  note(consignmentId: string, input: ConsignmentInput, valueEur: string | null, at: string): void {
    const key = consigneeKey(input);
    if (key === null || valueEur === null) return;
    const seller = sellerKey(input);
    this.drop(consignmentId);
    let e = this.entries.get(key);
    if (e === undefined) this.entries.set(key, (e = this.entry()));
    e.parcels.set(consignmentId, {
      value: valueEur,
      at,
      ref: consignmentId,
      ...(seller === undefined ? {} : { seller }),
    });
    this.keyOf.set(consignmentId, key);
    this.held += 1;
    this.pending.set(consignmentId, key);
    e.unsaved += 1;
    this.advance(Date.parse(at));
    this.touch(key, e);
    // Dropping over the bound waits for the batch's end (release, saved): once per batch, not per parcel.
  }

  forget(consignmentId: string): void {
    this.drop(consignmentId);
  }

  /** The store holds these consignments' parcels now: their consignees may be dropped from memory. */
  saved(consignmentIds: readonly string[]): void {
    for (const id of consignmentIds) this.settle(id);
    this.evict();
  }

  private settle(consignmentId: string): void {
    const key = this.pending.get(consignmentId);
    if (key === undefined) return;
    this.pending.delete(consignmentId);
    const e = this.entries.get(key);
    if (e !== undefined) e.unsaved -= 1;
  }

  private drop(consignmentId: string): void {
    this.settle(consignmentId);
    const key = this.keyOf.get(consignmentId);
    if (key === undefined) return;
    this.keyOf.delete(consignmentId);
    const e = this.entries.get(key);
    if (e?.parcels.delete(consignmentId)) this.held -= 1;
  }

  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  /** Drops an entry's parcels older than the window. */
  private prune(e: Entry): void {
    const cutoff = this.cutoffMs();
    for (const [id, p] of e.parcels)
      if (Date.parse(p.at) < cutoff) {
        e.parcels.delete(id);
        this.keyOf.delete(id);
        this.held -= 1;
      }
  }

  /**
   * Drops least recently used consignees over the bound, skipping those a batch in flight reads and
   * those with parcels not yet written (they could not be loaded back). A write that never completes (a
   * failed commit) must not hold memory for ever: beyond twice the bound, those go too.
   */
  private evict(): void {
    if (this.entries.size <= this.maxConsignees) return;
    const force = this.entries.size > 2 * this.maxConsignees;
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.maxConsignees) return;
      if (e.pins > 0 || (e.unsaved > 0 && !force)) continue;
      for (const id of e.parcels.keys()) {
        this.keyOf.delete(id);
        this.pending.delete(id);
      }
      this.held -= e.parcels.size;
      this.entries.delete(key);
    }
  }
}
