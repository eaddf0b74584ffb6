/** `parcelgate export`: consignments to NDJSON, CSV or .xlsx, personal data scrubbed per data class. */
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AuditLog } from '../audit/index.js';
import { clearanceStates, type ClearanceState, type Lane } from '../domain/index.js';
import {
  dataClasses,
  encryptingStore,
  exportConsignments,
  exportFormats,
  exportWorkbook,
  keyringFromEnv,
  type DataClass,
  type ExportFormat,
  type ExportOptions,
  type ExportReport,
} from '../privacy/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { cliActor, openSecurity, type StoreTarget } from './commands-security.js';
import { UsageError, positiveInt, requireDatabase } from './io.js';

export interface ExportCommandOptions extends StoreTarget {
  format?: string;
  out?: string;
  scrub?: string;
  withPersonalData?: boolean;
  state?: string;
  lane?: string;
  destination?: string;
  submitter?: string;
  limit?: string;
}

/** The classes to scrub: all by default, the listed ones with `--scrub`, none with `--with-personal-data`. */
export function scrubClasses(o: Pick<ExportCommandOptions, 'scrub' | 'withPersonalData'>): DataClass[] {
  if (o.withPersonalData === true) {
    if (o.scrub !== undefined) throw new UsageError('--scrub and --with-personal-data exclude each other');
    return [];
  }
  if (o.scrub === undefined || o.scrub === 'all') return [...dataClasses];
  const asked = o.scrub.split(',').map((s) => s.trim());
  for (const c of asked) {
    if (!(dataClasses as readonly string[]).includes(c))
      throw new UsageError(`--scrub takes ${dataClasses.join(', ')} or all (comma-separated), got '${c}'`);
  }
  return dataClasses.filter((c) => asked.includes(c));
}

/** Writes a line to a stream, waiting when its buffer is full. */
async function writeTo(stream: Writable, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain');
}

const lanes: readonly Lane[] = ['green', 'yellow', 'red', 'blue'];

/** The list filter of the options, checked. */
function filterOf(o: ExportCommandOptions): ExportOptions['filter'] {
  const { state, lane, destination, submitter } = o;
  if (state !== undefined && !(clearanceStates as readonly string[]).includes(state))
    throw new UsageError(`--state must be one of ${clearanceStates.join(', ')}, got '${state}'`);
  if (lane !== undefined && !(lanes as readonly string[]).includes(lane))
    throw new UsageError(`--lane must be one of ${lanes.join(', ')}, got '${lane}'`);
  if (destination !== undefined && !/^[A-Z]{2}$/.test(destination))
    throw new UsageError(`--destination must be a two-letter country code, got '${destination}'`);
  const filter = {
    ...(state !== undefined ? { state: state as ClearanceState } : {}),
    ...(lane !== undefined ? { lane: lane as Lane } : {}),
    ...(destination !== undefined ? { destination } : {}),
    ...(submitter !== undefined ? { submitterId: submitter } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * Runs the export; the summary goes to stderr (stdout may be the export itself). An .xlsx export is
 * one workbook written to `--out`; with `--submitter` its rows are that submitter's own records.
 */
export async function exportCommand(o: ExportCommandOptions): Promise<void> {
  const format = (o.format ?? 'ndjson') as ExportFormat;
  if (!exportFormats.includes(format))
    throw new UsageError(`--format must be ${exportFormats.join(', ')}, got '${o.format ?? ''}'`);
  const classes = scrubClasses(o);
  const filter = filterOf(o);
  const limit = o.limit === undefined ? undefined : positiveInt('limit', o.limit, 1);
  if (format === 'xlsx' && o.out === undefined) throw new UsageError('--format xlsx needs --out <file>');
  if (o.out !== undefined && existsSync(o.out))
    throw new UsageError(`${o.out} exists; exports never overwrite`);

  if (!o.postgres) requireDatabase(o.dataDir);
  let store: ClearanceStore = o.postgres
    ? await openPostgresStore({ url: o.postgres })
    : openSqliteStore({ dataDir: o.dataDir });
  // Identity numbers encrypted at rest are read in clear only when they are exported as they are.
  const ring = keyringFromEnv();
  if (ring && classes.length < dataClasses.length) store = encryptingStore(store, ring);
  const security = await openSecurity(o);
  const out =
    format === 'xlsx'
      ? undefined
      : o.out === undefined
        ? process.stdout
        : createWriteStream(o.out, { flags: 'wx' });
  try {
    const options = { classes, ...(filter ? { filter } : {}), ...(limit !== undefined ? { limit } : {}) };
    let report: ExportReport;
    if (out === undefined) {
      const built = await exportWorkbook(store, {
        ...options,
        ...(o.submitter !== undefined ? { viewer: o.submitter } : {}),
      });
      writeFileSync(o.out ?? '', built.workbook, { flag: 'wx' });
      report = built.report;
    } else {
      report = await exportConsignments(store, { format, ...options }, (line) => writeTo(out, line));
    }
    // Every export is an access to personal data (scrubbed or not): it goes into the audit log.
    await new AuditLog(security).record({
      actor: cliActor(),
      action: 'data.exported',
      subject: 'consignments',
      data: { format, consignments: report.consignments, scrubbed: report.scrubbed, out: o.out ?? 'stdout' },
    });
    process.stderr.write(`${JSON.stringify(report)}\n`);
  } finally {
    if (out !== undefined && out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    await security.close();
    await store.close();
  }
}
