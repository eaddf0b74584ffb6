/**
 * Quote throughput on one core for a mixed 13-profile workload (EU + 12 other jurisdictions), as a
 * ratio against a baseline measured in the same run: one decimal.js multiply-and-round per item of
 * the same consignments (the least any exact quote has to do). Floor: 50,000 quotes/s.
 * `node dist/bench/run.js quotes`; BENCH_QUOTES (default 20000) consignments.
 */
import { loadSnapshot } from '../src/clearance/index.js';
import { Dec, type ConsignmentInput } from '../src/domain/index.js';
import { validateConsignment } from '../src/intake/index.js';
import { quote, type RevenueContext } from '../src/revenue/index.js';
import { fmt, records } from './util.js';

/** One destination per non-EU profile; the EU slot keeps the generated member state. */
const DESTINATIONS = ['EU', 'GB', 'US', 'AU', 'NZ', 'CA', 'CN', 'SG', 'JP', 'KR', 'CH', 'NO', 'ID'] as const;
const FLOOR = 50_000;
const AT = '2026-11-27T10:00:00.000Z';

function workload(count: number, ctx: ReturnType<typeof loadSnapshot>): ConsignmentInput[] {
  const out: ConsignmentInput[] = [];
  let i = 0;
  for (const raw of records(count, 'quotes')) {
    const v = validateConsignment(raw, ctx.hs);
    if (!v.ok) continue;
    const dest = DESTINATIONS[i++ % DESTINATIONS.length] ?? 'EU';
    if (dest === 'EU') out.push(v.value);
    else {
      const input = structuredClone(v.value);
      input.routing.destinationCountry = dest;
      // China cross-border retail runs through a platform order (docs/rules/cn.md).
      if (dest === 'CN') input.platform = { id: 'bench-platform', orderId: `o-${i}` };
      delete input.taxCollection;
      delete input.additionalProcedureCodes;
      out.push(input);
    }
  }
  return out;
}

/** CPU microseconds per call of `f` over `inputs` (best of `passes` after two warm-up passes). */
function cpuMicros(
  inputs: readonly ConsignmentInput[],
  passes: number,
  f: (c: ConsignmentInput) => unknown,
): number {
  let best = Infinity;
  for (let k = 0; k < passes + 2; k++) {
    const t = process.cpuUsage();
    for (const c of inputs) f(c);
    const u = process.cpuUsage(t);
    if (k >= 2) best = Math.min(best, (u.user + u.system) / inputs.length);
  }
  return best;
}

const RATE = new Dec('0.2');

/** Baseline: one exact multiply-and-round per item. */
function baseline(c: ConsignmentInput): string {
  let s = '';
  for (const item of c.items) s = new Dec(item.value.amount).times(RATE).toDecimalPlaces(2).toFixed(2);
  return s;
}

/** Runs the quotes bench and reports through `say`; returns whether the floor was met. */
export function benchQuotes(count: number, say: (line: string) => void): boolean {
  const snapshot = loadSnapshot({});
  const ctx: RevenueContext = snapshot.revenue;
  const inputs = workload(count, snapshot);
  say(
    `quotes: ${fmt(inputs.length)} consignments over ${DESTINATIONS.length} jurisdiction profiles, one core`,
  );
  const base = cpuMicros(inputs, 5, baseline);
  const q = cpuMicros(inputs, 5, (c) => quote(c, ctx, AT));
  const perSecond = 1e6 / q;
  say(`  baseline (decimal multiply per item): ${base.toFixed(2)} µs/consignment`);
  say(
    `  quote: ${q.toFixed(2)} µs/quote = ${fmt(perSecond)} quotes/s (cpu time), ${(q / base).toFixed(1)}x the baseline`,
  );
  const byDest = new Map<string, ConsignmentInput[]>();
  for (const c of inputs) {
    const key = ctx.byCountry.get(c.routing.destinationCountry)?.raw.id ?? c.routing.destinationCountry;
    const list = byDest.get(key) ?? [];
    list.push(c);
    byDest.set(key, list);
  }
  const per = [...byDest].map(
    ([k, list]) => `${k} ${cpuMicros(list, 2, (c) => quote(c, ctx, AT)).toFixed(1)}`,
  );
  say(`  µs/quote by profile: ${per.join(', ')}`);
  const ok = perSecond >= FLOOR;
  say(`  floor ${fmt(FLOOR)} quotes/s: ${ok ? 'met' : 'NOT met'}`);
  return ok;
}
