/** Small CLI helpers: opening input files by format, exit codes, usage errors. */
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { RawFileRecord } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { parsePostalItemXml, postalIssuePath, postalItemIssues } from '../exchange/index.js';
import {
  gunzipStream,
  gzipStopRecord,
  isGzip,
  readCsv,
  readNdjson,
  readXlsx,
  untilGzipFailure,
} from '../intake/index.js';
import { sqliteFileName } from '../store/index.js';

/** Exit codes: 0 ok, 1 some records rejected (with --strict) or a failed check, 2 bad usage or unreadable input. */
export const exitCodes = { ok: 0, rejected: 1, usage: 2 } as const;

// Record errors that say the file itself could not be read, or not to its end: nothing after them is read.
const fileStopCodes: ReadonlySet<string> = new Set([
  'csv.unknown-column',
  'csv.syntax',
  'xlsx.unreadable',
  'xlsx.too-many-rows',
  'postal.root',
  'postal.too-many-items',
  'gzip.invalid',
]);

/**
 * True when a record error means the input file could not be read (a bad CSV header or quoting, an
 * unreadable spreadsheet or XML document, corrupt or truncated gzip data): `ingest` and `assess` handle what was read before it, then
 * exit with code 2, an input error, with or without --strict.
 */
export const stopsFile = (code: string): boolean => fileStopCodes.has(code) || code.startsWith('xml.');

/** The one-line message of a file `stopsFile` refused. */
export const fileStopMessage = (file: string, message: string): string =>
  `${file} could not be read to its end: ${message}`;

/** A usage problem the CLI reports in one line before exiting with code 2. */
export class UsageError extends Error {}

/**
 * A command's product error as a usage error: its code and message, then each issue's path and
 * message on a line of its own. Any other error is returned as it is.
 */
export function usageErrorOf(e: unknown): unknown {
  if (!(e instanceof ParcelgateError)) return e;
  const issues =
    (
      e.details as
        { issues?: { path?: string; line?: number; column?: string; message: string }[] } | undefined
    )?.issues ?? [];
  // Where an issue is: a JSON path, or a file's line (and column); some issues carry neither.
  const where = (i: (typeof issues)[number]): string =>
    i.path !== undefined
      ? `${i.path}: `
      : i.line !== undefined
        ? `line ${i.line}${i.column !== undefined ? `, ${i.column}` : ''}: `
        : '';
  return new UsageError(
    [`${e.code}: ${e.message}`, ...issues.map((i) => `  ${where(i)}${i.message}`)].join('\n'),
  );
}

type Format = 'ndjson' | 'csv' | 'postal-xml' | 'xlsx';

/** Options of `openRecords`. */
export interface OpenRecordsOptions {
  /**
   * The command validates every record it is given itself (as `assess` does): a postal item the reader
   * reads without fault is left to that validation instead of being validated twice; an item the
   * reader refuses is still checked by intake too, so its rejection lists every issue.
   */
  validatesRecords?: boolean;
}

/**
 * Postal ITMATT-style XML items as raw records, by item number (the file is size-capped by the parser).
 * Read and checked as `POST /v1/postal/items` reads them: a refused item carries every issue, each
 * named by element, and what is found in an item later (on submission) is named by element too.
 *
 * A document the API refuses whole (an element the format does not define at root level, beside the
 * items) is refused whole here too, before anything is read or written: a `consignment.rejected`
 * error listing every document issue by path, exit code 2. A document that cannot be read (XML, root
 * element, too many items) or holds no item keeps its report as a record error: no item is read then.
 */
function postalRecords(xml: string, file: string, opts: OpenRecordsOptions): AsyncIterable<RawFileRecord> {
  const parsed = parsePostalItemXml(xml, {
    validate: opts.validatesRecords === true ? 'refused' : true,
  });
  if (parsed.issues.some((i) => !stopsFile(i.code) && i.code !== 'postal.no-items'))
    throw new ParcelgateError('consignment.rejected', `${file}: the XML document is not acceptable`, 422, {
      issues: parsed.issues,
    });
  return postalItems(parsed);
}

async function* postalItems(
  parsed: Pick<ReturnType<typeof parsePostalItemXml>, 'records' | 'issues'>,
): AsyncIterable<RawFileRecord> {
  for (const issue of parsed.issues) yield { line: 0, error: issue };
  for (const r of parsed.records) {
    const line = r.index + 1;
    // An item the reader found fault with is rejected, never ingested without the faulty field.
    if (r.value !== undefined && r.issues === undefined)
      yield { line, value: r.value, placeIssues: (issues) => postalItemIssues(r.index, issues) };
    else {
      const [first, ...rest] = r.issues ?? [];
      const error = first ?? {
        code: 'postal.invalid-item',
        path: postalIssuePath(r.index, ''),
        message: 'item rejected',
      };
      yield { line, error, issues: [error, ...rest] };
    }
  }
}

/**
 * Refuses an input file that cannot be opened for reading (no permission, …) as a usage error, before
 * anything is read or a store is opened, rather than as an unhandled stream error. Returns whether the
 * file is gzip-compressed (it starts with the gzip magic bytes, whatever its name).
 */
function readableInput(file: string): { gzip: boolean } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new UsageError(
      `cannot read input file ${file}: ${reason === 'EACCES' ? 'permission denied' : reason}`,
    );
  }
  const magic = Buffer.alloc(2);
  try {
    readSync(fd, magic, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return { gzip: isGzip(magic) };
}

/** A postal XML document, decompressed whole when gzip-compressed (the XML is parsed whole either way). */
function postalText(file: string, gzip: boolean): string | undefined {
  if (!gzip) return readFileSync(file, 'utf8');
  try {
    return gunzipSync(readFileSync(file), { maxOutputLength: maxPostalXmlBytes }).toString('utf8');
  } catch {
    return undefined;
  }
}

// A gzip-compressed postal XML document is decompressed in memory up to this size.
const maxPostalXmlBytes = 512 * 1024 * 1024;

/**
 * Opens an NDJSON, CSV, XLSX or postal XML file (by extension, or `--format`) as a stream of raw records.
 * A gzip-compressed file (magic bytes 1f 8b) is decompressed as it is read, its format named by the
 * extension before `.gz`; if it is corrupt or truncated, reading stops there with a `gzip.invalid` record
 * error (a file stop: what was read before it is handled). `stream` and `bytes` are the file as stored
 * (compressed bytes), for progress.
 */
export function openRecords(
  file: string,
  format?: string,
  opts: OpenRecordsOptions = {},
): { records: AsyncIterable<RawFileRecord>; bytes: number; stream: Readable; format: Format } {
  if (file !== '-' && !existsSync(file)) throw new UsageError(`input file not found: ${file}`);
  if (file !== '-' && statSync(file).isDirectory())
    throw new UsageError(`input is a directory, not a file: ${file}`);
  const gzip = file !== '-' && readableInput(file).gzip;
  const named = gzip || /\.gz$/i.test(file) ? file.replace(/\.gz$/i, '') : file;
  const ext = extname(named).toLowerCase();
  const byExt: Record<string, Format> = { '.csv': 'csv', '.xml': 'postal-xml', '.xlsx': 'xlsx' };
  const fmt = (format ?? byExt[ext] ?? 'ndjson') as Format;
  if (!['ndjson', 'csv', 'postal-xml', 'xlsx'].includes(fmt)) {
    throw new UsageError(`unknown format '${format}': use ndjson, csv, postal-xml or xlsx`);
  }
  if (fmt === 'postal-xml') {
    if (file === '-') throw new UsageError('postal XML is read from a file, not stdin');
    const xml = postalText(file, gzip);
    const message = 'the gzip data is corrupt, truncated or decompresses past 512 MiB';
    return {
      records:
        xml === undefined
          ? postalItems({ records: [], issues: [{ code: 'gzip.invalid', path: '', message }] })
          : postalRecords(xml, file, opts),
      bytes: statSync(file).size,
      stream: createReadStream(file),
      format: fmt,
    };
  }
  const stream =
    file === '-' ? (process.stdin as Readable) : createReadStream(file, { highWaterMark: 1 << 20 });
  const bytes = file === '-' ? 0 : statSync(file).size;
  const text = gzip ? gunzipStream(stream) : stream;
  const read = fmt === 'csv' ? readCsv(text) : fmt === 'xlsx' ? readXlsx(text) : readNdjson(text);
  const records = gzip ? untilGzipFailure<RawFileRecord>(read, gzipStopRecord) : read;
  return { records, bytes, stream, format: fmt };
}

/** Parses a positive integer option or throws a UsageError naming the option. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive whole number, got '${value}'`);
  return n;
}

/** A `YYYY-MM-DD` option that names a real calendar day (2026-02-30 and 2026-13-01 are refused). */
export function dayOption(name: string, value: string): string {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value)
    throw new UsageError(`--${name} must be a real day YYYY-MM-DD, got '${value}'`);
  return value;
}

/** The `--port` option: a TCP port, 1 to 65535 (default 8080). */
export function portOption(value: string | undefined): number {
  const port = positiveInt('port', value, 8080);
  if (port > 65535) throw new UsageError(`--port must be a TCP port from 1 to 65535, got '${value}'`);
  return port;
}

/** Parses a date or date-time option into an ISO timestamp (undefined when absent) or throws a UsageError naming the option. */
export function isoOption(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`--${name} must be a date or date-time, got '${v}'`);
  return new Date(t).toISOString();
}

/** The help text of the `--force` option of commands that write an `--out` file. */
export const forceHelp = 'overwrite an existing output file (never the input file)';

/**
 * Checks an output file before a command writes it, so nothing is lost by a slip of the keyboard:
 * refused when it is one of the command's input files (the same path, or the same file through a
 * link: writing it would truncate the input while it is read), when it is a directory, and when it
 * exists unless `force` is set. Returns the flag to open it with (`wx` fails should the file appear
 * in the meantime).
 */
export function outputFile(
  option: string,
  out: string,
  opts: { force?: boolean; inputs?: readonly string[] } = {},
): { flags: 'w' | 'wx' } {
  const target = statOf(out);
  for (const input of opts.inputs ?? []) {
    if (input === '-') continue;
    const source = statOf(input);
    const sameFile =
      resolve(input) === resolve(out) ||
      (source !== undefined &&
        target !== undefined &&
        source.dev === target.dev &&
        source.ino === target.ino);
    if (sameFile) throw new UsageError(`${option} ${out} is the input file; write the output elsewhere`);
  }
  if (target?.isDirectory()) throw new UsageError(`${option} ${out} is a directory, not a file`);
  if (target === undefined && statOf(dirname(resolve(out)))?.isDirectory() !== true)
    throw new UsageError(`${option} ${out}: the directory ${dirname(out)} does not exist`);
  if (target !== undefined && opts.force !== true)
    throw new UsageError(`${option} ${out} exists; pass --force to overwrite it`);
  return { flags: opts.force === true ? 'w' : 'wx' };
}

function statOf(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * For commands that only read a store (reports, exports, verification): refuses a data directory
 * without a database, where opening the store would create an empty one and report nothing found,
 * so a mistyped `--data-dir` or an unset `$PARCELGATE_DATA_DIR` is a one-line error, not zeros.
 */
export function requireDatabase(dataDir: string): void {
  const file = join(dataDir, sqliteFileName);
  if (!existsSync(file))
    throw new UsageError(
      `no database at ${file}: name a data directory with --data-dir (default $PARCELGATE_DATA_DIR or ./.parcelgate); this command reads a store and creates none`,
    );
}

/** Creates a data directory (and its parents) for a command that writes a store; a file there is refused. */
export function makeDataDir(dataDir: string): void {
  if (statOf(dataDir)?.isDirectory() === false)
    throw new UsageError(`--data-dir ${dataDir} is a file, not a directory`);
  mkdirSync(dataDir, { recursive: true });
}
