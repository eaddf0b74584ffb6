/** Endpoints of the officer console: work queue with counts, KPIs, daily volume and the staffing forecast. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  backtest,
  forecast,
  forecastLanes,
  generateParcelSeries,
  laneSeries,
  parseSeries,
  recommendLaneStaffing,
  recommendStaffing,
  selectionRate,
  toSeriesCsv,
  type LaneVolumeRow,
  type SeriesSelector,
} from '../analytics/index.js';
import { kpiReport } from '../analytics/kpi.js';
import { startKpiFollower } from './kpi-follower.js';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import {
  queueSorts,
  queueClaimFilters,
  queueFilterStates,
  type ConsoleStore,
  type KpiWindow,
  type QueueCounts,
  type QueueItem,
} from '../store/console/port.js';
import { principalOf, routeTable } from '../access/index.js';
import { registerConsoleStatic } from './console-static.js';
import { officerOf } from './routes-claims.js';

/**
 * Whether the caller may read consignment documents (personal data): open mode, or a role the route
 * table allows on `GET /v1/consignments/:id`. Analysts and admins may not.
 */
function readsDocuments(req: FastifyRequest): boolean {
  const role = principalOf(req).role;
  const allow = routeTable['GET /v1/consignments/:id']?.allow;
  return role === null || allow === 'public' || (allow?.includes(role) ?? false);
}

/**
 * A queue page for a role that may not read consignment documents: each row's top reason is replaced
 * by its rule or indicator id, since a reason may name a party (a watchlist hit quotes the consignee's
 * name) and the queue is not a personal-data read.
 */
function withoutReasons(page: { items: QueueItem[]; nextCursor: string | null }) {
  return {
    ...page,
    items: page.items.map((i) => ({
      ...i,
      topReason: i.reasons[0] ?? null,
      // Who works on what is the officers' own personal data: the row only says it is claimed.
      ...(i.claim ? { claim: { officerId: null, expiresAt: i.claim.expiresAt } } : {}),
    })),
  };
}

type Deps = PipelineDeps & { clock: () => Date; ingestBusy?: () => boolean };

const literalUnion = (values: readonly string[], opts: { description?: string } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    opts,
  );
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

/** 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A KPI window from query parameters: days are whole UTC days, `to` included. Throws
 * `request.invalid` (400) naming the parameter when a value is not a real day or instant, or when
 * `to` ends the window before (or at) `from`.
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
    // The day after 9999-12-31 has no four-digit ISO form ('+010000-…' sorts before every stored
    // instant), so a window to the last day ends at its last millisecond.
    return new Date(isDay && name === 'to' ? Math.min(t + 86_400_000, LAST_INSTANT) : t).toISOString();
  };
  const w: KpiWindow = {};
  if (q.from) w.from = parse('from', q.from);
  if (q.to) w.to = parse('to', q.to);
  if (w.from !== undefined && w.to !== undefined && Date.parse(w.to) <= Date.parse(w.from)) {
    // A day as `to` ends at the next midnight: from 2026-01-02 to 2026-01-01 ends where it starts, but
    // the day given is before from; only two equal instants make a window that is merely empty.
    const message =
      Date.parse(w.to) === Date.parse(w.from) && !day.test(q.to!)
        ? `the window from '${q.from}' to '${q.to}' is empty: to ends where from starts; to must be after from`
        : `to '${q.to}' is before from '${q.from}': to must be after from`;
    throw new ParcelgateError('request.invalid', message, 400, {
      issues: [{ code: 'schema.format', path: '/to', message }],
    });
  }
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

/**
 * The complete UTC days of a daily series: today's (by `today`, YYYY-MM-DD) is partial on a running
 * server and would start a forecast from a day that looks nearly empty. Kept when the series holds no
 * earlier day (a fresh demo, whose one day stands in as the level of a synthetic history).
 */
export function completeDays<R extends { date: string }>(series: readonly R[], today: string): R[] {
  const done = series.filter((r) => r.date < today);
  return done.length > 0 ? done : [...series];
}

/**
 * How often (ms) and how many events per step the KPI fact table follows the event log, and how many
 * ticks in a row a step may be put off while intake batches are in flight (kpi-follower.ts).
 */
export const kpiFollowMs = 2000;
export const kpiFollowStep = 20_000;
export const kpiFollowMaxDeferrals = 14;

/**
 * The warning of a forecast whose office or lane has received no parcel (docs/forecasting.md): its
 * history, and so its staffing plan, is a synthetic series at a default level, not the selection's.
 */
export function noHistoryWarning(
  sel: SeriesSelector,
  level: number,
  rate: number,
  rateGiven: boolean,
): { code: 'forecast.no-history'; message: string } {
  const what =
    sel.office !== undefined
      ? `office ${sel.office}${sel.lane !== undefined ? ` (lane ${sel.lane})` : ''}`
      : sel.lane !== undefined
        ? `lane ${sel.lane}`
        : 'the store';
  const percent = `${Number((rate * 100).toFixed(2))} %`;
  return {
    code: 'forecast.no-history',
    message:
      `${what} has received no parcels; the forecast and staffing plan assume a synthetic history at ` +
      `${level.toLocaleString('en')} parcels a day and ${rateGiven ? 'the given' : 'an assumed'} ` +
      `${percent} selection rate, not anything observed`,
  };
}

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
          state: Type.Optional(literalUnion(queueFilterStates)),
          lane: Type.Optional(literalUnion(['green', 'yellow', 'red', 'blue'])),
          office: Type.Optional(Type.String({ maxLength: 35 })),
          destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          reason: Type.Optional(Type.String({ maxLength: 120, description: 'Rule or indicator id' })),
          answered: Type.Optional(
            literalUnion(['true', 'false'], {
              description:
                'true: only consignments held for information whose request the submitter has answered ' +
                '(waiting for review); false: the rest (docs/information-requests.md)',
            }),
          ),
          claim: Type.Optional(
            literalUnion(queueClaimFilters, {
              description:
                'unclaimed: rows no live claim holds; mine: rows the caller holds; all (default). Rows carry ' +
                '`claim` (officer id and expiry) while claimed (docs/console.md "Claims")',
            }),
          ),
          sort: Type.Optional(literalUnion(queueSorts)),
          cursor: Type.Optional(Type.String({ maxLength: 500 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      const page = await consoleOf(deps).queue({
        ...(q.state ? { state: q.state as never } : {}),
        ...(q.lane ? { lane: q.lane as never } : {}),
        ...(q.office ? { office: String(q.office) } : {}),
        ...(q.destination ? { destination: String(q.destination) } : {}),
        ...(q.reason ? { reason: String(q.reason) } : {}),
        ...(q.answered !== undefined ? { answered: q.answered === 'true' } : {}),
        ...(q.claim && q.claim !== 'all' ? { claim: q.claim as 'unclaimed' | 'mine' } : {}),
        officerId: officerOf(req),
        now: deps.clock().toISOString(),
        ...(q.cursor ? { cursor: String(q.cursor) } : {}),
        sort: (q.sort as never) ?? 'newest',
        limit: Number(q.limit ?? 50),
      });
      return readsDocuments(req) ? page : withoutReasons(page);
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

  // Forecasts are pure functions of their history: keep the last few (a lane page fits four series).
  const fitted = new Map<string, { f: ReturnType<typeof forecast>; bt?: ReturnType<typeof backtest> }>();
  const fit = async (
    key: string,
    history: { date: string; count: number }[],
    horizon: number,
    withBacktest: boolean,
  ) => {
    const k = `${key}|${horizon}|${history.length}|${history[0]?.date}|${history.at(-1)?.date}|${history.at(-1)?.count}|${history.reduce((a, d) => a + d.count, 0)}`;
    let hit = fitted.get(k);
    if (hit === undefined || (withBacktest && hit.bt === undefined)) {
      const parsed = parseSeries(toSeriesCsv(history));
      if (!parsed.ok) throw new ParcelgateError('request.invalid', parsed.error, 400);
      // Let other requests run between fits (a fit takes a second or two).
      await new Promise((r) => setImmediate(r));
      hit = {
        f: hit?.f ?? forecast(parsed.series, { horizon }),
        ...(withBacktest ? { bt: backtest(parsed.series, { horizon, origins: 4 }) } : {}),
      };
      fitted.delete(k);
      if (fitted.size >= 16) fitted.delete(fitted.keys().next().value!);
      fitted.set(k, hit);
    }
    return hit;
  };
  /** The store's daily series of a selection, or a synthetic two-year one at its level when short. */
  const historyOf = (rows: LaneVolumeRow[], sel: SeriesSelector, seed: number, floor: number) => {
    const mine = completeDays(laneSeries(rows, sel), deps.clock().toISOString().slice(0, 10));
    if (mine.length >= minForecastHistoryDays) return { source: 'store' as const, history: mine };
    const today = deps.clock().toISOString().slice(0, 10);
    const level = Math.max(floor, mine.at(-1)?.count ?? 20_000);
    const start = new Date(Date.parse(`${today}T00:00:00Z`) - 730 * 86_400_000).toISOString().slice(0, 10);
    return {
      source: 'synthetic' as const,
      level,
      history: generateParcelSeries({
        seed,
        start,
        days: 730,
        baseLevel: Math.max(1, Math.round(level / 1.15)),
      }),
    };
  };
  const laneQuery = Type.Optional(literalUnion(forecastLanes));

  app.get(
    '/v1/forecast',
    {
      schema: {
        tags: ['console'],
        summary:
          'Daily volume forecast per office and lane, with intervals, backtest and inspection staffing',
        description:
          `Forecasts the store's daily volume of one office and one lane (or all of either). When the store ` +
          `holds fewer than ${minForecastHistoryDays} days, a synthetic two-year history ending at the ` +
          `selection's latest daily volume stands in, and \`source\` says so. Staffing uses \`selectionRate\`, ` +
          `by default the selection's observed share of parcels held for inspection (0 when none was), or 2 % ` +
          `when the selection has no parcels; \`selectionRateSource\` says which (given, observed, assumed). ` +
          `A selection that has received no parcels (e.g. an unknown office) is forecast from a synthetic ` +
          `history at 20,000 parcels a day; \`warnings\` then holds \`forecast.no-history\` saying so.`,
        querystring: Type.Object({
          office: Type.Optional(Type.String({ maxLength: 35 })),
          lane: laneQuery,
          horizon: Type.Optional(Type.Integer({ minimum: 7, maximum: 120, default: 28 })),
          selectionRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
          inspectionsPerOfficer: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as {
        office?: string;
        lane?: string;
        horizon?: number;
        selectionRate?: number;
        inspectionsPerOfficer?: number;
      };
      const horizon = q.horizon ?? 28;
      const rows = await consoleOf(deps).dailyLaneVolume({});
      const sel: SeriesSelector = { office: q.office, lane: q.lane };
      const laneIndex = q.lane === undefined ? 0 : forecastLanes.indexOf(q.lane as never) + 1;
      const made = historyOf(rows, sel, 2026 + laneIndex, q.lane === undefined ? 100 : 10);
      const { source, history } = made;
      const computed = await fit(`${q.office ?? ''}|${q.lane ?? ''}|${source}`, history, horizon, true);
      const bt = computed.bt!;
      const observed = selectionRate(rows, sel);
      // The rate the store observed (0 % for a lane never inspected, as the per-lane plan staffs it);
      // an assumed 2 % only when the selection has no parcel at all.
      const rateSource =
        q.selectionRate !== undefined ? 'given' : observed.consignments > 0 ? 'observed' : 'assumed';
      const rate =
        rateSource === 'given' ? q.selectionRate! : rateSource === 'observed' ? observed.rate : 0.02;
      const staffing = recommendStaffing(computed.f, {
        selectionRate: rate,
        inspectionsPerOfficerPerDay: q.inspectionsPerOfficer ?? 40,
      });
      // A selection without a parcel has nothing to forecast: the plan below is made up, and says so.
      const warnings =
        observed.consignments > 0
          ? []
          : [noHistoryWarning(sel, made.level ?? 0, rate, rateSource === 'given')];
      return {
        source,
        warnings,
        office: q.office ?? null,
        lane: q.lane ?? null,
        history: history.slice(-120),
        model: computed.f.model,
        points: computed.f.points,
        eventEffects: computed.f.eventEffects,
        backtest: {
          origins: bt.origins.length,
          model: bt.model,
          baseline: bt.baseline,
          maseRatio: bt.maseRatio,
        },
        staffing,
        selectionRate: rate,
        selectionRateSource: rateSource,
        observed,
      };
    },
  );

  app.get(
    '/v1/forecast/lanes',
    {
      schema: {
        tags: ['console'],
        summary:
          "Each lane's daily forecast for an office, and inspection staffing from the lanes' selection rates",
        description:
          'Forecasts every lane that has parcels (in one office, or all) separately, then plans officers per ' +
          "day from the lanes' upper 80% bounds × each lane's observed selection rate (share of its parcels held " +
          'for inspection). Lanes with fewer than ' +
          `${minForecastHistoryDays} days of history use a synthetic history at their latest level (\`source\`).`,
        querystring: Type.Object({
          office: Type.Optional(Type.String({ maxLength: 35 })),
          horizon: Type.Optional(Type.Integer({ minimum: 7, maximum: 120, default: 28 })),
          inspectionsPerOfficer: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10000 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as { office?: string; horizon?: number; inspectionsPerOfficer?: number };
      const horizon = q.horizon ?? 28;
      const rows = await consoleOf(deps).dailyLaneVolume({});
      const lanes = [];
      const withoutHistory: string[] = [];
      for (const [i, lane] of forecastLanes.entries()) {
        const sel: SeriesSelector = { office: q.office, lane };
        const observed = selectionRate(rows, sel);
        if (observed.consignments === 0) {
          withoutHistory.push(lane);
          continue;
        }
        const { source, history } = historyOf(rows, sel, 2027 + i, 10);
        const { f } = await fit(`${q.office ?? ''}|${lane}|${source}`, history, horizon, false);
        lanes.push({
          lane,
          source,
          model: f.model,
          history: history.slice(-56),
          points: f.points,
          selectionRate: observed.rate,
          observed,
          result: f,
        });
      }
      const staffing =
        lanes.length > 0
          ? recommendLaneStaffing(
              lanes.map((l) => ({ lane: l.lane, result: l.result, selectionRate: l.selectionRate })),
              { inspectionsPerOfficerPerDay: q.inspectionsPerOfficer ?? 40 },
            )
          : null;
      return {
        office: q.office ?? null,
        horizon,
        lanes: lanes.map(({ result: _result, ...l }) => l),
        lanesWithoutHistory: withoutHistory,
        staffing,
      };
    },
  );

  // The KPI fact table follows the event log in the background, a bounded step at a time, so that a
  // report only reads what arrived since the last step (off the submission path), and between intake
  // batches: a step is main-thread work that holds the store's write lock.
  const kpiStore = deps.store.console;
  if (kpiStore) {
    const stop = startKpiFollower({
      refresh: (n) => kpiStore.refreshKpiFacts(n),
      busy: deps.ingestBusy ?? (() => false),
      everyMs: kpiFollowMs,
      maxEvents: kpiFollowStep,
      maxDeferrals: kpiFollowMaxDeferrals,
    });
    app.addHook('onClose', async () => stop());
  }

  // Opening the console starts the all-time KPI report in the background, so the dashboard is
  // ready by the time an officer turns to it.
  registerConsoleStatic(app, undefined, () => {
    if (deps.store.console) setTimeout(() => void kpiFor({}).catch(() => undefined), 50);
  });
}
