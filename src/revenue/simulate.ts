/**
 * As-of replay and what-if: re-assess traffic under the rules in force on each consignment's date,
 * check a replay against what was recorded, and compare revenue and workload per day under a
 * proposed policy change (profile edits as JSON-pointer settings). Pure; the CLI feeds it traffic.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessRevenue, createRevenueContext, type RevenueContext } from './assess-revenue.js';
import type { CompiledGenericProfile } from './generic-profile.js';
import { amount, fixed, ZERO } from './money.js';
import { contextAsRecorded, type ProfileArchive } from './profile-archive.js';

/** One consignment of traffic: its input and the time it was (or would be) assessed. */
export interface TrafficItem {
  readonly input: ConsignmentInput;
  readonly at: string;
  /** When the parcel arrived, when the recorded assessment was made on its arrival (see taxPointOf). */
  readonly arrivedAt?: string;
  /** Per-person totals the stored assessment counted (China annual limit, same-day thresholds). */
  readonly history?: RevenueAssessment['history'];
}

/** A replay check: the re-assessment and whether it equals the recorded one. */
export interface ReplayResult {
  readonly identical: boolean;
  readonly replayed: RevenueAssessment;
  /** Top-level fields that differ, and a note when the reference data versions changed. */
  readonly differences: string[];
  /** The profile version the replay used, and whether it came from the archive of old versions. */
  readonly profileVersion?: string | undefined;
  readonly archived?: boolean;
}

/**
 * Re-assesses a recorded consignment as of its assessment time and compares with the record. With an
 * archive of old profile versions (`shippedProfileArchive`), an assessment made under an earlier
 * version of its profile is replayed under that version.
 */
export function replayRevenue(
  input: ConsignmentInput,
  recorded: RevenueAssessment,
  assessedAt: string,
  ctx: RevenueContext,
  archive?: ProfileArchive,
): ReplayResult {
  const used = contextAsRecorded(ctx, input.routing.destinationCountry, recorded.versions.profile, archive);
  // The per-person totals the assessment counted and its tax point (lodging date, arrival) are part
  // of what it was assessed on. One recorded before tax points were was read on its declared expected
  // arrival, else its assessment time: replayed on that date, and compared without a tax point.
  const tp = recorded.taxPoint;
  const when = trafficAt(recorded, input.dates?.expectedArrival ?? assessedAt);
  const assessed = assessRevenue(input, used.ctx, when.at, {
    ...(recorded.history === undefined ? {} : { history: recorded.history }),
    ...(when.arrivedAt === undefined ? {} : { arrivedAt: when.arrivedAt }),
  });
  const withTp = tp === undefined ? withoutTaxPoint(assessed) : assessed;
  // The declared tax paid in the assessment currency is recorded since 2026-11-30: one recorded
  // before is compared without it (it is information, not a figure owed).
  const replayed: RevenueAssessment = { ...withTp };
  if (recorded.prepaidDeclared === undefined) delete replayed.prepaidDeclared;
  const differences: string[] = [];
  for (const key of Object.keys(replayed) as (keyof RevenueAssessment)[])
    if (JSON.stringify(replayed[key]) !== JSON.stringify(recorded[key])) differences.push(key);
  if (differences.includes('versions'))
    differences.push(
      `reference data changed: recorded ${JSON.stringify(recorded.versions)}, now ${JSON.stringify(replayed.versions)}`,
    );
  return {
    identical: differences.length === 0,
    replayed,
    differences,
    profileVersion: used.profile,
    archived: used.archived,
  };
}

/**
 * The lodging time and arrival a stored assessment was made on, as traffic (`at`, `arrivedAt`): its
 * recorded tax point, else (recorded before tax points were) its assessment time.
 */
export function trafficAt(
  recorded: RevenueAssessment,
  assessedAt: string,
): { at: string; arrivedAt?: string } {
  const tp = recorded.taxPoint;
  if (tp === undefined) return { at: assessedAt };
  return { at: tp.lodged, ...(tp.basis === 'arrival' ? { arrivedAt: tp.date } : {}) };
}

function withoutTaxPoint(r: RevenueAssessment): RevenueAssessment {
  const { taxPoint: _taxPoint, ...rest } = r;
  return rest;
}

/** One setting of a policy change: profile id, JSON pointer into the profile, new value (null deletes). */
export interface PolicySetting {
  readonly profile: string;
  readonly pointer: string;
  readonly value: unknown;
}

/** Parses "eu:/regimes/1/flatDuty/amount=5" (the value is JSON, or a bare string). */
export function parsePolicySetting(text: string): PolicySetting {
  const m = /^([a-z0-9-]+):(\/[^=]*)=(.*)$/s.exec(text);
  if (m === null) throw new RangeError(`policy setting '${text}' is not <profile>:<json-pointer>=<value>`);
  let value: unknown;
  try {
    value = JSON.parse(m[3] ?? '');
  } catch {
    value = m[3];
  }
  return { profile: m[1] ?? '', pointer: m[2] ?? '', value };
}

/** Applies settings to a profile JSON (a deep copy is returned); throws RangeError for a bad pointer. */
export function applySettings(json: unknown, settings: readonly PolicySetting[]): unknown {
  const root = structuredClone(json) as Record<string, unknown>;
  for (const s of settings) {
    const parts = s.pointer
      .split('/')
      .slice(1)
      .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = parts.pop();
    if (last === undefined) throw new RangeError(`empty pointer in ${s.profile}:${s.pointer}`);
    let node: unknown = root;
    for (const p of parts) {
      node = (node as Record<string, unknown> | undefined)?.[p];
      if (node === null || typeof node !== 'object')
        throw new RangeError(`${s.profile}:${s.pointer}: '${p}' does not exist in the profile`);
    }
    const target = node as Record<string, unknown>;
    if (s.value === null) delete target[last];
    else target[last] = s.value;
  }
  return root;
}

/** A context with some profiles replaced (the proposed policy), others as in `base`. */
export function withProfiles(
  base: RevenueContext,
  replaced: readonly CompiledGenericProfile[],
): RevenueContext {
  const ids = new Set(replaced.map((p) => p.raw.id));
  return createRevenueContext(
    [...base.profiles.filter((p) => !ids.has(p.raw.id)), ...replaced],
    base.fx,
    base.feeds,
  );
}

/** Per day and currency: consignments, revenue and border workload under both policies. */
export interface SimulationRow {
  readonly day: string;
  readonly currency: string;
  readonly consignments: number;
  readonly baselineRevenue: string;
  readonly proposedRevenue: string;
  readonly difference: string;
  /** Consignments with something to collect at the border (payment handling), before and after. */
  readonly baselineBorderCollections: number;
  readonly proposedBorderCollections: number;
  /** Consignments whose collection model changed. */
  readonly modelChanges: number;
}

interface Acc {
  n: number;
  base: number;
  prop: number;
  bb: number;
  pb: number;
  changed: number;
  places: number;
}

/** Assesses every item under both contexts and sums per relevant day and currency (revenue = total). */
export function simulate(
  traffic: Iterable<TrafficItem>,
  baseline: RevenueContext,
  proposed: RevenueContext,
): SimulationRow[] {
  const groups = new Map<string, Acc>();
  for (const t of traffic) {
    const opts = {
      ...(t.history === undefined ? {} : { history: t.history }),
      ...(t.arrivedAt === undefined ? {} : { arrivedAt: t.arrivedAt }),
    };
    const a = assessRevenue(t.input, baseline, t.at, opts);
    const b = assessRevenue(t.input, proposed, t.at, opts);
    const day = a.taxPoint?.date ?? t.at.slice(0, 10);
    const key = `${day}|${a.currency}`;
    const g = groups.get(key) ?? { n: 0, base: ZERO, prop: ZERO, bb: 0, pb: 0, changed: 0, places: 0 };
    g.n += 1;
    g.base += amount(a.total);
    g.prop += amount(b.currency === a.currency ? b.total : a.total);
    if (amount(a.dueAtBorder) > ZERO) g.bb += 1;
    if (amount(b.dueAtBorder) > ZERO) g.pb += 1;
    if (a.collectionModel !== b.collectionModel) g.changed += 1;
    g.places = Math.max(g.places, a.total.split('.')[1]?.length ?? 0);
    groups.set(key, g);
  }
  return [...groups]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([key, g]) => {
      const [day = '', currency = ''] = key.split('|');
      return {
        day,
        currency,
        consignments: g.n,
        baselineRevenue: fixed(g.base, g.places),
        proposedRevenue: fixed(g.prop, g.places),
        difference: fixed(g.prop - g.base, g.places),
        baselineBorderCollections: g.bb,
        proposedBorderCollections: g.pb,
        modelChanges: g.changed,
      };
    });
}

/** A grouped bar chart (SVG) of baseline vs proposed revenue per day for one currency. */
export function renderSimulationSvg(rows: readonly SimulationRow[], currency: string): string {
  const data = rows.filter((r) => r.currency === currency);
  const w = 720;
  const h = 320;
  const pad = 48;
  const maxV = Math.max(1, ...data.flatMap((r) => [Number(r.baselineRevenue), Number(r.proposedRevenue)]));
  const slot = (w - 2 * pad) / Math.max(1, data.length);
  const bar = Math.max(2, slot * 0.35);
  const y = (v: number) => h - pad - ((h - 2 * pad) * v) / maxV;
  const bars = data
    .map((r, i) => {
      const x = pad + i * slot + slot * 0.1;
      const b = Number(r.baselineRevenue);
      const p = Number(r.proposedRevenue);
      return (
        `<rect x="${x.toFixed(1)}" y="${y(b).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(b)).toFixed(1)}" fill="#8da0cb"><title>${r.day} baseline ${r.baselineRevenue}</title></rect>` +
        `<rect x="${(x + bar).toFixed(1)}" y="${y(p).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(p)).toFixed(1)}" fill="#fc8d62"><title>${r.day} proposed ${r.proposedRevenue}</title></rect>` +
        `<text x="${(x + bar).toFixed(1)}" y="${h - pad + 14}" font-size="10" text-anchor="middle">${r.day.slice(5)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">` +
    `<text x="${pad}" y="20" font-size="13">Revenue per day (${currency}): baseline (blue) vs proposed (orange)</text>` +
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#333"/>` +
    `<text x="4" y="${pad}" font-size="10">${maxV.toFixed(0)}</text>${bars}</svg>\n`
  );
}
