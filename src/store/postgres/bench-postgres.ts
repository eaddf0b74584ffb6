/**
 * PostgreSQL micro-benchmark: (a) the pipeline into PostgreSQL vs a raw `COPY … FROM STDIN` of the very
 * rows it wrote (PostgreSQL's bulk-load path, one COPY per table per batch), (b) two worker processes vs
 * one against the same database.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPreparePool, loadSnapshot, submitBatch, type RequestContext } from '../../clearance/index.js';
import { toBatchRows } from '../sqlite/sqlite-rows.js';
import type { BatchWrites, ClearanceStore } from '../port.js';
import { CpuSampler, machineCores, mainThreadCpuSeconds, type CpuUse } from './bench-cpu.js';
import { migratePostgres } from './migrations.js';
import { rawCopyPgRows, type PgBatchRows } from './pg-writes.js';
import { openPostgresStore } from './postgres-store.js';
import { withTransact } from '../with-transact.js';
import { dropSchemas, freshSchemaName } from './testing/pg-test-env.js';
import { floodInputs } from './testing/flood-worker.js';

const batchSize = 2000;
/** Batches (a) submits before waiting for the oldest, as `ingestStream` does with a prepare pool. */
const inFlight = 3;
const worker = fileURLToPath(new URL('./testing/flood-worker.js', import.meta.url));
const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** Wraps a store so that every batch's writes are kept (for the raw baseline), without other change. */
function recording(store: ClearanceStore, into: BatchWrites[]): ClearanceStore {
  return withTransact(store, (lookup, plan, opts) =>
    store.transact(
      lookup,
      (found) => {
        const planned = plan(found);
        into.push(planned.writes);
        return planned;
      },
      opts,
    ),
  );
}

/**
 * The rows of every batch as plain inserts can take them: a consignment written by several batches (an
 * amendment that found an earlier batch's consignment) is written once, in the first of them, with its
 * last content; a link key pair is written once. Everything else is new rows already.
 */
export function foldForCopy(batches: readonly PgBatchRows[]): PgBatchRows[] {
  const last = new Map<string, PgBatchRows['consignments'][number]>();
  for (const b of batches) for (const c of b.consignments) last.set(c.id, c);
  const written = new Set<string>();
  const pairs = new Set<string>();
  return batches.map((b) => ({
    ...b,
    consignments: b.consignments.flatMap((c) => {
      if (written.has(c.id)) return [];
      written.add(c.id);
      return [last.get(c.id) ?? c];
    }),
    linkKeys: b.linkKeys.filter((l) => {
      const pair = `${l.key}\n${l.consignmentId}`;
      if (pairs.has(pair)) return false;
      pairs.add(pair);
      return true;
    }),
  }));
}

/**
 * Submits `inputs` through the pipeline in batches of `batchSize`, three in flight: what `parcelgate
 * ingest` does with a prepare pool (`ingestStream`). With two, the one worker sat idle between batches
 * while the oldest committed, and the commit waited for it in turn (docs/performance.md).
 */
async function pipeline(inputs: readonly unknown[], deps: Parameters<typeof submitBatch>[2]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < inputs.length; i += batchSize) {
    const ctx = { actor: 'bench', submitterId: 'bench', now: new Date().toISOString() };
    // Batches commit in submission order; preparing the next overlaps committing the previous.
    pending.push(submitBatch(ctx, inputs.slice(i, i + batchSize), deps));
    if (pending.length >= inFlight) await pending.shift();
  }
  await Promise.all(pending);
}

/** Wall seconds and CPU seconds of one side of (a): this process (all threads, main thread) and backends. */
interface SideUse {
  seconds: number;
  node: number;
  main: number;
  backends: number;
}

/** Set once a CHECKPOINT was refused (the note is printed once). */
let settleRefused = false;

/**
 * Asks the server for a checkpoint, so that a measured run starts with no dirty pages of an earlier one
 * to write back and the whole WAL allowance before the next checkpoint: each run then pays for its own
 * writes only. Needs a superuser or `pg_checkpoint`; without, runs go on as they are (said once).
 */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch (err) {
    if (!settleRefused) process.stderr.write(`bench: no CHECKPOINT before runs (${String(err)})\n`);
    settleRefused = true;
  } finally {
    await client.end();
  }
}

/** Runs `work` and measures it (see `SideUse`); the backends are those of the bench database. */
async function measured(url: string, work: () => Promise<void>): Promise<SideUse> {
  await settle(url);
  const sampler = await CpuSampler.open(url);
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const main = mainThreadCpuSeconds() - main0;
  const use = await sampler.stop();
  return { seconds, node: (cpu.user + cpu.system) / 1e6, main, backends: use.backends };
}

/** COPYs every batch's rows (one transaction each) into a fresh schema and measures the COPYs. */
async function rawCopy(url: string, written: BatchWrites[], schemas: string[]): Promise<SideUse> {
  const rawSchema = freshSchemaName('pgraw');
  schemas.push(rawSchema);
  await migratePostgres(url, rawSchema);
  const rows = foldForCopy(written.map((w) => toBatchRows(w)));
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${rawSchema}` });
  await client.connect();
  try {
    return await measured(url, async () => {
      for (const r of rows) await rawCopyPgRows(client, r);
    });
  } finally {
    await client.end();
  }
}

/**
 * (a): returns consignments per second through the pipeline and through the raw COPY. Both first run
 * on a flood of `warmUpRecords` other parcels in schemas of their own (the pipeline on its worker thread and
 * its committing thread, the COPY on its encoder and client), as the flood workers of (b) do: measured
 * cold, a third of the pipeline's Node CPU was V8 compiling it (docs/performance.md).
 */
async function pipelineVsRaw(
  url: string,
  inputs: unknown[],
  schemas: string[],
): Promise<{ consignments: number; pipe: SideUse; raw: SideUse }> {
  const pool = createPreparePool({});
  const prepare = (r: readonly unknown[], ctx: RequestContext) => pool.prepare(r, ctx);
  const warmSchema = freshSchemaName('pgwarm');
  schemas.push(warmSchema);
  const warmWritten: BatchWrites[] = [];
  const warmStore = recording(await openPostgresStore({ url, schema: warmSchema }), warmWritten);
  const warmSnapshot = loadSnapshot();
  await pipeline(floodInputs('bench-warm-up', warmUpRecords), {
    store: warmStore,
    snapshot: () => warmSnapshot,
    prepare,
  });
  await warmStore.close();
  await rawCopy(url, warmWritten, schemas);

  const schema = freshSchemaName('pgbench');
  schemas.push(schema);
  const written: BatchWrites[] = [];
  const store = recording(await openPostgresStore({ url, schema }), written);
  const snapshot = loadSnapshot();
  const pipe = await measured(url, () => pipeline(inputs, { store, snapshot: () => snapshot, prepare }));
  await pool.close();
  const consignments = (await store.stats()).consignments;
  await store.close();
  const raw = await rawCopy(url, written, schemas);
  return { consignments, pipe, raw };
}

/** One run of `processes`: records per second, wall time and the CPU used (processes and server). */
interface ProcessRun {
  rate: number;
  records: number;
  /** Wall time of the submitting phase (the slowest process's), not the flood's generation before it. */
  seconds: number;
  /** Node: the processes' own CPU over their submitting phase; PostgreSQL: sampled over the run. */
  cpu: CpuUse;
  /** Statements sent and transaction attempts (a retried batch counts twice), over all processes. */
  roundTrips: number;
  attempts: number;
  batches: number;
}

/** Records each flood worker, and (a)'s pipeline, submits to warm up (in a schema of its own) first. */
export const warmUpRecords = 8000;

/**
 * Runs the flood worker `workers` times in parallel (disjoint shares); returns its rate and CPU use.
 * Each worker first warms up on a flood of its own (V8 compiles the pipeline over its first several
 * thousand records, at up to 4× the steady CPU per record: without the warm-up, two processes would
 * each pay that over half as many records), then all start their shares together.
 */
async function processes(
  url: string,
  count: number,
  workers: number,
  schemas: string[],
): Promise<ProcessRun> {
  const schema = freshSchemaName(`pgproc${workers}`);
  schemas.push(schema);
  for (let w = 0; w < workers; w++) schemas.push(`${schema}_${w}_warm`);
  await migratePostgres(url, schema);
  // Opened once every worker is ready (the workers' `done` lines ask it for a last reading).
  const sampler: { now?: CpuSampler } = {};
  let ready = 0;
  let allReady!: () => void;
  const started = new Promise<void>((resolve) => (allReady = resolve));
  const children: ReturnType<typeof spawn>[] = [];
  const runs = Array.from(
    { length: workers },
    (_, w) =>
      new Promise<{
        sent: number;
        ms: number;
        cpuUs: number;
        trips: number;
        attempts: number;
        batches: number;
      }>((resolve, reject) => {
        const args = [
          worker,
          url,
          schema,
          'bench',
          String(count),
          String(w),
          String(workers),
          '1000',
          'split',
          String(warmUpRecords),
        ];
        const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
        children.push(child);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          const was = out;
          out += chunk.toString();
          if (!/^ready$/m.test(was) && /^ready$/m.test(out) && ++ready === workers) allReady();
          // Its last CPU reading, while it is still alive.
          if (!/^done /m.test(was) && /^done /m.test(out)) void sampler.now?.sample().catch(() => undefined);
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          const done = /^done (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$/m.exec(out);
          if (code !== 0 || done === null) reject(new Error(`flood worker exited with ${String(code)}`));
          else
            resolve({
              sent: Number(done[1]),
              ms: Number(done[2]),
              cpuUs: Number(done[3]),
              trips: Number(done[4]),
              attempts: Number(done[5]),
              batches: Number(done[6]),
            });
        });
      }),
  );
  // Every worker warmed up and connected: sample from here, then let them all go.
  try {
    await Promise.race([started, Promise.all(runs)]);
  } catch (err) {
    // One failed before the start: the others would wait for it forever.
    for (const child of children) child.kill();
    throw err;
  }
  await settle(url);
  const sampling = await CpuSampler.open(url);
  sampler.now = sampling;
  for (const child of children) {
    if (child.pid !== undefined) sampling.watch(child.pid);
    child.stdin?.end('go\n');
  }
  const results = await Promise.all(runs).catch(async (err: unknown) => {
    await sampling.stop().catch(() => undefined);
    throw err;
  });
  const sampled = await sampling.stop();
  const sent = results.reduce((n, r) => n + r.sent, 0);
  const seconds = Math.max(...results.map((r) => r.ms)) / 1000;
  // Each process generates the whole flood before it submits its share: the sampler's Node figure
  // would charge that generation to the records (twice over with two processes), so the processes'
  // own submitting-phase CPU is used instead.
  const cpu = { ...sampled, node: results.reduce((n, r) => n + r.cpuUs, 0) / 1e6 };
  const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    rate: sent / seconds,
    records: sent,
    seconds,
    cpu,
    roundTrips: sum((r) => r.trips),
    attempts: sum((r) => r.attempts),
    batches: sum((r) => r.batches),
  };
}

/** Runs the PostgreSQL benchmarks on `count` generated parcels against `url`, reporting through `say`. */
export async function benchPostgres(url: string, count: number, say: (s: string) => void): Promise<void> {
  const schemas: string[] = [];
  try {
    const inputs = floodInputs('bench', count);
    const { consignments, pipe, raw } = await pipelineVsRaw(url, inputs, schemas);
    const pipeRate = consignments / pipe.seconds;
    const rawRate = consignments / raw.seconds;
    const us = (s: number) => `${fmt((s * 1e6) / consignments)} µs`;
    const sideCpu = (u: SideUse) =>
      `${us(u.node)} Node (${us(u.main)} main thread) + ${us(u.backends)} PostgreSQL backends; ${((u.node + u.backends) / u.seconds).toFixed(2)} cores busy`;
    say('');
    say(
      `(pg-a) PostgreSQL end-to-end, ${fmt(count)} parcels (${fmt(inputs.length)} records), batches of ${fmt(batchSize)}; ${inFlight} in flight, both sides warmed up on ${fmt(warmUpRecords)} parcels of their own first`,
    );
    say(
      `    pipeline (validate + match + assess + commit, prepared on worker threads): ${fmt(pipeRate)} consignments/s`,
    );
    say(`    raw COPY FROM STDIN of the same rows (one per table per batch): ${fmt(rawRate)} consignments/s`);
    say(`    ratio pipeline / raw COPY: ${(pipeRate / rawRate).toFixed(2)}  (floor 0.5)`);
    say(`    CPU per consignment: pipeline ${sideCpu(pipe)}`);
    say(`                         raw COPY ${sideCpu(raw)}`);
    // Alternated twice (1, 2, 1, 2): on a shared machine the load drifts; the best of each is compared.
    const ones: ProcessRun[] = [];
    const twos: ProcessRun[] = [];
    for (let round = 0; round < 2; round++) {
      ones.push(await processes(url, count, 1, schemas));
      twos.push(await processes(url, count, 2, schemas));
    }
    const best = (runs: ProcessRun[]) => runs.reduce((a, b) => (b.rate > a.rate ? b : a));
    const one = best(ones);
    const two = best(twos);
    say(
      `(pg-b) worker processes on one database, disjoint shares, batches of 1,000 (prepared in-process), each warmed up on ${fmt(warmUpRecords)} records of its own first`,
    );
    say(`    1 process:  ${ones.map((r) => fmt(r.rate)).join(', ')} records/s (best ${fmt(one.rate)})`);
    say(`    2 processes: ${twos.map((r) => fmt(r.rate)).join(', ')} records/s (best ${fmt(two.rate)})`);
    say(`    best 2 / best 1: x${(two.rate / one.rate).toFixed(2)}  (floor x1.5)`);
    // The ceiling: one process end to end keeps `used` cores busy (itself and the server's processes
    // working for it); N processes cannot go faster than cores / used times one.
    const perRecord = (r: ProcessRun, s: number) => `${fmt((s * 1e6) / r.records)} µs`;
    for (const [name, r] of [
      ['1 process', one],
      ['2 processes', two],
    ] as const) {
      const used = (r.cpu.node + r.cpu.backends + r.cpu.server) / r.seconds;
      say(
        `    ${name}: CPU per record ${perRecord(r, r.cpu.node)} node + ${perRecord(r, r.cpu.backends)} PostgreSQL backends + ${perRecord(r, r.cpu.server)} server processes; ${used.toFixed(2)} cores busy over ${r.seconds.toFixed(1)} s; per batch ${(r.roundTrips / r.batches).toFixed(1)} statements, ${(r.attempts / r.batches).toFixed(2)} attempts`,
      );
    }
    const usedByOne = (one.cpu.node + one.cpu.backends + one.cpu.server) / one.seconds;
    const cores = machineCores();
    say(
      `    ceiling on this machine: ${cores} cores / ${usedByOne.toFixed(2)} cores used by one process = x${(cores / usedByOne).toFixed(2)} for any number of processes`,
    );
  } finally {
    await dropSchemas(url, schemas);
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const url = process.argv[2] ?? process.env['PARCELGATE_TEST_PG_URL'] ?? '';
  benchPostgres(url, Number(process.argv[3] ?? 20_000), (s) => process.stdout.write(`${s}\n`)).catch(
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
}
