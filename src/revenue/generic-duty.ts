/** Duty and excise lines: relief, flat duty per subheading, tariff schedule measures, surcharges, postal option. */
import type { TaxLine } from '../domain/index.js';
import { subheadingGroups } from './generic-fees.js';
import type { FlatDuty, Regime } from './generic-schema.js';
import type { RuleFacts } from './generic-profile.js';
import {
  constant,
  complement,
  divide,
  fixed,
  rate,
  round as roundTo,
  mulDiv,
  ONE,
  times,
  units,
  ZERO,
  type Amount,
  type Rate,
} from './money.js';
import { applyMeasure, type ItemFacts } from './tariff-schedule.js';

/** How duty is charged for this consignment. */
export type DutyMode =
  | { kind: 'relieved'; why: string; measure: string }
  | { kind: 'tariff'; why: string; relievedItems: ReadonlySet<number> }
  | { kind: 'reduced'; why: string; rate: Rate; measure: string }
  | { kind: 'flat'; why: string; flat: FlatDuty; period: string };

/** Who collects, and the factor applied to excise (China CBEC 70%). */
export interface DutyCollection {
  readonly collectedBy: TaxLine['collectedBy'];
  readonly taxFactor: Rate;
  readonly factorText: string;
}

/** Duty and excise lines, with per-item amounts for the VAT base. */
export interface DutyOutcome {
  readonly lines: TaxLine[];
  readonly dutyByItem: Amount[];
  /** Statutory (unreduced) excise per item, carried at 6 decimals: the composite VAT base uses it. */
  readonly exciseFullByItem: Amount[];
}

function itemFacts(f: RuleFacts, i: number, totalNet: number): ItemFacts {
  const item = f.input.items[i];
  const netGrams = item?.netWeightGrams ?? 0;
  const gross = f.input.totals?.grossWeightGrams;
  const netKg = netGrams * (ONE / 1000);
  // Gross weight is declared per consignment; each item takes its net-weight share of it.
  const grossKg =
    gross === undefined || totalNet === 0 ? netKg : mulDiv(gross * (ONE / 1000), netGrams, totalNet);
  return { base: f.customsItems[i] ?? ZERO, quantity: units(item?.quantity ?? 1), netKg, grossKg };
}

function round(f: RuleFacts, v: Amount): Amount {
  return roundTo(v, f.profile.places);
}

function flatLines(f: RuleFacts, mode: Extract<DutyMode, { kind: 'flat' }>, c: DutyCollection): DutyOutcome {
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  const flat = mode.flat;
  const each = round(f, constant(flat.amount));
  const amountText = fixed(each, p);
  const groups = subheadingGroups(f.input);
  const lines: TaxLine[] = [];
  const dutyByItem: Amount[] = f.input.items.map(() => ZERO);
  for (const [key, indexes] of groups) {
    let base = ZERO;
    for (const i of indexes) base += f.values.items[i] ?? ZERO;
    const baseText = fixed(base, p);
    const first = indexes[0] ?? 0;
    dutyByItem[first] = (dutyByItem[first] ?? ZERO) + each;
    const what = key.startsWith('#')
      ? `item ${first} (no HS code, counted as its own subheading)`
      : `subheading ${key}`;
    lines.push({
      type: 'duty',
      itemIndex: first,
      base: baseText,
      rate: `${amountText} ${cur} per tariff subheading`,
      amount: amountText,
      measure: flat.measure,
      collectedBy: c.collectedBy,
      explanation:
        `Flat duty: ${mode.why}: ${amountText} ${cur} per distinct tariff subheading (${mode.period}) for ${what}, ` +
        `covering item(s) ${indexes.join(', ')} worth ${baseText} ${cur}; ${groups.size} subheading(s) in the consignment.` +
        (flat.scopeVerified ? '' : ` Scope '${flat.scope}' not verified.`) +
        f.values.fxText,
    });
  }
  return { lines, dutyByItem, exciseFullByItem: f.input.items.map(() => ZERO) };
}

/** Computes duty (and excise from the schedule) for every item. */
export function dutyLines(f: RuleFacts, regime: Regime, mode: DutyMode, c: DutyCollection): DutyOutcome {
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  if (mode.kind === 'flat') return flatLines(f, mode, c);
  const lines: TaxLine[] = [];
  const dutyByItem: Amount[] = [];
  const exciseFullByItem: Amount[] = [];
  let totalNet = 0;
  for (const it of f.input.items) totalNet += it.netWeightGrams;
  if (mode.kind === 'relieved') {
    lines.push({
      type: 'duty',
      base: fixed(f.customsValue, p),
      rate: '0',
      amount: fixed(ZERO, p),
      measure: mode.measure,
      collectedBy: 'none',
      explanation: `${mode.why}${f.values.fxText}`,
    });
  }
  const postal = regime.postalSpecific;
  const usePostal =
    postal !== undefined &&
    f.channel === 'postal' &&
    f.options.postalDutyMethod === 'specific' &&
    postal.from <= f.date &&
    (postal.to === undefined || f.date < postal.to);
  f.input.items.forEach((item, i) => {
    const facts = itemFacts(f, i, totalNet);
    const hit = f.profile.schedule.lookup(item.hsCode, item.origin);
    const m = hit.measure;
    let duty = ZERO;
    const push = (amount: Amount, rateText: string, measure: string, explanation: string) => {
      lines.push({
        type: 'duty',
        itemIndex: i,
        base: fixed(facts.base, p),
        rate: rateText,
        amount: fixed(amount, p),
        measure,
        collectedBy: c.collectedBy,
        explanation: `${explanation}${f.values.fxText}`,
      });
      duty += amount;
    };
    if (mode.kind === 'reduced') {
      const amount = times(facts.base, mode.rate, p);
      push(
        amount,
        mode.rate.text,
        mode.measure,
        `${mode.why} Duty rate ${mode.rate.text} on ${fixed(facts.base, p)} ${cur}.`,
      );
    } else if (mode.kind === 'tariff' && !mode.relievedItems.has(i)) {
      const applied = applyMeasure(m ?? { adValorem: f.profile.schedule.raw.default.adValorem }, facts, cur);
      const amount = round(f, applied.amount);
      push(
        amount,
        applied.rateText,
        m === undefined ? 'Customs duty (default rate)' : `Customs duty ${m.prefix}`,
        `${mode.why} HS ${item.hsCode ?? '(none)'} origin ${item.origin}: ${hit.label} in ${f.profile.schedule.version}` +
          `${hit.verified ? '' : ' (not verified)'}; ${applied.formula} = ${fixed(amount, p)} ${cur}.`,
      );
      for (const a of f.profile.schedule.additional(item.hsCode, item.origin, f.date)) {
        if (usePostal && postal.replacesMeasure === a.id) {
          const tier = postal.amounts.find((t) => t.origins.includes(item.origin));
          const specific = constant(tier?.amount ?? postal.defaultAmount);
          push(
            round(f, specific),
            `${fixed(specific, p)} ${cur} per item`,
            postal.measure,
            `Postal item: the carrier elected the specific duty of ${fixed(specific, p)} ${cur} per item instead of ` +
              `${a.measure}${postal.verified ? '' : ' (amount not verified)'}.`,
          );
          continue;
        }
        const extra = applyMeasure(a, facts, cur);
        const amt = round(f, extra.amount);
        push(
          amt,
          extra.rateText,
          a.measure,
          `Additional measure ${a.id} (${a.from} to ${a.to ?? 'open'})${a.verified ? '' : ' (not verified)'}: ` +
            `${extra.formula} = ${fixed(amt, p)} ${cur}.`,
        );
      }
    } else if (mode.kind === 'tariff') {
      lines.push({
        type: 'duty',
        itemIndex: i,
        base: fixed(facts.base, p),
        rate: '0',
        amount: fixed(ZERO, p),
        measure: 'Duty relief (item within threshold)',
        collectedBy: 'none',
        explanation: `${mode.why}${f.values.fxText}`,
      });
    }
    dutyByItem.push(duty);
    let exciseFull = ZERO;
    if (m?.exciseRate !== undefined && !rate(m.exciseRate).isZero) {
      const r = rate(m.exciseRate);
      // Composite base (value + duty) / (1 - rate): the tax-inclusive consumption-tax base (docs/rules/cn.md).
      exciseFull = times(divide(facts.base + duty, complement(r)), r);
      const amount = times(exciseFull, c.taxFactor, p);
      lines.push({
        type: 'excise',
        itemIndex: i,
        base: fixed(facts.base + duty, p),
        rate: r.text,
        amount: fixed(amount, p),
        measure: `Consumption tax ${m.prefix}`,
        collectedBy: c.collectedBy,
        explanation:
          `Excise ${r.text} on (value + duty) / (1 - ${r.text}) = ${fixed(exciseFull, p)} ${cur}` +
          `${c.factorText}; rounded half-up to ${p} decimals.${m.verified ? '' : ' Rate not verified.'}`,
      });
    }
    exciseFullByItem.push(exciseFull);
  });
  return { lines, dutyByItem, exciseFullByItem };
}
