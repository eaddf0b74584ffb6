/**
 * The integer fast path of assessEu (eu-engine.ts): same collection model, lines, texts and notes,
 * with amounts in micro-units. Returns undefined when the decimal.js path must decide instead.
 */
import { Dec, type ConsignmentInput, type RevenueAssessment, type TaxLine } from '../domain/index.js';
import { subheadingGroups } from './eu-duty.js';
import { assessEuDutyFast } from './fast-duty.js';
import type { FastValues } from './fast-valuation.js';
import { constMicro, fixed, parseMicro, roundTo, timesRate, withinMicro, type FixedRate } from './fixed.js';
import { describePeriod, describeTest, isActive } from './periods.js';
import type { CompiledProfile } from './profile.js';
import type { VatRate } from './vat-rates.js';

type Model = RevenueAssessment['collectionModel'];

/** What the fast EU engine needs besides the consignment (see EuFacts). */
export interface FastEuFacts {
  readonly country: string;
  readonly date: string;
  readonly values: FastValues;
  readonly vat: VatRate;
  readonly vatRate: FixedRate;
}

/** The engine's result with micro-unit totals (see EngineResult). */
export interface FastEngineResult {
  readonly collectionModel: Model;
  readonly lines: TaxLine[];
  readonly notes: string[];
  readonly dueAtBorder: number;
  readonly prepaid: number;
  readonly total: number;
}

interface ModelChoice {
  model: Model;
  reason: string;
  measure: string;
}

const BORDER: ModelChoice = {
  model: 'border',
  reason: 'Standard import mechanism: import VAT is paid by the consignee at import.',
  measure: 'Import VAT (standard mechanism)',
};

function chooseModel(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: FastEuFacts,
  notes: string[],
): ModelChoice {
  const cur = profile.raw.currency;
  const intrinsic = facts.values.text.intrinsic;
  const tc = input.taxCollection;
  if (tc !== undefined) {
    const scheme = profile.vendorSchemes.find((s) => s.raw.scheme === tc.scheme && isActive(s, facts.date));
    if (scheme !== undefined) {
      const ok = withinMicro(facts.values.intrinsic, scheme.threshold);
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
  const codes = input.additionalProcedureCodes;
  if (codes === undefined || codes.length === 0) return BORDER;
  for (const s of profile.intermediarySchemes) {
    if (!isActive(s, facts.date) || !(codes as readonly string[]).includes(s.raw.procedureCode)) continue;
    const ok = withinMicro(facts.values.intrinsic, s.threshold);
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
  return BORDER;
}

function vatLine(
  profile: CompiledProfile,
  facts: FastEuFacts,
  choice: ModelChoice,
  duty: number,
): { line: TaxLine; amount: number } {
  const p = profile.places;
  const t = facts.values.text;
  const withDuty = choice.model !== 'vendor' && duty !== 0;
  const base = withDuty ? facts.values.customsValue + duty : facts.values.customsValue;
  const baseText = withDuty ? fixed(base, p) : t.customsValue;
  const dutyText = withDuty ? ` + duty ${fixed(duty, p)}` : '';
  const r = facts.vat;
  const amount = timesRate(base, facts.vatRate, p);
  const line: TaxLine = {
    type: 'vat',
    base: baseText,
    rate: r.rateText,
    amount: fixed(amount, p),
    measure: choice.measure,
    collectedBy:
      choice.model === 'vendor' ? 'vendor' : choice.model === 'intermediary' ? 'intermediary' : 'border',
    explanation:
      `${choice.reason} VAT ${r.percent}% (${facts.country} standard rate, in force from ${r.from}, source ${r.source}) ` +
      `on ${baseText} ${profile.raw.currency} = goods ${t.intrinsic} + transport ${t.transport} + insurance ${t.insurance}${dutyText}; ` +
      `rounded half-up to ${p} decimals.${facts.values.fxText}`,
  };
  return { line, amount };
}

function addFees(input: ConsignmentInput, profile: CompiledProfile, facts: FastEuFacts, acc: Totals): void {
  const p = profile.places;
  const cur = profile.raw.currency;
  for (const fee of profile.fees) {
    const f = fee.raw;
    if (!f.enabled || !isActive(fee, facts.date)) continue;
    if (f.countries !== undefined && !f.countries.includes(facts.country)) continue;
    let test = '';
    if (fee.lowValueOnly !== undefined) {
      const ok = withinMicro(facts.values.intrinsic, fee.lowValueOnly);
      if (!ok) continue;
      test = ` Intrinsic value ${describeTest(facts.values.text.intrinsic, cur, fee.lowValueOnly, ok)}.`;
    }
    const count =
      f.per === 'consignment' ? 1 : f.per === 'item' ? input.items.length : subheadingGroups(input).size;
    const unit = constMicro(fee.amount);
    const unitText = fixed(unit, p);
    const amount = roundTo(unit * count, p);
    acc.lines.push({
      type: 'fee',
      base: String(count),
      rate: `${unitText} ${cur} per ${f.per}`,
      amount: fixed(amount, p),
      measure: f.measure,
      collectedBy: 'border',
      explanation:
        `${f.measure}: ${unitText} ${cur} x ${count} ${f.per}(s), ${describePeriod(fee)}.${test}` +
        (f.verified ? '' : ' Not verified.'),
    });
    acc.dueAtBorder += amount;
    acc.total += amount;
  }
}

interface Totals {
  lines: TaxLine[];
  dueAtBorder: number;
  total: number;
}

function declaredNote(
  input: ConsignmentInput,
  profile: CompiledProfile,
  vat: number,
  vatText: string,
): string | undefined {
  const tc = input.taxCollection;
  const paid = tc?.taxPaid;
  if (tc === undefined || paid === undefined || paid.currency !== profile.raw.currency) return undefined;
  const micro = parseMicro(paid.amount);
  if (micro !== undefined) {
    if (micro === vat) return undefined;
    return `declared ${tc.scheme} tax paid ${fixed(micro, profile.places)} differs from computed ${vatText}`;
  }
  const declared = new Dec(paid.amount);
  if (declared.equals(new Dec(vatText))) return undefined;
  return `declared ${tc.scheme} tax paid ${declared.toFixed(profile.places)} differs from computed ${vatText}`;
}

/** Integer twin of assessEu; undefined when a rate is not a plain decimal (use assessEu). */
export function assessEuFast(
  input: ConsignmentInput,
  profile: CompiledProfile,
  facts: FastEuFacts,
): FastEngineResult | undefined {
  const notes: string[] = [];
  const choice = chooseModel(input, profile, facts, notes);
  const duty = assessEuDutyFast(input, profile, {
    date: facts.date,
    values: facts.values,
    vendorCollected: choice.model === 'vendor',
  });
  if (duty === undefined) return undefined;
  const vat = vatLine(profile, facts, choice, duty.total);
  if (choice.model === 'vendor') {
    const note = declaredNote(input, profile, vat.amount, vat.line.amount);
    if (note !== undefined) notes.push(note);
  }
  const collectedBy = vat.line.collectedBy;
  const acc: Totals = {
    lines: duty.lines,
    dueAtBorder: collectedBy === 'border' ? duty.total + vat.amount : duty.total,
    total: duty.total + vat.amount,
  };
  acc.lines.push(vat.line);
  addFees(input, profile, facts, acc);
  return {
    collectionModel: choice.model,
    lines: acc.lines,
    notes: duty.notes.length === 0 ? notes : [...notes, ...duty.notes],
    dueAtBorder: acc.dueAtBorder,
    prepaid: collectedBy === 'vendor' ? vat.amount : 0,
    total: acc.total,
  };
}
