/**
 * EU VAT e-commerce package (since 2021-07-01) and the 2026-2028 low-value duty reform.
 * Chooses the collection model (IOSS vendor, special arrangements intermediary, or border),
 * then duty, VAT and fees. Rules and sources: docs/rules/eu.md.
 */
import { Dec, type ConsignmentInput, type RevenueAssessment, type TaxLine } from '../domain/index.js';
import { assessEuDuty, subheadingGroups } from './eu-duty.js';
import { activeAt, describePeriod, describeTest, isActive, within } from './periods.js';
import type { CompiledProfile } from './profile.js';
import type { VatRate } from './vat-rates.js';
import type { ConsignmentValues } from './valuation.js';

type Model = RevenueAssessment['collectionModel'];

const ZERO = new Dec(0);

/** What the EU engine needs besides the consignment. */
export interface EuFacts {
  readonly country: string;
  readonly date: string;
  readonly values: ConsignmentValues;
  readonly vat: VatRate;
}

/** The engine's result, before the dispatcher adds currency, versions and fx records. */
export interface EngineResult {
  readonly collectionModel: Model;
  readonly lines: TaxLine[];
  readonly notes: string[];
  /** Sums of the rounded line amounts: collected by 'border', by 'vendor'/'platform', and all. */
  readonly dueAtBorder: Dec;
  readonly prepaid: Dec;
  readonly total: Dec;
}

interface Priced {
  readonly line: TaxLine;
  readonly amount: Dec;
}

interface ModelChoice {
  model: Model;
  /** Why this model, for the VAT explanation. */
  reason: string;
  measure: string;
}

function chooseModel(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: EuFacts,
  notes: string[],
): ModelChoice {
  const cur = profile.raw.currency;
  const intrinsic = facts.values.text.intrinsic;
  const tc = input.taxCollection;
  if (tc !== undefined) {
    const scheme = activeAt(
      profile.vendorSchemes.filter((s) => s.raw.scheme === tc.scheme),
      facts.date,
    );
    if (scheme !== undefined) {
      const ok = within(facts.values.intrinsic, scheme.threshold);
      const test = describeTest(intrinsic, cur, scheme.threshold, ok);
      if (!scheme.pattern.test(tc.number)) {
        notes.push(`${tc.scheme} number ${tc.number} has an invalid format; standard import VAT applies`);
      } else if (!ok) {
        notes.push(`${tc.scheme} not allowed: intrinsic value ${test}; standard import VAT applies`);
      } else {
        return {
          model: 'vendor',
          reason: `${tc.scheme} ${tc.number} and intrinsic value ${test}: VAT was charged to the buyer at checkout by the seller or platform and the import is VAT-exempt; shown for information.`,
          measure: scheme.raw.measure,
        };
      }
    }
  }
  const codes = input.additionalProcedureCodes ?? [];
  for (const s of profile.intermediarySchemes) {
    if (!isActive(s, facts.date) || !(codes as string[]).includes(s.raw.procedureCode)) continue;
    const ok = within(facts.values.intrinsic, s.threshold);
    const test = describeTest(intrinsic, cur, s.threshold, ok);
    if (!ok) {
      notes.push(
        `${s.raw.procedureCode} special arrangements not allowed: intrinsic value ${test}; standard import VAT applies`,
      );
      break;
    }
    return {
      model: 'intermediary',
      reason: `Procedure code ${s.raw.procedureCode} and intrinsic value ${test}: the person presenting the goods collects VAT from the consignee at the standard rate and pays it monthly (only if delivered).`,
      measure: s.raw.measure,
    };
  }
  return {
    model: 'border',
    reason: 'Standard import mechanism: import VAT is paid by the consignee at import.',
    measure: 'Import VAT (standard mechanism)',
  };
}

function vatLine(profile: CompiledProfile, facts: EuFacts, choice: ModelChoice, duty: Dec): Priced {
  const p = profile.places;
  const cur = profile.raw.currency;
  const t = facts.values.text;
  // Import VAT base includes duty; IOSS VAT is a supply VAT on the price (goods + delivery charged).
  const withDuty = choice.model !== 'vendor' && !duty.isZero();
  const base = withDuty ? facts.values.customsValue.plus(duty) : facts.values.customsValue;
  const baseText = withDuty ? base.toFixed(p) : t.customsValue;
  const dutyText = withDuty ? ` + duty ${duty.toFixed(p)}` : '';
  const r = facts.vat;
  const amount = base.times(r.rate).toDecimalPlaces(p, Dec.ROUND_HALF_UP);
  const line: TaxLine = {
    type: 'vat',
    base: baseText,
    rate: r.rateText,
    amount: amount.toFixed(p),
    measure: choice.measure,
    collectedBy:
      choice.model === 'vendor' ? 'vendor' : choice.model === 'intermediary' ? 'intermediary' : 'border',
    explanation:
      `${choice.reason} VAT ${r.percent}% (${facts.country} standard rate, in force from ${r.from}, source ${r.source}) ` +
      `on ${baseText} ${cur} = goods ${t.intrinsic} + transport ${t.transport} + insurance ${t.insurance}${dutyText}; ` +
      `rounded half-up to ${p} decimals.${facts.values.fxText}`,
  };
  return { line, amount };
}

function feeLines(input: ConsignmentInput, profile: CompiledProfile, facts: EuFacts): Priced[] {
  const p = profile.places;
  const cur = profile.raw.currency;
  const lines: Priced[] = [];
  for (const fee of profile.fees) {
    const f = fee.raw;
    if (!f.enabled || !isActive(fee, facts.date)) continue;
    if (f.countries !== undefined && !f.countries.includes(facts.country)) continue;
    let test = '';
    if (fee.lowValueOnly !== undefined) {
      const ok = within(facts.values.intrinsic, fee.lowValueOnly);
      if (!ok) continue;
      test = ` Intrinsic value ${describeTest(facts.values.text.intrinsic, cur, fee.lowValueOnly, ok)}.`;
    }
    const count =
      f.per === 'consignment' ? 1 : f.per === 'item' ? input.items.length : subheadingGroups(input).size;
    const amount = fee.amount.times(count).toDecimalPlaces(p, Dec.ROUND_HALF_UP);
    const line: TaxLine = {
      type: 'fee',
      base: String(count),
      rate: `${fee.amount.toFixed(p)} ${cur} per ${f.per}`,
      amount: amount.toFixed(p),
      measure: f.measure,
      collectedBy: 'border',
      explanation:
        `${f.measure}: ${fee.amount.toFixed(p)} ${cur} x ${count} ${f.per}(s), ${describePeriod(fee)}.${test}` +
        (f.verified ? '' : ' Not verified.'),
    };
    lines.push({ line, amount });
  }
  return lines;
}

/** Assesses one consignment under the EU profile; pure. */
export function assessEu(input: ConsignmentInput, profile: CompiledProfile, facts: EuFacts): EngineResult {
  const notes: string[] = [];
  const choice = chooseModel(input, profile, facts, notes);
  const duty = assessEuDuty(input, profile, {
    date: facts.date,
    values: facts.values,
    vendorCollected: choice.model === 'vendor',
  });
  const vat = vatLine(profile, facts, choice, duty.total);
  const tc = input.taxCollection;
  if (
    choice.model === 'vendor' &&
    tc?.taxPaid !== undefined &&
    tc.taxPaid.currency === profile.raw.currency
  ) {
    const declared = new Dec(tc.taxPaid.amount);
    if (!declared.equals(vat.amount)) {
      notes.push(
        `declared ${tc.scheme} tax paid ${declared.toFixed(profile.places)} differs from computed ${vat.line.amount}`,
      );
    }
  }
  // Duty lines are collected at the border (or relieved at zero); VAT by the chosen model.
  let dueAtBorder = duty.total;
  let prepaid = ZERO;
  if (vat.line.collectedBy === 'border') dueAtBorder = dueAtBorder.plus(vat.amount);
  else if (vat.line.collectedBy === 'vendor') prepaid = vat.amount;
  let total = duty.total.plus(vat.amount);
  const lines = [...duty.lines, vat.line];
  for (const fee of feeLines(input, profile, facts)) {
    lines.push(fee.line);
    dueAtBorder = dueAtBorder.plus(fee.amount);
    total = total.plus(fee.amount);
  }
  return {
    collectionModel: choice.model,
    lines,
    notes: [...notes, ...duty.notes],
    dueAtBorder,
    prepaid,
    total,
  };
}
