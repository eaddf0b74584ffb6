/**
 * Soak: `parcelgate serve` in a child process on loopback, fed batches at a steady rate for a fixed
 * time. Reports request latency (p50, p99, max), errors, and the server's resident memory per minute
 * (flat memory: the last minutes' RSS against the second minute's), and alongside it the server's V8
 * heap in use after a full garbage collection (bench/heap-probe.ts, preloaded): RSS moves with V8's
 * heap sizing, heapUsed after GC is what the server really retains.
 *
 * `node dist/bench/soak.js [--postgres URL] [--seconds N] [--rate N] [--batch N] [--destinations CC,CC]` —
 * or the environment:
 * SOAK_SECONDS (default 600), SOAK_RATE (batches per second, default 10), SOAK_BATCH (records per batch,
 * default 20), SOAK_PG_URL (serve on PostgreSQL, in the URL's database, instead of a fresh SQLite data
 * directory), SOAK_DESTINATIONS (the flood's destination countries, e.g. `CN,KR,DE` to exercise the
 per-person limits; default the generator's mix).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../src/reference/paths.js';
import { fmt, records, tempDir } from './util.js';

/** The value after `--name` on the command line, else `fallback`. */
function arg(name: string, fallback: string | undefined): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const seconds = Number(arg('seconds', process.env.SOAK_SECONDS) ?? 600);
const rate = Number(arg('rate', process.env.SOAK_RATE) ?? 10);
const batch = Number(arg('batch', process.env.SOAK_BATCH) ?? 20);
const pgUrl = arg('postgres', process.env.SOAK_PG_URL);
const destinations = arg('destinations', process.env.SOAK_DESTINATIONS)
  ?.split(',')
  .map((c) => c.trim().toUpperCase())
  .filter((c) => c !== '');
for (const [name, v] of [
  ['seconds', seconds],
  ['rate', rate],
  ['batch', batch],
] as const) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
}
const port = 18_000 + Math.floor(Math.random() * 2000);

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Heap in use after a full GC in the server, in MB: asks the preloaded probe, waits for its answer. */
async function heapAfterGcMb(pid: number, file: string, seq: number): Promise<number | undefined> {
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!existsSync(file)) continue;
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as { seq: number; heapUsed: number };
      if (m.seq >= seq) return m.heapUsed / 1024 / 1024;
    } catch {
      // half-written: read again
    }
  }
  return undefined;
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

async function waitReady(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not become ready');
}

async function main(): Promise<void> {
  const dir = tempDir('soak');
  const args = [join(packageRoot, 'bin', 'parcelgate.js'), 'serve', '--port', String(port), '--auth', 'open'];
  args.push(...(pgUrl ? ['--postgres', pgUrl] : ['--data-dir', dir]));
  const heapFile = join(dir, 'heap.json');
  const probe = pathToFileURL(join(packageRoot, 'dist', 'bench', 'heap-probe.js')).href;
  const server = spawn(process.execPath, ['--expose-gc', '--import', probe, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SOAK_HEAP_FILE: heapFile },
  });
  const pid = server.pid ?? 0;
  try {
    await waitReady();
    const total = Math.ceil(seconds * rate);
    const inputs = records(Math.min(total * batch, 200_000), 'soak', destinations);
    const latencies: number[] = [];
    // Latencies by the minute their request left in, to show the shape over the run.
    const byMinute: number[][] = [];
    let errors = 0;
    const statuses = new Map<string, number>();
    const countError = (what: string) => {
      errors += 1;
      statuses.set(what, (statuses.get(what) ?? 0) + 1);
    };
    // How late request i left against its due time: a steady rate means this stays small.
    let maxLag = 0;
    const rss: number[] = [];
    const heap: (number | undefined)[] = [];
    // Sampled off the send loop so the wait for the probe never delays a request.
    const sample = () => {
      rss.push(rssMb(pid));
      const slot = heap.length;
      heap.push(undefined);
      return heapAfterGcMb(pid, heapFile, slot + 1).then((mb) => {
        heap[slot] = mb;
      });
    };
    const samples: Promise<void>[] = [];
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let nextMinute = 0;
    for (let i = 0; i < total; i++) {
      // Steady rate: request i leaves at i / rate seconds whatever the earlier ones do.
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      maxLag = Math.max(maxLag, performance.now() - due);
      if (performance.now() - started >= nextMinute * 60_000) {
        samples.push(sample());
        nextMinute += 1;
      }
      const start = (i * batch) % inputs.length;
      // Records beyond the generated set are resent with a new reference: amendments are fine too.
      const body = JSON.stringify({ consignments: inputs.slice(start, start + batch) });
      const t0 = performance.now();
      const p = fetch(`http://127.0.0.1:${port}/v1/consignments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-submitter-id': 'soak' },
        body,
      })
        .then(async (r) => {
          await r.arrayBuffer();
          if (r.status !== 200) countError(String(r.status));
          const ms = performance.now() - t0;
          latencies.push(ms);
          const minute = Math.floor((t0 - started) / 60_000);
          (byMinute[minute] ??= []).push(ms);
        })
        .catch((e: unknown) => countError(e instanceof Error ? e.message : String(e)))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    await Promise.all(samples);
    await sample();
    const wall = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const later = rss.slice(2);
    const say = (s: string) => process.stdout.write(`${s}\n`);
    say(
      `soak on ${pgUrl ? 'PostgreSQL' : 'SQLite'}: ${fmt(total)} batches of ${batch} at ${rate}/s for ${wall.toFixed(0)} s (${fmt((total * batch) / wall)} records/s)${destinations ? `, destinations ${destinations.join(', ')}` : ''}`,
    );
    say(
      `    latency p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; errors ${errors}${errors > 0 ? ` (${[...statuses].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}; worst send lag ${maxLag.toFixed(0)} ms behind schedule`,
    );
    const perMinute = byMinute.map((l) => {
      const s = [...l].sort((a, b) => a - b);
      return `${quantile(s, 0.5).toFixed(0)}/${quantile(s, 0.99).toFixed(0)}`;
    });
    say(`    p50/p99 per minute (ms): ${perMinute.join(' ')}`);
    say(`    server RSS per minute (MB): ${rss.map((m) => m.toFixed(0)).join(' ')}`);
    if (later.length > 0 && rss[1] !== undefined) {
      say(`    last minutes vs minute 2: ${(Math.max(...later) / rss[1]).toFixed(2)}× (flat ≈ 1)`);
    }
    say(
      `    server heapUsed after GC per minute (MB): ${heap.map((m) => (m === undefined ? '?' : m.toFixed(1))).join(' ')}`,
    );
    const heapLater = heap.slice(2).filter((m): m is number => m !== undefined);
    if (heapLater.length > 0 && heap[1] !== undefined) {
      say(`    heap last minutes vs minute 2: ${(Math.max(...heapLater) / heap[1]).toFixed(2)}× (flat ≈ 1)`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
