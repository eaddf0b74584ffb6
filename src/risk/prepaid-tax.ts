/** Prepaid tax mismatch: the tax a seller or platform says it charged at checkout (IOSS) against what revenue computes. */
import type { ConsignmentInput } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { toNumber } from './values.js';

/** What revenue computed as collected at checkout: the prepaid amount and its currency. */
export interface PrepaidComputed {
  amount: string;
  currency: string;
  /** The declared tax paid converted to `currency` at the tax point's exchange rate (revenue.prepaidDeclared). */
  declared?: string;
}

/** Module version recorded on hits. */
export const PREPAID_TAX_VERSION = 1;

// Rounding and FX differences below this share of the computed tax are not a finding.
const TOLERANCE = 0.02;

/**
 * Scores a declared tax paid below the computed prepaid tax: the shortfall's share of the computed
 * amount, doubled and capped at 1 (declaring half the tax scores 1). Over-declaring is not scored.
 */
export function assessPrepaidTax(
  c: ConsignmentInput,
  computed: PrepaidComputed | undefined,
): IndicatorResult {
  const paid = c.taxCollection?.taxPaid;
  if (computed === undefined || paid === undefined) return quiet('prepaid-tax', PREPAID_TAX_VERSION);
  // Declared in another currency: compared at the exchange rate of the revenue's tax point.
  const same = paid.currency === computed.currency;
  if (!same && computed.declared === undefined) return quiet('prepaid-tax', PREPAID_TAX_VERSION);
  const declaredText = same ? paid.amount : (computed.declared as string);
  const due = toNumber(computed.amount);
  const declared = toNumber(declaredText);
  if (!(due > 0) || !(declared < due * (1 - TOLERANCE))) return quiet('prepaid-tax', PREPAID_TAX_VERSION);
  const share = (due - declared) / due;
  return {
    id: 'prepaid-tax',
    version: PREPAID_TAX_VERSION,
    score: round2(Math.min(1, 2 * share)),
    reason:
      `tax paid at checkout declared as ${paid.amount} ${paid.currency}` +
      `${same ? '' : ` (${declaredText} ${computed.currency} at the tax point's rate)`}, ` +
      `${Math.round(100 * share)}% below the ${computed.amount} ${computed.currency} computed for this consignment`,
    inputs: { declared: declaredText, computed: computed.amount, currency: computed.currency },
  };
}
