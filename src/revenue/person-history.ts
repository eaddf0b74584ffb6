/**
 * Per-person limits (China ¥26,000 a year, Korea/US same-day totals): which consignments count toward
 * them, on which value, and the live in-memory view the pipeline reads before every assessment.
 *
 * The view is filled from the revenue ledger at start (`add`) and by every assessment (`note`); a plan
 * that is discarded is dropped again (`forget`), and so is a returned consignment (`remove`). Totals
 * are exact fixed-point sums in the jurisdiction currency.
 */
import { Decimal } from 'decimal.js';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { recordedTaxDate, relevantDate, type RevenueContext } from './assess-revenue.js';
import { jurisdictionOf } from './generic-engine.js';
import type { AssessOptions, CompiledGenericProfile } from './generic-profile.js';
import type { GenericThreshold, Regime } from './generic-schema.js';
import { amount, fixed, ZERO, type Amount } from './money.js';
import { activeAt } from './periods.js';
import { personKeyOf, type PersonImport, type PersonTotals } from './ledger.js';

/** Every threshold of a regime (duty, tax, scheme and intermediary ceilings, reliefs, flat duty, CBEC). */
function thresholdsOf(regime: Regime): GenericThreshold[] {
  const out: GenericThreshold[] = [...regime.dutyThresholds, ...regime.taxThresholds];
  for (const s of regime.schemes) if (s.ceiling !== undefined) out.push(s.ceiling);
  for (const s of regime.intermediary ?? []) out.push(s.ceiling);
  for (const r of regime.reliefs) out.push(r.threshold);
  if (regime.flatDuty !== undefined) out.push(regime.flatDuty.threshold);
  if (regime.crossBorderRetail !== undefined)
    out.push(regime.crossBorderRetail.perOrder, regime.crossBorderRetail.perYear);
  return out;
}

const personLimit = new WeakMap<Regime, GenericThreshold | null>();

/** The first per-person (person-day or person-year) threshold of a regime, or undefined. */
export function personThreshold(regime: Regime): GenericThreshold | undefined {
  let t = personLimit.get(regime);
  if (t === undefined) {
    t =
      thresholdsOf(regime).find((x) => x.aggregation === 'person-day' || x.aggregation === 'person-year') ??
      null;
    personLimit.set(regime, t);
  }
  return t ?? undefined;
}

/** The regime of a profile in force on a date that has a per-person limit, else undefined. */
export function personRegime(profile: CompiledGenericProfile, date: string): Regime | undefined {
  const regime = activeAt(profile.raw.regimes, date);
  return regime !== undefined && personThreshold(regime) !== undefined ? regime : undefined;
}

/**
 * The value a consignment adds to its consignee's per-person totals, or undefined when it does not
 * count: the regime in force has no per-person limit, the assessment has no lines (not assessed), or
 * (China) the consignment did not go through the cross-border retail channel: only CBEC transactions
 * count toward the annual limit (REFERENCE.md 4.2; a parcel taxed as general trade does not). The value
 * is on the basis of the regime's per-person threshold: `fob`/`intrinsic` the intrinsic value, `cif`
 * and `customs-value` the customs value, both in the jurisdiction currency.
 */
export function personValueOf(
  profile: CompiledGenericProfile,
  revenue: RevenueAssessment,
  date: string,
): string | undefined {
  const regime = personRegime(profile, date);
  if (regime === undefined || revenue.lines.length === 0) return undefined;
  if (regime.crossBorderRetail !== undefined && revenue.collectionModel !== 'platform-withholding')
    return undefined;
  const basis = (personThreshold(regime) as GenericThreshold).basis;
  return basis === 'fob' || basis === 'intrinsic' ? revenue.intrinsicValue : revenue.customsValue;
}

/**
 * The share of a consignment's person value its kept items carry, when some items went back on a
 * partial return: the value times the kept items' declared value over all items' (exact, rounded down
 * to the value's places, so a return never leaves more counted than was kept). Items declared in
 * different currencies cannot be weighed against each other without rates: the value is kept whole
 * (the conservative side of a limit). Every item returned: undefined (nothing counts).
 */
export function keptValueOf(
  value: string,
  input: ConsignmentInput,
  returnedItems: readonly number[] | undefined,
): string | undefined {
  if (returnedItems === undefined || returnedItems.length === 0) return value;
  const back = new Set(returnedItems);
  if (input.items.every((_, i) => back.has(i))) return undefined;
  const currency = input.items[0]?.value.currency;
  if (input.items.some((it) => it.value.currency !== currency)) return value;
  let all = new Decimal(0);
  let kept = new Decimal(0);
  input.items.forEach((it, i) => {
    all = all.plus(it.value.amount);
    if (!back.has(i)) kept = kept.plus(it.value.amount);
  });
  if (all.isZero()) return value;
  const places = value.split('.')[1]?.length ?? 0;
  return new Decimal(value).times(kept).div(all).toDecimalPlaces(places, Decimal.ROUND_DOWN).toFixed(places);
}

/**
 * The person-history entry of an assessed consignment, or undefined when it counts toward no limit.
 * `returnedItems`: items partial returns took back (they no longer count: `keptValueOf`).
 */
export function personEntryOf(
  ctx: RevenueContext,
  consignmentId: string,
  input: ConsignmentInput,
  revenue: RevenueAssessment,
  at: string,
  returnedItems?: readonly number[],
): PersonImport | undefined {
  const profile = ctx.byCountry.get(input.routing.destinationCountry);
  if (profile === undefined) return undefined;
  // The date the assessment was made on (its tax point), else that of its input lodged at `at`.
  const date = recordedTaxDate(input, revenue, at);
  const whole = personValueOf(profile, revenue, date);
  if (whole === undefined) return undefined;
  const value = keptValueOf(whole, input, returnedItems);
  if (value === undefined) return undefined;
  const personKey = personKeyOf(input);
  if (personKey === undefined) return undefined;
  return {
    personKey,
    jurisdiction: revenue.jurisdiction,
    consignmentId,
    date,
    amount: value,
    currency: revenue.currency,
  };
}

/** What the assessment reads and writes: `AssessOptions.history` before, the consignment after. */
export interface PersonHistoryPort {
  /** The history option for a consignment (undefined: its regime has no per-person limit, or no consignee). */
  optionsFor(consignmentId: string, input: ConsignmentInput, at: string): AssessOptions | undefined;
  /** Records (or replaces) what an assessment adds to its consignee's totals. */
  note(consignmentId: string, input: ConsignmentInput, revenue: RevenueAssessment, at: string): void;
  /** Drops a consignment noted for a plan that was discarded. */
  forget(consignmentId: string): void;
  /**
   * Makes the persons of a batch's raw records readable before it is assessed (a view that keeps only
   * some persons in memory loads the others from its store); `now` is the batch's instant. Resolves
   * with the release to call once the batch is assessed (or failed).
   */
  prefetch?(records: readonly unknown[], now: string): Promise<() => void>;
}

interface Held {
  readonly key: string;
  readonly date: string;
  readonly value: Amount;
  /** The entry counts toward a per-person-year limit (China); else only same-day totals read it. */
  readonly yearly: boolean;
}

/** Days before today whose relevant dates the view still serves (a late or early declared arrival). */
export const PERSON_VIEW_GRACE_DAYS = 7;

const minusDays = (iso: string, days: number): string => {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

const profileOfJurisdiction = new WeakMap<RevenueContext, Map<string, CompiledGenericProfile | undefined>>();

/**
 * Whether an entry of this jurisdiction and date counts toward a per-person-year limit (China), so the
 * view keeps it for the year; else only same-day totals read it. Unknown profile: kept for the year.
 */
export function countsForTheYear(ctx: RevenueContext, jurisdiction: string, date: string): boolean {
  let cache = profileOfJurisdiction.get(ctx);
  if (cache === undefined) profileOfJurisdiction.set(ctx, (cache = new Map()));
  let profile = cache.get(jurisdiction);
  if (!cache.has(jurisdiction)) {
    profile = ctx.profiles.find((p) =>
      p.raw.jurisdictionPrefix === undefined
        ? p.raw.jurisdiction === jurisdiction
        : jurisdiction.startsWith(p.raw.jurisdictionPrefix),
    );
    cache.set(jurisdiction, profile);
  }
  const regime = profile === undefined ? undefined : personRegime(profile, date);
  // Unknown profile: kept for the year, the safe side.
  if (regime === undefined) return true;
  if (regime.crossBorderRetail !== undefined) return true;
  return personThreshold(regime)?.aggregation === 'person-year';
}

/** The first day whose entries the view still serves as of `today`, for same-day and for per-year limits. */
export function viewCutoffs(
  today: string,
  graceDays = PERSON_VIEW_GRACE_DAYS,
): { day: string; year: string } {
  const day = minusDays(today, graceDays);
  return { day, year: `${day.slice(0, 4)}-01-01` };
}

/**
 * The live per-person view. Entries are held per person, jurisdiction and currency; `prune` drops
 * entries of years no limit looks at any more.
 */
export class PersonHistory implements PersonHistoryPort {
  private readonly byPerson = new Map<string, Map<string, Held>>();
  private readonly keyOf = new Map<string, string>();

  constructor(private readonly ctx: RevenueContext) {}

  /** Entries held. */
  get size(): number {
    return this.keyOf.size;
  }

  /** Adds (or replaces, by consignment) a stored or just-assessed entry. */
  add(e: PersonImport): void {
    const key = `${e.personKey}|${e.jurisdiction}|${e.currency}`;
    this.remove(e.consignmentId);
    let m = this.byPerson.get(key);
    if (m === undefined) this.byPerson.set(key, (m = new Map()));
    m.set(e.consignmentId, {
      key,
      date: e.date,
      value: amount(e.amount),
      yearly: countsForTheYear(this.ctx, e.jurisdiction, e.date),
    });
    this.keyOf.set(e.consignmentId, key);
  }

  /** Drops a consignment's entry (a discarded plan, or a returned parcel). */
  remove(consignmentId: string): void {
    const key = this.keyOf.get(consignmentId);
    if (key === undefined) return;
    const m = this.byPerson.get(key);
    m?.delete(consignmentId);
    if (m?.size === 0) this.byPerson.delete(key);
    this.keyOf.delete(consignmentId);
  }

  forget(consignmentId: string): void {
    this.remove(consignmentId);
  }

  /**
   * Same-day and year-to-date totals (1 January of the date's year up to and including the date) of a
   * person, without `exceptConsignment` (a consignment re-assessed does not count against itself).
   */
  totals(
    personKey: string,
    jurisdiction: string,
    date: string,
    currency: string,
    places: number,
    exceptConsignment?: string,
  ): PersonTotals {
    const m = this.byPerson.get(`${personKey}|${jurisdiction}|${currency}`);
    return sumPersonEntries(m ?? [], date, currency, places, exceptConsignment);
  }

  optionsFor(consignmentId: string, input: ConsignmentInput, at: string): AssessOptions | undefined {
    const q = personQueryOf(this.ctx, input, at);
    if (q === undefined) return undefined;
    const t = this.totals(q.personKey, q.jurisdiction, q.date, q.currency, q.places, consignmentId);
    return personHistoryOptions(t, q.currency);
  }

  note(consignmentId: string, input: ConsignmentInput, revenue: RevenueAssessment, at: string): void {
    const e = personEntryOf(this.ctx, consignmentId, input, revenue, at);
    if (e === undefined) this.remove(consignmentId);
    else this.add(e);
  }

  /**
   * Bounds the view as of `today` (ISO date or datetime): an entry that only same-day totals read
   * (Korea, US before 2025-08-29) is dropped once its day is more than `graceDays` past; an entry of
   * a per-year limit (China) once its year has ended and `graceDays` of the new year have passed.
   * Assessments whose relevant date is within `graceDays` of today see every entry they need.
   */
  prune(today: string, graceDays = PERSON_VIEW_GRACE_DAYS): void {
    const { day: oldest, year: yearFrom } = viewCutoffs(today, graceDays);
    for (const [key, m] of this.byPerson) {
      for (const [id, h] of m)
        if (h.yearly ? h.date < yearFrom : h.date < oldest) {
          m.delete(id);
          this.keyOf.delete(id);
        }
      if (m.size === 0) this.byPerson.delete(key);
    }
  }
}

/** The assessment options that hand a person's day and year-to-date totals (in `currency`) to a profile. */
export function personHistoryOptions(t: PersonTotals, currency: string): AssessOptions {
  return {
    history: {
      personDayTotal: { amount: t.day, currency },
      personYearToDate: { amount: t.yearToDate, currency },
    },
  };
}

/** What a per-person limit reads of a record: its person, jurisdiction, relevant date and currency. */
export interface PersonQuery {
  personKey: string;
  jurisdiction: string;
  date: string;
  currency: string;
  places: number;
}

/** The per-person query of `input` assessed at `at`, or undefined when no per-person limit applies to it. */
export function personQueryOf(
  ctx: RevenueContext,
  input: ConsignmentInput,
  at: string,
): PersonQuery | undefined {
  const profile = ctx.byCountry.get(input.routing.destinationCountry);
  if (profile === undefined) return undefined;
  const date = relevantDate(input, at);
  if (personRegime(profile, date) === undefined) return undefined;
  const personKey = personKeyOf(input);
  if (personKey === undefined) return undefined;
  return {
    personKey,
    jurisdiction: jurisdictionOf(profile, input.routing.destinationCountry),
    date,
    currency: profile.raw.currency,
    places: profile.places,
  };
}

/**
 * A person's totals on `date` from entries by consignment: the day's and the year's up to that date,
 * leaving out `exceptConsignment` and, when `scope` is given, entries of another scope.
 */
export function sumPersonEntries(
  entries: Iterable<[string, { readonly date: string; readonly value: Amount; readonly scope?: string }]>,
  date: string,
  currency: string,
  places: number,
  exceptConsignment?: string,
  scope?: string,
): PersonTotals {
  let day = ZERO;
  let year = ZERO;
  const from = `${date.slice(0, 4)}-01-01`;
  for (const [id, h] of entries) {
    if (
      (scope !== undefined && h.scope !== scope) ||
      id === exceptConsignment ||
      h.date < from ||
      h.date > date
    )
      continue;
    year += h.value;
    if (h.date === date) day += h.value;
  }
  return { day: fixed(day, places), yearToDate: fixed(year, places), currency };
}
