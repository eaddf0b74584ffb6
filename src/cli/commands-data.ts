/** `generate`, `assess` (offline) and `quote`: commands that need no store. */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  assess,
  fileIssues,
  loadSnapshot,
  readIssues,
  watchlistFromNames,
  withRuleSet,
} from '../clearance/index.js';
import { DATE_YEARS, dateOutOfRange, isRfc3339DateTime, validateConsignment } from '../intake/index.js';
import { contentHash } from '../match/index.js';
import { assessRevenue, notAssessedNote } from '../revenue/index.js';
import { demoWatchlist, writeFlood } from '../sim/index.js';
import {
  UsageError,
  dayOption,
  exitCodes,
  fileStopMessage,
  openRecords,
  outputFile,
  positiveInt,
  stopsFile,
} from './io.js';
import { tariffOptions } from './commands-tariff.js';
import { readRuleSetFile, readWatchlistFile } from './commands-risk.js';

async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

async function close(out: Writable): Promise<void> {
  if (out === process.stdout) return;
  out.end();
  await once(out, 'finish');
}

/** Writes a synthetic flood as NDJSON to stdout and its labels to a file. */
export async function generateCommand(opts: {
  count?: string;
  seed?: string;
  labels?: string;
  day?: string;
  force?: boolean;
}) {
  const count = positiveInt('count', opts.count, 1000);
  const day = dayOption('day', opts.day ?? new Date().toISOString().slice(0, 10));
  const labels = opts.labels
    ? createWriteStream(opts.labels, outputFile('--labels', opts.labels, { force: opts.force }))
    : undefined;
  const r = await writeFlood({ seed: opts.seed ?? '1', count, day }, process.stdout, labels);
  if (labels) await close(labels);
  process.stderr.write(`generated ${r.count} records (seed ${opts.seed ?? '1'}, day ${day})\n`);
}

/**
 * Why assess's `--now` is `dates.out-of-range`, as quote's `--date` and a record's dates are: year 0000 or
 * 9999 is a typing error, not a time to assess on. The year is read from the text (as `quote --date`
 * reads it), or from the instant for a text that does not begin with one; an unreadable text is left to
 * the assessment, which refuses it.
 */
function nowOutOfRange(now: string): string | undefined {
  if (/^\d{4}-/.test(now)) return dateOutOfRange(now);
  const t = Date.parse(now);
  return Number.isNaN(t) || dateOutOfRange(new Date(t).toISOString()) === undefined
    ? undefined
    : `${now} is outside the years ${DATE_YEARS.first} to ${DATE_YEARS.last}`;
}

/** Assesses every record of a file offline and writes one NDJSON assessment per input record, in order. */
export async function assessCommand(
  file: string,
  opts: {
    out?: string;
    force?: boolean;
    format?: string;
    /** An administration's watchlist file instead of the demo list; false: no watchlist. */
    watchlist?: string | false;
    now?: string;
    tariff?: string[];
    rules?: string;
  },
) {
  const draft = opts.rules === undefined ? undefined : readRuleSetFile(opts.rules);
  const lists =
    opts.watchlist === false
      ? undefined
      : opts.watchlist === undefined
        ? demoWatchlist()
        : readWatchlistFile(opts.watchlist);
  // Every record is validated below: a postal item read without fault is not validated by the reader too.
  const { records } = openRecords(file, opts.format, { validatesRecords: true });
  const outFlags = opts.out
    ? outputFile('--out', opts.out, { force: opts.force, inputs: [file] })
    : undefined;
  const outOfRange = opts.now === undefined ? undefined : nowOutOfRange(opts.now);
  if (outOfRange !== undefined) throw new UsageError(`dates.out-of-range: --now ${outOfRange}`);
  const shipped = loadSnapshot({
    ...(lists === undefined ? {} : { watchlist: watchlistFromNames(lists) }),
    ...(opts.tariff?.length ? { tariffs: opts.tariff } : {}),
  });
  const snapshot = draft === undefined ? shipped : withRuleSet(shipped, draft);
  const now = opts.now ?? new Date().toISOString();
  const out: Writable = opts.out ? createWriteStream(opts.out, outFlags) : process.stdout;
  let n = 0;
  let rejected = 0;
  let stopped: string | undefined;
  for await (const rec of records) {
    n++;
    let line: Record<string, unknown>;
    if (rec.error) {
      if (stopsFile(rec.error.code)) stopped ??= rec.error.message;
      rejected++;
      line = { line: rec.line, rejected: true, issues: readIssues(rec) };
    } else {
      const v = validateConsignment(rec.value, snapshot.hs);
      if (!v.ok) {
        rejected++;
        line = { line: rec.line, rejected: true, issues: fileIssues(rec.placeIssues, v.error) };
      } else {
        const id = `offline_${contentHash(v.value).slice(0, 16)}`;
        const a = assess(
          { consignmentId: id, input: v.value, mismatches: [], sourceKinds: [v.value.source] },
          snapshot,
          now,
        );
        line = {
          line: rec.line,
          ref: v.value.externalRef ?? v.value.transportDocument?.id ?? null,
          lane: a.risk.lane,
          ...a,
        };
      }
    }
    await write(out, JSON.stringify(line) + '\n');
  }
  await close(out);
  process.stderr.write(`assessed ${n - rejected} of ${n} records (${rejected} rejected)\n`);
  if (stopped !== undefined) {
    process.stderr.write(`parcelgate: ${fileStopMessage(file, stopped)}\n`);
    return exitCodes.usage;
  }
  return exitCodes.ok;
}

/** Prints the duty and VAT quote for one consignment JSON file (or '-' for stdin). */
export async function quoteCommand(file: string, opts: { date?: string; tariff?: string[]; fx?: string[] }) {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (
    Array.isArray(raw) ||
    (typeof raw === 'object' &&
      raw !== null &&
      Array.isArray((raw as { consignments?: unknown }).consignments))
  ) {
    throw new UsageError(`${file} holds a batch; quote takes one consignment as a JSON object`);
  }
  const snapshot = loadSnapshot(opts.fx?.length ? { fxFeeds: opts.fx } : {});
  const v = validateConsignment(raw, snapshot.hs);
  if (!v.ok) {
    process.stdout.write(JSON.stringify({ rejected: true, issues: v.error }, null, 2) + '\n');
    return 1;
  }
  // As written, like POST /v1/quote?date=: the calendar date of the text is the lodging date.
  const d = opts.date;
  if (
    d !== undefined &&
    !(/^\d{4}-\d{2}-\d{2}$/.test(d) ? isRfc3339DateTime(`${d}T00:00:00Z`) : isRfc3339DateTime(d))
  )
    throw new UsageError(`--date must be an ISO date or datetime, got '${d}'`);
  // As for a record's dates: year 0000 or 9999 is a typing error, not a quote under no regime.
  const outOfRange = d === undefined ? undefined : dateOutOfRange(d);
  if (outOfRange !== undefined) throw new UsageError(`dates.out-of-range: --date ${outOfRange}`);
  const at = d ?? new Date().toISOString();
  const revenue = assessRevenue(v.value, tariffOptions(opts.tariff ?? [], snapshot.revenue), at);
  process.stdout.write(JSON.stringify(revenue, null, 2) + '\n');
  // Zeros that mean "not assessed" are not a quote of nothing due: say so, and fail the check.
  const notAssessed = notAssessedNote(revenue);
  if (notAssessed === undefined) return 0;
  process.stderr.write(`parcelgate: duty and tax not assessed: ${notAssessed}\n`);
  return 1;
}
