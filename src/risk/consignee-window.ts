/**
 * Live consignee history for the pipeline: a bounded in-memory window of recent parcels per consignee,
 * filled from the risk store at start and by every assessment, read by the split-shipment indicator.
 */
import type { ConsignmentInput } from '../domain/index.js';
import { consigneeKey, sellerKey, type ConsigneeHistory, type ConsigneeParcel } from './split-shipment.js';

/** A ConsigneeHistory that assessments also write to. */
export interface RecordingHistory extends ConsigneeHistory {
  /** Records (or replaces, by consignment id) the parcel just assessed. */
  note(consignmentId: string, input: ConsignmentInput, valueEur: string | null, at: string): void;
  /** Drops a parcel noted for an assessment that was discarded (planned again under another id). */
  forget?(consignmentId: string): void;
  /**
   * Makes the consignees of a batch's raw records readable before it is assessed (a history that keeps
   * only some consignees in memory loads the others from its store); `now` is the batch's instant.
   * Resolves with the release to call once the batch is assessed (or failed).
   */
  prefetch?(records: readonly unknown[], now: string): Promise<() => void>;
}

const NONE: readonly ConsigneeParcel[] = [];

/** Recent parcels per consignee key within `windowHours` of the newest one seen; older ones are dropped. */
export class ConsigneeWindow implements RecordingHistory {
  private readonly byKey = new Map<string, Map<string, ConsigneeParcel>>();
  private readonly keyOf = new Map<string, string>();
  // Arrival order, for pruning from the front.
  private order: { ref: string; atMs: number }[] = [];
  private head = 0;
  private newestMs = -Infinity;

  constructor(readonly windowHours = 48) {}

  /** Parcels currently held. */
  get size(): number {
    return this.keyOf.size;
  }

  recentForConsignee(key: string): readonly ConsigneeParcel[] {
    const m = this.byKey.get(key);
    return m === undefined ? NONE : [...m.values()];
  }

  note(consignmentId: string, input: ConsignmentInput, valueEur: string | null, at: string): void {
    const key = consigneeKey(input);
    if (key === null || valueEur === null) return;
    const seller = sellerKey(input);
    this.add(key, { value: valueEur, at, ref: consignmentId, ...(seller === undefined ? {} : { seller }) });
  }

  forget(consignmentId: string): void {
    const key = this.keyOf.get(consignmentId);
    if (key === undefined) return;
    const m = this.byKey.get(key);
    m?.delete(consignmentId);
    if (m?.size === 0) this.byKey.delete(key);
    this.keyOf.delete(consignmentId);
  }

  /** Adds one parcel under a consignee key (from the store, or from `note`). */
  add(key: string, parcel: ConsigneeParcel & { ref: string }): void {
    const previous = this.keyOf.get(parcel.ref);
    if (previous !== undefined && previous !== key) this.byKey.get(previous)?.delete(parcel.ref);
    let m = this.byKey.get(key);
    if (m === undefined) this.byKey.set(key, (m = new Map()));
    m.set(parcel.ref, parcel);
    this.keyOf.set(parcel.ref, key);
    const atMs = Date.parse(parcel.at);
    this.order.push({ ref: parcel.ref, atMs });
    if (atMs > this.newestMs) this.newestMs = atMs;
    this.prune();
  }

  private prune(): void {
    const cutoff = this.newestMs - this.windowHours * 3_600_000;
    while (this.head < this.order.length && (this.order[this.head] as { atMs: number }).atMs < cutoff) {
      const { ref, atMs } = this.order[this.head] as { ref: string; atMs: number };
      this.head++;
      const key = this.keyOf.get(ref);
      const m = key === undefined ? undefined : this.byKey.get(key);
      const p = m?.get(ref);
      // A parcel re-noted later has a newer entry further on: drop only the stale one.
      if (p === undefined || Date.parse(p.at) !== atMs) continue;
      m?.delete(ref);
      if (m?.size === 0) this.byKey.delete(key as string);
      this.keyOf.delete(ref);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
