/** Validates and compiles generic jurisdiction profiles; evaluates their conditions and thresholds. */
import { Value } from '@sinclair/typebox/value';
import { ParcelgateError, type ConsignmentInput, type Money } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';
import { GenericProfile, type Channel, type Condition, type GenericThreshold } from './generic-schema.js';
import { amount, constant, fixed, ONE, rate, scale, times, units, ZERO, type Amount } from './money.js';
import { compileSchedule, TariffSchedule, type CompiledSchedule } from './tariff-schedule.js';
import type { ConsignmentValues } from './valuation.js';
import { periodRates, type VatRate, type VatRateTable } from './vat-rates.js';

/** A generic profile with its tariff schedule compiled. */
export interface CompiledGenericProfile {
  readonly raw: GenericProfile;
  readonly places: number;
  readonly schedule: CompiledSchedule;
  /** Standard VAT/GST rates by country and date (one table for a single-country profile). */
  readonly rates: VatRateTable;
  /** Compiled registration-number patterns by pattern text. */
  readonly patterns: ReadonlyMap<string, RegExp>;
}

/** Optional per-person history and declarations the input record cannot carry. */
export interface AssessOptions {
  /** Values already imported by the same person: this year (China ¥26,000) and today (Korea). */
  readonly history?: { readonly personYearToDate?: Money; readonly personDayTotal?: Money };
  /** Overrides the channel derived from the record (S10 item or postal-item source = postal). */
  readonly channel?: Channel;
  /** Overrides the personal-use default (true unless the consignee has a VAT, EORI or TIN id). */
  readonly personalUse?: boolean;
  /** US postal items: the carrier's election between the ad valorem and the specific duty. */
  readonly postalDutyMethod?: 'ad-valorem' | 'specific';
  /** When the parcel arrived (ISO date or datetime), once reported: the tax point follows it (taxPointOf). */
  readonly arrivedAt?: string;
}

function check<T>(schema: Parameters<typeof Value.Check>[0], json: unknown, what: string): T {
  if (Value.Check(schema, json)) return json as T;
  const issues = [...Value.Errors(schema, json)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  throw new ParcelgateError('revenue.profile-invalid', `${what} is invalid: ${issues.join('; ')}`, 500, {
    issues,
  });
}

/** Checks a generic profile file; throws revenue.profile-invalid with the issues. */
export function parseGenericProfile(json: unknown, what = 'generic profile'): GenericProfile {
  return check<GenericProfile>(GenericProfile, json, what);
}

/** Checks a tariff schedule file; throws revenue.profile-invalid with the issues. */
export function parseTariffSchedule(json: unknown, what = 'tariff schedule'): TariffSchedule {
  return check<TariffSchedule>(TariffSchedule, json, what);
}

/** Compiles a validated generic profile with its schedule (and, for multi-country profiles, its rate table). */
export function compileGenericProfile(
  raw: GenericProfile,
  schedule: TariffSchedule,
  countryRates?: VatRateTable,
): CompiledGenericProfile {
  if (raw.countryTaxRates !== undefined && countryRates === undefined)
    throw new ParcelgateError(
      'revenue.profile-invalid',
      `profile ${raw.id} names countryTaxRates ${raw.countryTaxRates.file} but no rate table was given`,
      500,
    );
  const rates = countryRates ?? periodRates(`${raw.id}-rates@${raw.version}`, '*', raw.taxRates);
  const patterns = new Map<string, RegExp>();
  for (const regime of raw.regimes)
    for (const s of regime.schemes) patterns.set(s.numberPattern, new RegExp(s.numberPattern));
  return { raw, places: raw.rounding.places, schedule: compileSchedule(schedule), rates, patterns };
}

/** Per-record facts every generic rule reads. */
export interface RuleFacts {
  readonly input: ConsignmentInput;
  readonly profile: CompiledGenericProfile;
  readonly date: string;
  readonly fxDate: string;
  readonly fx: FxRateProvider;
  readonly values: ConsignmentValues;
  /** Destination country and its standard VAT/GST rate on the date (undefined: none). */
  readonly country: string;
  readonly vat: VatRate | undefined;
  /** Per-item goods value after the retail factor (equal to values.items when no factor applies). */
  readonly goods: readonly Amount[];
  /** Per-item shares of transport and of insurance (apportioned by goods value). */
  readonly transportShares: readonly Amount[];
  readonly insuranceShares: readonly Amount[];
  /** Per-item customs value (goods x retail factor + transport/insurance share when CIF). */
  readonly customsItems: readonly Amount[];
  readonly customsValue: Amount;
  readonly channel: Channel;
  readonly personalUse: boolean;
  readonly options: AssessOptions;
}

/** The channel of a record: postal for S10 items and postal-item records unless overridden. */
export function channelOf(input: ConsignmentInput, options: AssessOptions): Channel {
  if (options.channel !== undefined) return options.channel;
  return input.transportDocument?.type === 'S10' || input.source === 'postal-item' ? 'postal' : 'courier';
}

/** True when every field of the condition holds. */
export function holds(c: Condition | undefined, f: RuleFacts, vendorCollected: boolean): boolean {
  if (c === undefined) return true;
  if (c.channel !== undefined && c.channel !== f.channel) return false;
  if (c.dispatchCountries !== undefined && !c.dispatchCountries.includes(f.input.routing.dispatchCountry))
    return false;
  if (
    c.excludeHsPrefixes !== undefined &&
    f.input.items.some((i) => c.excludeHsPrefixes?.some((p) => i.hsCode?.startsWith(p) === true) === true)
  )
    return false;
  const only = c.hsPrefixes;
  if (only !== undefined && !f.input.items.every((i) => only.some((p) => i.hsCode?.startsWith(p) === true)))
    return false;
  if (c.personalUse !== undefined && c.personalUse !== f.personalUse) return false;
  if (c.vendorCollected !== undefined && c.vendorCollected !== vendorCollected) return false;
  if (c.category !== undefined && !c.category.includes(f.input.category)) return false;
  return true;
}

/** The first threshold whose condition holds. */
export function pickThreshold(
  list: readonly GenericThreshold[],
  f: RuleFacts,
  vendorCollected: boolean,
): GenericThreshold | undefined {
  return list.find((t) => holds(t.when, f, vendorCollected));
}

/** A threshold test: whether the value is within, and the test as text. */
export interface ThresholdTest {
  readonly within: boolean;
  readonly text: string;
  readonly value: Amount;
}

function lineValue(t: GenericThreshold, f: RuleFacts, index: number): Amount {
  if (t.basis === 'customs-value') return f.customsItems[index] ?? ZERO;
  const goods = f.values.items[index] ?? ZERO;
  if (t.basis !== 'cif') return goods;
  return goods + (f.transportShares[index] ?? ZERO) + (f.insuranceShares[index] ?? ZERO);
}

function basisValue(t: GenericThreshold, f: RuleFacts, index: number | undefined): Amount {
  const v = f.values;
  if (index !== undefined) {
    const line = lineValue(t, f, index);
    if (t.aggregation !== 'unit') return line;
    // Per unit, carried at 6 decimals (the comparison below is exact for a whole quantity).
    const q = f.input.items[index]?.quantity ?? 1;
    return q === 1 ? line : scale(line, ONE, units(q));
  }
  if (t.basis === 'customs-value') return f.customsValue;
  return t.basis === 'cif' ? v.customsValue : v.intrinsic;
}

/** Converts an amount from the profile currency to `to` at the profile's FX date (undefined: no rate). */
export function convertFrom(f: RuleFacts, value: Amount, from: string, to: string): Amount | undefined {
  if (from === to) return value;
  const q = f.fx.rate(from, to, f.fxDate);
  if (q === undefined) return undefined;
  return times(value, rate(q.rate), f.profile.raw.fx.resultPlaces);
}

/** Places kept when a value is converted only to be compared with a threshold. */
const COMPARISON_PLACES = 6;

function convertForComparison(f: RuleFacts, value: Amount, to: string): Amount | undefined {
  const q = f.fx.rate(f.profile.raw.currency, to, f.fxDate);
  return q === undefined ? undefined : times(value, rate(q.rate), COMPARISON_PLACES);
}

function historyAmount(t: GenericThreshold, f: RuleFacts, cur: string): { add: Amount; text: string } {
  const h =
    t.aggregation === 'person-day'
      ? f.options.history?.personDayTotal
      : t.aggregation === 'person-year'
        ? f.options.history?.personYearToDate
        : undefined;
  if (h === undefined) return { add: ZERO, text: '' };
  const add = convertFrom(f, amount(h.amount), h.currency, cur) ?? ZERO;
  const label = t.aggregation === 'person-day' ? 'same-day imports' : 'imports this year';
  return { add, text: ` (incl. ${label} ${fixed(add, f.profile.places)})` };
}

/**
 * The basis value (with the per-person history) converted straight from the declared amounts into the
 * threshold's currency `cur`, at 6 decimals: no round trip through the profile currency, whose result
 * places (KRW, IDR: none) would move a value declared exactly at a US$ limit to one side of it.
 * Undefined when the basis is not made of declared amounts alone (customs value, a CIF share of one
 * item, a per-unit value) or a rate is missing: the profile-currency value is converted instead.
 */
function declaredIn(
  t: GenericThreshold,
  f: RuleFacts,
  index: number | undefined,
  cur: string,
): Amount | undefined {
  if (t.basis === 'customs-value' || t.aggregation === 'unit' || (index !== undefined && t.basis === 'cif'))
    return undefined;
  let missing = false;
  const conv = (m: Money | undefined): Amount => {
    if (m === undefined) return ZERO;
    if (m.currency === cur) return amount(m.amount);
    const q = f.fx.rate(m.currency, cur, f.fxDate);
    if (q === undefined) {
      missing = true;
      return ZERO;
    }
    return times(amount(m.amount), rate(q.rate), COMPARISON_PLACES);
  };
  let sum = ZERO;
  if (index !== undefined) sum += conv(f.input.items[index]?.value);
  else for (const it of f.input.items) sum += conv(it.value);
  const totals = f.input.totals;
  if (t.basis === 'cif' && index === undefined && totals?.transportIncludedInPrice !== true)
    sum += conv(totals?.transport) + conv(totals?.insurance);
  const h =
    t.aggregation === 'person-day'
      ? f.options.history?.personDayTotal
      : t.aggregation === 'person-year'
        ? f.options.history?.personYearToDate
        : undefined;
  sum += conv(h);
  return missing ? undefined : sum;
}

/** Tests the consignment (or one item when `index` is given) against a threshold. */
export function testThreshold(t: GenericThreshold, f: RuleFacts, index?: number): ThresholdTest {
  const cur = t.currency ?? f.profile.raw.currency;
  const own = basisValue(t, f, index);
  const hist = historyAmount(t, f, f.profile.raw.currency);
  const total = own + hist.add;
  // Compared in the threshold's currency without rounding to the profile's result places (KRW has
  // none): US$200.01 must not round down to a US$200 limit, nor US$150.00 round up past US$150.
  const converted =
    cur === f.profile.raw.currency
      ? total
      : (declaredIn(t, f, index, cur) ?? convertForComparison(f, total, cur));
  const limit = constant(t.amount);
  if (converted === undefined) {
    return { within: false, value: total, text: `no FX rate to ${cur}: threshold treated as exceeded` };
  }
  const q = index !== undefined && t.aggregation === 'unit' ? (f.input.items[index]?.quantity ?? 1) : 1;
  // Per unit in the profile currency: the line against the limit x a whole quantity, exactly.
  const exact =
    q !== 1 && Number.isInteger(q) && cur === f.profile.raw.currency && Number.isSafeInteger(limit * q);
  const [lhs, rhs] = exact ? [lineValue(t, f, index ?? 0), limit * q] : [converted, limit];
  const within = t.comparison === 'lte' ? lhs <= rhs : lhs < rhs;
  const op = t.comparison === 'lte' ? (within ? '<=' : '>') : within ? '<' : '>=';
  const p = f.profile.places;
  const shown = cur === f.profile.raw.currency ? '' : ` = ${fixed(converted, 2)} ${cur}`;
  const scope =
    index !== undefined
      ? t.aggregation === 'unit'
        ? ` per unit of item ${index}`
        : ` per item ${index}`
      : t.aggregation === 'consignment'
        ? ''
        : ` per ${t.aggregation}`;
  return {
    within,
    value: total,
    text:
      `${t.basis} value${scope} ${q === 1 ? fixed(total, p) : `${fixed(lineValue(t, f, index ?? 0), p)} / ${q}`} ` +
      `${f.profile.raw.currency}${hist.text}${shown} ` +
      `${op} ${fixed(limit, p)} ${cur}${t.verified ? '' : ' (threshold not verified)'}`,
  };
}

/** Tests a threshold for the consignment; item and unit aggregation pass only when every item is within. */
export function testAll(t: GenericThreshold, f: RuleFacts): ThresholdTest {
  if (t.aggregation !== 'item' && t.aggregation !== 'unit') return testThreshold(t, f);
  const tests = f.input.items.map((_, i) => testThreshold(t, f, i));
  const failed = tests.find((x) => !x.within);
  return failed ?? tests[0] ?? testThreshold(t, f);
}

/** The standard VAT/GST rate of the profile for a country on a date, or undefined when there is none. */
export function taxRateAt(
  profile: CompiledGenericProfile,
  country: string,
  date: string,
): VatRate | undefined {
  return profile.rates.standard(country, date);
}
