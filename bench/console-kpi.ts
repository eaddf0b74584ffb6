/**
 * (g) Console KPI report on 100,000 consignments with ~3.5 events each: the report the dashboard asks
 * for, read from the KPI fact table kept by the follower, against the previous way (grouping the whole
 * event log and reading every document) on the same file, in the same process. Also the follower's
 * catch-up cost per 1,000 events, which runs in the background off the submission path.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { kpiReport } from '../src/analytics/kpi.js';
import type { ClearanceState, Lane } from '../src/domain/index.js';
import { openSqliteStore, type BatchWrites, type ClearanceEvent } from '../src/store/index.js';
import { kpiFactsSql, type KpiFactRow } from '../src/store/console/queue-sql.js';
import { toKpiFact } from '../src/store/console/sqlite-console.js';
import { fixtureConsignment } from '../src/store/testing/fixtures.js';
import { fmt, medianMs, tempDir } from './util.js';

export async function benchConsoleKpi(count: number, say: (line: string) => void): Promise<void> {
  say('');
  say(`(g) console KPI report: ${fmt(count)} consignments`);
  const dir = tempDir('console-kpi');
  const store = openSqliteStore({ dataDir: dir });
  const t0 = Date.parse('2026-11-20T00:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  let events = 0;
  for (let i = 0; i < count; i += 5000) {
    const upserts = [];
    const evs: ClearanceEvent[] = [];
    for (let j = i; j < Math.min(count, i + 5000); j++) {
      const lane: Lane = j % 25 === 0 ? 'red' : j % 17 === 0 ? 'yellow' : 'green';
      const state: ClearanceState =
        lane === 'red' ? 'held-for-inspection' : lane === 'yellow' ? 'held-for-information' : 'released';
      // One every 30 s: 100,000 span five weeks of days.
      const received = t0 + j * 30_000;
      const c = fixtureConsignment({
        state,
        lane,
        office: `DE0000${String(j % 40).padStart(2, '0')}`,
        createdAt: iso(received),
      });
      upserts.push(c);
      const ev = (type: string, from: ClearanceState | null, to: ClearanceState | null, at: number) =>
        evs.push({ consignmentId: c.id, type, from, to, at: iso(at), actor: 'bench' });
      ev('consignment.declared', null, 'assessed', received);
      if (lane === 'green') {
        ev('consignment.assessed', 'assessed', 'released-before-arrival', received + 400);
        ev('consignment.arrived', 'released-before-arrival', 'released', received + 86_400_000);
      } else {
        ev('consignment.assessed', 'assessed', state, received + 400);
        ev('consignment.arrived', state, state, received + 86_400_000);
      }
    }
    events += evs.length;
    const writes: BatchWrites = { upserts, archive: [], declarations: [], events: evs };
    await store.transact({ keys: [], ids: [] }, () => ({ writes, result: null }));
  }
  const c = store.console!;
  // The follower's catch-up over the whole log (a server does this in the background, in steps).
  let t = performance.now();
  await c.refreshKpiFacts();
  const catchUp = performance.now() - t;
  say(
    `  ${fmt(events)} events; follower catch-up ${(catchUp / 1000).toFixed(2)} s, ${((catchUp / events) * 1000).toFixed(2)} ms per 1,000 events (background)`,
  );

  const raw = new Database(join(dir, 'parcelgate.db'), { readonly: true });
  const scan = raw.prepare(
    kpiFactsSql(
      () => '?',
      (x) => `"${x}"`,
      (d) => `json_extract(${d}, '$.finding')`,
      (doc) => `json_extract(${doc}, '$.assessment.risk.randomSelected')`,
    ),
  );
  const scanRevenue = raw.prepare(
    `SELECT json_extract(doc, '$.assessment.revenue.collectionModel') AS "collectionModel", currency,
       due_at_border AS "dueAtBorder", json_extract(doc, '$.assessment.revenue.prepaid') AS prepaid
     FROM consignments WHERE created_at >= ? AND created_at < ?`,
  );
  const before = () =>
    kpiReport(
      (scan.all('0000', '9999') as KpiFactRow[]).map(toKpiFact),
      scanRevenue.all('0000', '9999') as never[],
    );
  const now = async () => kpiReport(await c.kpiFacts({}), await c.revenueFacts({}));
  const a = (await now()).volume;
  const b = before().volume;
  if (a !== b || a !== count)
    throw new Error(`report volumes differ: table ${a}, scan ${b}, written ${count}`);
  const runs = 5;
  const baseline = await medianMs(runs, before);
  const table = await medianMs(runs, now);
  t = performance.now();
  const oneDay = kpiReport(
    await c.kpiFacts({ from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' }),
    await c.revenueFacts({ from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' }),
  );
  const day = performance.now() - t;
  say(`  report by scanning the event log (before)   ${(baseline / 1000).toFixed(2)} s  (baseline)`);
  say(
    `  report from the KPI fact table (now)        ${(table / 1000).toFixed(2)} s  ${(table / baseline).toFixed(3)}x`,
  );
  say(
    `  one day's report (${fmt(oneDay.volume)} consignments)        ${day.toFixed(0)} ms  ${(day / baseline).toFixed(3)}x`,
  );
  raw.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
