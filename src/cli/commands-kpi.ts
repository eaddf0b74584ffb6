/** `kpi`: clearance KPIs from the event log of a store (SQLite data directory or PostgreSQL). */
import { kpiReport, renderKpiReport } from '../analytics/kpi.js';
import { kpiWindow } from '../api/routes-console.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { UsageError, requireDatabase } from './io.js';

const when = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/;

/** Prints the KPI report (text, or JSON with --json) for data received in [from, to]. */
export async function kpiCommand(opts: {
  dataDir: string;
  postgres?: string;
  from?: string;
  to?: string;
  json?: boolean;
}): Promise<number> {
  for (const name of ['from', 'to'] as const) {
    const v = opts[name];
    if (v === undefined) continue;
    let valid = when.test(v);
    try {
      if (valid) kpiWindow({ [name]: v });
    } catch {
      valid = false;
    }
    if (!valid)
      throw new UsageError(`--${name} must be a day (YYYY-MM-DD) or a UTC instant (…Z), got '${v}'`);
  }
  if (opts.from !== undefined && opts.to !== undefined) {
    try {
      kpiWindow({ from: opts.from, to: opts.to });
    } catch {
      throw new UsageError(`--to '${opts.to}' is before --from '${opts.from}'`);
    }
  }
  if (!opts.postgres) requireDatabase(opts.dataDir);
  const store: ClearanceStore = opts.postgres
    ? await openPostgresStore({ url: opts.postgres })
    : openSqliteStore({ dataDir: opts.dataDir });
  try {
    const queries = store.console;
    if (!queries) throw new UsageError(`the ${store.kind} store does not offer the KPI queries`);
    const w = kpiWindow({
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.to ? { to: opts.to } : {}),
    });
    const [facts, revenue] = await Promise.all([queries.kpiFacts(w), queries.revenueFacts(w)]);
    const report = kpiReport(facts, revenue, w);
    process.stdout.write((opts.json ? JSON.stringify(report, null, 2) : renderKpiReport(report)) + '\n');
    return 0;
  } finally {
    await store.close();
  }
}
