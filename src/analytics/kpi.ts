/**
 * Clearance KPIs from event timestamps (REFERENCE.md §6.4): time from data received to decision and
 * to release, share released before arrival, time from arrival to release, selection rates, hit rate
 * of risk selections against the random control sample, and revenue by collection model.
 */
import { Dec } from '../domain/index.js';
import type { KpiFact, RevenueFact } from '../store/console/port.js';

/** Median and 90th percentile of a set of durations, in seconds. */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Inspections with a recorded finding and how many of them found something. */
export interface HitRate {
  inspectedWithFinding: number;
  hits: number;
  /** hits ÷ inspectedWithFinding, or null when nothing was inspected. */
  rate: number | null;
}

/** KPIs of one slice (everything, one day or one office). */
export interface KpiSlice {
  volume: number;
  receivedToDecision: DurationStats;
  receivedToRelease: DurationStats;
  releasedBeforeArrival: { count: number; share: number | null };
  arrivalToRelease: DurationStats;
  heldForInformation: { count: number; rate: number | null };
  inspected: { count: number; rate: number | null };
  hitRate: { selected: HitRate; random: HitRate };
}

export interface KpiReport extends KpiSlice {
  window: { from: string | null; to: string | null };
  byDay: ({ day: string } & KpiSlice)[];
  byOffice: ({ office: string } & KpiSlice)[];
  revenue: {
    collectionModel: string;
    currency: string;
    consignments: number;
    dueAtBorder: string;
    prepaid: string;
  }[];
}

/** Nearest-rank percentile (0 < q ≤ 1) of sorted values; null when empty. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function durations(values: number[]): DurationStats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    count: sorted.length,
    medianSeconds: round(percentile(sorted, 0.5)),
    p90Seconds: round(percentile(sorted, 0.9)),
  };
}

// Timestamps repeat (a batch shares its instant): parsing each distinct string once makes the
// report over 100,000 consignments several times faster.
const parsed = new Map<string, number>();
function ms(iso: string): number {
  let v = parsed.get(iso);
  if (v === undefined) {
    if (parsed.size > 500_000) parsed.clear();
    v = Date.parse(iso);
    parsed.set(iso, v);
  }
  return v;
}
const seconds = (from: string, to: string): number => (ms(to) - ms(from)) / 1000;
const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

function hitRate(facts: KpiFact[]): HitRate {
  const withFinding = facts.filter((f) => f.finding !== null);
  const hits = withFinding.filter((f) => f.finding !== 'nothing-found').length;
  return { inspectedWithFinding: withFinding.length, hits, rate: ratio(hits, withFinding.length) };
}

/** KPIs of a set of consignment facts. */
export function kpiSlice(facts: KpiFact[]): KpiSlice {
  const decided = facts.filter((f) => f.decidedAt !== null);
  const released = facts.filter((f) => f.releasedAt !== null);
  const arrived = facts.filter((f) => f.arrivedAt !== null && f.releasedAt !== null);
  const rba = facts.filter((f) => f.releasedBeforeArrivalAt !== null).length;
  const rfi = facts.filter((f) => f.heldForInformation).length;
  const inspected = facts.filter((f) => f.inspected);
  return {
    volume: facts.length,
    receivedToDecision: durations(decided.map((f) => seconds(f.receivedAt, f.decidedAt!))),
    receivedToRelease: durations(released.map((f) => seconds(f.receivedAt, f.releasedAt!))),
    releasedBeforeArrival: { count: rba, share: ratio(rba, facts.length) },
    // Released before arrival counts as zero: the parcel waited for nothing once it arrived.
    arrivalToRelease: durations(arrived.map((f) => Math.max(0, seconds(f.arrivedAt!, f.releasedAt!)))),
    heldForInformation: { count: rfi, rate: ratio(rfi, facts.length) },
    inspected: { count: inspected.length, rate: ratio(inspected.length, facts.length) },
    hitRate: {
      selected: hitRate(inspected.filter((f) => !f.randomSelected)),
      random: hitRate(inspected.filter((f) => f.randomSelected)),
    },
  };
}

function groupBy<K extends string>(facts: KpiFact[], key: (f: KpiFact) => K): Map<K, KpiFact[]> {
  const m = new Map<K, KpiFact[]>();
  for (const f of facts) {
    const k = key(f);
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return m;
}

/** Sums revenue exactly (decimal strings) by collection model and currency. */
export function revenueByModel(facts: RevenueFact[]): KpiReport['revenue'] {
  const m = new Map<string, { model: string; currency: string; n: number; due: Dec; prepaid: Dec }>();
  for (const f of facts) {
    const model = f.collectionModel ?? 'unknown';
    const key = `${model}|${f.currency}`;
    let e = m.get(key);
    if (!e) {
      e = { model, currency: f.currency, n: 0, due: new Dec(0), prepaid: new Dec(0) };
      m.set(key, e);
    }
    e.n++;
    e.due = e.due.plus(f.dueAtBorder || '0');
    e.prepaid = e.prepaid.plus(f.prepaid || '0');
  }
  return [...m.values()]
    .sort((a, b) => a.model.localeCompare(b.model) || a.currency.localeCompare(b.currency))
    .map((e) => ({
      collectionModel: e.model,
      currency: e.currency,
      consignments: e.n,
      dueAtBorder: e.due.toFixed(Math.max(2, e.due.decimalPlaces())),
      prepaid: e.prepaid.toFixed(Math.max(2, e.prepaid.decimalPlaces())),
    }));
}

/** The full KPI report: overall, by UTC day of receipt, by office, and revenue. */
export function kpiReport(
  facts: KpiFact[],
  revenue: RevenueFact[],
  window: { from?: string; to?: string } = {},
): KpiReport {
  const byDay = [...groupBy(facts, (f) => f.receivedAt.slice(0, 10))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, fs]) => ({ day, ...kpiSlice(fs) }));
  const byOffice = [...groupBy(facts, (f) => f.office ?? '(none)')]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([office, fs]) => ({ office, ...kpiSlice(fs) }));
  return {
    window: { from: window.from ?? null, to: window.to ?? null },
    ...kpiSlice(facts),
    byDay,
    byOffice,
    revenue: revenueByModel(revenue),
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dur = (s: DurationStats) =>
  s.count === 0
    ? '—'
    : `median ${formatSeconds(s.medianSeconds!)}, p90 ${formatSeconds(s.p90Seconds!)} (n=${s.count})`;

/** 0.4 s, 12 min, 3.5 h, 2.1 d. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Number(s.toFixed(1))} s`;
  if (s < 3600) return `${Number((s / 60).toFixed(1))} min`;
  if (s < 86_400) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** Plain-text rendering for the CLI. */
export function renderKpiReport(r: KpiReport): string {
  const hr = (h: HitRate) => `${pct(h.rate)} (${h.hits}/${h.inspectedWithFinding})`;
  const lines = [
    `KPIs${r.window.from || r.window.to ? ` for data received ${r.window.from ?? '…'} to ${r.window.to ?? '…'}` : ''}`,
    `  consignments                 ${r.volume.toLocaleString('en')}`,
    `  received → decision          ${dur(r.receivedToDecision)}`,
    `  received → release           ${dur(r.receivedToRelease)}`,
    `  released before arrival      ${pct(r.releasedBeforeArrival.share)} (${r.releasedBeforeArrival.count.toLocaleString('en')})`,
    `  arrival → release            ${dur(r.arrivalToRelease)}`,
    `  held for information         ${pct(r.heldForInformation.rate)} (${r.heldForInformation.count.toLocaleString('en')})`,
    `  inspected                    ${pct(r.inspected.rate)} (${r.inspected.count.toLocaleString('en')})`,
    `  hit rate, risk selections    ${hr(r.hitRate.selected)}`,
    `  hit rate, random sample      ${hr(r.hitRate.random)}`,
    '',
    'Revenue by collection model',
    ...r.revenue.map(
      (v) =>
        `  ${v.collectionModel.padEnd(22)} ${v.currency}  due at border ${v.dueAtBorder.padStart(14)}  prepaid ${v.prepaid.padStart(14)}  (${v.consignments.toLocaleString('en')})`,
    ),
    '',
    'By office',
    ...r.byOffice.map(
      (o) =>
        `  ${o.office.padEnd(12)} ${String(o.volume).padStart(8)}  released before arrival ${pct(o.releasedBeforeArrival.share).padStart(6)}  inspected ${pct(o.inspected.rate).padStart(6)}`,
    ),
  ];
  return lines.join('\n');
}
