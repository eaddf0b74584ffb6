/** `serve`, `ingest` and `demo`: commands that run against the embedded SQLite store. */
import { join, resolve } from 'node:path';
import { buildApp } from '../api/index.js';
import { openRegistryFor, readFacilitationPolicy } from './commands-operators.js';
import type { FacilitationPolicy } from '../operators/index.js';
import {
  createPreparePool,
  defaultWorkerCount,
  groupParcels,
  ingestRecords,
  loadSnapshot,
  watchlistFromNames,
  withRuleSet,
  type PipelineDeps,
} from '../clearance/index.js';
import { learnReferencePrices, type ReferencePriceTable, type WatchlistLists } from '../risk/index.js';
import type { StoredConsignment } from '../store/index.js';
import { createProgress } from '../intake/index.js';
import { demoWatchlist, generateFlood } from '../sim/index.js';
import { migratePostgres, openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import {
  UsageError,
  dayOption,
  exitCodes,
  fileStopMessage,
  makeDataDir,
  openRecords,
  portOption,
  positiveInt,
  stopsFile,
} from './io.js';
import { DemoSummary } from './demo-summary.js';
import { freshDemoDatabase } from './demo-data-dir.js';
import { installGracefulShutdown, untilSignal } from '../ops/index.js';
import { encryptingStore, keyringFromEnv, logRedactPaths } from '../privacy/index.js';
import { serveSecurity, type StoreTarget } from './commands-security.js';
import { guardPseudonymKey } from './commands-pseudonyms.js';
import {
  c2cSettings,
  dispatchStreams,
  openExchange,
  startDispatcher,
  webhookDestinations,
} from './commands-exchange.js';
import type { DestinationPolicy } from '../exchange/index.js';
import type { C2cSettings } from '../api/routes-c2c.js';
import {
  activeRuleSetOf,
  openRiskStoreFor,
  readReferencePrices,
  readWatchlistFile,
  withRiskRuntime,
} from './commands-risk.js';
import { loadScreeningModel, openScreening, type Detector } from '../screening/index.js';
import { withRevenueLedger } from './revenue-ledger.js';

/** Default data directory: $PARCELGATE_DATA_DIR or ./.parcelgate */
export const defaultDataDir = (): string => process.env.PARCELGATE_DATA_DIR ?? resolve('.parcelgate');

type Deps = PipelineDeps & { close: () => Promise<void> };

/**
 * Worker threads preparing batches: $PARCELGATE_WORKERS, default 0 (main thread only). Measured on
 * 2 cores, handing records to a worker costs the main thread more (structured clone both ways)
 * than the assessment it saves, so the pool is opt-in; see docs/performance.md.
 */
const workerCount = (): number => {
  try {
    return defaultWorkerCount();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
};

/**
 * Whether batches commit on a writer thread (`SqliteStoreOptions.writerThread`): $PARCELGATE_WRITER_THREAD
 * (`1` or `0`), else `byDefault`. `serve` and `demo` default to it (about 20 % more consignments/s on
 * 2 cores); `ingest` does not, since the second batch in flight and the writer's heap take its peak
 * memory past the 300 MB it must stay under (see docs/performance.md).
 */
export function writerThreadEnabled(byDefault: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const set = env.PARCELGATE_WRITER_THREAD;
  if (set === undefined || set === '') return byDefault;
  if (set === '1') return true;
  if (set === '0') return false;
  throw new UsageError(`PARCELGATE_WRITER_THREAD must be 0 or 1, got '${set}'`);
}

/** Reference prices learnt from a synthetic earlier day, so the demo's undervaluation indicator has history. */
function demoReferencePrices(day: string): ReferencePriceTable {
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 7 * 86_400_000).toISOString();
  const snapshot = loadSnapshot();
  const parcels = groupParcels(
    generateFlood({ seed: 'history', count: 20_000, day: before.slice(0, 10) }),
    snapshot,
    before,
  );
  return learnReferencePrices(parcels.map((p) => ({ input: p.merged, intrinsicValueEur: p.valueEur })));
}

function openDeps(
  /** Whether this command commits on a writer thread unless $PARCELGATE_WRITER_THREAD says otherwise. */
  writerByDefault: boolean,
  dataDir: string,
  observe?: PipelineDeps['observe'],
  referencePrices?: ReferencePriceTable,
  given?: ClearanceStore,
  fxFeeds?: string[],
  tariffs?: string[],
  /** An administration's watchlist (`--watchlist FILE`); default the demo's fictional list. */
  watchlist?: WatchlistLists,
): Deps {
  let store = given;
  if (!store) {
    makeDataDir(dataDir);
    store = openSqliteStore({ dataDir, writerThread: writerThreadEnabled(writerByDefault) });
  }
  // PARCELGATE_DATA_KEYS set: identity numbers are encrypted at rest (docs/security.md).
  const ring = keyringFromEnv();
  if (ring) store = encryptingStore(store, ring);
  const opened = store;
  const lists = watchlist ?? demoWatchlist();
  const snapshot = loadSnapshot({
    watchlist: watchlistFromNames(lists),
    ...(referencePrices ? { referencePrices } : {}),
    ...(fxFeeds?.length ? { fxFeeds } : {}),
    ...(tariffs?.length ? { tariffs } : {}),
  });
  const workers = workerCount();
  const pool =
    workers === 0
      ? undefined
      : createPreparePool(
          {
            watchlist: lists,
            ...(referencePrices ? { referencePrices } : {}),
            ...(fxFeeds?.length ? { fxFeeds } : {}),
            ...(tariffs?.length ? { tariffs } : {}),
          },
          workers,
        );
  return {
    store,
    snapshot: () => snapshot,
    ...(observe ? { observe } : {}),
    ...(pool ? { prepare: (records, ctx) => pool.prepare(records, ctx) } : {}),
    close: async () => {
      await pool?.close();
      await opened.close();
    },
  };
}

async function serveDeps(
  deps: Deps,
  port: number,
  host: string,
  opts: {
    target: StoreTarget;
    auth?: string | undefined;
    dispatch?: boolean;
    /** Where webhooks may go (default: public addresses only). */
    webhooks?: DestinationPolicy;
    c2c?: C2cSettings | undefined;
    claimTtlMinutes?: number | undefined;
    policy?: FacilitationPolicy | undefined;
    /** The X-ray model, loaded and checked before anything is opened (`loadScreeningModel`). */
    detector: Detector;
  },
): Promise<void> {
  const sec = await serveSecurity({
    target: opts.target,
    auth: opts.auth,
    host,
    rulesVersion: deps.snapshot().version,
  });
  const exchange = await openExchange(opts.target);
  // Operator registry and trust beside the pipeline; compliance scores follow the event log every 5 s.
  const registry = await openRegistryFor(deps.store, {
    ...opts.target,
    ...(opts.policy ? { policy: opts.policy } : {}),
  });
  registry.startFollowing(5000, (e) => process.stderr.write(`compliance follower: ${String(e)}\n`));
  const screening = await openScreening(
    opts.target.postgres ? { postgres: opts.target.postgres } : { dataDir: opts.target.dataDir },
    opts.detector,
  );
  const app = await buildApp({
    ...deps,
    access: sec.access,
    exchange,
    ...(opts.webhooks ? { webhookDestinations: opts.webhooks } : {}),
    ...(opts.c2c ? { c2c: opts.c2c } : {}),
    ...(opts.claimTtlMinutes ? { claimTtlMinutes: opts.claimTtlMinutes } : {}),
    registry,
    screening,
    logger: {
      level: process.env.LOG_LEVEL ?? 'info',
      redact: { paths: [...logRedactPaths], censor: '[redacted]' },
    },
  });
  const stopDispatch = opts.dispatch
    ? startDispatcher(
        exchange,
        opts.target.postgres ? { postgres: opts.target.postgres } : {},
        dispatchStreams(exchange, registry.store),
        opts.webhooks ?? {},
      )
    : undefined;
  const closeAll = async () => {
    await stopDispatch?.();
    await exchange.close();
    await registry.close();
    await screening.close();
    await sec.stop();
    await deps.close();
  };
  installGracefulShutdown(app, { close: closeAll });
  try {
    await app.listen({ port, host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw e;
    await app.close();
    await closeAll();
    const why = {
      EADDRINUSE: 'the port is in use',
      EACCES: 'permission denied',
      EADDRNOTAVAIL: 'no such address here',
    }[code];
    throw new UsageError(
      `cannot listen on ${host}:${port}: ${why} (${code}); choose another --port or --host`,
      { cause: e },
    );
  }
  process.stderr.write(
    `parcelgate API on http://${host}:${port}  (console: /console/, docs: /docs, OpenAPI: /openapi.json; ${sec.describe})\n`,
  );
}

/** Serves the HTTP API on the SQLite store in `dataDir`, or on PostgreSQL with `--postgres URL`. */
export async function serveCommand(opts: {
  port?: string;
  host?: string;
  dataDir?: string;
  postgres?: string;
  auth?: string;
  dispatch?: boolean;
  webhookAllow?: string;
  inspectionsPerDay?: string;
  documentaryChecksPerDay?: string;
  agreements?: string;
  administration?: string;
  findingsKey?: string;
  findingsKeyId?: string;
  referencePrices?: string;
  calibrateWeights?: boolean;
  facilitationPolicy?: string;
  fx?: string[];
  tariff?: string[];
  claimTtl?: string;
  watchlist?: string;
}) {
  const port = portOption(opts.port);
  const watchlist = opts.watchlist === undefined ? undefined : readWatchlistFile(opts.watchlist);
  const webhooks = webhookDestinations(opts.webhookAllow);
  const claimTtlMinutes =
    opts.claimTtl === undefined ? undefined : positiveInt('claim-ttl', opts.claimTtl, 30);
  const capacity =
    opts.inspectionsPerDay === undefined
      ? undefined
      : positiveInt('inspections-per-day', opts.inspectionsPerDay, 1);
  const documentary =
    opts.documentaryChecksPerDay === undefined
      ? undefined
      : positiveInt('documentary-checks-per-day', opts.documentaryChecksPerDay, 1);
  const dataDir = opts.dataDir ?? defaultDataDir();
  const target = { dataDir, ...(opts.postgres ? { postgres: opts.postgres } : {}) };
  await guardPseudonymKey(target, opts.host ?? '127.0.0.1');
  // A missing or broken X-ray model stops the server here, before it listens (docs/screening.md).
  const detector = await loadScreeningModel();
  const store = opts.postgres ? await openPostgresStore({ url: opts.postgres }) : undefined;
  const prices = opts.referencePrices === undefined ? undefined : readReferencePrices(opts.referencePrices);
  const deps = await withRevenueLedger(
    await withRiskRuntime(
      openDeps(true, dataDir, undefined, prices, store, opts.fx, opts.tariff, watchlist),
      await openRiskStoreFor(target),
      {
        ...(capacity === undefined ? {} : { inspectionsPerOfficeDay: capacity }),
        ...(documentary === undefined ? {} : { documentaryChecksPerOfficeDay: documentary }),
        ...(opts.calibrateWeights === true ? { calibrateWeights: true } : {}),
      },
    ),
    target,
  );
  const c2c = c2cSettings(opts);
  const policy = readFacilitationPolicy(opts.facilitationPolicy);
  await serveDeps(deps, port, opts.host ?? '127.0.0.1', {
    target,
    ...(policy ? { policy } : {}),
    auth: opts.auth,
    dispatch: opts.dispatch === true,
    webhooks,
    ...(c2c ? { c2c } : {}),
    claimTtlMinutes,
    detector,
  });
}

/** Applies the PostgreSQL migrations (safe to run from several processes at once). */
export async function migrateCommand(opts: { postgres?: string }) {
  if (!opts.postgres) throw new UsageError('--postgres URL is required (SQLite migrates itself when opened)');
  const r = await migratePostgres(opts.postgres);
  process.stdout.write(JSON.stringify({ from: r.from, to: r.to, partitions: r.partitions.length }) + '\n');
}

/** Ingests an NDJSON or CSV file into the store, streaming in batches with a progress bar. */
export async function ingestCommand(
  file: string,
  opts: {
    dataDir?: string;
    format?: string;
    batch?: string;
    strict?: boolean;
    submitter?: string;
    tariff?: string[];
    watchlist?: string;
  },
) {
  const watchlist = opts.watchlist === undefined ? undefined : readWatchlistFile(opts.watchlist);
  const { records, bytes, stream } = openRecords(file, opts.format);
  makeDataDir(opts.dataDir ?? defaultDataDir());
  await guardPseudonymKey({ dataDir: opts.dataDir ?? defaultDataDir() });
  // The rule set in force is the store's active version, as for `serve` on the same data directory.
  const active = await activeRuleSetOf({ dataDir: opts.dataDir ?? defaultDataDir() });
  const opened = openDeps(
    false,
    opts.dataDir ?? defaultDataDir(),
    undefined,
    undefined,
    undefined,
    undefined,
    opts.tariff,
    watchlist,
  );
  const inForce = active === undefined ? undefined : withRuleSet(opened.snapshot(), active);
  const deps = inForce === undefined ? opened : { ...opened, snapshot: () => inForce };
  const batchSize = positiveInt('batch', opts.batch, 2000);
  const progress = createProgress(bytes, {
    enabled: Boolean(process.stderr.isTTY) && !process.env.CI,
    label: 'ingest',
  });
  let read = 0;
  let ticked = 0;
  stream.on('data', (chunk: Buffer | string) => (read += chunk.length));
  const submitter = opts.submitter ?? 'cli';
  const started = performance.now();
  let shown = 0;
  let stopped: string | undefined;
  // SIGINT/SIGTERM: stop reading, commit the batch in hand, report, exit (nothing half-written).
  const guarded = untilSignal(records);
  const totals = await ingestRecords(
    () => ({ actor: submitter, submitterId: submitter, now: new Date().toISOString() }),
    guarded.records,
    deps,
    {
      batchSize,
      // `tick` adds what was read since the previous batch, not the running total.
      onBatch: (results) => {
        progress.tick(read - ticked, results.length);
        ticked = read;
      },
      onRejected: (line, issues) => {
        for (const i of issues) if (stopsFile(i.code)) stopped ??= i.message;
        if (shown++ < 20) {
          for (const i of issues)
            process.stderr.write(`line ${line}: ${i.code} at ${i.path || '/'}: ${i.message}\n`);
        }
      },
    },
  );
  progress.stop();
  await deps.close();
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      file,
      records: totals.records,
      ...totals.byStatus,
      seconds: Number(secs.toFixed(2)),
      perSecond: Math.round(totals.records / secs),
      ...(guarded.stopped() ? { stoppedBySignal: true } : {}),
      ...(active === undefined ? {} : { ruleSet: active.key }),
    }) + '\n',
  );
  if (stopped !== undefined) {
    process.stderr.write(`parcelgate: ${fileStopMessage(file, stopped)}\n`);
    return exitCodes.usage;
  }
  return opts.strict && (totals.byStatus.rejected ?? 0) > 0 ? 1 : 0;
}

/**
 * When the demo's records are lodged: now, or for a past `day` the same time of day on that day, so the
 * parcels are assessed on their arrival day (the tax point is never before the lodging date).
 */
export function demoLodgingTime(day: string, now: string): string {
  return day < now.slice(0, 10) ? `${day}${now.slice(10)}` : now;
}

/** The main job: generate a realistic day of parcels, clear them all, print a summary, then serve the API. */
export async function demoCommand(opts: {
  count?: string;
  seed?: string;
  dataDir?: string;
  port?: string;
  host?: string;
  serve?: boolean;
  day?: string;
  auth?: string;
  tariff?: string[];
  replace?: boolean;
}) {
  const count = positiveInt('count', opts.count, 100_000);
  portOption(opts.port); // a bad --port is refused before the parcels are generated
  const dataDir = opts.dataDir ?? join(defaultDataDir(), 'demo');
  const day = dayOption('day', opts.day ?? new Date().toISOString().slice(0, 10));
  freshDemoDatabase(dataDir, opts.replace === true);
  makeDataDir(dataDir);
  await guardPseudonymKey({ dataDir }, opts.host ?? '127.0.0.1');
  const detector = opts.serve === false ? undefined : await loadScreeningModel();
  const summary = new DemoSummary();
  const deps = await withRevenueLedger(
    openDeps(
      true,
      dataDir,
      (cs: readonly StoredConsignment[]) => summary.observe(cs),
      demoReferencePrices(day),
      undefined,
      undefined,
      opts.tariff,
    ),
    { dataDir },
    // The per-person view is kept as of the demo's day (it may be a past or future day).
    { clock: () => `${day}T12:00:00.000Z` },
  );
  process.stderr.write(
    `parcelgate demo: generating and clearing ${count.toLocaleString('en')} parcels for ${day} in ${dataDir}\n`,
  );
  const progress = createProgress(count, {
    enabled: Boolean(process.stderr.isTTY) && !process.env.CI,
    label: 'clear',
    unit: 'parcels',
  });
  const started = performance.now();
  const floodSource = (async function* () {
    let line = 0;
    for (const rec of generateFlood({ seed: opts.seed ?? '2026', count, day })) {
      summary.label(rec.label);
      yield { line: ++line, value: rec.input as unknown };
    }
  })();
  await ingestRecords(
    () => ({ actor: 'demo', submitterId: 'demo', now: demoLodgingTime(day, new Date().toISOString()) }),
    floodSource,
    deps,
    {
      batchSize: 2000,
      onBatch: (results) => {
        summary.results(results);
        progress.tick(results.length, results.length);
      },
    },
  );
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(summary.render(seconds) + '\n');
  if (detector === undefined) {
    await deps.close();
    return;
  }
  await serveDeps(deps, portOption(opts.port), opts.host ?? '127.0.0.1', {
    target: { dataDir },
    auth: opts.auth,
    detector,
  });
}
