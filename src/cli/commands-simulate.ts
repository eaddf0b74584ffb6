/** `parcelgate simulate`: replay traffic under a proposed revenue policy and report the difference per day. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestRecords, loadSnapshot, type RawFileRecord } from '../clearance/index.js';
import {
  applySettings,
  compileProfileJson,
  iossEntryOf,
  iossReport,
  recordedTaxDate,
  trafficAt,
  type IossEntry,
  parsePolicySetting,
  profileNames,
  readProfileJson,
  renderSimulationSvg,
  simulate,
  withProfiles,
  type PolicySetting,
  type TrafficItem,
} from '../revenue/index.js';
import { generateFlood } from '../sim/index.js';
import { openSqliteStore, type ClearanceStore } from '../store/index.js';
import { UsageError, dayOption, isoOption, openRecords, positiveInt, requireDatabase } from './io.js';

/** Options of `parcelgate simulate`. */
export interface SimulateOptions {
  set?: string[];
  input?: string;
  dataDir?: string;
  generate?: string;
  day?: string;
  at?: string;
  chart?: string;
  currency?: string;
  json?: boolean;
}

function settingsOf(texts: readonly string[]): PolicySetting[] {
  if (texts.length === 0) throw new UsageError('give at least one --set <profile>:<json-pointer>=<value>');
  return texts.map((t) => {
    try {
      return parsePolicySetting(t);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
}

/** Every consignment of a store, each on its recorded tax point with the person totals it recorded. */
async function* storedTraffic(store: ClearanceStore): AsyncGenerator<TrafficItem> {
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    for (const s of page.items) {
      const c = await store.get(s.id);
      const history = c?.assessment.revenue.history;
      if (c !== undefined)
        yield {
          ...trafficAt(c.assessment.revenue, c.assessment.assessedAt),
          input: c.merged,
          ...(history ? { history } : {}),
        };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Records (a file, or generated) as consignments: they go through the pipeline into a scratch store
 * first, so the records of one parcel (a post's item and the platform's order) are linked and merged
 * into one consignment, counted and assessed once, as the stored traffic is.
 */
async function* linkedTraffic(
  records: AsyncIterable<RawFileRecord>,
  now: string,
  snapshot: ReturnType<typeof loadSnapshot>,
): AsyncGenerator<TrafficItem> {
  const dir = mkdtempSync(join(tmpdir(), 'parcelgate-simulate-'));
  const store = openSqliteStore({ dataDir: dir, backgroundCheckpoints: false });
  try {
    await ingestRecords(() => ({ actor: 'simulate', submitterId: 'simulate', now }), records, {
      store,
      snapshot: () => snapshot,
    });
    yield* storedTraffic(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function* traffic(
  o: SimulateOptions,
  snapshot: ReturnType<typeof loadSnapshot>,
): AsyncGenerator<TrafficItem> {
  const at = isoOption('at', o.at) ?? new Date().toISOString();
  if (o.dataDir !== undefined) {
    requireDatabase(o.dataDir);
    const store = openSqliteStore({ dataDir: o.dataDir });
    try {
      yield* storedTraffic(store);
    } finally {
      await store.close();
    }
    return;
  }
  if (o.input !== undefined) {
    yield* linkedTraffic(openRecords(o.input).records, at, snapshot);
    return;
  }
  const count = positiveInt('generate', o.generate, 5_000);
  const day = o.day === undefined ? at.slice(0, 10) : dayOption('day', o.day);
  async function* generated(): AsyncGenerator<RawFileRecord> {
    let line = 0;
    for (const r of generateFlood({ seed: 'simulate', count, day })) yield { line: ++line, value: r.input };
  }
  yield* linkedTraffic(generated(), `${day}T12:00:00.000Z`, snapshot);
}

/** Runs the simulation and prints one line per day and currency (or JSON); writes an SVG chart on request. */
export async function simulateCommand(o: SimulateOptions): Promise<number> {
  const settings = settingsOf(o.set ?? []);
  const snapshot = loadSnapshot();
  const byId = new Map<string, string>();
  for (const name of profileNames()) {
    const id = (readProfileJson(name) as { id?: unknown }).id;
    if (typeof id === 'string') byId.set(id, name);
  }
  const changed = [...new Set(settings.map((s) => s.profile))].map((id) => {
    const name = byId.get(id);
    if (name === undefined)
      throw new UsageError(`unknown profile '${id}': use one of ${[...byId.keys()].join(', ')}`);
    try {
      const edited = applySettings(
        readProfileJson(name),
        settings.filter((s) => s.profile === id),
      );
      return compileProfileJson(edited, `${name} with the proposed settings`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  const items: TrafficItem[] = [];
  for await (const t of traffic(o, snapshot)) items.push(t);
  const rows = simulate(items, snapshot.revenue, withProfiles(snapshot.revenue, changed));
  if (o.json) process.stdout.write(JSON.stringify({ settings, rows }, null, 2) + '\n');
  else {
    process.stdout.write(
      `proposed: ${settings.map((s) => `${s.profile}:${s.pointer}=${JSON.stringify(s.value)}`).join(', ')}\n`,
    );
    process.stdout.write(
      'day         currency  consignments  baseline  proposed  difference  border before/after  model changes\n',
    );
    for (const r of rows)
      process.stdout.write(
        `${r.day}  ${r.currency.padEnd(8)}  ${String(r.consignments).padStart(12)}  ${r.baselineRevenue.padStart(8)}  ` +
          `${r.proposedRevenue.padStart(8)}  ${r.difference.padStart(10)}  ${`${r.baselineBorderCollections}/${r.proposedBorderCollections}`.padStart(19)}  ${String(r.modelChanges).padStart(13)}\n`,
      );
  }
  if (o.chart !== undefined)
    writeFileSync(o.chart, renderSimulationSvg(rows, o.currency ?? rows[0]?.currency ?? 'EUR'));
  return 0;
}

/** `parcelgate ioss-report`: value and VAT per IOSS number and member state for a month, from stored consignments. */
export async function iossReportCommand(o: {
  month?: string;
  dataDir: string;
  json?: boolean;
}): Promise<number> {
  const month = o.month ?? new Date().toISOString().slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, got '${month}'`);
  requireDatabase(o.dataDir);
  const store = openSqliteStore({ dataDir: o.dataDir });
  const entries: IossEntry[] = [];
  try {
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      for (const s of page.items) {
        const c = await store.get(s.id);
        if (c === undefined) continue;
        const date = recordedTaxDate(c.merged, c.assessment.revenue, c.assessment.assessedAt);
        const e = iossEntryOf(c.id, c.merged, c.assessment.revenue, date);
        if (e !== undefined && e.month === month) entries.push(e);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  } finally {
    await store.close();
  }
  const lines = iossReport(entries);
  if (o.json) process.stdout.write(JSON.stringify({ month, lines }, null, 2) + '\n');
  else {
    process.stdout.write(
      `IOSS report ${month}\nIOSS number    state  consignments  intrinsic value EUR  VAT EUR\n`,
    );
    for (const l of lines)
      process.stdout.write(
        `${l.iossNumber.padEnd(13)}  ${l.memberState.padEnd(5)}  ${String(l.consignments).padStart(12)}  ` +
          `${l.intrinsicValueEur.padStart(19)}  ${l.vatEur.padStart(7)}\n`,
      );
  }
  return 0;
}
