/** (a) Pipeline into SQLite vs raw better-sqlite3 inserts of the very rows the pipeline wrote. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { loadSnapshot, submitBatch, watchlistFromNames } from '../src/clearance/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { chunks, fmt, records, tempDir } from './util.js';

const tables = ['consignments', 'link_keys', 'declarations', 'consignment_versions', 'events'];

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

  const t0 = performance.now();
  for (const batch of chunks(input, 2000)) {
    await submitBatch({ actor: 'bench', submitterId: 'bench', now: new Date().toISOString() }, batch, deps);
  }
  const pipeSecs = (performance.now() - t0) / 1000;
  await store.close();

  // Baseline: same schema (DDL copied from the pipeline's database), same rows, same batch size.
  const src = new Database(join(dir, 'parcelgate.db'), { readonly: true });
  const ddl = src
    .prepare(
      "select sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by type desc",
    )
    .all() as { sql: string }[];
  const rows = tables.map((t) => ({ t, rows: src.prepare(`select * from ${t}`).raw().all() as unknown[][] }));
  src.close();
  const dst = new Database(join(tempDir('raw'), 'raw.db'));
  dst.pragma('journal_mode = WAL');
  dst.pragma('synchronous = NORMAL');
  for (const d of ddl.sort(
    (a, b) => Number(/^create index/i.test(a.sql)) - Number(/^create index/i.test(b.sql)),
  ))
    dst.exec(d.sql);
  const total = rows.reduce((n, r) => n + r.rows.length, 0);
  const perConsignment = rows.map((r) => ({ ...r, per: r.rows.length / count }));
  const inserts = perConsignment.map((r) => {
    const cols = (r.rows[0] ?? []).length;
    return {
      ...r,
      stmt: cols
        ? dst.prepare(`insert into ${r.t} values (${new Array(cols).fill('?').join(',')})`)
        : undefined,
    };
  });
  const t1 = performance.now();
  const batches = Math.ceil(count / 2000);
  for (let b = 0; b < batches; b++) {
    dst.transaction(() => {
      for (const r of inserts) {
        if (!r.stmt) continue;
        const from = Math.floor((b * r.rows.length) / batches);
        const to = Math.floor(((b + 1) * r.rows.length) / batches);
        for (let i = from; i < to; i++) r.stmt.run(r.rows[i]);
      }
    })();
  }
  const rawSecs = (performance.now() - t1) / 1000;
  dst.close();
  const pipeRate = count / pipeSecs;
  const rawRate = count / rawSecs;
  say('');
  say(
    `(a) end-to-end, ${fmt(count)} consignments in batches of 2,000 (${fmt(total)} rows: ${perConsignment.map((r) => `${r.t} ${fmt(r.rows.length)}`).join(', ')})`,
  );
  say(`    pipeline (validate + match + assess + commit): ${fmt(pipeRate)} consignments/s`);
  say(`    raw better-sqlite3 insert of the same rows:    ${fmt(rawRate)} consignments/s`);
  say(
    `    ratio pipeline / raw insert: ${(pipeRate / rawRate).toFixed(2)}  (floor 0.50; absolute floor 15,000/s)`,
  );
}
