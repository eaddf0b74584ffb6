/**
 * Child process for the multi-process test and benchmark: submits batches of a generated flood through
 * the real pipeline into PostgreSQL, printing `ack <consignment ids>` after each batch commits and
 * `done <records> <ms> <cpu µs> <round trips> <attempts> <batches>` at the end (wall time, CPU, the
 * statements sent and the transaction attempts of the submitting phase).
 *
 * Usage: node flood-worker.js <url> <schema> <seed> <count> <worker> <workers> <batchSize> <overlap|split>
 *   [<warm-up records>]
 * - overlap: every worker submits every record in batches of `batchSize`, worker w's boundaries shifted
 *   by w/workers of a batch, so the workers' batches overlap partly and identical records race;
 * - split: worker w submits chunk j (of `batchSize` records) when j is w modulo workers (disjoint shares).
 * - warm-up records (benchmark): before its share, the worker submits that many records of another
 *   flood into a schema of its own (dropped after), prints `ready` and waits for a `go` line on stdin,
 *   so the measured phase is a warmed-up process's (as a long-running `serve` is), and every worker
 *   starts it together. Without, it prints `ready` and starts at once.
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import { loadSnapshot, submitBatch } from '../../../clearance/index.js';
import { generateFlood } from '../../../sim/index.js';
import type { ClearanceStore } from '../../port.js';
import { openPostgresStore } from '../postgres-store.js';
import { dropSchemas } from './pg-test-env.js';

/** Which chunks of the flood a worker submits. */
export type FloodShare = 'overlap' | 'split';

/** The batches (as [start, end) record ranges) `worker` of `workers` submits, in order. */
export function workerBatches(
  total: number,
  batchSize: number,
  worker: number,
  workers: number,
  share: FloodShare,
): [number, number][] {
  const out: [number, number][] = [];
  if (share === 'overlap') {
    const shift = Math.floor((batchSize * worker) / workers);
    if (shift > 0) out.push([0, Math.min(total, shift)]);
    for (let start = shift; start < total; start += batchSize)
      out.push([start, Math.min(total, start + batchSize)]);
    return out;
  }
  for (let chunk = workers > 0 ? worker : 0; chunk * batchSize < total; chunk += workers) {
    out.push([chunk * batchSize, Math.min(total, (chunk + 1) * batchSize)]);
  }
  return out;
}

/**
 * The flood's record inputs, deterministic for a seed, count and day (today's, UTC, by default: the
 * records are submitted with the real clock, so their expected arrival is not before their lodging).
 */
export function floodInputs(
  seed: string,
  count: number,
  day = new Date().toISOString().slice(0, 10),
): unknown[] {
  const out: unknown[] = [];
  for (const r of generateFlood({ seed, count, day })) out.push(r.input);
  return out;
}

/** Statements sent on every `pg` client of this process (COPYs included), and transaction attempts. */
export interface WireCounts {
  roundTrips: number;
  attempts: number;
}

/**
 * Counts the statements this process sends (each `client.query` call is one round trip) from now on,
 * and wraps `store` so that each call of its plan (one per transaction attempt) is counted too.
 */
export function countWire(store: ClearanceStore): { store: ClearanceStore; counts: WireCounts } {
  const counts: WireCounts = { roundTrips: 0, attempts: 0 };
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    counts.roundTrips++;
    return query.apply(this, a);
  };
  const counted: ClearanceStore = Object.create(store) as ClearanceStore;
  counted.transact = (lookup, plan, opts) =>
    store.transact(
      lookup,
      (found) => {
        counts.attempts++;
        return plan(found);
      },
      opts,
    );
  return { store: counted, counts };
}

/**
 * Submits `count` records of another flood into a schema of its own (dropped after): the process's
 * code paths are compiled and its heap sized before the measured phase, as in a long-running process.
 */
async function warmUp(url: string, schema: string, seed: string, count: number, size: number): Promise<void> {
  const warm = `${schema}_warm`;
  const store = await openPostgresStore({ url, schema: warm, poolSize: 2 });
  try {
    const snapshot = loadSnapshot();
    const inputs = floodInputs(`${seed}-warm-up`, count);
    for (let at = 0; at < inputs.length; at += size) {
      const ctx = { actor: 'warm-up', submitterId: 'opr_flood', now: new Date().toISOString() };
      await submitBatch(ctx, inputs.slice(at, at + size), { store, snapshot: () => snapshot });
    }
  } finally {
    await store.close();
    await dropSchemas(url, [warm]);
  }
}

/** Resolves on the first `go` line of stdin. */
function go(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() !== 'go') return;
      lines.close();
      resolve();
    });
  });
}

async function main(args: string[]): Promise<void> {
  const [url, schema, seed, count, worker, workers, batchSize, share, warm] = args;
  if (share !== 'overlap' && share !== 'split') {
    process.stderr.write(
      'usage: flood-worker <url> <schema> <seed> <count> <worker> <workers> <batch> <share>\n',
    );
    process.exit(2);
  }
  const w = Number(worker);
  const n = Number(workers);
  const size = Number(batchSize);
  const inputs = floodInputs(seed ?? 'flood', Number(count));
  const warmCount = Number(warm ?? 0);
  // A process of its own per worker: its warm-up schema is named after its share.
  if (warmCount > 0) await warmUp(url ?? '', `${schema ?? 'public'}_${w}`, seed ?? 'flood', warmCount, size);
  const snapshot = loadSnapshot();
  const opened = await openPostgresStore({ url: url ?? '', schema: schema ?? 'public', poolSize: 2 });
  const { store, counts } = countWire(opened);
  const deps = { store, snapshot: () => snapshot };
  process.stdout.write('ready\n');
  if (warmCount > 0) await go();
  const before = { ...counts };
  let batches = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let sent = 0;
  for (const [start, end] of workerBatches(inputs.length, size, w, n, share)) {
    const records = inputs.slice(start, end);
    const ctx = { actor: `worker-${w}`, submitterId: 'opr_flood', now: new Date().toISOString() };
    const results = await submitBatch(ctx, records, deps);
    sent += records.length;
    batches++;
    const ids = results.flatMap((r) =>
      r.consignmentId !== undefined && r.status !== 'rejected' ? [r.consignmentId] : [],
    );
    process.stdout.write(`ack ${ids.join(',')}\n`);
  }
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  const trips = counts.roundTrips - before.roundTrips;
  const attempts = counts.attempts - before.attempts;
  await store.close();
  // Records, wall ms, CPU µs (all threads), statements and transaction attempts of the submitting
  // phase only (not the flood's generation nor the warm-up), and the batches.
  process.stdout.write(`done ${sent} ${ms} ${cpu.user + cpu.system} ${trips} ${attempts} ${batches}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
