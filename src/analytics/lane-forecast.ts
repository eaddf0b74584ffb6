/**
 * Forecasting per office and lane, and inspection staffing from the lanes' forecasts and their
 * expected selection rates. Pure: the rows come from the store (parcels and inspections per day,
 * office and lane), the forecasts from `forecast`.
 */
import { recommendStaffing } from './staffing.js';
import type { ForecastResult, StaffingOptions } from './types.js';

/** The lanes a consignment is routed to. */
export const forecastLanes = ['green', 'yellow', 'red', 'blue'] as const;
export type ForecastLane = (typeof forecastLanes)[number];

/** Parcels received (and held for inspection at any time) on one day, in one office and lane. */
export interface LaneVolumeRow {
  day: string;
  office: string | null;
  lane: string;
  count: number;
  inspected: number;
}

/** Which rows a series covers: one office or all (undefined), one lane or all (undefined). */
export interface SeriesSelector {
  office?: string | undefined;
  lane?: string | undefined;
}

const matches = (r: LaneVolumeRow, s: SeriesSelector): boolean =>
  (s.office === undefined || r.office === s.office) && (s.lane === undefined || r.lane === s.lane);

/**
 * The daily series of the selected office and lane: counts summed per day, every day from the first
 * to the last day seen in any row filled (a day without parcels of this office and lane is 0), oldest
 * first. Empty when no row matches.
 */
export function laneSeries(
  rows: readonly LaneVolumeRow[],
  selector: SeriesSelector,
): { date: string; count: number }[] {
  const byDay = new Map<string, number>();
  let first: string | undefined;
  let last: string | undefined;
  let any = false;
  for (const r of rows) {
    if (first === undefined || r.day < first) first = r.day;
    if (last === undefined || r.day > last) last = r.day;
    if (!matches(r, selector)) continue;
    any = true;
    byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.count);
  }
  if (!any || first === undefined || last === undefined) return [];
  const out: { date: string; count: number }[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push({ date: d, count: byDay.get(d) ?? 0 });
    if (d >= last) break;
  }
  return out;
}

/** Parcels, inspections and the observed selection rate (inspections ÷ parcels) of a selection. */
export interface SelectionRate {
  consignments: number;
  inspected: number;
  rate: number;
}

/** The observed selection rate of the selected office and lane (0 when it has no parcels). */
export function selectionRate(rows: readonly LaneVolumeRow[], selector: SeriesSelector): SelectionRate {
  let consignments = 0;
  let inspected = 0;
  for (const r of rows) {
    if (!matches(r, selector)) continue;
    consignments += r.count;
    inspected += r.inspected;
  }
  return { consignments, inspected, rate: consignments > 0 ? inspected / consignments : 0 };
}

/** One lane's forecast and the selection rate expected to apply to it. */
export interface LaneForecastInput {
  lane: string;
  result: ForecastResult;
  selectionRate: number;
}

/** A day of the lane-based staffing plan. */
export interface LaneStaffingDay {
  date: string;
  /** Parcels per lane at the plan's quantile. */
  parcelsByLane: Record<string, number>;
  /** Inspections per lane: parcels × the lane's selection rate. */
  inspectionsByLane: Record<string, number>;
  parcelsPerDay: number;
  inspectionsPerDay: number;
  officersPerDay: number;
}

export interface LaneStaffingPlan {
  quantile: NonNullable<StaffingOptions['quantile']>;
  days: LaneStaffingDay[];
  peakOfficers: number;
  assumptions: string[];
}

/**
 * Officers per day from the lanes' forecasts: inspections = Σ over lanes of the lane's parcels (at
 * the quantile) × its selection rate; officers = ⌈inspections ÷ inspections per officer per day⌉.
 * Every lane's forecast must cover the same days (daily forecasts from the same last day).
 */
export function recommendLaneStaffing(
  lanes: readonly LaneForecastInput[],
  options: Omit<StaffingOptions, 'selectionRate'>,
): LaneStaffingPlan {
  const quantile = options.quantile ?? 'p80';
  const first = lanes[0];
  if (first === undefined) throw new RangeError('no lane forecast to plan from');
  for (const l of lanes) {
    if (l.result.frequency !== 'daily') throw new RangeError(`lane ${l.lane}: daily forecasts only`);
    const dates = l.result.points.map((p) => p.date).join();
    if (dates !== first.result.points.map((p) => p.date).join())
      throw new RangeError(`lane ${l.lane}: forecast days differ from lane ${first.lane}'s`);
  }
  // Each lane through the one-series plan (same bounds and rounding), then summed per day.
  const plans = lanes.map((l) =>
    recommendStaffing(l.result, {
      selectionRate: l.selectionRate,
      inspectionsPerOfficerPerDay: options.inspectionsPerOfficerPerDay,
      quantile,
    }),
  );
  const days = first.result.points.map((p, i) => {
    const parcelsByLane: Record<string, number> = {};
    const inspectionsByLane: Record<string, number> = {};
    let parcelsPerDay = 0;
    let inspectionsPerDay = 0;
    lanes.forEach((l, j) => {
      const d = plans[j]!.days[i]!;
      parcelsByLane[l.lane] = d.parcelsPerDay;
      inspectionsByLane[l.lane] = d.inspectionsPerDay;
      parcelsPerDay += d.parcelsPerDay;
      inspectionsPerDay += d.inspectionsPerDay;
    });
    const officersPerDay = Math.max(
      0,
      Math.ceil(inspectionsPerDay / options.inspectionsPerOfficerPerDay - 1e-9),
    );
    return {
      date: p.date,
      parcelsByLane,
      inspectionsByLane,
      parcelsPerDay,
      inspectionsPerDay,
      officersPerDay,
    };
  });
  const label = { point: 'median forecast', p80: 'upper 80% bound', p95: 'upper 95% bound' }[quantile];
  const rates = lanes.map((l) => `${l.lane} ${(l.selectionRate * 100).toFixed(1)}%`).join(', ');
  return {
    quantile,
    days,
    peakOfficers: Math.max(0, ...days.map((d) => d.officersPerDay)),
    assumptions: [
      `volume: ${label} of each lane's own daily forecast`,
      `selection rate per lane (share of its parcels held for inspection): ${rates}`,
      `capacity: ${options.inspectionsPerOfficerPerDay} inspections per officer per working day`,
      'officers = ceil(Σ lanes parcels × selection rate ÷ capacity), no allowance for leave, training or breaks',
      ...(quantile === 'point'
        ? []
        : ["lanes' upper bounds are added, which is cautious: lanes rarely all peak on the same day"]),
    ],
  };
}
