/**
 * The generic revenue engine: one rule set interpreted over profile data (docs/rules/<code>.md).
 * Resolves the regime, collection model, duty, excise and VAT/GST, minimum-collection rules and
 * the China cross-border retail rule. Decimal arithmetic only (no integer fast path yet).
 */
import { Dec, dec, type ConsignmentInput, type RevenueAssessment, type TaxLine } from '../domain/index.js';
import { dutyLines, type DutyCollection, type DutyMode } from './generic-duty.js';
import {
  channelOf,
  holds,
  pickThreshold,
  testAll,
  testThreshold,
  type AssessOptions,
  type CompiledGenericProfile,
  type RuleFacts,
} from './generic-profile.js';
import type { FxRateProvider } from './fx.js';
import type { GenericScheme, Regime } from './generic-schema.js';
import { activeAt } from './periods.js';
import { apportion, valueConsignment } from './valuation.js';
import { vatLines, applyMinimumCollection } from './generic-tax.js';

const ZERO = new Dec(0);
type Model = RevenueAssessment['collectionModel'];

function shares(items: readonly Dec[], extra: Dec, places: number): Dec[] {
  return apportion(items, extra, places).map((v, i) => v.minus(items[i] ?? ZERO));
}

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

interface SchemeChoice {
  readonly scheme: GenericScheme | undefined;
  readonly reason: string;
}

function resolveScheme(f: RuleFacts, regime: Regime, notes: string[]): SchemeChoice {
  const tc = f.input.taxCollection;
  if (tc === undefined) return { scheme: undefined, reason: '' };
  const scheme = activeAt(
    regime.schemes.filter((s) => s.scheme === tc.scheme),
    f.date,
  );
  if (scheme === undefined) {
    notes.push(`${tc.scheme} is not a collection scheme of ${f.profile.raw.jurisdiction} on ${f.date}`);
    return { scheme: undefined, reason: '' };
  }
  if (!new RegExp(scheme.numberPattern).test(tc.number)) {
    notes.push(`${tc.scheme} number ${tc.number} has an invalid format; border rules apply`);
    return { scheme: undefined, reason: '' };
  }
  if (scheme.ceiling !== undefined) {
    const test = testAll(scheme.ceiling, f);
    if (!test.within) {
      notes.push(`${tc.scheme} not applicable: ${test.text}; border rules apply`);
      return { scheme: undefined, reason: '' };
    }
    return { scheme, reason: `${tc.scheme} ${tc.number} valid and ${test.text}` };
  }
  return { scheme, reason: `${tc.scheme} ${tc.number} valid` };
}

type CbecMode = 'none' | 'reduced' | 'full' | 'general';

function crossBorder(f: RuleFacts, regime: Regime, notes: string[]): { mode: CbecMode; why: string } {
  const c = regime.crossBorderRetail;
  if (c === undefined) return { mode: 'none', why: '' };
  const applies = c.when === undefined ? f.input.platform !== undefined : holds(c.when, f, false);
  if (!applies) return { mode: 'none', why: '' };
  const order = testThreshold(c.perOrder, f);
  const year = testThreshold(c.perYear, f);
  const p = f.profile.places;
  const ytd = f.options.history?.personYearToDate;
  if (ytd === undefined) notes.push('annual quota not checked: no personYearToDate history given');
  else notes.push(`annual total after this order: ${year.value.toFixed(p)} ${f.profile.raw.currency}`);
  if (!year.within)
    return { mode: 'general', why: `Annual limit exceeded (${year.text}): general-trade taxation.` };
  if (order.within) return { mode: 'reduced', why: `Within limits (${order.text}; ${year.text}).` };
  if (f.input.items.length === 1)
    return {
      mode: 'full',
      why: `Single indivisible item over the per-order limit (${order.text}): cross-border channel with full duty, VAT and consumption tax.`,
    };
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
    return { kind: 'relieved', why: `${relief.measure} applies.`, measure: relief.measure };
  const t = pickThreshold(regime.dutyThresholds, f, scheme !== undefined);
  if (t === undefined) return { kind: 'tariff', why: 'No duty threshold applies.', relievedItems: new Set() };
  if (t.aggregation === 'item') {
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
      why: `Duty threshold: ${test.text}; no duty.`,
      measure: `De minimis (${t.source})`,
    };
  return { kind: 'tariff', why: `Duty threshold: ${test.text}; duty due.`, relievedItems: new Set() };
}

/** The generic engine's result before the dispatcher adds currency, versions and FX records. */
export interface GenericResult {
  readonly model: Model;
  readonly lines: TaxLine[];
  readonly notes: string[];
  readonly customsValue: Dec;
}

/** Assesses one consignment under a generic profile; undefined with a note when it cannot be valued. */
export function assessGeneric(
  input: ConsignmentInput,
  profile: CompiledGenericProfile,
  fx: FxRateProvider,
  date: string,
  options: AssessOptions,
): { ok: true; result: GenericResult; values: RuleFacts['values'] } | { ok: false; note: string } {
  const raw = profile.raw;
  const regime = activeAt(raw.regimes, date);
  if (regime === undefined) return { ok: false, note: `no ${raw.id} regime in force on ${date}` };
  const fxDate = fxDateOf(raw.fx.dateRule, date);
  const valued = valueConsignment(input, raw.currency, fx, fxDate, raw.fx.resultPlaces, profile.places);
  if (!valued.ok) return { ok: false, note: valued.note };
  const values = valued.value;
  const base = {
    input,
    profile,
    date,
    fxDate,
    fx,
    values,
    goods: values.items,
    transportShares: shares(values.items, values.transport, profile.places),
    insuranceShares: shares(values.items, values.insurance, profile.places),
    customsItems: values.items,
    customsValue: values.intrinsic,
    channel: channelOf(input, options),
    personalUse: personalUseOf(input, options),
    options,
  };
  // Customs value: goods x retail factor (JP personal imports), plus transport/insurance when CIF.
  const factor =
    regime.retailFactor !== undefined && holds(regime.retailFactor.when, base, false)
      ? dec(regime.retailFactor.factor)
      : undefined;
  const goods = values.items.map((v) =>
    factor === undefined ? v : v.times(factor).toDecimalPlaces(profile.places, Dec.ROUND_HALF_UP),
  );
  const cif = regime.customsValue === 'cif';
  const customsItems = cif
    ? goods.map((g, i) => g.plus(base.transportShares[i] ?? ZERO).plus(base.insuranceShares[i] ?? ZERO))
    : goods;
  let customsValue = ZERO;
  for (const v of customsItems) customsValue = customsValue.plus(v);
  const f: RuleFacts = { ...base, goods, customsItems, customsValue };
  const notes: string[] = [...regime.notes];
  if (factor !== undefined)
    notes.push(`taxable value = retail price x ${factor.toFixed()} (${regime.retailFactor?.source ?? ''})`);

  const cbec = crossBorder(f, regime, notes);
  const choice = cbec.mode === 'none' ? resolveScheme(f, regime, notes) : { scheme: undefined, reason: '' };
  const relieved = regime.reliefs
    .filter((r) => holds(r.when, f, choice.scheme !== undefined) && testAll(r.threshold, f).within)
    .map((r) => r.id);
  const c = regime.crossBorderRetail;
  const platform = cbec.mode === 'reduced' || cbec.mode === 'full';
  const taxFactor = cbec.mode === 'reduced' && c !== undefined ? dec(c.taxFactor) : new Dec(1);
  const collection: DutyCollection = {
    collectedBy: platform ? 'platform' : 'border',
    taxFactor,
    factorText: taxFactor.equals(1) ? '' : `, x ${taxFactor.toFixed()} (${c?.measure ?? ''})`,
  };
  const dutyMode: DutyMode =
    cbec.mode === 'reduced' && c !== undefined
      ? { kind: 'reduced', why: cbec.why, rate: dec(c.dutyRate), measure: c.measure }
      : cbec.mode === 'full' || cbec.mode === 'general'
        ? { kind: 'tariff', why: cbec.why, relievedItems: new Set() }
        : dutyModeOf(f, regime, choice.scheme, relieved);
  const duty = dutyLines(f, regime, dutyMode, collection);
  const vat = vatLines(f, regime, {
    scheme: choice.scheme,
    schemeReason: choice.reason,
    relieved,
    collection,
    duty,
    cbec: cbec.mode !== 'none',
  });
  notes.push(...vat.notes);
  const lines = applyMinimumCollection(f, regime, [...duty.lines, ...vat.lines]);
  const model: Model = platform ? 'platform-withholding' : choice.scheme !== undefined ? 'vendor' : 'border';
  return { ok: true, result: { model, lines, notes, customsValue }, values };
}

/** Assesses one record under a generic profile on the relevant date; never throws for business outcomes. */
export function assessGenericRecord(
  input: ConsignmentInput,
  profile: CompiledGenericProfile,
  fx: FxRateProvider,
  date: string,
  options: AssessOptions,
): RevenueAssessment {
  const raw = profile.raw;
  const p = profile.places;
  const versions = {
    profile: raw.version,
    vat: `${raw.id}-rates@${raw.version}`,
    tariff: profile.schedule.version,
    fx: fx.version ?? raw.fx.provider,
  };
  const zero = new Dec(0).toFixed(p);
  const out = assessGeneric(input, profile, fx, date, options);
  if (!out.ok) {
    return {
      jurisdiction: raw.jurisdiction,
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
  let due = new Dec(0);
  let prepaid = new Dec(0);
  let total = new Dec(0);
  for (const l of result.lines) {
    const a = dec(l.amount);
    total = total.plus(a);
    if (l.collectedBy === 'border') due = due.plus(a);
    else if (l.collectedBy === 'vendor' || l.collectedBy === 'platform') prepaid = prepaid.plus(a);
  }
  return {
    jurisdiction: raw.jurisdiction,
    currency: raw.currency,
    collectionModel: result.model,
    intrinsicValue: values.text.intrinsic,
    customsValue: result.customsValue.toFixed(p),
    lines: result.lines,
    dueAtBorder: due.toFixed(p),
    prepaid: prepaid.toFixed(p),
    total: total.toFixed(p),
    fx: [...values.fx],
    notes: result.notes,
    versions,
  };
}
