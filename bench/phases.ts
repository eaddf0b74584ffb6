/**
 * `node dist/bench/phases.js [count]`: CPU cost per record of each hot-path phase in steady state,
 * then of the whole preparation and of the pipeline into SQLite. A profiling aid, not a pass/fail
 * benchmark: figures are CPU microseconds per record of the whole process (garbage-collection
 * threads included), best of three passes after two warm-up passes, so they hold up on a shared
 * machine better than wall-clock times do.
 */
import {
  assess,
  freshOf,
  freshOfCreated,
  groupByKeys,
  loadSnapshot,
  planBatch,
  planSingle,
  prepareBatch,
  rememberJson,
  submitBatch,
  watchlistFromNames,
  type BatchPlan,
  type PreparedRecord,
} from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import { validateConsignment } from '../src/intake/index.js';
import { canonicalJson, linkKeys, sha256Hex } from '../src/match/index.js';
import { assessRevenue } from '../src/revenue/index.js';
import { assessRisk } from '../src/risk/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { cpuPerItem, records, tempDir, threadCpuSeconds } from './util.js';

const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
const raw = records(Number(process.argv[2] ?? 10_000), 'phases');
const now = '2026-11-27T10:00:00.000Z';
const ctx = { actor: 'b', submitterId: 'b', now };
const BATCH = 2000;

/** Runs `f` twice to warm up, then three times; prints and returns the best CPU µs per record. */
function phase<T>(name: string, f: () => T): { us: number; result: T } {
  let result = f();
  f();
  let best = Infinity;
  let wall = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = f();
    const used = process.cpuUsage(c);
    wall = Math.min(wall, ((performance.now() - t) * 1000) / raw.length);
    best = Math.min(best, (used.user + used.system) / raw.length);
  }
  console.log(
    `${name.padEnd(20)} ${best.toFixed(1).padStart(6)} µs/record CPU  (${wall.toFixed(1).padStart(6)} µs wall)`,
  );
  return { us: best, result };
}

function batches<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += BATCH) out.push(xs.slice(i, i + BATCH));
  return out;
}

console.log(`phases: ${raw.length.toLocaleString('en')} records, batches of ${BATCH}`);
const inputs = phase('validate', () =>
  raw.map((r) => validateConsignment(r, snapshot.hs)).flatMap((v) => (v.ok ? [v.value] : [])),
).result as ConsignmentInput[];
const texts = phase('canonical JSON', () => inputs.map((v) => canonicalJson(v))).result;
phase('hash', () => texts.map((t) => sha256Hex(t)).length);
phase('link keys', () => inputs.map((v) => linkKeys(v)).length);
// Phases whose results are not needed later keep none of them: results kept alive across a whole
// run are promoted by the collector and would be charged to the phase.
const valuesEur = phase('revenue', () =>
  inputs.map((v) => {
    const r = assessRevenue(v, snapshot.revenue, now);
    return r.currency === 'EUR' ? r.intrinsicValue : null;
  }),
).result;
phase('risk', () => {
  let n = 0;
  inputs.forEach((v, i) => {
    const r = assessRisk(
      {
        consignmentId: `csg_${i}`,
        input: v,
        mismatches: [],
        sourceKinds: [v.source],
        intrinsicValueEur: valuesEur[i] ?? null,
      },
      { ruleSet: snapshot.ruleSet, watchlist: snapshot.watchlist, randomRate: 0.01, randomSeed: 's', now },
    );
    n += r.score;
  });
  return n;
});
phase('assess', () => {
  let n = 0;
  inputs.forEach((v, i) => {
    const a = assess(
      { consignmentId: `csg_${i}`, input: v, mismatches: [], sourceKinds: [v.source] },
      snapshot,
      now,
    );
    n += a.risk.score;
  });
  return n;
});
const prepared: PreparedRecord[] = inputs.map((input, i) => {
  const json = texts[i] as string;
  rememberJson(input, json);
  return {
    index: i,
    json,
    keys: linkKeys(input),
    hash: sha256Hex(json),
    kind: input.source,
    destination: input.routing.destinationCountry,
    office: input.routing.officeOfEntry ?? null,
    input,
  };
});
const groups = batches(prepared).map((b) => groupByKeys(b).map((members) => members.map((m) => b[m]!)));
// Linked records (groups of several) as the batch planner plans them; single records as prepareBatch does.
const plans = phase('plan (groups)', () =>
  groups.flatMap((gs) => gs.filter((g) => g.length > 1).map((recs) => planBatch(ctx, recs, [], snapshot))),
).result as BatchPlan[];
phase('serialise (groups)', () => plans.map((p) => freshOf(p)).length);
phase('plan + text (single)', () => {
  let n = 0;
  for (const gs of groups)
    for (const g of gs)
      if (g.length === 1) {
        const one = planSingle(ctx, g[0]!, snapshot);
        n += freshOfCreated(one.created).doc.length;
      }
  return n;
});
const prepare = phase('prepare (all)', () =>
  batches(raw).map((b) => prepareBatch(b, snapshot, ctx, false).groups.length),
).us;

const store = openSqliteStore({ dataDir: tempDir('phases') });
const cpu0 = threadCpuSeconds();
const t = performance.now();
for (const b of batches(raw)) await submitBatch(ctx, b, { store, snapshot: () => snapshot });
const secs = (performance.now() - t) / 1000;
const cpu = cpuPerItem(cpu0, threadCpuSeconds(), raw.length);
await store.close();
const submitCpu = cpu ? cpu.main + cpu.others : NaN;
console.log(
  `submit (in-thread, cold): ${((secs * 1e6) / raw.length).toFixed(1)} µs/record wall (${Math.round(raw.length / secs)} records/s)` +
    (cpu
      ? `, CPU ${cpu.main.toFixed(0)} µs main + ${cpu.others.toFixed(0)} µs other threads; ` +
        `commit ≈ ${(submitCpu - prepare).toFixed(0)} µs beyond preparation`
      : ''),
);

// The same batches with commits on a writer thread, two in flight (as ingest submits them).
const onWriter = openSqliteStore({ dataDir: tempDir('phases-writer'), writerThread: true });
const cpuW0 = threadCpuSeconds();
const tw = performance.now();
let inflight: Promise<unknown> | undefined;
for (const b of batches(raw)) {
  const next = submitBatch(ctx, b, { store: onWriter, snapshot: () => snapshot });
  if (inflight) await inflight;
  inflight = next;
}
await inflight;
const wSecs = (performance.now() - tw) / 1000;
const wCpu = cpuPerItem(cpuW0, threadCpuSeconds(), raw.length);
await onWriter.close();
console.log(
  `submit (writer thread, 2 batches in flight): ${((wSecs * 1e6) / raw.length).toFixed(1)} µs/record wall (${Math.round(raw.length / wSecs)} records/s)` +
    (wCpu
      ? `, CPU ${wCpu.main.toFixed(0)} µs main + ${wCpu.others.toFixed(0)} µs other threads (writer included); ` +
        `main thread ≈ ${(wCpu.main - prepare).toFixed(0)} µs beyond preparation`
      : ''),
);
