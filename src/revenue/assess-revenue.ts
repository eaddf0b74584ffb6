/**
 * The revenue assessment entry point: picks the jurisdiction profile for the destination,
 * values the consignment and runs the profile's rule engine. Pure: no clock, env or I/O.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessEu, type EngineResult } from './eu-engine.js';
import { assessEuFast, type FastEngineResult } from './fast-engine.js';
import { valueFast } from './fast-valuation.js';
import { fastEligible, fixed, parseRate } from './fixed.js';
import type { FxRateProvider } from './fx.js';
import { assessGenericRecord } from './generic-engine.js';
import type { AssessOptions, CompiledGenericProfile } from './generic-profile.js';
import { calendarDate } from './periods.js';
import type { CompiledProfile } from './profile.js';
import { valueConsignment } from './valuation.js';

/** Immutable reference data for revenue: compiled profiles indexed by country, and the FX strategy. */
export interface RevenueContext {
  readonly byCountry: ReadonlyMap<string, CompiledProfile>;
  readonly profiles: readonly CompiledProfile[];
  readonly fx: FxRateProvider;
  /** Generic (data-only) profiles by country; consulted when no EU-engine profile covers it. */
  readonly genericByCountry: ReadonlyMap<string, CompiledGenericProfile>;
}

/** Builds a context from compiled profiles (later profiles win for a shared country). */
export function createRevenueContext(
  profiles: readonly CompiledProfile[],
  fx: FxRateProvider,
  generic: readonly CompiledGenericProfile[] = [],
): RevenueContext {
  const byCountry = new Map<string, CompiledProfile>();
  for (const p of profiles) for (const c of p.raw.countries) byCountry.set(c, p);
  const genericByCountry = new Map<string, CompiledGenericProfile>();
  for (const p of generic) for (const c of p.raw.countries) genericByCountry.set(c, p);
  return { byCountry, profiles, fx, genericByCountry };
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
  const zero = fixed(0, places);
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
export function assessRevenue(
  input: ConsignmentInput,
  ctx: RevenueContext,
  at: string,
  options: AssessOptions = {},
): RevenueAssessment {
  return assessWith(input, ctx, at, true, options);
}

/** assessRevenue on the decimal.js reference path only (tests compare it with the integer path). */
export function assessRevenueDecimal(
  input: ConsignmentInput,
  ctx: RevenueContext,
  at: string,
  options: AssessOptions = {},
): RevenueAssessment {
  return assessWith(input, ctx, at, false, options);
}

function assessWith(
  input: ConsignmentInput,
  ctx: RevenueContext,
  at: string,
  fast: boolean,
  options: AssessOptions,
): RevenueAssessment {
  const country = input.routing.destinationCountry;
  const profile = ctx.byCountry.get(country);
  const generic = profile === undefined ? ctx.genericByCountry.get(country) : undefined;
  // Generic profiles run on the decimal path only (docs/decisions/0004: the integer path is EU-only).
  if (generic !== undefined)
    return assessGenericRecord(input, generic, ctx.fx, relevantDate(input, at), options);
  if (profile === undefined) {
    const currency = input.items[0]?.value.currency ?? 'XXX';
    return empty(country, currency, 2, `no revenue profile for ${country}`, {});
  }
  const facts: Resolved = {
    country,
    date: relevantDate(input, at),
    jurisdiction: `${profile.raw.jurisdictionPrefix}${country}`,
    versions: versionsOf(profile, ctx.fx),
  };
  return (
    (fast && fastEligible(profile) ? fastPath(input, profile, ctx.fx, facts) : undefined) ??
    decimalPath(input, profile, ctx.fx, facts)
  );
}

/** Per-record facts shared by both paths once the profile is known. */
interface Resolved {
  readonly country: string;
  readonly date: string;
  readonly jurisdiction: string;
  readonly versions: Record<string, string>;
}

function noVat(profile: CompiledProfile, facts: Resolved): RevenueAssessment {
  const note = `vat.unavailable: no standard rate for ${facts.country} on ${facts.date}`;
  return empty(facts.jurisdiction, profile.raw.currency, profile.places, note, facts.versions);
}

/** The exact integer path (fixed.ts); undefined when only decimal.js can decide the record. */
function fastPath(
  input: ConsignmentInput,
  profile: CompiledProfile,
  fx: FxRateProvider,
  facts: Resolved,
): RevenueAssessment | undefined {
  const { country, date, jurisdiction } = facts;
  const cur = profile.raw.currency;
  const places = profile.places;
  const valued = valueFast(input, cur, fx, date, profile.raw.fx.resultPlaces, places);
  if (valued === undefined) return undefined;
  if (!valued.ok) return empty(jurisdiction, cur, places, valued.note, facts.versions);
  const vat = profile.vat.standard(country, date);
  if (vat === undefined) return noVat(profile, facts);
  const vatRate = parseRate(vat.rateText);
  if (vatRate === undefined || !vatRate.fraction) return undefined;
  const values = valued.value;
  let result: FastEngineResult | undefined;
  switch (profile.raw.engine) {
    case 'eu-vat-package':
      result = assessEuFast(input, profile, { country, date, values, vat, vatRate });
      break;
  }
  if (result === undefined) return undefined;
  return {
    jurisdiction,
    currency: cur,
    collectionModel: result.collectionModel,
    intrinsicValue: values.text.intrinsic,
    customsValue: values.text.customsValue,
    lines: result.lines,
    dueAtBorder: fixed(result.dueAtBorder, places),
    prepaid: fixed(result.prepaid, places),
    total: fixed(result.total, places),
    fx: values.fx.slice(),
    notes: result.notes,
    versions: facts.versions,
  };
}

/** The decimal.js path: the reference semantics, used for anything the integer path declines. */
function decimalPath(
  input: ConsignmentInput,
  profile: CompiledProfile,
  fx: FxRateProvider,
  facts: Resolved,
): RevenueAssessment {
  const { country, date, jurisdiction } = facts;
  const cur = profile.raw.currency;
  const places = profile.places;
  const valued = valueConsignment(input, cur, fx, date, profile.raw.fx.resultPlaces, places);
  if (!valued.ok) return empty(jurisdiction, cur, places, valued.note, facts.versions);
  const vat = profile.vat.standard(country, date);
  if (vat === undefined) return noVat(profile, facts);
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
    versions: facts.versions,
  };
}

/** A quote is an assessment with nothing stored: the same pure function. */
export const quote = assessRevenue;
