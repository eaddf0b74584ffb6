/** `serve`, `ingest` and `demo`: commands that run against the embedded SQLite store. */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp } from '../api/index.js';
import {
  createPreparePool,
  groupParcels,
  ingestRecords,
  loadSnapshot,
  watchlistFromNames,
  type PipelineDeps,
} from '../clearance/index.js';
import { learnReferencePrices, type ReferencePriceTable } from '../risk/index.js';
import type { StoredConsignment } from '../store/index.js';
import { createProgress } from '../intake/index.js';
import { demoWatchlist, generateFlood } from '../sim/index.js';
import { migratePostgres, openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { UsageError, openRecords, positiveInt } from './io.js';
import { DemoSummary } from './demo-summary.js';
import { openRiskStoreFor, readReferencePrices, withRiskRuntime } from './commands-risk.js';

/** Default data directory: $PARCELGATE_DATA_DIR or ./.parcelgate */
export const defaultDataDir = (): string => process.env.PARCELGATE_DATA_DIR ?? resolve('.parcelgate');

type Deps = PipelineDeps & { close: () => Promise<void> };

/**
 * Worker threads preparing batches: $PARCELGATE_WORKERS, default 0 (main thread only). Measured on
 * 2 cores, handing records to a worker costs the main thread more (structured clone both ways)
 * than the assessment it saves, so the pool is opt-in; see docs/performance.md.
 */
const workerCount = (): number => {
  const n = Number(process.env.PARCELGATE_WORKERS ?? 0);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(
      `PARCELGATE_WORKERS must be a whole number, got '${process.env.PARCELGATE_WORKERS}'`,
    );
  return n;
};

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
  dataDir: string,
  observe?: PipelineDeps['observe'],
  referencePrices?: ReferencePriceTable,
  given?: ClearanceStore,
): Deps {
  let store = given;
  if (!store) {
    mkdirSync(dataDir, { recursive: true });
    store = openSqliteStore({ dataDir });
  }
  const opened = store;
  const lists = demoWatchlist();
  const snapshot = loadSnapshot({
    watchlist: watchlistFromNames(lists),
    ...(referencePrices ? { referencePrices } : {}),
  });
  const workers = workerCount();
  const pool =
    workers === 0
      ? undefined
      : createPreparePool({ watchlist: lists, ...(referencePrices ? { referencePrices } : {}) }, workers);
  return {
    store,
    snapshot: () => snapshot,
    ...(observe ? { observe } : {}),
    ...(pool ? { prepare: (records, now) => pool.prepare(records, now) } : {}),
    close: async () => {
      await pool?.close();
      await opened.close();
    },
  };
}

async function serveDeps(deps: Deps, port: number, host: string): Promise<void> {
  const app = await buildApp({ ...deps, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  const stop = async () => {
    await app.close();
    await deps.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await app.listen({ port, host });
  process.stderr.write(`parcelgate API on http://${host}:${port}  (docs: /docs, OpenAPI: /openapi.json)\n`);
}

/** Serves the HTTP API on the SQLite store in `dataDir`, or on PostgreSQL with `--postgres URL`. */
export async function serveCommand(opts: {
  port?: string;
  host?: string;
  dataDir?: string;
  postgres?: string;
  inspectionsPerDay?: string;
  referencePrices?: string;
}) {
  const port = positiveInt('port', opts.port, 8080);
  const capacity =
    opts.inspectionsPerDay === undefined
      ? undefined
      : positiveInt('inspections-per-day', opts.inspectionsPerDay, 1);
  const store = opts.postgres ? await openPostgresStore({ url: opts.postgres }) : undefined;
  const dataDir = opts.dataDir ?? defaultDataDir();
  const prices = opts.referencePrices === undefined ? undefined : readReferencePrices(opts.referencePrices);
  const deps = openDeps(dataDir, undefined, prices, store);
  await serveDeps(
    await withRiskRuntime(
      deps,
      await openRiskStoreFor({ dataDir, ...(opts.postgres ? { postgres: opts.postgres } : {}) }),
      capacity === undefined ? {} : { inspectionsPerOfficeDay: capacity },
    ),
    port,
    opts.host ?? '127.0.0.1',
  );
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
  opts: { dataDir?: string; format?: string; batch?: string; strict?: boolean; submitter?: string },
) {
  const { records, bytes, stream } = openRecords(file, opts.format);
  const deps = openDeps(opts.dataDir ?? defaultDataDir());
  const batchSize = positiveInt('batch', opts.batch, 2000);
  const progress = createProgress(bytes, {
    enabled: Boolean(process.stderr.isTTY) && !process.env.CI,
    label: 'ingest',
  });
  let read = 0;
  stream.on('data', (chunk: Buffer | string) => (read += chunk.length));
  const submitter = opts.submitter ?? 'cli';
  const started = performance.now();
  let shown = 0;
  const totals = await ingestRecords(
    () => ({ actor: submitter, submitterId: submitter, now: new Date().toISOString() }),
    records,
    deps,
    {
      batchSize,
      onBatch: (results) => progress.tick(read, results.length),
      onRejected: (line, issues) => {
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
    }) + '\n',
  );
  return opts.strict && (totals.byStatus.rejected ?? 0) > 0 ? 1 : 0;
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
}) {
  const count = positiveInt('count', opts.count, 100_000);
  const dataDir = opts.dataDir ?? join(defaultDataDir(), 'demo');
  const day = opts.day ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`--day must be YYYY-MM-DD, got '${day}'`);
  rmSync(join(dataDir, 'parcelgate.db'), { force: true });
  rmSync(join(dataDir, 'parcelgate.db-wal'), { force: true });
  rmSync(join(dataDir, 'parcelgate.db-shm'), { force: true });
  const summary = new DemoSummary();
  const deps = openDeps(
    dataDir,
    (cs: readonly StoredConsignment[]) => summary.observe(cs),
    demoReferencePrices(day),
  );
  process.stderr.write(
    `parcelgate demo: generating and clearing ${count.toLocaleString('en')} parcels for ${day} in ${dataDir}\n`,
  );
  const progress = createProgress(count, {
    enabled: Boolean(process.stderr.isTTY) && !process.env.CI,
    label: 'clear',
  });
  const started = performance.now();
  let done = 0;
  const floodSource = (async function* () {
    let line = 0;
    for (const rec of generateFlood({ seed: opts.seed ?? '2026', count, day })) {
      summary.label(rec.label);
      yield { line: ++line, value: rec.input as unknown };
    }
  })();
  await ingestRecords(
    () => ({ actor: 'demo', submitterId: 'demo', now: new Date().toISOString() }),
    floodSource,
    deps,
    {
      batchSize: 2000,
      onBatch: (results) => {
        summary.results(results);
        done += results.length;
        progress.tick(done, results.length);
      },
    },
  );
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(summary.render(seconds) + '\n');
  if (opts.serve === false) {
    await deps.close();
    return;
  }
  await serveDeps(deps, positiveInt('port', opts.port, 8080), opts.host ?? '127.0.0.1');
}
