/** Validates and compiles generic jurisdiction profiles; evaluates their conditions and thresholds. */
import { Value } from '@sinclair/typebox/value';
import { Dec, dec, ParcelgateError, type ConsignmentInput, type Money } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';
import { GenericProfile, type Channel, type Condition, type GenericThreshold } from './generic-schema.js';
import { activeAt } from './periods.js';
import { compileSchedule, TariffSchedule, type CompiledSchedule } from './tariff-schedule.js';
import type { ConsignmentValues } from './valuation.js';

/** A generic profile with its tariff schedule compiled. */
export interface CompiledGenericProfile {
  readonly raw: GenericProfile;
  readonly places: number;
  readonly schedule: CompiledSchedule;
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

/** Compiles a validated generic profile with its schedule. */
export function compileGenericProfile(raw: GenericProfile, schedule: TariffSchedule): CompiledGenericProfile {
  return { raw, places: raw.rounding.places, schedule: compileSchedule(schedule) };
}

/** Per-record facts every generic rule reads. */
export interface RuleFacts {
  readonly input: ConsignmentInput;
  readonly profile: CompiledGenericProfile;
  readonly date: string;
  readonly fxDate: string;
  readonly fx: FxRateProvider;
  readonly values: ConsignmentValues;
  /** Per-item goods value after the retail factor (equal to values.items when no factor applies). */
  readonly goods: readonly Dec[];
  /** Per-item shares of transport and of insurance (apportioned by goods value). */
  readonly transportShares: readonly Dec[];
  readonly insuranceShares: readonly Dec[];
  /** Per-item customs value (goods x retail factor + transport/insurance share when CIF). */
  readonly customsItems: readonly Dec[];
  readonly customsValue: Dec;
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
  readonly value: Dec;
}

const ZERO = new Dec(0);

function basisValue(t: GenericThreshold, f: RuleFacts, index: number | undefined): Dec {
  const v = f.values;
  if (index !== undefined) {
    if (t.basis === 'customs-value') return f.customsItems[index] ?? ZERO;
    const goods = v.items[index] ?? ZERO;
    if (t.basis !== 'cif' || v.intrinsic.isZero()) return goods;
    return goods.plus(v.transport.plus(v.insurance).times(goods).div(v.intrinsic));
  }
  if (t.basis === 'customs-value') return f.customsValue;
  return t.basis === 'cif' ? v.customsValue : v.intrinsic;
}

/** Converts an amount from the profile currency to `to` at the profile's FX date (undefined: no rate). */
export function convertFrom(f: RuleFacts, amount: Dec, from: string, to: string): Dec | undefined {
  if (from === to) return amount;
  const q = f.fx.rate(from, to, f.fxDate);
  if (q === undefined) return undefined;
  return amount.times(dec(q.rate)).toDecimalPlaces(f.profile.raw.fx.resultPlaces, Dec.ROUND_HALF_UP);
}

function historyAmount(t: GenericThreshold, f: RuleFacts, cur: string): { add: Dec; text: string } {
  const h =
    t.aggregation === 'person-day'
      ? f.options.history?.personDayTotal
      : t.aggregation === 'person-year'
        ? f.options.history?.personYearToDate
        : undefined;
  if (h === undefined) return { add: ZERO, text: '' };
  const add = convertFrom(f, dec(h.amount), h.currency, cur) ?? ZERO;
  const label = t.aggregation === 'person-day' ? 'same-day imports' : 'imports this year';
  return { add, text: ` (incl. ${label} ${add.toFixed(f.profile.places)})` };
}

/** Tests the consignment (or one item when `index` is given) against a threshold. */
export function testThreshold(t: GenericThreshold, f: RuleFacts, index?: number): ThresholdTest {
  const cur = t.currency ?? f.profile.raw.currency;
  const own = basisValue(t, f, index);
  const hist = historyAmount(t, f, f.profile.raw.currency);
  const total = own.plus(hist.add);
  const converted = convertFrom(f, total, f.profile.raw.currency, cur);
  const limit = dec(t.amount);
  if (converted === undefined) {
    return { within: false, value: total, text: `no FX rate to ${cur}: threshold treated as exceeded` };
  }
  const c = converted.comparedTo(limit);
  const within = t.comparison === 'lte' ? c <= 0 : c < 0;
  const op = t.comparison === 'lte' ? (within ? '<=' : '>') : within ? '<' : '>=';
  const p = f.profile.places;
  const shown = cur === f.profile.raw.currency ? '' : ` = ${converted.toFixed(2)} ${cur}`;
  const scope = index === undefined ? t.aggregation : `item ${index}`;
  return {
    within,
    value: total,
    text:
      `${t.basis} value per ${scope} ${total.toFixed(p)} ${f.profile.raw.currency}${hist.text}${shown} ` +
      `${op} ${limit.toFixed(p)} ${cur}${t.verified ? '' : ' (threshold not verified)'}`,
  };
}

/** Tests a threshold for the consignment; item aggregation passes only when every item is within. */
export function testAll(t: GenericThreshold, f: RuleFacts): ThresholdTest {
  if (t.aggregation !== 'item') return testThreshold(t, f);
  const tests = f.input.items.map((_, i) => testThreshold(t, f, i));
  const failed = tests.find((x) => !x.within);
  return failed ?? tests[0] ?? testThreshold(t, f);
}

/** The VAT/GST rate of the profile on a date, or undefined when the jurisdiction has none. */
export function taxRateAt(profile: CompiledGenericProfile, date: string) {
  return activeAt(profile.raw.taxRates, date);
}
