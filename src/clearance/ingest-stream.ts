/** Feeds a stream of raw records (from NDJSON or CSV files) through the pipeline in batches. */
import type { ValidationIssue } from '../domain/index.js';
import type { RequestContext } from './context.js';
import { submitBatch, type PipelineDeps, type SubmitResult } from './submit.js';

/** A record read from a file: a parsed value, or the reason it could not be parsed. */
export interface RawFileRecord {
  line: number;
  value?: unknown;
  /** Why the record was refused (the first of `issues` when the reader gives several). */
  error?: ValidationIssue;
  /** Every issue of a refused record, when the reader found them all (e.g. a postal item's). */
  issues?: ValidationIssue[];
  /**
   * Names the issues found later in `value` (paths are JSON Pointers into the record) by their place in
   * the file, e.g. the element of a postal document; without it they are reported as they are.
   */
  placeIssues?: (issues: readonly ValidationIssue[]) => ValidationIssue[];
}

/** Every issue of a record the reader refused. */
export const readIssues = (rec: RawFileRecord): ValidationIssue[] =>
  rec.issues ?? (rec.error === undefined ? [] : [rec.error]);

/** Issues found in a record's value, named by their place in the file (its `placeIssues`). */
export const fileIssues = (
  placeIssues: RawFileRecord['placeIssues'],
  issues: readonly ValidationIssue[],
): ValidationIssue[] => (placeIssues === undefined ? [...issues] : placeIssues(issues));

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
  let places: RawFileRecord['placeIssues'][] = [];
  const count = (status: string) => (totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1);
  // Two batches in flight: the next one is prepared (e.g. on a worker) while this one commits;
  // submitBatch keeps commits in submission order.
  const inflight: Promise<void>[] = [];
  const flush = async () => {
    if (values.length === 0) return;
    const batchLines = lines;
    const batchPlaces = places;
    const done = submitBatch(ctx(), values, deps).then((results) => {
      for (const r of results) {
        count(r.status);
        if (r.status === 'rejected')
          opts.onRejected?.(batchLines[r.index] ?? 0, fileIssues(batchPlaces[r.index], r.issues ?? []));
      }
      opts.onBatch?.(results, batchLines);
    });
    inflight.push(done);
    values = [];
    lines = [];
    places = [];
    // A store that commits on another thread (SQLite's writer thread) overlaps one commit with the
    // next batch's preparation here.
    const ahead = deps.prepare ? 3 : deps.store.commitsInBackground === true ? 2 : 1;
    if (inflight.length >= (opts.inflight ?? ahead)) await inflight.shift();
  };
  for await (const rec of source) {
    totals.records++;
    if (rec.error) {
      count('rejected');
      opts.onRejected?.(rec.line, readIssues(rec));
      continue;
    }
    values.push(rec.value);
    lines.push(rec.line);
    places.push(rec.placeIssues);
    if (values.length >= size) await flush();
  }
  await flush();
  await Promise.all(inflight);
  return totals;
}
