/** Shared bench helpers: temp dirs and generated records. */
import { readFileSync, readdirSync } from 'node:fs';
import { PerformanceObserver, constants as perfConstants, type PerformanceEntry } from 'node:perf_hooks';
import { generateFlood } from '../src/sim/index.js';
import { scratchDir } from '../src/testing/scratch.js';

/** A fresh temporary directory. */
export const tempDir = (name: string): string => scratchDir(`parcelgate-bench-${name}-`);

/**
 * `count` generated consignment records (inputs only), deterministic for a seed and day. The day is
 * today's (UTC) by default: the pipeline benches submit with the real clock, and a flood of an earlier
 * day would be data lodged after its own expected arrival (assessed on the lodging date, with a note),
 * which real traffic is not.
 *
 * Each record is handed over as intake receives it: parsed from its JSON text (HTTP bodies, `ingest`
 * files). The generator's objects hold much of their Latin-1 text (names, streets, e-mail addresses
 * from the locale lists) in V8's two-byte string form, which parsed JSON never does, and which makes
 * serialising and hashing those strings slower than on any real submission (docs/performance.md).
 */
export function records(
  count: number,
  seed = 'bench',
  destinations?: readonly string[],
  day = new Date().toISOString().slice(0, 10),
): unknown[] {
  const out: unknown[] = [];
  const opts = {
    seed,
    count,
    day,
    ...(destinations ? { destinations: [...destinations] } : {}),
  };
  for (const r of generateFlood(opts)) out.push(JSON.parse(JSON.stringify(r.input)));
  return out;
}

/** Splits an array into chunks. */
export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Formats a number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** CPU seconds used so far by each thread of this process (Linux /proc; empty elsewhere). */
export function threadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (100 per second on Linux)
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out;
}

/**
 * CPU per item spent in the main thread and in all other threads (workers, garbage collection)
 * between two `threadCpuSeconds()` readings, in microseconds; null where /proc is missing.
 */
export function cpuPerItem(
  before: Map<string, number>,
  after: Map<string, number>,
  items: number,
): { main: number; others: number } | null {
  if (after.size === 0) return null;
  const main = String(process.pid);
  let m = 0;
  let o = 0;
  for (const [tid, secs] of after) {
    const used = secs - (before.get(tid) ?? 0);
    if (tid === main) m += used;
    else o += used;
  }
  return { main: (m * 1e6) / items, others: (o * 1e6) / items };
}

/** Median milliseconds of `runs` calls of `f` after `warmups` uncounted calls. */
export async function medianMs(runs: number, f: () => unknown, warmups = 1): Promise<number> {
  for (let i = 0; i < warmups; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Counts this thread's garbage collections from now until the returned function is called: young-generation
 * collections (scavenges) and the others, with their pauses in milliseconds (the time this thread stood;
 * the collector's helper threads work beside it and are counted in `cpuPerItem`'s other threads).
 */
export function gcPauses(): () => Promise<{
  young: number;
  youngMs: number;
  other: number;
  otherMs: number;
}> {
  const out = { young: 0, youngMs: 0, other: 0, otherMs: 0 };
  const count = (entries: readonly PerformanceEntry[]): void => {
    for (const e of entries) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
        out.young += 1;
        out.youngMs += e.duration;
      } else {
        out.other += 1;
        out.otherMs += e.duration;
      }
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    // Entries are delivered asynchronously: let the last ones arrive before stopping.
    await new Promise((resolve) => setImmediate(resolve));
    count(observer.takeRecords());
    observer.disconnect();
    return out;
  };
}
