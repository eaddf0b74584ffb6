/** Duty and excise lines of the generic engine: relief, tariff schedule measures, surcharges, postal option. */
import { Dec, dec, type TaxLine } from '../domain/index.js';
import type { Regime } from './generic-schema.js';
import type { RuleFacts } from './generic-profile.js';
import { applyMeasure, type ItemFacts } from './tariff-schedule.js';

const ZERO = new Dec(0);

/** How duty is charged for this consignment. */
export type DutyMode =
  | { kind: 'relieved'; why: string; measure: string }
  | { kind: 'tariff'; why: string; relievedItems: ReadonlySet<number> }
  | { kind: 'reduced'; why: string; rate: Dec; measure: string };

/** Who collects, and the factor applied to excise (China CBEC 70%). */
export interface DutyCollection {
  readonly collectedBy: TaxLine['collectedBy'];
  readonly taxFactor: Dec;
  readonly factorText: string;
}

/** Duty and excise lines, with per-item amounts for the VAT base. */
export interface DutyOutcome {
  readonly lines: TaxLine[];
  readonly dutyByItem: Dec[];
  /** Statutory (unreduced, unrounded) excise per item: the composite VAT base uses it. */
  readonly exciseFullByItem: Dec[];
}

function itemFacts(f: RuleFacts, i: number): ItemFacts {
  const item = f.input.items[i];
  const netGrams = item?.netWeightGrams ?? 0;
  let totalNet = 0;
  for (const it of f.input.items) totalNet += it.netWeightGrams;
  const gross = f.input.totals?.grossWeightGrams;
  // Gross weight is declared per consignment; each item takes its net-weight share of it.
  const grossKg =
    gross === undefined || totalNet === 0
      ? new Dec(netGrams).div(1000)
      : new Dec(gross).times(netGrams).div(totalNet).div(1000);
  return {
    base: f.customsItems[i] ?? ZERO,
    quantity: dec(String(item?.quantity ?? 1)),
    netKg: new Dec(netGrams).div(1000),
    grossKg,
  };
}

function round(f: RuleFacts, v: Dec): Dec {
  return v.toDecimalPlaces(f.profile.places, Dec.ROUND_HALF_UP);
}

/** Computes duty (and excise from the schedule) for every item. */
export function dutyLines(f: RuleFacts, regime: Regime, mode: DutyMode, c: DutyCollection): DutyOutcome {
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  const lines: TaxLine[] = [];
  const dutyByItem: Dec[] = [];
  const exciseFullByItem: Dec[] = [];
  if (mode.kind === 'relieved') {
    lines.push({
      type: 'duty',
      base: f.customsValue.toFixed(p),
      rate: '0',
      amount: ZERO.toFixed(p),
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
    const facts = itemFacts(f, i);
    const hit = f.profile.schedule.lookup(item.hsCode, item.origin);
    const m = hit.measure;
    let duty = ZERO;
    const push = (amount: Dec, rate: string, measure: string, explanation: string) => {
      lines.push({
        type: 'duty',
        itemIndex: i,
        base: facts.base.toFixed(p),
        rate,
        amount: amount.toFixed(p),
        measure,
        collectedBy: c.collectedBy,
        explanation: `${explanation}${f.values.fxText}`,
      });
      duty = duty.plus(amount);
    };
    if (mode.kind === 'reduced') {
      const amount = round(f, facts.base.times(mode.rate));
      push(
        amount,
        mode.rate.toFixed(),
        mode.measure,
        `${mode.why} Duty rate ${mode.rate.toFixed()} on ${facts.base.toFixed(p)} ${cur}.`,
      );
    } else if (mode.kind === 'tariff' && !mode.relievedItems.has(i)) {
      const applied = applyMeasure(m ?? { adValorem: f.profile.schedule.raw.default.adValorem }, facts, cur);
      const amount = round(f, applied.amount);
      push(
        amount,
        applied.rateText,
        m === undefined ? 'Customs duty (default rate)' : `Customs duty ${m.prefix}`,
        `${mode.why} HS ${item.hsCode ?? '(none)'} origin ${item.origin}: ${hit.label} in ${f.profile.schedule.version}` +
          `${hit.verified ? '' : ' (not verified)'}; ${applied.formula} = ${amount.toFixed(p)} ${cur}.`,
      );
      for (const a of f.profile.schedule.additional(item.hsCode, item.origin, f.date)) {
        if (usePostal && postal.replacesMeasure === a.id) {
          const tier = postal.amounts.find((t) => t.origins.includes(item.origin));
          const specific = dec(tier?.amount ?? postal.defaultAmount);
          push(
            round(f, specific),
            `${specific.toFixed(p)} ${cur} per item`,
            postal.measure,
            `Postal item: the carrier elected the specific duty of ${specific.toFixed(p)} ${cur} per item instead of ` +
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
            `${extra.formula} = ${amt.toFixed(p)} ${cur}.`,
        );
      }
    } else if (mode.kind === 'tariff') {
      lines.push({
        type: 'duty',
        itemIndex: i,
        base: facts.base.toFixed(p),
        rate: '0',
        amount: ZERO.toFixed(p),
        measure: 'Duty relief (item within threshold)',
        collectedBy: 'none',
        explanation: `${mode.why}${f.values.fxText}`,
      });
    }
    dutyByItem.push(duty);
    let exciseFull = ZERO;
    if (m?.exciseRate !== undefined && !dec(m.exciseRate).isZero()) {
      const r = dec(m.exciseRate);
      // Composite base (value + duty) / (1 - rate): the tax-inclusive consumption-tax base (docs/rules/cn.md).
      exciseFull = facts.base.plus(duty).div(new Dec(1).minus(r)).times(r);
      const amount = round(f, exciseFull.times(c.taxFactor));
      lines.push({
        type: 'excise',
        itemIndex: i,
        base: facts.base.plus(duty).toFixed(p),
        rate: r.toFixed(),
        amount: amount.toFixed(p),
        measure: `Consumption tax ${m.prefix}`,
        collectedBy: c.collectedBy,
        explanation:
          `Excise ${r.toFixed()} on (value + duty) / (1 - ${r.toFixed()}) = ${round(f, exciseFull).toFixed(p)} ${cur}` +
          `${c.factorText}; rounded half-up to ${p} decimals.${m.verified ? '' : ' Rate not verified.'}`,
      });
    }
    exciseFullByItem.push(exciseFull);
  });
  return { lines, dutyByItem, exciseFullByItem };
}
