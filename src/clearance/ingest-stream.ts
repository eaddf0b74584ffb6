/** Feeds a stream of raw records (from NDJSON or CSV files) through the pipeline in batches. */
import type { ValidationIssue } from '../domain/index.js';
import type { RequestContext } from './context.js';
import { submitBatch, type PipelineDeps, type SubmitResult } from './submit.js';

/** A record read from a file: a parsed value, or the reason it could not be parsed. */
export interface RawFileRecord {
  line: number;
  value?: unknown;
  error?: ValidationIssue;
}

/** Running totals of an ingest. */
export interface IngestTotals {
  records: number;
  byStatus: Record<string, number>;
}

/**
 * Submits records in batches of `batchSize`, awaiting each commit before reading on, so memory
 * stays bounded whatever the input size. Rejections are reported with their line number.
 */
export async function ingestRecords(
  ctx: () => RequestContext,
  source: AsyncIterable<RawFileRecord>,
  deps: PipelineDeps,
  opts: {
    batchSize?: number;
    /** Batches submitted before waiting for the oldest (default 2 with a worker pool, else 1). */
    inflight?: number;
    onBatch?: (results: readonly SubmitResult[], lines: readonly number[]) => void;
    onRejected?: (line: number, issues: ValidationIssue[]) => void;
  } = {},
): Promise<IngestTotals> {
  const size = opts.batchSize ?? 2000;
  const totals: IngestTotals = { records: 0, byStatus: {} };
  let values: unknown[] = [];
  let lines: number[] = [];
  const count = (status: string) => (totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1);
  // Two batches in flight: the next one is prepared (e.g. on a worker) while this one commits;
  // submitBatch keeps commits in submission order.
  const inflight: Promise<void>[] = [];
  const flush = async () => {
    if (values.length === 0) return;
    const batchLines = lines;
    const done = submitBatch(ctx(), values, deps).then((results) => {
      for (const r of results) {
        count(r.status);
        if (r.status === 'rejected') opts.onRejected?.(batchLines[r.index] ?? 0, r.issues ?? []);
      }
      opts.onBatch?.(results, batchLines);
    });
    inflight.push(done);
    values = [];
    lines = [];
    // A store that commits on another thread (SQLite's writer thread) overlaps one commit with the
    // next batch's preparation here.
    const ahead = deps.prepare ? 3 : deps.store.commitsInBackground === true ? 2 : 1;
    if (inflight.length >= (opts.inflight ?? ahead)) await inflight.shift();
  };
  for await (const rec of source) {
    totals.records++;
    if (rec.error) {
      count('rejected');
      opts.onRejected?.(rec.line, [rec.error]);
      continue;
    }
    values.push(rec.value);
    lines.push(rec.line);
    if (values.length >= size) await flush();
  }
  await flush();
  await Promise.all(inflight);
  return totals;
}
