/**
 * Clearance KPIs from event timestamps (REFERENCE.md §6.4): time from data received to decision and
 * to release, share released before arrival, time from arrival to release, selection rates, hit rate
 * of risk selections against the random control sample, and revenue by collection model.
 */
import { Dec, currencyPlaces } from '../domain/index.js';
import { isViolationFinding } from '../risk/findings.js';
import type { KpiFact, RevenueFact } from '../store/console/port.js';
import type { DurationStats, HitRate, KpiReport, KpiSlice } from './kpi-types.js';

export type { DurationStats, HitRate, KpiReport, KpiSlice } from './kpi-types.js';

/** Nearest-rank percentile (0 < q ≤ 1) of sorted values; null when empty. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function durations(values: Float64Array): DurationStats {
  // Typed arrays sort numerically (and fast); NaN sorts last and is cut off.
  const all = values.sort();
  let n = all.length;
  while (n > 0 && Number.isNaN(all[n - 1]!)) n--;
  const sorted = all.subarray(0, n);
  const at = (q: number): number | null => {
    if (n === 0) return null;
    const rank = Math.max(1, Math.ceil(q * n));
    return Math.round(sorted[Math.min(rank, n) - 1]! * 1000) / 1000;
  };
  return { count: n, medianSeconds: at(0.5), p90Seconds: at(0.9) };
}

// Timestamps repeat (a batch shares its instant): parsing each distinct string once is much cheaper.
const parsed = new Map<string, number>();
function ms(iso: string | null): number {
  if (iso === null) return NaN;
  let v = parsed.get(iso);
  if (v === undefined) {
    if (parsed.size > 500_000) parsed.clear();
    v = Date.parse(iso);
    parsed.set(iso, v);
  }
  return v;
}
const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** A fact with its instants parsed once (epoch ms, NaN when absent). */
interface Parsed {
  received: number;
  decided: number;
  released: number;
  arrived: number;
  rba: boolean;
  rfi: boolean;
  inspected: boolean;
  finding: string | null;
  random: boolean;
}

const parse = (f: KpiFact): Parsed => ({
  received: ms(f.receivedAt),
  decided: ms(f.decidedAt),
  released: ms(f.releasedAt),
  arrived: ms(f.arrivedAt),
  rba: f.releasedBeforeArrivalAt !== null,
  rfi: f.heldForInformation,
  inspected: f.inspected,
  finding: f.finding,
  random: f.randomSelected,
});

/** KPIs of parsed facts: one pass for the counts, one sort per duration. */
function slice(facts: readonly Parsed[]): KpiSlice {
  const n = facts.length;
  const toDecision = new Float64Array(n);
  const toRelease = new Float64Array(n);
  const afterArrival = new Float64Array(n);
  let rba = 0;
  let rfi = 0;
  let inspected = 0;
  const hits = { selected: [0, 0], random: [0, 0] };
  for (let i = 0; i < n; i++) {
    const f = facts[i]!;
    toDecision[i] = (f.decided - f.received) / 1000;
    toRelease[i] = (f.released - f.received) / 1000;
    // Released before arrival counts as zero: the parcel waited for nothing once it arrived
    // (NaN, dropped, when it has not arrived or not been released).
    afterArrival[i] = Math.max(0, (f.released - f.arrived) / 1000);
    if (f.rba) rba++;
    if (f.rfi) rfi++;
    if (f.inspected) {
      inspected++;
      if (f.finding !== null) {
        const h = f.random ? hits.random : hits.selected;
        h[0]!++;
        if (isViolationFinding(f.finding)) h[1]!++;
      }
    }
  }
  const rate = ([withFinding, hit]: number[]): HitRate => ({
    inspectedWithFinding: withFinding!,
    hits: hit!,
    rate: ratio(hit!, withFinding!),
  });
  return {
    volume: n,
    receivedToDecision: durations(toDecision),
    receivedToRelease: durations(toRelease),
    releasedBeforeArrival: { count: rba, share: ratio(rba, n) },
    arrivalToRelease: durations(afterArrival),
    heldForInformation: { count: rfi, rate: ratio(rfi, n) },
    inspected: { count: inspected, rate: ratio(inspected, n) },
    hitRate: { selected: rate(hits.selected), random: rate(hits.random) },
  };
}

/** KPIs of a set of consignment facts. */
export function kpiSlice(facts: KpiFact[]): KpiSlice {
  return slice(facts.map(parse));
}

function groupBy<K extends string>(
  facts: readonly KpiFact[],
  parsedFacts: readonly Parsed[],
  key: (f: KpiFact) => K,
): Map<K, Parsed[]> {
  const m = new Map<K, Parsed[]>();
  for (let i = 0; i < facts.length; i++) {
    const k = key(facts[i]!);
    const list = m.get(k);
    if (list) list.push(parsedFacts[i]!);
    else m.set(k, [parsedFacts[i]!]);
  }
  return m;
}

/** Sums revenue exactly (decimal strings) by collection model and currency. */
export function revenueByModel(facts: RevenueFact[]): KpiReport['revenue'] {
  const m = new Map<
    string,
    { model: string; currency: string; n: number; due: Dec; prepaid: Dec; places: number }
  >();
  const placesOf = (v: string | undefined) => v?.split('.')[1]?.length ?? 0;
  for (const f of facts) {
    const model = f.collectionModel ?? 'unknown';
    const key = `${model}|${f.currency}`;
    let e = m.get(key);
    if (!e) {
      // The currency's minor units (0 for JPY, 3 for KWD), or more if the stored amounts carry more.
      e = {
        model,
        currency: f.currency,
        n: 0,
        due: new Dec(0),
        prepaid: new Dec(0),
        places: currencyPlaces(f.currency),
      };
      m.set(key, e);
    }
    e.n++;
    e.due = e.due.plus(f.dueAtBorder || '0');
    e.prepaid = e.prepaid.plus(f.prepaid || '0');
    e.places = Math.max(e.places, placesOf(f.dueAtBorder), placesOf(f.prepaid));
  }
  return [...m.values()]
    .sort((a, b) => a.model.localeCompare(b.model) || a.currency.localeCompare(b.currency))
    .map((e) => ({
      collectionModel: e.model,
      currency: e.currency,
      consignments: e.n,
      dueAtBorder: e.due.toFixed(e.places),
      prepaid: e.prepaid.toFixed(e.places),
    }));
}

/** The full KPI report: overall, by UTC day of receipt, by office, and revenue. */
export function kpiReport(
  facts: KpiFact[],
  revenue: RevenueFact[],
  window: { from?: string; to?: string } = {},
): KpiReport {
  const all = facts.map(parse);
  const byDay = [...groupBy(facts, all, (f) => f.receivedAt.slice(0, 10))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, fs]) => ({ day, ...slice(fs) }));
  const byOffice = [...groupBy(facts, all, (f) => f.office ?? '(none)')]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([office, fs]) => ({ office, ...slice(fs) }));
  return {
    window: { from: window.from ?? null, to: window.to ?? null },
    ...slice(all),
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
    `  information requested        ${pct(r.heldForInformation.rate)} (${r.heldForInformation.count.toLocaleString('en')})`,
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
