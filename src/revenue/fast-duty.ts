/** The integer fast path of assessEuDuty (eu-duty.ts): same lines and texts, amounts in micro-units. */
import type { ConsignmentInput, TaxLine } from '../domain/index.js';
import { subheadingGroups } from './eu-duty.js';
import type { FastValues } from './fast-valuation.js';
import { constMicro, fixed, parseRate, roundTo, shareOf, timesRate, withinMicro } from './fixed.js';
import { activeAt, describePeriod, describeTest } from './periods.js';
import type { CompiledDutyRegime, CompiledProfile } from './profile.js';

/** Facts the duty rules need besides the consignment (see DutyFacts). */
export interface FastDutyFacts {
  readonly date: string;
  readonly values: FastValues;
  readonly vendorCollected: boolean;
}

/** Duty lines plus their total in micro-units; undefined when a tariff rate is not a plain decimal. */
export type FastDutyResult = { lines: TaxLine[]; total: number; notes: string[] } | undefined;

/** Integer twin of apportion (valuation.ts): item bases including their share of `extra`. */
export function apportionMicro(items: readonly number[], extra: number, places: number): number[] {
  if (extra === 0 || items.length === 0) return items.slice();
  let total = 0;
  for (const v of items) total += v;
  const out: number[] = [];
  let given = 0;
  const last = items.length - 1;
  for (let i = 0; i <= last; i++) {
    const v = items[i] ?? 0;
    let share: number;
    if (i === last) share = extra - given;
    else if (total === 0) share = i === 0 ? extra : 0;
    else share = shareOf(extra, v, total, places);
    given += share;
    out.push(v + share);
  }
  return out;
}

function tariffLines(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: FastDutyFacts,
  why: string,
): FastDutyResult {
  const { values } = facts;
  const cur = profile.raw.currency;
  const p = profile.places;
  const version = profile.tariff.version;
  const extra = values.transport + values.insurance;
  const bases = apportionMicro(values.items, extra, p);
  const share = extra === 0 ? '' : `, including its share of transport and insurance`;
  const lines: TaxLine[] = [];
  let total = 0;
  for (let i = 0; i < input.items.length; i++) {
    const hsCode = input.items[i]?.hsCode;
    const base = bases[i] ?? 0;
    const baseText = fixed(base, p);
    const hit = profile.tariff.lookup(hsCode);
    const rate = parseRate(hit.rateText);
    if (rate === undefined || !rate.fraction) return undefined;
    const amount = rate.num === 0 ? 0 : timesRate(base, rate, p);
    total += amount;
    const matched =
      hit.prefix === undefined
        ? `HS ${hsCode ?? '(none)'} is not in tariff ${version}; ${hit.description} applies`
        : `HS ${hsCode ?? ''} matches tariff line ${hit.prefix} (${hit.description}) in ${version}`;
    lines.push({
      type: 'duty',
      itemIndex: i,
      base: baseText,
      rate: hit.rateText,
      amount: fixed(amount, p),
      measure:
        hit.prefix === undefined ? 'Third-country duty (default rate)' : `Third-country duty ${hit.prefix}`,
      collectedBy: 'border',
      explanation:
        `${why} Ad valorem duty ${hit.rateText} on the item's customs value ${baseText} ${cur}${share}. ` +
        `${matched}${hit.verified ? '' : ' (rate not verified)'}.${values.fxText}`,
    });
  }
  return { lines, total, notes: [] };
}

function flatLines(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: FastDutyFacts,
  regime: CompiledDutyRegime,
  test: string,
): FastDutyResult {
  const lv = regime.lowValue;
  if (lv.kind !== 'flat-per-subheading') return { lines: [], total: 0, notes: [] };
  const cur = profile.raw.currency;
  const p = profile.places;
  const groups = subheadingGroups(input);
  const flat = roundTo(constMicro(lv.amount), p);
  const amount = fixed(flat, p);
  const rate = `${amount} ${cur} per tariff subheading`;
  const tail =
    `${groups.size} subheading(s) in the consignment.` +
    (lv.scopeVerified ? '' : ` Scope '${lv.scope}' not verified.`) +
    facts.values.fxText;
  const head = `Intrinsic value ${test}: interim flat duty of ${amount} ${cur} per distinct tariff subheading (${describePeriod(regime)}) for `;
  const lines: TaxLine[] = [];
  for (const [key, indexes] of groups) {
    let base = 0;
    for (const i of indexes) base += facts.values.items[i] ?? 0;
    const baseText = fixed(base, p);
    const first = indexes[0] ?? 0;
    const what = key.startsWith('#')
      ? `item ${first} (no HS code, counted as its own subheading)`
      : `subheading ${key}`;
    lines.push({
      type: 'duty',
      itemIndex: first,
      base: baseText,
      rate,
      amount,
      measure: lv.measure,
      collectedBy: 'border',
      explanation: `${head}${what}, covering item(s) ${indexes.join(', ')} worth ${baseText} ${cur}; ${tail}`,
    });
  }
  return { lines, total: flat * groups.size, notes: [] };
}

/** Integer twin of assessEuDuty: the duty lines for the regime in force on the relevant date. */
export function assessEuDutyFast(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: FastDutyFacts,
): FastDutyResult {
  const cur = profile.raw.currency;
  const p = profile.places;
  const regime = activeAt(profile.dutyRegimes, facts.date);
  const values = facts.values;
  if (regime === undefined) {
    const r = tariffLines(input, profile, facts, `No low-value duty regime in force on ${facts.date}.`);
    if (r === undefined) return undefined;
    r.notes = [`no duty regime in profile ${profile.raw.version} for ${facts.date}; tariff applied`];
    return r;
  }
  const lv = regime.lowValue;
  if (lv.kind === 'tariff') {
    return tariffLines(
      input,
      profile,
      facts,
      `No low-value duty relief in force (${describePeriod(regime)}).`,
    );
  }
  const low = withinMicro(values.intrinsic, lv.threshold);
  const test = describeTest(values.text.intrinsic, cur, lv.threshold, low);
  if (lv.kind === 'relief') {
    if (!low) return tariffLines(input, profile, facts, `Intrinsic value ${test}: no duty relief.`);
    const line: TaxLine = {
      type: 'duty',
      base: values.text.customsValue,
      rate: '0',
      amount: fixed(0, p),
      measure: lv.measure,
      collectedBy: 'none',
      explanation:
        `Intrinsic value ${test} per consignment: relief from customs duty for goods of negligible value ` +
        `(${lv.measure}, ${describePeriod(regime)}).${values.fxText}`,
    };
    return { lines: [line], total: 0, notes: [] };
  }
  if (!low) return tariffLines(input, profile, facts, `Intrinsic value ${test}: no interim flat duty.`);
  if (lv.scope === 'ioss-only' && !facts.vendorCollected) {
    const why = `Intrinsic value ${test}, but the interim flat duty applies only to IOSS consignments (scope 'ioss-only').`;
    return tariffLines(input, profile, facts, why);
  }
  return flatLines(input, profile, facts, regime, test);
}
