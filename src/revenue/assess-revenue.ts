/**
 * The revenue assessment entry point: picks the jurisdiction profile for the destination,
 * values the consignment and runs the profile's rule engine. Pure: no clock, env or I/O.
 */
import { roundMoney, sum, type ConsignmentInput, type RevenueAssessment } from '../domain/index.js';
import { assessEu, type EngineResult } from './eu-engine.js';
import type { FxRateProvider } from './fx.js';
import { calendarDate } from './periods.js';
import type { CompiledProfile } from './profile.js';
import { valueConsignment } from './valuation.js';

/** Immutable reference data for revenue: compiled profiles indexed by country, and the FX strategy. */
export interface RevenueContext {
  readonly byCountry: ReadonlyMap<string, CompiledProfile>;
  readonly profiles: readonly CompiledProfile[];
  readonly fx: FxRateProvider;
}

/** Builds a context from compiled profiles (later profiles win for a shared country). */
export function createRevenueContext(
  profiles: readonly CompiledProfile[],
  fx: FxRateProvider,
): RevenueContext {
  const byCountry = new Map<string, CompiledProfile>();
  for (const p of profiles) for (const c of p.raw.countries) byCountry.set(c, p);
  return { byCountry, profiles, fx };
}

/**
 * The date effective-dated rules and FX are read on: the expected arrival when declared,
 * else the assessment time; the calendar date as written (YYYY-MM-DD of the ISO string).
 */
export function relevantDate(input: ConsignmentInput, at: string): string {
  return calendarDate(input.dates?.expectedArrival ?? at);
}

function empty(
  jurisdiction: string,
  currency: string,
  places: number,
  note: string,
  versions: Record<string, string>,
): RevenueAssessment {
  const zero = roundMoney(sum([]), places);
  return {
    jurisdiction,
    currency,
    collectionModel: 'border',
    intrinsicValue: zero,
    customsValue: zero,
    lines: [],
    dueAtBorder: zero,
    prepaid: zero,
    total: zero,
    fx: [],
    notes: [note],
    versions,
  };
}

function versionsOf(profile: CompiledProfile, fx: FxRateProvider): Record<string, string> {
  return {
    profile: profile.raw.version,
    vat: profile.vat.version,
    tariff: profile.tariff.version,
    fx: fx.version ?? profile.raw.fx.provider,
  };
}

/**
 * Assesses duty, VAT and fees for one consignment at the destination's jurisdiction profile.
 * `at` is the ISO datetime of assessment; rules use `dates.expectedArrival ?? at` (see relevantDate).
 * Never throws for business outcomes: no profile, no VAT rate or no FX rate give a zero assessment
 * with a note. `dueAtBorder` sums lines collected by 'border', `prepaid` those by 'vendor'/'platform',
 * `total` all lines (intermediary-collected VAT is in `total` only).
 */
export function assessRevenue(input: ConsignmentInput, ctx: RevenueContext, at: string): RevenueAssessment {
  const country = input.routing.destinationCountry;
  const profile = ctx.byCountry.get(country);
  if (profile === undefined) {
    const currency = input.items[0]?.value.currency ?? 'XXX';
    return empty(country, currency, 2, `no revenue profile for ${country}`, {});
  }
  const cur = profile.raw.currency;
  const places = profile.places;
  const jurisdiction = `${profile.raw.jurisdictionPrefix}${country}`;
  const versions = versionsOf(profile, ctx.fx);
  const date = relevantDate(input, at);
  const valued = valueConsignment(input, cur, ctx.fx, date, profile.raw.fx.resultPlaces, places);
  if (!valued.ok) return empty(jurisdiction, cur, places, valued.note, versions);
  const vat = profile.vat.standard(country, date);
  if (vat === undefined) {
    return empty(
      jurisdiction,
      cur,
      places,
      `vat.unavailable: no standard rate for ${country} on ${date}`,
      versions,
    );
  }
  const values = valued.value;
  let result: EngineResult;
  switch (profile.raw.engine) {
    case 'eu-vat-package':
      result = assessEu(input, profile, { country, date, values, vat });
      break;
  }
  return {
    jurisdiction,
    currency: cur,
    collectionModel: result.collectionModel,
    intrinsicValue: values.text.intrinsic,
    customsValue: values.text.customsValue,
    lines: result.lines,
    dueAtBorder: result.dueAtBorder.toFixed(places),
    prepaid: result.prepaid.toFixed(places),
    total: result.total.toFixed(places),
    fx: [...values.fx],
    notes: result.notes,
    versions,
  };
}

/** A quote is an assessment with nothing stored: the same pure function. */
export const quote = assessRevenue;
