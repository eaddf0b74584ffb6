/** EU customs duty on low-value and other consignments: relief, interim flat duty or tariff (docs/rules/eu.md). */
import { Dec, type ConsignmentInput, type TaxLine } from '../domain/index.js';
import { activeAt, describePeriod, describeTest, within } from './periods.js';
import type { CompiledDutyRegime, CompiledProfile } from './profile.js';
import { apportion, type ConsignmentValues } from './valuation.js';

const ZERO = new Dec(0);

/** Facts the duty rules need besides the consignment. */
export interface DutyFacts {
  readonly date: string;
  readonly values: ConsignmentValues;
  /** True when the consignment is accepted under a vendor scheme (IOSS). */
  readonly vendorCollected: boolean;
}

/** Duty lines plus their total (exact sum of rounded lines) and notes. */
export interface DutyResult {
  readonly lines: TaxLine[];
  readonly total: Dec;
  readonly notes: string[];
}

/** The distinct 6-digit subheadings of a consignment; an item without HS code counts on its own. */
export function subheadingGroups(input: ConsignmentInput): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  input.items.forEach((item, i) => {
    const key = item.hsCode === undefined ? `#${i}` : item.hsCode.slice(0, 6);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  });
  return groups;
}

function tariffLines(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: DutyFacts,
  why: string,
): DutyResult {
  const { values } = facts;
  const cur = profile.raw.currency;
  const p = profile.places;
  const extra = values.transport.plus(values.insurance);
  const bases = apportion(values.items, extra, p);
  const lines: TaxLine[] = [];
  let total = ZERO;
  input.items.forEach((item, i) => {
    const base = bases[i] ?? ZERO;
    const baseText = base.toFixed(p);
    const hit = profile.tariff.lookup(item.hsCode);
    const amount = hit.rate.isZero() ? ZERO : base.times(hit.rate).toDecimalPlaces(p, Dec.ROUND_HALF_UP);
    total = total.plus(amount);
    const matched =
      hit.prefix === undefined
        ? `HS ${item.hsCode ?? '(none)'} is not in tariff ${profile.tariff.version}; ${hit.description} applies`
        : `HS ${item.hsCode ?? ''} matches tariff line ${hit.prefix} (${hit.description}) in ${profile.tariff.version}`;
    const share = extra.isZero() ? '' : `, including its share of transport and insurance`;
    lines.push({
      type: 'duty',
      itemIndex: i,
      base: baseText,
      rate: hit.rateText,
      amount: amount.toFixed(p),
      measure:
        hit.prefix === undefined ? 'Third-country duty (default rate)' : `Third-country duty ${hit.prefix}`,
      collectedBy: 'border',
      explanation:
        `${why} Ad valorem duty ${hit.rateText} on the item's customs value ${baseText} ${cur}${share}. ` +
        `${matched}${hit.verified ? '' : ' (rate not verified)'}.${values.fxText}`,
    });
  });
  return { lines, total, notes: [] };
}

function flatLines(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: DutyFacts,
  regime: CompiledDutyRegime,
  test: string,
): DutyResult {
  const lv = regime.lowValue;
  if (lv.kind !== 'flat-per-subheading') return { lines: [], total: ZERO, notes: [] };
  const cur = profile.raw.currency;
  const p = profile.places;
  const groups = subheadingGroups(input);
  const amount = lv.amount.toFixed(p);
  const lines: TaxLine[] = [];
  for (const [key, indexes] of groups) {
    let base = ZERO;
    for (const i of indexes) base = base.plus(facts.values.items[i] ?? ZERO);
    const baseText = base.toFixed(p);
    const first = indexes[0] ?? 0;
    const what = key.startsWith('#')
      ? `item ${first} (no HS code, counted as its own subheading)`
      : `subheading ${key}`;
    lines.push({
      type: 'duty',
      itemIndex: first,
      base: baseText,
      rate: `${amount} ${cur} per tariff subheading`,
      amount,
      measure: lv.measure,
      collectedBy: 'border',
      explanation:
        `Intrinsic value ${test}: interim flat duty of ${amount} ${cur} per distinct tariff subheading ` +
        `(${describePeriod(regime)}) for ${what}, covering item(s) ${indexes.join(', ')} worth ${baseText} ${cur}; ` +
        `${groups.size} subheading(s) in the consignment.` +
        (lv.scopeVerified ? '' : ` Scope '${lv.scope}' not verified.`) +
        facts.values.fxText,
    });
  }
  return { lines, total: lv.amount.toDecimalPlaces(p).times(groups.size), notes: [] };
}

/** Computes the duty lines for the regime in force on the relevant date. */
export function assessEuDuty(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: DutyFacts,
): DutyResult {
  const cur = profile.raw.currency;
  const p = profile.places;
  const regime = activeAt(profile.dutyRegimes, facts.date);
  const intrinsicText = facts.values.text.intrinsic;
  if (regime === undefined) {
    const r = tariffLines(input, profile, facts, `No low-value duty regime in force on ${facts.date}.`);
    return {
      ...r,
      notes: [`no duty regime in profile ${profile.raw.version} for ${facts.date}; tariff applied`],
    };
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
  const low = within(facts.values.intrinsic, lv.threshold);
  const test = describeTest(intrinsicText, cur, lv.threshold, low);
  if (lv.kind === 'relief') {
    if (!low) return tariffLines(input, profile, facts, `Intrinsic value ${test}: no duty relief.`);
    const line: TaxLine = {
      type: 'duty',
      base: facts.values.text.customsValue,
      rate: '0',
      amount: ZERO.toFixed(p),
      measure: lv.measure,
      collectedBy: 'none',
      explanation:
        `Intrinsic value ${test} per consignment: relief from customs duty for goods of negligible value ` +
        `(${lv.measure}, ${describePeriod(regime)}).${facts.values.fxText}`,
    };
    return { lines: [line], total: ZERO, notes: [] };
  }
  if (!low) return tariffLines(input, profile, facts, `Intrinsic value ${test}: no interim flat duty.`);
  if (lv.scope === 'ioss-only' && !facts.vendorCollected) {
    const why = `Intrinsic value ${test}, but the interim flat duty applies only to IOSS consignments (scope 'ioss-only').`;
    return tariffLines(input, profile, facts, why);
  }
  return flatLines(input, profile, facts, regime, test);
}
