/**
 * The revenue assessment entry point: picks the jurisdiction profile for the destination and runs
 * the data-driven engine (generic-engine.ts) on the relevant date. Pure: no clock, env or I/O.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';
import { assessGenericRecord } from './generic-engine.js';
import type { AssessOptions, CompiledGenericProfile } from './generic-profile.js';
import { calendarDate } from './periods.js';

/** Immutable reference data for revenue: compiled profiles indexed by country, and the FX strategy. */
export interface RevenueContext {
  readonly byCountry: ReadonlyMap<string, CompiledGenericProfile>;
  readonly profiles: readonly CompiledGenericProfile[];
  readonly fx: FxRateProvider;
}

/** Builds a context from compiled profiles (later profiles win for a shared country). */
export function createRevenueContext(
  profiles: readonly CompiledGenericProfile[],
  fx: FxRateProvider,
): RevenueContext {
  const byCountry = new Map<string, CompiledGenericProfile>();
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
  return assessGenericRecord(input, profile, ctx.fx, relevantDate(input, at), options);
}

/** A quote is an assessment with nothing stored: the same pure function. */
export const quote = assessRevenue;
