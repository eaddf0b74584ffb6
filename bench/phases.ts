/**
 * `node dist/bench/phases.js [count]`: per-record cost of each hot-path phase in steady state
 * (each phase runs three times; the third is reported), then the whole pipeline into SQLite.
 * A profiling aid, not a pass/fail benchmark.
 */
import { assess, loadSnapshot, submitBatch, watchlistFromNames } from '../src/clearance/index.js';
import { validateConsignment } from '../src/intake/index.js';
import { contentHash, linkKeys } from '../src/match/index.js';
import { assessRevenue } from '../src/revenue/index.js';
import { assessRisk } from '../src/risk/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { records, tempDir } from './util.js';
import type { ConsignmentInput } from '../src/domain/index.js';

const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
const raw = records(Number(process.argv[2] ?? 20_000), 'phases');
const now = '2026-11-27T10:00:00.000Z';

function phase<T>(name: string, f: () => T): T {
  f();
  f();
  const t = performance.now();
  const r = f();
  const us = ((performance.now() - t) * 1000) / raw.length;
  console.log(`${name.padEnd(10)} ${us.toFixed(1).padStart(6)} µs/record`);
  return r;
}

const inputs = phase('validate', () =>
  raw.map((r) => validateConsignment(r, snapshot.hs)).flatMap((v) => (v.ok ? [v.value] : [])),
) as ConsignmentInput[];
phase('hash', () => inputs.map((v) => contentHash(v)));
phase('keys', () => inputs.map((v) => linkKeys(v)));
const revenues = phase('revenue', () => inputs.map((v) => assessRevenue(v, snapshot.revenue, now)));
phase('risk', () =>
  inputs.map((v, i) =>
    assessRisk(
      {
        consignmentId: `csg_${i}`,
        input: v,
        mismatches: [],
        sourceKinds: [v.source],
        intrinsicValueEur: revenues[i]?.currency === 'EUR' ? revenues[i]!.intrinsicValue : null,
      },
      { ruleSet: snapshot.ruleSet, watchlist: snapshot.watchlist, randomRate: 0.01, randomSeed: 's', now },
    ),
  ),
);
phase('assess', () =>
  inputs.map((v, i) =>
    assess({ consignmentId: `csg_${i}`, input: v, mismatches: [], sourceKinds: [v.source] }, snapshot, now),
  ),
);
const store = openSqliteStore({ dataDir: tempDir('phases') });
const t = performance.now();
for (let i = 0; i < raw.length; i += 2000) {
  await submitBatch({ actor: 'b', submitterId: 'b', now }, raw.slice(i, i + 2000), {
    store,
    snapshot: () => snapshot,
  });
}
const secs = (performance.now() - t) / 1000;
console.log(
  `submit     ${((secs * 1e6) / raw.length).toFixed(1).padStart(6)} µs/record  (${Math.round(raw.length / secs)} records/s, cold)`,
);
await store.close();
