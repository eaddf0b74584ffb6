/** `parcelgate revenue replay ID|FILE`: a stored assessment next to its replay as of its date (docs/revenue.md). */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadSnapshot } from '../clearance/index.js';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { keyringFromEnv, encryptingStore } from '../privacy/index.js';
import { renderReplayReport, replayReport, type ReplaySubject } from '../revenue/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { tariffOptions } from './commands-tariff.js';
import { UsageError, requireDatabase } from './io.js';

interface ReplayOptions {
  dataDir: string;
  postgres?: string;
  tariff?: string[];
  fx?: string[];
  json?: boolean;
}

/** A subject from a JSON file: a stored consignment (as `GET /v1/consignments/{id}` returns it) or {id?, input, revenue, assessedAt}. */
export function subjectFromJson(json: unknown, file: string): ReplaySubject {
  const o = (json ?? {}) as {
    id?: unknown;
    merged?: ConsignmentInput;
    input?: ConsignmentInput;
    assessment?: { revenue?: RevenueAssessment; assessedAt?: string };
    revenue?: RevenueAssessment;
    assessedAt?: string;
  };
  const input = o.merged ?? o.input;
  const revenue = o.assessment?.revenue ?? o.revenue;
  const assessedAt = o.assessment?.assessedAt ?? o.assessedAt;
  if (input === undefined || revenue === undefined || typeof assessedAt !== 'string')
    throw new UsageError(
      `${file}: expected a stored consignment (merged, assessment.revenue, assessment.assessedAt) or {input, revenue, assessedAt}`,
    );
  return { id: typeof o.id === 'string' ? o.id : file, input, revenue, assessedAt };
}

async function subjectFromStore(id: string, o: ReplayOptions): Promise<ReplaySubject> {
  if (!o.postgres) requireDatabase(o.dataDir);
  let store: ClearanceStore = o.postgres
    ? await openPostgresStore({ url: o.postgres })
    : openSqliteStore({ dataDir: o.dataDir });
  const ring = keyringFromEnv();
  if (ring) store = encryptingStore(store, ring);
  try {
    const c = await store.get(id);
    if (c === undefined)
      throw new UsageError(`no consignment ${id} in ${o.postgres ? 'the database' : o.dataDir}`);
    return { id: c.id, input: c.merged, revenue: c.assessment.revenue, assessedAt: c.assessment.assessedAt };
  } finally {
    await store.close();
  }
}

/** Replays one consignment; exit code 0 when the replay is identical, 1 when it differs. */
export async function revenueReplayCommand(ref: string, o: ReplayOptions): Promise<number> {
  let subject: ReplaySubject;
  if (!/^csg_/.test(ref) && existsSync(ref)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(ref, 'utf8'));
    } catch (e) {
      throw new UsageError(`${ref} is not valid JSON: ${(e as Error).message}`);
    }
    subject = subjectFromJson(json, ref);
  } else subject = await subjectFromStore(ref, o);
  const snapshot = loadSnapshot({ classifier: false, ...(o.fx?.length ? { fxFeeds: o.fx } : {}) });
  const report = replayReport(subject, tariffOptions(o.tariff ?? [], snapshot.revenue));
  process.stdout.write((o.json ? JSON.stringify(report, null, 2) : renderReplayReport(report)) + '\n');
  return report.identical ? 0 : 1;
}

/** Registers `parcelgate revenue …`. */
export function registerRevenueCommands(
  program: Command,
  defaultDataDir: () => string,
  fxHelp: string,
): void {
  const revenue = program.command('revenue').description('Revenue assessments: replay as of their date');
  revenue
    .command('replay <ref>')
    .description(
      'Re-assess a stored consignment (id, or a JSON file of one) as of its assessment time under the profile version it recorded; exit 1 when the result differs',
    )
    .option('--data-dir <dir>', 'data directory')
    .option('--postgres <url>', 'read the consignment from PostgreSQL')
    .option('--fx <name=file>', fxHelp, (v: string, all: string[] = []) => [...all, v])
    .option(
      '--tariff <profile=file>',
      'the tariff schedule (CSV or JSON) the assessment was made with, e.g. eu=my-tariff.csv; repeatable',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--json', 'print the report as JSON')
    .action(async (ref: string, opts: Omit<ReplayOptions, 'dataDir'> & { dataDir?: string }) => {
      process.exitCode = await revenueReplayCommand(ref, {
        ...opts,
        dataDir: opts.dataDir ?? defaultDataDir(),
      });
    });
}
