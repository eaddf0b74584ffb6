/**
 * Queue-depth metrics on /metrics: what is waiting, read when Prometheus scrapes.
 * - `parcelgate_queue_held{lane}` / `parcelgate_queue_held_by_office{office}`: held consignments
 *   waiting for an officer (the console work queue), per lane and per office of entry;
 * - `parcelgate_webhook_backlog_events{subscription}`: per active webhook subscription, the events
 *   logged after its cursor (not yet delivered or skipped; an upper bound, since events of other
 *   types or submitters are skipped without a delivery), and `parcelgate_webhook_dead_letters_replaying`;
 * - `parcelgate_ingest_batches_in_flight`: intake requests (batches) received and not yet answered.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import type { ConsoleStore, QueueCounts } from '../store/console/port.js';
import type { ExchangeStore } from '../store/exchange-port.js';

/** Routes whose requests are intake batches (counted while in flight). */
export const ingestRoutes: ReadonlySet<string> = new Set([
  'POST /v1/consignments',
  'POST /v1/postal/items',
  'POST /v1/bulk',
  'POST /v1/customs/export-data',
  'POST /v1/three-documents/:kind',
  'POST /v1/three-documents/lists',
]);

/** Where the queue depths are read from; a missing source leaves its gauges empty. */
export interface QueueSources {
  console?: ConsoleStore | undefined;
  exchange?: ExchangeStore | undefined;
}

/** Replaces a gauge's series with `values` (label value -> number). */
function setAll(gauge: Gauge<string>, label: string, values: Record<string, number>): void {
  gauge.reset();
  for (const [key, n] of Object.entries(values)) gauge.set({ [label]: key }, n);
}

/**
 * Shares one run of `load` among the callers that come while it is running: the gauges of one scrape
 * (prom-client collects them concurrently) read one query, and the next scrape reads afresh.
 */
function shared<T>(load: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    if (running === undefined) {
      const value = load();
      running = value;
      const clear = (): void => {
        running = undefined;
      };
      value.then(clear, clear);
    }
    return running;
  };
}

/**
 * A gauge with one series per `label` value, as `read` returns them at scrape time. Without `read`
 * the gauge stays empty; a failing read leaves it empty for that scrape.
 */
function labelledGauge(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  read: (() => Promise<Record<string, number>>) | undefined,
): void {
  new Gauge({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    async collect() {
      if (read === undefined) return;
      try {
        setAll(this, label, await read());
      } catch {
        this.reset();
      }
    },
  });
}

/** Gauges that read the store at scrape time. A failing read leaves the gauge empty for that scrape. */
export function registerQueueMetrics(registry: Registry, sources: QueueSources): void {
  const consoleStore = sources.console;
  const counts =
    consoleStore === undefined ? undefined : shared<QueueCounts>(() => consoleStore.queueCounts());
  labelledGauge(
    registry,
    'parcelgate_queue_held',
    'Held consignments waiting for an officer, per lane',
    'lane',
    counts && (async () => (await counts()).byLane),
  );
  labelledGauge(
    registry,
    'parcelgate_queue_held_by_office',
    'Held consignments waiting for an officer, per office of entry ("(none)" when unset)',
    'office',
    // The queue counts name consignments without an office `(none)` (store/console), as the label does.
    counts &&
      (async () => {
        const named: Record<string, number> = {};
        for (const [office, n] of Object.entries((await counts()).byOffice)) {
          const label = office === '' ? '(none)' : office;
          named[label] = (named[label] ?? 0) + n;
        }
        return named;
      }),
  );
  const exchange = sources.exchange;
  const outbox =
    exchange === undefined
      ? undefined
      : shared(async () => {
          const [latest, subs] = await Promise.all([exchange.latestSeq(), exchange.listSubscriptions()]);
          const backlog: Record<string, number> = {};
          let replaying = 0;
          for (const s of subs) {
            if (!s.active) continue;
            backlog[s.id] = Math.max(0, latest - s.cursor);
            replaying += (await exchange.pendingReplays(s.id, 10_000)).length;
          }
          return { backlog, replaying };
        });
  labelledGauge(
    registry,
    'parcelgate_webhook_backlog_events',
    'Events logged after an active webhook subscription cursor (not yet delivered or skipped)',
    'subscription',
    outbox && (async () => (await outbox()).backlog),
  );
  new Gauge({
    name: 'parcelgate_webhook_dead_letters_replaying',
    help: 'Dead-lettered webhook events marked for redelivery and not yet settled',
    registers: [registry],
    async collect() {
      if (outbox === undefined) return;
      try {
        this.set((await outbox()).replaying);
      } catch {
        this.reset();
      }
    },
  });
}

/**
 * Counts intake requests in flight (`ingestRoutes`) in `parcelgate_ingest_batches_in_flight`;
 * returns how many are in flight now (the KPI follower waits while there are some).
 */
export function trackIngestInFlight(app: FastifyInstance, registry: Registry): () => number {
  const inFlight = new Gauge({
    name: 'parcelgate_ingest_batches_in_flight',
    help: 'Intake requests (batches) received and not yet answered',
    registers: [registry],
  });
  const counted = new WeakSet<FastifyRequest>();
  let now = 0;
  const done = (req: FastifyRequest): void => {
    if (!counted.has(req)) return;
    counted.delete(req);
    now--;
    inFlight.dec();
  };
  app.addHook('onRequest', async (req) => {
    if (ingestRoutes.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      counted.add(req);
      now++;
      inFlight.inc();
    }
  });
  app.addHook('onResponse', async (req) => done(req));
  app.addHook('onRequestAbort', async (req) => done(req));
  return () => now;
}
