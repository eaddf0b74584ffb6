/**
 * CPU accounting for the PostgreSQL scaling bench (Linux /proc): how many cores one parcelgate process
 * uses end to end, its own CPU plus that of the PostgreSQL server processes working for it, so the
 * machine's ceiling for N processes (cores / cores used by one) can be printed beside the measured
 * ratio.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';

/** utime + stime of a process (all its threads) in seconds, or undefined when it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** utime + stime of this process's main thread in seconds (0 where /proc is not there). */
export function mainThreadCpuSeconds(): number {
  return statCpuSeconds(`/proc/self/task/${process.pid}/stat`) ?? 0;
}

function statCpuSeconds(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds of the processes watched, split into the parcelgate processes and the server's. */
export interface CpuUse {
  /** The watched parcelgate processes. */
  node: number;
  /** PostgreSQL backends serving connections to the bench database (excluding the sampler's own). */
  backends: number;
  /** The server's own processes (WAL writer, checkpointer, background writer, …). */
  server: number;
}

/** Samples the CPU of some processes and of the PostgreSQL processes while a run goes on. */
export class CpuSampler {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly kinds = new Map<number, keyof CpuUse>();
  private timer: NodeJS.Timeout | undefined;
  private readonly client: pg.Client;
  /** The samples asked for run one after another on the one client (pg would queue them, deprecated). */
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;

  private constructor(url: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  /** Connects and takes the baseline of the server's processes; watches `pids` from now on. */
  static async open(url: string): Promise<CpuSampler> {
    const s = new CpuSampler(url);
    await s.client.connect();
    await s.sample(true);
    // A tick while a sample is still running or waiting (a slow server) is skipped, not queued.
    s.timer = setInterval(() => {
      if (s.waiting === 0) void s.sample(false).catch(() => undefined);
    }, 250);
    return s;
  }

  /** Adds parcelgate processes to watch (their CPU counts from when they are added). */
  watch(pid: number): void {
    this.note(pid, 'node', true);
  }

  private note(pid: number, kind: keyof CpuUse, baseline: boolean): void {
    const cpu = processCpuSeconds(pid);
    if (cpu === undefined) return;
    if (!this.kinds.has(pid)) {
      this.kinds.set(pid, kind);
      // A process first seen after the start began during the run: all its CPU counts.
      this.start.set(pid, baseline ? cpu : 0);
    }
    this.last.set(pid, cpu);
  }

  /**
   * Reads the CPU of every watched process and of every PostgreSQL process now alive, after any sample
   * still running: a call never sends a query while the client is executing one.
   */
  sample(baseline = false): Promise<void> {
    this.waiting++;
    const next = this.queue.then(() => this.read(baseline)).finally(() => this.waiting--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(baseline: boolean): Promise<void> {
    for (const [pid, kind] of this.kinds) if (kind === 'node') this.note(pid, 'node', false);
    const rows = await this.client.query<{ pid: number; backend: boolean }>(
      `SELECT pid, backend_type = 'client backend' AND datname = current_database() AS backend
         FROM pg_stat_activity WHERE pid <> pg_backend_pid()
           AND (backend_type <> 'client backend' OR datname = current_database())`,
    );
    for (const r of rows.rows) this.note(r.pid, r.backend ? 'backends' : 'server', baseline);
  }

  /** Stops sampling (after a last sample) and returns the CPU used since the start. */
  async stop(): Promise<CpuUse> {
    clearInterval(this.timer);
    await this.sample(false).catch(() => undefined);
    await this.client.end();
    const use: CpuUse = { node: 0, backends: 0, server: 0 };
    for (const [pid, kind] of this.kinds) use[kind] += (this.last.get(pid) ?? 0) - (this.start.get(pid) ?? 0);
    return use;
  }
}

/** Cores of this machine (for the ceiling). */
export const machineCores = (): number => cpus().length;
