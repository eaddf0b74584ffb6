/**
 * The revenue engine: one rule set interpreted over jurisdiction profile data (docs/rules/<code>.md).
 * Resolves the regime, collection model (border, vendor scheme, intermediary, platform), duty
 * (threshold relief, flat per subheading, tariff), excise, VAT/GST, fees, minimum-collection rules
 * and the China cross-border retail rule. Exact fixed-point arithmetic (money.ts).
 */
import type { ConsignmentInput, RevenueAssessment, TaxLine } from '../domain/index.js';
import { dutyLines, type DutyCollection, type DutyMode } from './generic-duty.js';
import { feeLines, flatDutyApplies } from './generic-fees.js';
import {
  channelOf,
  holds,
  pickThreshold,
  taxRateAt,
  testAll,
  testThreshold,
  type AssessOptions,
  type CompiledGenericProfile,
  type RuleFacts,
} from './generic-profile.js';
import type { FxRateProvider } from './fx.js';
import type { GenericScheme, PositiveList, Regime } from './generic-schema.js';
import { amount, fixed, rate, times, ZERO, type Amount, type Rate } from './money.js';
import { activeAt, describePeriod, isActive } from './periods.js';
import { apportion, valueConsignment } from './valuation.js';
import { vatLines, applyMinimumCollection } from './generic-tax.js';
import { incomeTaxLines } from './generic-income-tax.js';
import { notAssessed } from './not-assessed.js';

type Model = RevenueAssessment['collectionModel'];
const ONE = rate('1');

function fxDateOf(rule: CompiledGenericProfile['raw']['fx']['dateRule'], date: string): string {
  if (rule === 'month-start') return `${date.slice(0, 7)}-01`;
  if (rule === 'previous-day') {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  return date;
}

function personalUseOf(input: ConsignmentInput, options: AssessOptions): boolean {
  if (options.personalUse !== undefined) return options.personalUse;
  const t = input.consignee?.id?.type;
  return t !== 'VAT' && t !== 'EORI' && t !== 'TIN';
}

/** The collection model chosen before any tax is computed. */
export interface SchemeChoice {
  readonly scheme: GenericScheme | undefined;
  /** Set for an intermediary (special arrangements) choice: its measure. */
  readonly intermediary: string | undefined;
  /** An intermediary scheme that charges the standard rate only. */
  readonly standardRateOnly?: boolean;
  readonly reason: string;
}

const NONE: SchemeChoice = { scheme: undefined, intermediary: undefined, reason: '' };

function resolveScheme(f: RuleFacts, regime: Regime, notes: string[]): SchemeChoice {
  const tc = f.input.taxCollection;
  if (tc === undefined) return NONE;
  let scheme: GenericScheme | undefined;
  for (const s of regime.schemes) if (s.scheme === tc.scheme && isActive(s, f.date)) scheme ??= s;
  if (scheme === undefined) {
    notes.push(`${tc.scheme} is not a collection scheme of ${f.profile.raw.jurisdiction} on ${f.date}`);
    return NONE;
  }
  const pattern = f.profile.patterns.get(scheme.numberPattern) ?? new RegExp(scheme.numberPattern);
  if (!pattern.test(tc.number)) {
    notes.push(`${tc.scheme} number ${tc.number} has an invalid format; border rules apply`);
    return NONE;
  }
  if (scheme.ceiling !== undefined) {
    const test = testAll(scheme.ceiling, f);
    if (!test.within) {
      notes.push(`${tc.scheme} not allowed: ${test.text}; border rules apply`);
      return NONE;
    }
    return { scheme, intermediary: undefined, reason: `${tc.scheme} ${tc.number} valid and ${test.text}` };
  }
  return { scheme, intermediary: undefined, reason: `${tc.scheme} ${tc.number} valid` };
}

function resolveIntermediary(f: RuleFacts, regime: Regime, notes: string[]): SchemeChoice {
  const codes = f.input.additionalProcedureCodes;
  if (codes === undefined || codes.length === 0 || regime.intermediary === undefined) return NONE;
  for (const s of regime.intermediary) {
    if (!isActive(s, f.date) || !(codes as readonly string[]).includes(s.procedureCode)) continue;
    const test = testAll(s.ceiling, f);
    if (!test.within) {
      notes.push(`${s.procedureCode} special arrangements not allowed: ${test.text}; border rules apply`);
      return NONE;
    }
    return {
      scheme: undefined,
      intermediary: s.measure,
      standardRateOnly: s.standardRateOnly === true,
      reason:
        `Procedure code ${s.procedureCode} and ${test.text}: the person presenting the goods collects ` +
        `the tax from the consignee and pays it monthly (only if delivered).`,
    };
  }
  return NONE;
}

type CbecMode = 'none' | 'reduced' | 'full' | 'general';

/** Why the order cannot use the cross-border channel (an item off the positive list), or undefined. */
function offPositiveList(
  lists: readonly PositiveList[] | undefined,
  f: RuleFacts,
  notes: string[],
): string | undefined {
  const list = lists === undefined ? undefined : activeAt(lists, f.date);
  if (list === undefined) {
    notes.push(`positive list not checked: none in force on ${f.date} in the data`);
    return undefined;
  }
  const off: string[] = [];
  f.input.items.forEach((item, i) => {
    const hs = item.hsCode;
    if (hs === undefined) off.push(`item ${i} has no HS code`);
    else if (!list.hsPrefixes.some((p) => hs.startsWith(p))) off.push(`item ${i} HS ${hs}`);
  });
  const status = list.verified ? '' : ', list not verified';
  if (off.length === 0) {
    notes.push(`every item on the CBEC positive list (${list.name}${status})`);
    return undefined;
  }
  return (
    `Not on the CBEC positive list (${list.name}${status}): ${off.join('; ')}. ` +
    'The order cannot use the cross-border retail channel: general-trade taxation at the border.'
  );
}

/** Units that count articles: a line of 2 pcs is two items, not one indivisible item. */
const COUNT_UNITS: ReadonlySet<string> = new Set(['pcs', 'pair', 'set']);

/**
 * One indivisible item (REFERENCE.md 4.2: the order has one item): one line, and one article of it
 * when the unit counts articles (a measured quantity, e.g. 2 kg, is taken as the one article declared).
 */
export function singleArticle(items: ConsignmentInput['items']): boolean {
  const only = items.length === 1 ? items[0] : undefined;
  return only !== undefined && (!COUNT_UNITS.has(only.unit) || only.quantity === 1);
}

function crossBorder(f: RuleFacts, regime: Regime, notes: string[]): { mode: CbecMode; why: string } {
  const c = regime.crossBorderRetail;
  if (c === undefined) return { mode: 'none', why: '' };
  const applies = c.when === undefined ? f.input.platform !== undefined : holds(c.when, f, false);
  if (!applies) return { mode: 'none', why: '' };
  const off = offPositiveList(c.positiveList, f, notes);
  if (off !== undefined) return { mode: 'general', why: off };
  const order = testThreshold(c.perOrder, f);
  const year = testThreshold(c.perYear, f);
  const p = f.profile.places;
  const ytd = f.options.history?.personYearToDate;
  if (ytd === undefined) notes.push('annual quota not checked: no personYearToDate history given');
  else notes.push(`annual total after this order: ${fixed(year.value, p)} ${f.profile.raw.currency}`);
  if (!year.within)
    return { mode: 'general', why: `Annual limit exceeded (${year.text}): general-trade taxation.` };
  if (order.within) return { mode: 'reduced', why: `Within limits (${order.text}; ${year.text}).` };
  if (singleArticle(f.input.items)) {
    // China before 2019: the single item over the limit is general trade, not the CBEC channel.
    if (c.singleItemOverOrderLimit === 'general-trade')
      return {
        mode: 'general',
        why: `Single indivisible item over the per-order limit (${order.text}): taxed in full as general trade at the border (${c.source}).`,
      };
    return {
      mode: 'full',
      why: `Single indivisible item over the per-order limit (${order.text}): cross-border channel with full duty, VAT and consumption tax.`,
    };
  }
  return { mode: 'general', why: `Order over the per-order limit (${order.text}): general-trade taxation.` };
}

function dutyModeOf(
  f: RuleFacts,
  regime: Regime,
  scheme: GenericScheme | undefined,
  relieved: string[],
): DutyMode {
  if (scheme?.dutyRelief === true)
    return {
      kind: 'relieved',
      why: `Consignment under ${scheme.scheme}: duty-free.`,
      measure: scheme.measure,
    };
  const relief = regime.reliefs.find((r) => r.taxes.includes('duty') && relieved.includes(r.id));
  if (relief !== undefined)
    return {
      kind: 'relieved',
      why: `${relief.measure} applies${relief.verified ? '' : ' (relief not verified)'}: ${testAll(relief.threshold, f).text}.`,
      measure: relief.measure,
    };
  const flat = regime.flatDuty;
  if (flat !== undefined) {
    const test = testAll(flat.threshold, f);
    const applies = flatDutyApplies(flat, test.within, scheme !== undefined);
    if (applies.ok) return { kind: 'flat', why: test.text, flat, period: describePeriod(regime) };
    return { kind: 'tariff', why: `${test.text}: ${applies.why}`, relievedItems: new Set() };
  }
  const t = pickThreshold(regime.dutyThresholds, f, scheme !== undefined);
  if (t === undefined) return { kind: 'tariff', why: 'No duty threshold applies.', relievedItems: new Set() };
  if (t.aggregation === 'item' || t.aggregation === 'unit') {
    const relievedItems = new Set<number>();
    f.input.items.forEach((_, i) => {
      if (testThreshold(t, f, i).within) relievedItems.add(i);
    });
    return { kind: 'tariff', why: 'Duty threshold tested per item.', relievedItems };
  }
  const test = testThreshold(t, f);
  if (test.within)
    return {
      kind: 'relieved',
      why:
        t.measure === undefined
          ? `Duty threshold: ${test.text}; no duty.`
          : `Duty threshold: ${test.text}; relief from customs duty (${t.measure}, ${describePeriod(regime)}).`,
      measure: t.measure ?? `De minimis (${t.source})`,
    };
  return { kind: 'tariff', why: `Duty threshold: ${test.text}; duty due.`, relievedItems: new Set() };
}

/**
 * The not-assessed note of a consignment over the regime's scope ceiling (ID: over US$1,500 FOB it is
 * no e-commerce consignment and needs a regular import declaration), or undefined when within it.
 */
function outOfScope(f: RuleFacts, regime: Regime): string | undefined {
  const t = regime.scopeCeiling;
  if (t === undefined || !holds(t.when, f, false)) return undefined;
  const test = testAll(t, f);
  if (test.within) return undefined;
  const raw = f.profile.raw;
  return notAssessed(
    'revenue.no-regime',
    `the consignment is over the ${t.measure ?? `scope ceiling of the ${raw.id} regime`} and needs a regular ` +
      `import declaration, whose duty and tax are not in the ${raw.version} data: ${test.text}`,
  );
}

/** The engine's result before the dispatcher adds currency, versions and FX records. */
export interface GenericResult {
  readonly model: Model;
  readonly lines: TaxLine[];
  readonly notes: string[];
  readonly customsValue: Amount;
  /** The declared tax paid at checkout in the profile currency (vendor schemes), when given. */
  readonly declared?: Amount;
}

/** The tie-break key of an item for apportioning (computed only when two remainders tie). */
function itemKey(input: ConsignmentInput): (index: number) => string {
  return (i) => {
    const it = input.items[i];
    return it === undefined ? '' : `${it.hsCode ?? ''}|${it.origin}|${it.value.currency}|${it.value.amount}`;
  };
}

/** Assesses one consignment under a profile; a note when it cannot be valued or no regime is in force. */
export function assessGeneric(
  input: ConsignmentInput,
  profile: CompiledGenericProfile,
  fx: FxRateProvider,
  date: string,
  options: AssessOptions,
): { ok: true; result: GenericResult; values: RuleFacts['values'] } | { ok: false; note: string } {
  const raw = profile.raw;
  const country = input.routing.destinationCountry;
  const regime = activeAt(raw.regimes, date);
  if (regime === undefined)
    return { ok: false, note: notAssessed('revenue.no-regime', `no ${raw.id} regime in force on ${date}`) };
  const vat = taxRateAt(profile, country, date);
  // A profile with VAT/GST rates but none in force on the date (JP before 2019-10-01, NZ before
  // 2010-10-01, CN 2016-04-08 to 2018-05-01 in the data) cannot leave the tax out: zero would read as
  // nothing due. Only a profile without any rate (US: no federal VAT) assesses without one.
  if (vat === undefined && (raw.countryTaxRates !== undefined || raw.taxRates.length > 0))
    return { ok: false, note: notAssessed('vat.unavailable', `no standard rate for ${country} on ${date}`) };
  const fxDate = fx.dateFor?.(date) ?? fxDateOf(raw.fx.dateRule, date);
  const valued = valueConsignment(input, raw.currency, fx, fxDate, raw.fx.resultPlaces, profile.places);
  if (!valued.ok) return { ok: false, note: valued.note };
  const values = valued.value;
  const keys = itemKey(input);
  const transportShares = apportion(values.items, values.transport, profile.places, keys);
  const insuranceShares =
    values.insurance === ZERO
      ? transportShares.map(() => ZERO)
      : apportion(values.items, values.insurance, profile.places, keys);
  const channel = channelOf(input, options);
  const personalUse = personalUseOf(input, options);
  // Customs value: goods x retail factor (JP personal imports), plus transport/insurance when CIF.
  const rf = regime.retailFactor;
  const factor: Rate | undefined =
    rf !== undefined && holds(rf.when, { input, channel, personalUse } as RuleFacts, false)
      ? rate(rf.factor)
      : undefined;
  const goods =
    factor === undefined ? values.items : values.items.map((v) => times(v, factor, profile.places));
  const customsItems =
    regime.customsValue === 'cif' && values.transport + values.insurance !== ZERO
      ? goods.map((g, i) => g + (transportShares[i] ?? ZERO) + (insuranceShares[i] ?? ZERO))
      : goods;
  let customsValue = ZERO;
  for (const v of customsItems) customsValue += v;
  const f: RuleFacts = {
    input,
    profile,
    date,
    fxDate,
    fx,
    values,
    country,
    vat,
    goods,
    transportShares,
    insuranceShares,
    customsItems,
    customsValue,
    channel,
    personalUse,
    options,
  };
  const outside = outOfScope(f, regime);
  if (outside !== undefined) return { ok: false, note: outside };
  const notes: string[] = regime.notes.length === 0 ? [] : [...regime.notes];
  if (factor !== undefined)
    notes.push(`taxable value = retail price x ${factor.text} (${regime.retailFactor?.source ?? ''})`);

  const cbec = crossBorder(f, regime, notes);
  let choice = cbec.mode === 'none' ? resolveScheme(f, regime, notes) : NONE;
  if (choice.scheme === undefined && cbec.mode === 'none') {
    const inter = resolveIntermediary(f, regime, notes);
    if (inter.intermediary !== undefined) choice = inter;
  }
  const relieved =
    regime.reliefs.length === 0
      ? []
      : regime.reliefs
          .filter(
            (r) =>
              isActive(r, f.date) &&
              holds(r.when, f, choice.scheme !== undefined) &&
              testAll(r.threshold, f).within,
          )
          .map((r) => r.id);
  const c = regime.crossBorderRetail;
  const platform = cbec.mode === 'reduced' || cbec.mode === 'full';
  const taxFactor = cbec.mode === 'reduced' && c !== undefined ? rate(c.taxFactor) : ONE;
  const collection: DutyCollection = {
    collectedBy: platform ? 'platform' : 'border',
    taxFactor,
    factorText: taxFactor === ONE ? '' : `, x ${taxFactor.text} (${c?.measure ?? ''})`,
  };
  const dutyMode: DutyMode =
    cbec.mode === 'reduced' && c !== undefined
      ? { kind: 'reduced', why: cbec.why, rate: rate(c.dutyRate), measure: c.measure }
      : cbec.mode === 'full' || cbec.mode === 'general'
        ? { kind: 'tariff', why: cbec.why, relievedItems: new Set() }
        : dutyModeOf(f, regime, choice.scheme, relieved);
  const duty = dutyLines(f, regime, dutyMode, collection);
  const tax = vatLines(f, regime, {
    scheme: choice.scheme,
    intermediary: choice.intermediary,
    standardRateOnly: choice.standardRateOnly === true,
    schemeReason: choice.reason,
    relieved,
    collection,
    duty,
    cbec: cbec.mode !== 'none',
  });
  if (tax.notes.length > 0) notes.push(...tax.notes);
  const income = incomeTaxLines(f, regime, duty.lines, tax.lines);
  const lines = applyMinimumCollection(f, regime, [...duty.lines, ...tax.lines, ...income]);
  if (raw.fees !== undefined) lines.push(...feeLines(f, raw.fees));
  const model: Model = platform
    ? 'platform-withholding'
    : choice.scheme !== undefined
      ? 'vendor'
      : choice.intermediary !== undefined
        ? 'intermediary'
        : 'border';
  const result: GenericResult =
    tax.declared === undefined
      ? { model, lines, notes, customsValue }
      : { model, lines, notes, customsValue, declared: tax.declared };
  return { ok: true, result, values };
}

/** The jurisdiction id of a profile for a destination country ("AU", "EU-DE"). */
export function jurisdictionOf(profile: CompiledGenericProfile, country: string): string {
  const prefix = profile.raw.jurisdictionPrefix;
  return prefix === undefined ? profile.raw.jurisdiction : `${prefix}${country}`;
}

/** The versions of rules, rates, tariff and FX an assessment under this profile uses. */
export function versionsOf(profile: CompiledGenericProfile, fx: FxRateProvider): Record<string, string> {
  return {
    profile: profile.raw.version,
    vat: profile.rates.version,
    tariff: profile.schedule.version,
    fx: fx.version ?? profile.raw.fx.provider,
  };
}

function assessGuarded(...args: Parameters<typeof assessGeneric>): ReturnType<typeof assessGeneric> {
  try {
    return assessGeneric(...args);
  } catch (e) {
    // Amounts beyond 10^9 units (or products beyond exact range) are not assessed automatically.
    if (e instanceof RangeError)
      return { ok: false, note: notAssessed('revenue.value-out-of-range', e.message) };
    throw e;
  }
}

/** Assesses one record under a profile on the relevant date; never throws for business outcomes. */
export function assessGenericRecord(
  input: ConsignmentInput,
  profile: CompiledGenericProfile,
  fx: FxRateProvider,
  date: string,
  options: AssessOptions,
): RevenueAssessment {
  const raw = profile.raw;
  const p = profile.places;
  const jurisdiction = jurisdictionOf(profile, input.routing.destinationCountry);
  const versions = versionsOf(profile, fx);
  const out = assessGuarded(input, profile, fx, date, options);
  if (!out.ok) {
    const zero = fixed(ZERO, p);
    return {
      jurisdiction,
      currency: raw.currency,
      collectionModel: 'border',
      intrinsicValue: zero,
      customsValue: zero,
      lines: [],
      dueAtBorder: zero,
      prepaid: zero,
      total: zero,
      fx: [],
      notes: [out.note],
      versions,
    };
  }
  const { result, values } = out;
  const zeroText = fixed(ZERO, p);
  let due = ZERO;
  let prepaid = ZERO;
  let all = ZERO;
  for (const l of result.lines) {
    const a = l.amount === zeroText ? ZERO : amount(l.amount);
    all += a;
    if (l.collectedBy === 'border') due += a;
    else if (l.collectedBy === 'vendor' || l.collectedBy === 'platform') prepaid += a;
  }
  return {
    jurisdiction,
    currency: raw.currency,
    collectionModel: result.model,
    intrinsicValue: values.text.intrinsic,
    customsValue: fixed(result.customsValue, p),
    lines: result.lines,
    dueAtBorder: fixed(due, p),
    prepaid: fixed(prepaid, p),
    ...(result.declared === undefined ? {} : { prepaidDeclared: fixed(result.declared, p) }),
    total: fixed(all, p),
    fx: [...values.fx],
    notes: result.notes,
    versions,
    ...(options.history === undefined ? {} : { history: options.history }),
  };
}
