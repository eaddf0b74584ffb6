/**
 * The revenue assessment entry point: picks the jurisdiction profile for the destination and runs
 * the data-driven engine (generic-engine.ts) on the relevant date. Pure: no clock, env or I/O.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';
import { prescribedProvider, rateDateFor } from './fx-feed.js';
import { assessGenericRecord } from './generic-engine.js';
import type { AssessOptions, CompiledGenericProfile } from './generic-profile.js';
import { calendarDate } from './periods.js';
import { notAssessed } from './not-assessed.js';

/** Immutable reference data for revenue: compiled profiles indexed by country, and the FX strategy. */
export interface RevenueContext {
  readonly byCountry: ReadonlyMap<string, CompiledGenericProfile>;
  readonly profiles: readonly CompiledGenericProfile[];
  readonly fx: FxRateProvider;
  /** Loaded rate feeds by name (`--fx NAME=FILE.csv`); profiles name theirs in `fx.prescribed.feed`. */
  readonly feeds?: ReadonlyMap<string, FxRateProvider>;
}

/** Builds a context from compiled profiles (later profiles win for a shared country). */
export function createRevenueContext(
  profiles: readonly CompiledGenericProfile[],
  fx: FxRateProvider,
  feeds?: ReadonlyMap<string, FxRateProvider>,
): RevenueContext {
  const byCountry = new Map<string, CompiledGenericProfile>();
  for (const p of profiles) for (const c of p.raw.countries) byCountry.set(c, p);
  return feeds === undefined ? { byCountry, profiles, fx } : { byCountry, profiles, fx, feeds };
}

interface Resolved {
  readonly fx: FxRateProvider;
  readonly feeds: ReadonlyMap<string, FxRateProvider> | undefined;
  readonly provider: FxRateProvider;
}
const resolved = new WeakMap<CompiledGenericProfile, Resolved>();

/**
 * The FX provider for a profile: its prescribed feed when loaded (with the prescribed date rule),
 * else the context's provider labelled as a stand-in. A profile whose prescribed feed is the
 * context provider's own version (UK: hmrc-monthly), or that names none, uses it unchanged.
 */
export function fxFor(profile: CompiledGenericProfile, ctx: RevenueContext): FxRateProvider {
  const hit = resolved.get(profile);
  if (hit !== undefined && hit.fx === ctx.fx && hit.feeds === ctx.feeds) return hit.provider;
  const p = profile.raw.fx.prescribed;
  const feed = p === undefined ? undefined : ctx.feeds?.get(p.feed);
  const rule = profile.raw.fx.dateRule;
  const provider =
    p === undefined || (feed === undefined && p.feed === ctx.fx.version)
      ? ctx.fx
      : prescribedProvider(p, ctx.fx, (d) => rateDateFor(rule, d), feed);
  resolved.set(profile, { fx: ctx.fx, feeds: ctx.feeds, provider });
  return provider;
}

/**
 * What the tax point was fixed by: the date the data was lodged ('lodged'), the declared expected
 * arrival when it is on or after that date ('expected-arrival', an estimate until the parcel arrives),
 * or the reported arrival ('arrival', the later of it and the lodging date).
 */
export type TaxPointBasis = 'lodged' | 'expected-arrival' | 'arrival';

/** The date effective-dated rules and FX were read on, what fixed it, and the lodging date it is bounded by. */
export interface TaxPoint {
  readonly date: string;
  readonly basis: TaxPointBasis;
  readonly lodged: string;
}

/**
 * The tax point of a consignment whose data was lodged at `lodgedAt` (ISO date or datetime): the
 * customs debt is incurred when the declaration is accepted, and one lodged before the goods are
 * presented is accepted on their presentation, so the tax point is the later of the lodging date and
 * the arrival: the reported arrival (`arrivedAt`) when known, else the declared `dates.expectedArrival`
 * as the estimate. A declared arrival earlier than the lodging date is not used (docs/revenue.md).
 * Calendar dates as written (YYYY-MM-DD of the ISO strings), compared as text.
 */
export function taxPointOf(input: ConsignmentInput, lodgedAt: string, arrivedAt?: string): TaxPoint {
  const lodged = calendarDate(lodgedAt);
  if (arrivedAt !== undefined) {
    const arrived = calendarDate(arrivedAt);
    return { date: arrived > lodged ? arrived : lodged, basis: 'arrival', lodged };
  }
  const expected = input.dates?.expectedArrival;
  if (expected !== undefined) {
    const e = calendarDate(expected);
    if (e >= lodged) return { date: e, basis: 'expected-arrival', lodged };
  }
  return { date: lodged, basis: 'lodged', lodged };
}

/**
 * The date effective-dated rules and FX are read on for data lodged at `at` (see taxPointOf): the
 * declared expected arrival when it is not before the lodging date, else the lodging date.
 */
export function relevantDate(input: ConsignmentInput, at: string, arrivedAt?: string): string {
  const lodged = calendarDate(at);
  if (arrivedAt !== undefined) {
    const arrived = calendarDate(arrivedAt);
    return arrived > lodged ? arrived : lodged;
  }
  const expected = input.dates?.expectedArrival;
  if (expected === undefined) return lodged;
  const e = calendarDate(expected);
  return e > lodged ? e : lodged;
}

/**
 * The tax point an assessment recorded (`revenue.taxPoint`), else (an assessment recorded before tax
 * points were) the relevant date of its input at its assessment time.
 */
export function recordedTaxDate(
  input: ConsignmentInput,
  revenue: RevenueAssessment,
  assessedAt: string,
): string {
  return revenue.taxPoint?.date ?? relevantDate(input, assessedAt);
}

/** The plain-language note of a tax point that did not follow the declared expected arrival, if any. */
function taxPointNote(input: ConsignmentInput, tp: TaxPoint): string | undefined {
  if (tp.basis === 'arrival') {
    const arrived = tp.date === tp.lodged ? `on or before ${tp.lodged}` : `on ${tp.date}`;
    return `tax point ${tp.date}: the parcel arrived ${arrived} (data lodged on ${tp.lodged}); rules, rates and exchange rates of that date apply`;
  }
  const expected = input.dates?.expectedArrival;
  if (tp.basis !== 'lodged' || expected === undefined) return undefined;
  return `expected arrival ${calendarDate(expected)} is before the data was lodged on ${tp.lodged}; assessed on ${tp.lodged}`;
}

/** Whether the declared expected arrival is before the date the data was lodged (a back-dated record). */
export function backDatedArrival(input: ConsignmentInput, lodgedAt: string): boolean {
  const expected = input.dates?.expectedArrival;
  return expected !== undefined && calendarDate(expected) < calendarDate(lodgedAt);
}

/**
 * Assesses duty, VAT and fees for one consignment under the destination's jurisdiction profile.
 * `at` is the ISO datetime the consignment's data was lodged (for a first assessment or a quote: the
 * assessment time; for a re-assessment: when the consignment was first received); rules and FX are
 * read on its tax point (taxPointOf: the later of that date and the expected or, with
 * `options.arrivedAt`, the reported arrival), recorded as `taxPoint`.
 * Never throws for business outcomes: no profile, no regime, no VAT rate or no FX rate give a zero
 * assessment with a note. `dueAtBorder` sums lines collected by 'border', `prepaid` those by
 * 'vendor'/'platform', `total` all lines (intermediary-collected VAT is in `total` only).
 */
export function assessRevenue(
  input: ConsignmentInput,
  ctx: RevenueContext,
  at: string,
  options: AssessOptions = {},
): RevenueAssessment {
  const country = input.routing.destinationCountry;
  const profile = ctx.byCountry.get(country);
  const tp = taxPointOf(input, at, options.arrivedAt);
  const note = taxPointNote(input, tp);
  if (profile === undefined) {
    const currency = input.items[0]?.value.currency ?? 'XXX';
    return {
      jurisdiction: country,
      currency,
      collectionModel: 'border',
      intrinsicValue: '0.00',
      customsValue: '0.00',
      lines: [],
      dueAtBorder: '0.00',
      prepaid: '0.00',
      total: '0.00',
      fx: [],
      notes: [notAssessed('revenue.no-profile', `no revenue profile for ${country}`)],
      versions: {},
      taxPoint: tp,
    };
  }
  const r = assessGenericRecord(input, profile, fxFor(profile, ctx), tp.date, options);
  if (note !== undefined) r.notes.push(note);
  r.taxPoint = tp;
  return r;
}

/** A quote is an assessment with nothing stored: the same pure function. */
export const quote = assessRevenue;
