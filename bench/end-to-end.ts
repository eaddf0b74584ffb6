/** (a) Pipeline into SQLite vs raw better-sqlite3 inserts of the very rows the pipeline wrote. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  createPreparePool,
  ingestRecords,
  loadSnapshot,
  submitBatch,
  watchlistFromNames,
  type RequestContext,
} from '../src/clearance/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { clearanceTables } from '../src/store/sqlite/sqlite-rows.js';
import { cpuPerItem, fmt, gcPauses, records, tempDir, threadCpuSeconds } from './util.js';

const tables = clearanceTables;

/** Runs benchmark (a). */
export async function benchEndToEnd(count: number, say: (s: string) => void): Promise<void> {
  const input = records(count);
  const dir = tempDir('e2e');
  const store = openSqliteStore({ dataDir: dir });
  const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
  const deps = { store, snapshot: () => snapshot };
  // warm-up on a separate store so JIT and caches are hot
  const warm = openSqliteStore({ memory: true });
  await submitBatch({ actor: 'b', submitterId: 'b', now: new Date().toISOString() }, input.slice(0, 2000), {
    store: warm,
    snapshot: () => snapshot,
  });
  await warm.close();

  const source = (async function* () {
    let line = 0;
    for (const value of input) yield { line: ++line, value };
  })();
  const ctx = () => ({ actor: 'bench', submitterId: 'bench', now: new Date().toISOString() });
  const cpu0 = threadCpuSeconds();
  const t0 = performance.now();
  await ingestRecords(ctx, source, deps, { batchSize: 2000 });
  const pipeSecs = (performance.now() - t0) / 1000;
  const pipeCpu = cpuPerItem(cpu0, threadCpuSeconds(), count);
  await store.close();

  // The same pipeline with commits on a writer thread (preparation stays in this thread).
  const writerStore = openSqliteStore({ dataDir: tempDir('e2e-writer'), writerThread: true });
  const viaWriter = { store: writerStore, snapshot: () => snapshot };
  const third = (async function* () {
    let line = 0;
    for (const value of input) yield { line: ++line, value };
  })();
  const cpuW = threadCpuSeconds();
  const gcW = gcPauses();
  const tw = performance.now();
  await ingestRecords(ctx, third, viaWriter, { batchSize: 2000 });
  const writerSecs = (performance.now() - tw) / 1000;
  const writerCpu = cpuPerItem(cpuW, threadCpuSeconds(), count);
  const writerGc = await gcW();
  await writerStore.close();

  // The same pipeline with preparation on a worker thread (opt-in: PARCELGATE_WORKERS), for comparison.
  const pool = createPreparePool({ watchlist: demoWatchlist() }, 1);
  const pooledStore = openSqliteStore({ dataDir: tempDir('e2e-pool') });
  const pooled = {
    store: pooledStore,
    snapshot: () => snapshot,
    prepare: (r: readonly unknown[], ctx: RequestContext) => pool.prepare(r, ctx),
  };
  const again = (async function* () {
    let line = 0;
    for (const value of input) yield { line: ++line, value };
  })();
  const cpu1 = threadCpuSeconds();
  const tp = performance.now();
  await ingestRecords(ctx, again, pooled, { batchSize: 2000 });
  const pooledSecs = (performance.now() - tp) / 1000;
  const pooledCpu = cpuPerItem(cpu1, threadCpuSeconds(), count);
  await pool.close();
  await pooledStore.close();

  // Baseline: same schema (DDL copied from the pipeline's database), same rows, same batch size.
  const src = new Database(join(dir, 'parcelgate.db'), { readonly: true });
  const ddl = src
    .prepare("select type, sql from sqlite_master where sql is not null and name not like 'sqlite_%'")
    .all() as { type: string; sql: string }[];
  // Rows grouped by the batch their consignment was written in, so the baseline writes the same
  // rows in the same transactions (and foreign keys always find their consignment).
  const batchOf = new Map<string, number>();
  const ids = src.prepare('select id from consignments order by rowid').pluck().all() as string[];
  ids.forEach((id, i) => batchOf.set(id, Math.floor(i / 2000)));
  const batches = Math.ceil(ids.length / 2000);
  const rows = tables.map((t) => {
    // The stored columns (generated ones, e.g. the work queue's priority tier, are the database's).
    const cols = (
      src.prepare(`select name, hidden from pragma_table_xinfo(?)`).all(t) as {
        name: string;
        hidden: number;
      }[]
    )
      .filter((c) => c.hidden === 0)
      .map((c) => c.name);
    const stmt = src.prepare(`select ${cols.join(', ')} from ${t}`).raw();
    const fk = cols.indexOf(t === 'consignments' ? 'id' : 'consignment_id');
    const byBatch: unknown[][][] = Array.from({ length: batches }, () => []);
    for (const r of stmt.all() as unknown[][]) byBatch[batchOf.get(String(r[fk])) ?? 0]!.push(r);
    return { t, cols, byBatch, count: byBatch.reduce((n, b) => n + b.length, 0) };
  });
  src.close();
  const dst = new Database(join(tempDir('raw'), 'raw.db'));
  dst.pragma('journal_mode = WAL');
  dst.pragma('synchronous = NORMAL');
  dst.pragma('foreign_keys = ON');
  // Tables first, then their indexes and triggers (the baseline keeps every trigger the pipeline has).
  const rank = (type: string) => ['table', 'index', 'view', 'trigger'].indexOf(type);
  for (const d of ddl.sort((a, b) => rank(a.type) - rank(b.type))) dst.exec(d.sql);
  const total = rows.reduce((n, r) => n + r.count, 0);
  const inserts = rows.map((r) => ({
    ...r,
    stmt: dst.prepare(
      `insert into ${r.t} (${r.cols.join(', ')}) values (${r.cols.map(() => '?').join(',')})`,
    ),
  }));
  const t1 = performance.now();
  for (let b = 0; b < batches; b++) {
    dst.transaction(() => {
      for (const r of inserts) for (const row of r.byBatch[b]!) r.stmt.run(row);
    })();
  }
  const rawSecs = (performance.now() - t1) / 1000;
  dst.close();
  const pipeRate = count / pipeSecs;
  const rawRate = count / rawSecs;
  say('');
  say(
    `(a) end-to-end, ${fmt(count)} consignments in batches of 2,000 (${fmt(total)} rows: ${rows.map((r) => `${r.t} ${fmt(r.count)}`).join(', ')})`,
  );
  say(`    pipeline (validate + match + assess + commit): ${fmt(pipeRate)} consignments/s`);
  say(`    same with commits on a writer thread:          ${fmt(count / writerSecs)} consignments/s`);
  say(`    same with preparation on a worker thread:      ${fmt(count / pooledSecs)} consignments/s`);
  say(`    raw better-sqlite3 insert of the same rows:    ${fmt(rawRate)} consignments/s`);
  const cpuLine = (label: string, c: { main: number; others: number } | null) =>
    c &&
    say(
      `    CPU per consignment, ${label}: main thread ${fmt(c.main)} µs, other threads ${fmt(c.others)} µs`,
    );
  cpuLine('in-thread', pipeCpu);
  cpuLine('writer thread', writerCpu);
  say(
    `    main thread's collector, writer thread: ${fmt(writerGc.young)} young-generation collections, ${((writerGc.youngMs * 1000) / count).toFixed(1)} µs of pauses per consignment; ${fmt(writerGc.other)} others, ${((writerGc.otherMs * 1000) / count).toFixed(1)} µs`,
  );
  cpuLine('worker', pooledCpu);
  say(
    `    ratio pipeline / raw insert: ${(pipeRate / rawRate).toFixed(2)} in-thread, ${(count / writerSecs / rawRate).toFixed(2)} with the writer thread (serve's and demo's default)  (floor 0.50; absolute floor 15,000/s)`,
  );
}
