/** Endpoints of the officer console: work queue with counts, KPIs, daily volume and the staffing forecast. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  backtest,
  forecast,
  generateParcelSeries,
  parseSeries,
  recommendStaffing,
  toSeriesCsv,
} from '../analytics/index.js';
import { kpiReport } from '../analytics/kpi.js';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import {
  queueSorts,
  queueStates,
  type ConsoleStore,
  type KpiWindow,
  type QueueCounts,
} from '../store/console/port.js';
import { registerConsoleStatic } from './console-static.js';

type Deps = PipelineDeps & { clock: () => Date };

const literalUnion = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const day = /^\d{4}-\d{2}-\d{2}$/;
const instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z)?$',
  description: 'A UTC instant (…Z) or a day (YYYY-MM-DD)',
});

/** The console port of the store, or a 501 problem when the adapter has none. */
function consoleOf(deps: Deps): ConsoleStore {
  const c = deps.store.console;
  if (!c) throw new ParcelgateError('route.not-found', 'this store does not offer the console queries', 404);
  return c;
}

/**
 * A KPI window from query parameters: days are whole UTC days, `to` included. Throws
 * `request.invalid` (400) naming the parameter when a value is not a real day or instant.
 */
export function kpiWindow(q: { from?: string; to?: string }): KpiWindow {
  const parse = (name: 'from' | 'to', v: string): string => {
    const isDay = day.test(v);
    const t = Date.parse(isDay ? `${v}T00:00:00Z` : v);
    const ok = Number.isFinite(t) && (!isDay || new Date(t).toISOString().slice(0, 10) === v);
    if (!ok) {
      throw new ParcelgateError(
        'request.invalid',
        `${name} '${v}' is not a calendar day or UTC instant`,
        400,
        {
          issues: [{ code: 'schema.format', path: `/${name}`, message: 'not a calendar day or UTC instant' }],
        },
      );
    }
    return new Date(isDay && name === 'to' ? t + 86_400_000 : t).toISOString();
  };
  const w: KpiWindow = {};
  if (q.from) w.from = parse('from', q.from);
  if (q.to) w.to = parse('to', q.to);
  return w;
}

/** Daily counts with missing days filled with zero, oldest first. */
export function dailySeries(rows: { day: string; count: number }[]): { date: string; count: number }[] {
  const byDay = new Map<string, number>();
  for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.count);
  const days = [...byDay.keys()].sort();
  if (days.length === 0) return [];
  const out: { date: string; count: number }[] = [];
  for (let t = Date.parse(`${days[0]}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push({ date: d, count: byDay.get(d) ?? 0 });
    if (d >= days[days.length - 1]!) break;
  }
  return out;
}

/** How often (ms) and how many events per step the KPI fact table follows the event log. */
export const kpiFollowMs = 2000;
export const kpiFollowStep = 20_000;

/** Days of store history below which the forecast page uses a synthetic history at the store's level. */
export const minForecastHistoryDays = 56;

/** Registers /v1/console/*, /v1/kpi, /v1/forecast and the console's static files. */
export function registerConsoleRoutes(app: FastifyInstance, deps: Deps): void {
  let countsCache: { mark: string; counts: QueueCounts } | undefined;
  app.get(
    '/v1/console/queue',
    {
      schema: {
        tags: ['console'],
        summary: 'The work queue: held consignments, filtered, sorted and paged server-side',
        querystring: Type.Object({
          state: Type.Optional(literalUnion(queueStates)),
          lane: Type.Optional(literalUnion(['green', 'yellow', 'red', 'blue'])),
          office: Type.Optional(Type.String({ maxLength: 35 })),
          destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          reason: Type.Optional(Type.String({ maxLength: 120, description: 'Rule or indicator id' })),
          sort: Type.Optional(literalUnion(queueSorts)),
          cursor: Type.Optional(Type.String({ maxLength: 500 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      return consoleOf(deps).queue({
        ...(q.state ? { state: q.state as never } : {}),
        ...(q.lane ? { lane: q.lane as never } : {}),
        ...(q.office ? { office: String(q.office) } : {}),
        ...(q.destination ? { destination: String(q.destination) } : {}),
        ...(q.reason ? { reason: String(q.reason) } : {}),
        ...(q.cursor ? { cursor: String(q.cursor) } : {}),
        sort: (q.sort as never) ?? 'newest',
        limit: Number(q.limit ?? 50),
      });
    },
  );

  app.get(
    '/v1/console/queue/counts',
    {
      schema: {
        tags: ['console'],
        summary: 'Work-queue sizes by state, lane, office and rule',
      },
    },
    async () => {
      // Facet counts scan the whole queue: reuse them until an event is appended.
      const c = consoleOf(deps);
      const mark = await c.changeMark();
      if (countsCache?.mark !== mark) countsCache = { mark, counts: await c.queueCounts() };
      return countsCache.counts;
    },
  );

  // The report is a pure function of the event log: reuse it (and share one computation between
  // concurrent requests) until an event is appended.
  const kpiCache = new Map<string, Promise<ReturnType<typeof kpiReport>>>();
  const kpiFor = async (w: KpiWindow) => {
    const c = consoleOf(deps);
    const key = `${w.from ?? ''}|${w.to ?? ''}|${await c.changeMark()}`;
    let report = kpiCache.get(key);
    if (report === undefined) {
      report = Promise.all([c.kpiFacts(w), c.revenueFacts(w)]).then(([facts, revenue]) =>
        kpiReport(facts, revenue, w),
      );
      report.catch(() => kpiCache.delete(key));
      if (kpiCache.size >= 8) kpiCache.delete(kpiCache.keys().next().value!);
      kpiCache.set(key, report);
    }
    return report;
  };
  const windowQuery = Type.Object({
    from: Type.Optional(instant),
    to: Type.Optional(instant),
  });

  app.get(
    '/v1/kpi',
    {
      schema: {
        tags: ['console'],
        summary: 'Clearance KPIs from event timestamps, overall, by day and by office',
        description:
          'For consignments whose data was received in [from, to): time from data received to decision and ' +
          'to release (median, p90), share released before arrival, time from arrival to release, ' +
          'information and inspection rates, hit rate of risk selections vs the random sample, and revenue ' +
          'by collection model (exact decimals). Days (YYYY-MM-DD) are whole UTC days, `to` included.',
        querystring: windowQuery,
      },
    },
    async (req) => kpiFor(kpiWindow(req.query as { from?: string; to?: string })),
  );

  app.get(
    '/v1/console/volume',
    {
      schema: {
        tags: ['console'],
        summary: 'Parcels received per UTC day and office',
        querystring: windowQuery,
      },
    },
    async (req) => ({
      days: await consoleOf(deps).dailyVolume(kpiWindow(req.query as { from?: string; to?: string })),
    }),
  );

  const cache = new Map<string, { at: number; value: unknown }>();
  app.get(
    '/v1/forecast',
    {
      schema: {
        tags: ['console'],
        summary: 'Daily volume forecast with intervals, backtest and inspection staffing',
        description:
          `Forecasts the store's daily volume (all offices, or one). When the store holds fewer than ` +
          `${minForecastHistoryDays} days, a synthetic two-year history ending at the store's latest daily ` +
          `volume stands in, and \`source\` says so.`,
        querystring: Type.Object({
          office: Type.Optional(Type.String({ maxLength: 35 })),
          horizon: Type.Optional(Type.Integer({ minimum: 7, maximum: 120, default: 28 })),
          selectionRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
          inspectionsPerOfficer: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        office?: string;
        horizon?: number;
        selectionRate?: number;
        inspectionsPerOfficer?: number;
      };
      const horizon = q.horizon ?? 28;
      const rows = await consoleOf(deps).dailyVolume({});
      const mine = dailySeries(rows.filter((r) => q.office === undefined || r.office === q.office));
      const today = deps.clock().toISOString().slice(0, 10);
      let source: 'store' | 'synthetic' = 'store';
      let history = mine;
      if (mine.length < minForecastHistoryDays) {
        source = 'synthetic';
        const level = Math.max(100, mine.at(-1)?.count ?? 20_000);
        const start = new Date(Date.parse(`${today}T00:00:00Z`) - 730 * 86_400_000)
          .toISOString()
          .slice(0, 10);
        history = generateParcelSeries({ seed: 2026, start, days: 730, baseLevel: Math.round(level / 1.15) });
      }
      const key = `${q.office ?? ''}|${horizon}|${source}|${history.length}|${history.at(-1)?.date}|${history.at(-1)?.count}`;
      let computed = cache.get(key)?.value as
        { f: ReturnType<typeof forecast>; bt: ReturnType<typeof backtest> } | undefined;
      const parsed = parseSeries(toSeriesCsv(history));
      if (!parsed.ok) throw new ParcelgateError('request.invalid', parsed.error, 400);
      if (computed === undefined) {
        computed = {
          f: forecast(parsed.series, { horizon }),
          bt: backtest(parsed.series, { horizon, origins: 4 }),
        };
        cache.clear();
        cache.set(key, { at: Date.now(), value: computed });
      }
      const stats = await deps.store.stats();
      // The store's own selection rate: the share of consignments routed to the red lane.
      const observedRate = stats.consignments > 0 ? (stats.byLane.red ?? 0) / stats.consignments : 0;
      const selectionRate = q.selectionRate ?? (observedRate > 0 ? observedRate : 0.02);
      const staffing = recommendStaffing(computed.f, {
        selectionRate,
        inspectionsPerOfficerPerDay: q.inspectionsPerOfficer ?? 40,
      });
      return {
        source,
        office: q.office ?? null,
        history: history.slice(-120),
        model: computed.f.model,
        points: computed.f.points,
        eventEffects: computed.f.eventEffects,
        backtest: {
          origins: computed.bt.origins.length,
          model: computed.bt.model,
          baseline: computed.bt.baseline,
          maseRatio: computed.bt.maseRatio,
        },
        staffing,
        selectionRate,
      };
    },
  );

  // The KPI fact table follows the event log in the background, a bounded step at a time, so that a
  // report only reads what arrived since the last step (off the submission path).
  if (deps.store.console) {
    const follower = setInterval(() => {
      void deps.store.console?.refreshKpiFacts(kpiFollowStep).catch(() => undefined);
    }, kpiFollowMs);
    follower.unref();
    app.addHook('onClose', async () => clearInterval(follower));
  }

  // Opening the console starts the all-time KPI report in the background, so the dashboard is
  // ready by the time an officer turns to it.
  registerConsoleStatic(app, undefined, () => {
    if (deps.store.console) setTimeout(() => void kpiFor({}).catch(() => undefined), 50);
  });
}
