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
 * The date effective-dated rules and FX are read on: the expected arrival when declared,
 * else the assessment time; the calendar date as written (YYYY-MM-DD of the ISO string).
 */
export function relevantDate(input: ConsignmentInput, at: string): string {
  return calendarDate(input.dates?.expectedArrival ?? at);
}

/**
 * Assesses duty, VAT and fees for one consignment under the destination's jurisdiction profile.
 * `at` is the ISO datetime of assessment; rules use `dates.expectedArrival ?? at` (see relevantDate).
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
      notes: [`no revenue profile for ${country}`],
      versions: {},
    };
  }
  return assessGenericRecord(input, profile, fxFor(profile, ctx), relevantDate(input, at), options);
}

/** A quote is an assessment with nothing stored: the same pure function. */
export const quote = assessRevenue;
