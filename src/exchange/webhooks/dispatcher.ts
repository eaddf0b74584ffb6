/**
 * The webhook dispatcher: the clearance event log is the outbox. For each active subscription it reads
 * the events after the subscription's cursor (only consignments the operator is a party to: owner or
 * submitter of a linked record, each in its own view; filtered by type), POSTs
 * them one at a time in seq order, signed, and moves the cursor only after the receiver answered 2xx.
 * A failure blocks the subscription (keeping order) until a retry time with exponential backoff and
 * jitter; after the attempt limit the event is dead-lettered and the cursor moves on. The cursor and the
 * attempt count are stored, so a restarted dispatcher resumes where the last one stopped (at least once:
 * an event delivered just before a crash is delivered again, with the same id and body).
 *
 * Several dispatchers may run against one PostgreSQL database: each (subscription, stream) pair is
 * delivered under a lease (see lease.ts) by at most one of them at a time. A dispatcher that does not get
 * a pair's lease skips it this tick; one that gets it re-reads the pair's stored state, delivers one pass,
 * and gives the lease back. Before each request it checks that it still holds the lease, so a dispatcher
 * that lost its lease connection stops sending at once.
 */
import type { DeadLetter, ExchangeStore, FeedEvent, WebhookSubscription } from '../../store/index.js';
import { defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './backoff.js';
import type { AddressCacheOptions } from './address-cache.js';
import type { DestinationPolicy } from './destination.js';
import { httpPoster, type PostResult, type WebhookPoster } from './poster.js';
import { toNotification } from './payload.js';
import { webhookHeaders } from './signature.js';
import { leaseKey, localLeases, type DeliveryLeases } from './lease.js';
import type { OutboxMessage, OutboxStream, StreamState } from './streams.js';

/** Dispatcher settings; every default suits production, tests pass a clock and a random source. */
export interface DispatcherOptions {
  retry?: Partial<RetryPolicy>;
  /** Events read per subscription per tick (default 100). */
  batchSize?: number;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
  /** Which destinations the default poster may reach (default: public addresses only). */
  destinations?: DestinationPolicy;
  /** How long the default poster reuses a checked destination (default 30 s; see address-cache.ts). */
  addressCache?: AddressCacheOptions;
  clock?: () => Date;
  random?: () => number;
  post?: WebhookPoster;
  log?: (message: string, data: Record<string, unknown>) => void;
  /** Further outboxes (e.g. partnership notices) delivered to the same subscriptions. */
  streams?: readonly OutboxStream[];
  /** Delivery leases shared with other dispatchers (default: one process, every lease granted). */
  leases?: DeliveryLeases;
}

/** Thrown inside a pass when the dispatcher no longer holds the pass's lease. */
class LeaseLost extends Error {}

/** Checked before each request of a pass; throws LeaseLost when the lease is gone. */
type Guard = () => Promise<void>;
const unguarded: Guard = () => Promise.resolve();

/** Counts of one tick. */
export interface TickResult {
  delivered: number;
  failed: number;
  deadLettered: number;
  replayed: number;
  /** True when some subscription had more events waiting than one batch. */
  more: boolean;
}

const wanted = (sub: WebhookSubscription, e: FeedEvent): boolean =>
  sub.eventTypes.length === 0 || sub.eventTypes.includes(e.type);

/** Delivers clearance events to webhook subscriptions; see the module comment. */
export class WebhookDispatcher {
  private readonly policy: RetryPolicy;
  private readonly batchSize: number;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly post: WebhookPoster;
  private readonly log: (message: string, data: Record<string, unknown>) => void;
  private readonly streams: readonly OutboxStream[];
  private readonly leases: DeliveryLeases;

  constructor(
    private readonly store: ExchangeStore,
    opts: DispatcherOptions = {},
  ) {
    this.policy = { ...defaultRetryPolicy, ...opts.retry };
    this.batchSize = opts.batchSize ?? 100;
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.post =
      opts.post ??
      httpPoster({
        ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
        ...(opts.destinations === undefined ? {} : { destinations: opts.destinations }),
        ...(opts.addressCache === undefined ? {} : { addressCache: opts.addressCache }),
      });
    this.log = opts.log ?? (() => undefined);
    this.streams = opts.streams ?? [];
    this.leases = opts.leases ?? localLeases();
  }

  private async send(sub: WebhookSubscription, e: FeedEvent, guard: Guard): Promise<PostResult> {
    await guard();
    const n = toNotification(e, sub.operatorId);
    const body = JSON.stringify(n);
    const ts = Math.floor(this.clock().getTime() / 1000);
    return this.post(sub.url, body, webhookHeaders(sub.secret, n.id, ts, body));
  }

  /** One pass over every active subscription whose retry time has come. */
  async tick(): Promise<TickResult> {
    const subs = (await this.store.listSubscriptions()).filter((s) => s.active);
    const results = await Promise.all(
      subs.flatMap((s) => [
        this.leased(leaseKey(s.id, 'events'), async (guard) => {
          const fresh = this.leases.shared ? await this.store.getSubscription(s.id) : s;
          return fresh?.active === true ? this.deliver(fresh, guard) : emptyResult();
        }),
        ...this.streams.map((st) =>
          this.leased(leaseKey(s.id, st.name), (guard) => this.deliverStream(s, st, guard)),
        ),
      ]),
    );
    return results.reduce(
      (a, r) => ({
        delivered: a.delivered + r.delivered,
        failed: a.failed + r.failed,
        deadLettered: a.deadLettered + r.deadLettered,
        replayed: a.replayed + r.replayed,
        more: a.more || r.more,
      }),
      { delivered: 0, failed: 0, deadLettered: 0, replayed: 0, more: false },
    );
  }

  /**
   * Runs one pass under the lease of `key`: skipped (empty result) when another dispatcher holds it;
   * a pass that loses its lease midway stops before its next request and leaves the rest to the holder.
   */
  private async leased(key: string, pass: (guard: Guard) => Promise<TickResult>): Promise<TickResult> {
    if (!(await this.leases.tryAcquire(key))) return emptyResult();
    const guard: Guard = async () => {
      if (!(await this.leases.stillHeld(key))) throw new LeaseLost(key);
    };
    try {
      return await pass(guard);
    } catch (err) {
      if (!(err instanceof LeaseLost)) throw err;
      this.log('delivery lease lost, pass stopped', { lease: key });
      return emptyResult();
    } finally {
      await this.leases.release(key);
    }
  }

  /** Earliest stored retry time among active subscriptions (undefined when none waits). */
  async nextRetryAt(): Promise<string | undefined> {
    const times = (await this.store.listSubscriptions())
      .filter((s) => s.active && s.nextAttemptAt !== null)
      .map((s) => s.nextAttemptAt as string)
      .sort();
    return times[0];
  }

  private async replays(sub: WebhookSubscription, guard: Guard): Promise<number> {
    const marked = await this.store.pendingReplays(sub.id, this.batchSize);
    if (marked.length === 0) return 0;
    const events = await this.store.eventsBySeq(marked.map((d) => d.seq));
    let delivered = 0;
    for (const e of events) {
      const r = await this.send(sub, e, guard);
      await this.store.settleReplay(sub.id, e.seq, r.ok, r.error ?? null);
      if (r.ok) delivered++;
    }
    return delivered;
  }

  /** Delivers what one subscription has waiting, stopping at the first failure. */
  async deliver(sub: WebhookSubscription, guard: Guard = unguarded): Promise<TickResult> {
    const result = emptyResult();
    const now = this.clock();
    if (sub.nextAttemptAt !== null && Date.parse(sub.nextAttemptAt) > now.getTime()) return result;
    result.replayed = await this.replays(sub, guard);
    const events = await this.store.eventsSince(sub.cursor, this.batchSize, { submitterId: sub.operatorId });
    result.more = events.length === this.batchSize;
    let cursor = sub.cursor;
    let attempts = sub.attempts;
    let skipped = false;
    const save = async (dead?: DeadLetter, next: string | null = null, error: string | null = null) => {
      const progress = {
        cursor,
        attempts,
        nextAttemptAt: next,
        lastError: error,
        updatedAt: this.clock().toISOString(),
      };
      await this.store.saveProgress(sub.id, progress, dead);
      skipped = false;
    };
    for (const e of events) {
      if (!wanted(sub, e)) {
        cursor = e.seq;
        skipped = true;
        continue;
      }
      const r = await this.send(sub, e, guard);
      if (r.ok) {
        cursor = e.seq;
        attempts = 0;
        await save();
        result.delivered++;
        continue;
      }
      attempts++;
      result.failed++;
      const error = r.error ?? 'failed';
      this.log('webhook delivery failed', { subscription: sub.id, seq: e.seq, attempts, error });
      // A forbidden destination is not retried: nothing was sent, and replay sends it once fixed.
      if (attempts >= this.policy.maxAttempts || r.forbidden === true) {
        const at = this.clock().toISOString();
        const dead = {
          subscriptionId: sub.id,
          seq: e.seq,
          attempts,
          lastError: error,
          deadAt: at,
          replay: false,
        };
        cursor = e.seq;
        attempts = 0;
        await save(dead, null, error);
        result.deadLettered++;
        continue;
      }
      const next = new Date(this.clock().getTime() + retryDelayMs(attempts, this.policy, this.random));
      await save(undefined, next.toISOString(), error);
      result.more = false;
      return result;
    }
    if (skipped) await save();
    return result;
  }

  /**
   * Delivers what one subscription has waiting on a further stream, like `deliver`: in seq order,
   * signed, the cursor moved only after a 2xx, a failure retried with backoff and dead-lettered after
   * the attempt limit. Messages from before the subscription was created are skipped.
   */
  async deliverStream(
    sub: WebhookSubscription,
    stream: OutboxStream,
    guard: Guard = unguarded,
  ): Promise<TickResult> {
    const result = emptyResult();
    const st: StreamState = (await stream.states.state(sub.id, stream.name)) ?? {
      cursor: 0,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
    };
    if (st.nextAttemptAt !== null && Date.parse(st.nextAttemptAt) > this.clock().getTime()) return result;
    const messages = await stream.since(sub.operatorId, st.cursor, this.batchSize);
    result.more = messages.length === this.batchSize;
    let moved = false;
    const save = (next: StreamState, dead?: Parameters<typeof stream.states.save>[3]) =>
      stream.states.save(sub.id, stream.name, next, dead);
    for (const m of messages) {
      if (m.at < sub.createdAt || !(sub.eventTypes.length === 0 || sub.eventTypes.includes(m.type))) {
        st.cursor = m.seq;
        moved = true;
        continue;
      }
      const r = await this.sendMessage(sub, m, guard);
      if (r.ok) {
        Object.assign(st, { cursor: m.seq, attempts: 0, nextAttemptAt: null, lastError: null });
        await save(st);
        moved = false;
        result.delivered++;
        continue;
      }
      st.attempts++;
      result.failed++;
      const error = r.error ?? 'failed';
      this.log('webhook delivery failed', { subscription: sub.id, stream: stream.name, id: m.id, error });
      if (st.attempts >= this.policy.maxAttempts || r.forbidden === true) {
        const dead = {
          subscriptionId: sub.id,
          stream: stream.name,
          message: m,
          attempts: st.attempts,
          lastError: error,
          deadAt: this.clock().toISOString(),
        };
        Object.assign(st, { cursor: m.seq, attempts: 0, nextAttemptAt: null, lastError: error });
        await save(st, dead);
        moved = false;
        result.deadLettered++;
        continue;
      }
      st.nextAttemptAt = new Date(
        this.clock().getTime() + retryDelayMs(st.attempts, this.policy, this.random),
      ).toISOString();
      st.lastError = error;
      await save(st);
      result.more = false;
      return result;
    }
    if (moved) await save(st);
    return result;
  }

  private async sendMessage(sub: WebhookSubscription, m: OutboxMessage, guard: Guard): Promise<PostResult> {
    await guard();
    const ts = Math.floor(this.clock().getTime() / 1000);
    return this.post(sub.url, m.body, webhookHeaders(sub.secret, m.id, ts, m.body));
  }

  /**
   * Runs until `signal` aborts: ticks, then sleeps until the next retry time or `pollMs` (default
   * 500 ms), whichever is sooner; ticks again at once while batches are full.
   */
  async run(signal: AbortSignal, pollMs = 500): Promise<void> {
    while (!signal.aborted) {
      let more = false;
      try {
        more = (await this.tick()).more;
      } catch (err) {
        this.log('dispatcher tick failed', { error: String(err) });
      }
      if (more || signal.aborted) continue;
      const next = await this.nextRetryAt().catch(() => undefined);
      const untilRetry = next === undefined ? pollMs : Date.parse(next) - this.clock().getTime();
      await sleep(Math.max(10, Math.min(pollMs, untilRetry)), signal);
    }
  }
}

function emptyResult(): TickResult {
  return { delivered: 0, failed: 0, deadLettered: 0, replayed: 0, more: false };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
