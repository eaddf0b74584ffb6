/** Bulk-file helpers: batching, byte counting and a progress display by bytes read or by count. */
import { Transform, type TransformCallback } from 'node:stream';
import cliProgress from 'cli-progress';

/** Groups an async stream into arrays of at most `size` elements (the last may be shorter). */
export async function* batched<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batch size must be a positive integer: ${size}`);
  let batch: T[] = [];
  for await (const element of source) {
    batch.push(element);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** A pass-through stream that reports the size of every chunk it forwards (for progress by bytes). */
export function createByteCounter(onBytes: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
      onBytes(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
      callback(null, chunk);
    },
  });
}

/** Receives progress ticks while a file is read. */
export interface Progress {
  /** Adds `bytes` read and `records` processed since the previous tick. */
  tick(bytes: number, records: number): void;
  /** Renders the final state and releases the terminal. */
  stop(): void;
}

/** Options for createProgress. */
export interface ProgressOptions {
  /** False (not a TTY, CI, --quiet): nothing is printed at all. */
  enabled: boolean;
  label: string;
  /**
   * What the total and the ticks measure: `bytes` read (default; shown in MB) or a count of
   * `parcels` (shown as a number, e.g. the demo's generated parcels).
   */
  unit?: 'bytes' | 'parcels';
  /** Where to render; default process.stderr. */
  stream?: NodeJS.WritableStream;
}

const silent: Progress = Object.freeze({ tick: () => undefined, stop: () => undefined });

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

const count = (n: number): string => n.toLocaleString('en');

/**
 * Creates a progress bar over `totalBytes` (0 when unknown, e.g. stdin), or over a count of parcels
 * with `unit: 'parcels'`. On a non-TTY stream it writes at most one line every 2 seconds; when
 * disabled it prints nothing.
 */
export function createProgress(totalBytes: number, opts: ProgressOptions): Progress {
  if (!opts.enabled) return silent;
  const known = totalBytes > 0;
  const show = opts.unit === 'parcels' ? count : mb;
  const format =
    opts.unit === 'parcels'
      ? known
        ? `${opts.label} [{bar}] {percentage}% | {mbDone}/{mbTotal} parcels`
        : `${opts.label} {mbDone} parcels`
      : known
        ? `${opts.label} [{bar}] {percentage}% | {mbDone}/{mbTotal} MB | {records} records`
        : `${opts.label} {mbDone} MB | {records} records`;
  const bar = new cliProgress.SingleBar(
    {
      format,
      stream: opts.stream ?? process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let bytes = 0;
  let records = 0;
  bar.start(known ? totalBytes : 1, 0, { records, mbDone: show(0), mbTotal: show(totalBytes) });
  let stopped = false;
  return {
    tick(deltaBytes: number, deltaRecords: number): void {
      if (stopped) return;
      bytes += deltaBytes;
      records += deltaRecords;
      bar.update(known ? Math.min(bytes, totalBytes) : 0, { records, mbDone: show(bytes) });
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      if (known) bar.update(Math.min(bytes, totalBytes), { records, mbDone: show(bytes) });
      bar.stop();
    },
  };
}
