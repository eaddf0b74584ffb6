/**
 * The prepaid-tax indicator after a revenue re-assessment (the carrier's arrival moves the tax point,
 * docs/revenue.md): the tax declared as paid at checkout is checked again against the tax computed on
 * the new tax point, so the indicator and the import assessment read the rate of the same date.
 */
import type { ConsignmentInput, RevenueAssessment, RiskAssessment, RiskHit } from '../domain/index.js';
import type { CompiledRuleSet } from './compile-rules.js';
import { assessPrepaidTax, type PrepaidComputed } from './prepaid-tax.js';

/** What revenue computed as collected at checkout, as assess() hands it to the risk engine. */
export function prepaidComputedOf(revenue: RevenueAssessment): PrepaidComputed | undefined {
  if (revenue.collectionModel === 'border') return undefined;
  const declared = revenue.prepaidDeclared;
  return declared === undefined
    ? { amount: revenue.prepaid, currency: revenue.currency }
    : { amount: revenue.prepaid, currency: revenue.currency, declared };
}

/**
 * The risk with its prepaid-tax hit recomputed against `revenue`: the old hit is replaced (or removed,
 * or added) with the weight and threshold of the rule set it was assessed under, and the score moves
 * by the difference. The lane, the security outcome and the selection are kept (the
 * decision stands). Unchanged when the rule set is not the one the risk was assessed under.
 */
export function revisePrepaidHit(
  risk: RiskAssessment,
  input: ConsignmentInput,
  revenue: RevenueAssessment,
  ruleSet: CompiledRuleSet,
): RiskAssessment {
  if (ruleSet.key !== risk.ruleSetVersion) return risk;
  const setting = ruleSet.indicators['prepaid-tax'];
  const r = assessPrepaidTax(input, prepaidComputedOf(revenue));
  const hit: RiskHit | undefined =
    setting === undefined || r.score <= 0 || r.score < setting.threshold
      ? undefined
      : {
          id: r.id,
          version: r.version,
          kind: 'indicator',
          score: Math.round(setting.weight * r.score),
          reason: r.reason,
          inputs: { score: r.score, ...r.inputs },
        };
  const at = risk.hits.findIndex((h) => h.kind === 'indicator' && h.id === 'prepaid-tax');
  const old = at < 0 ? undefined : risk.hits[at];
  if (old === undefined && hit === undefined) return risk;
  if (old !== undefined && hit !== undefined && JSON.stringify(old) === JSON.stringify(hit)) return risk;
  // Replaced in place; a new hit goes where assessRisk puts indicators (before the rules' hits).
  const first = risk.hits.findIndex((h) => h.kind !== 'indicator');
  const cut = at >= 0 ? at : first < 0 ? risk.hits.length : first;
  const hits = [
    ...risk.hits.slice(0, cut),
    ...(hit === undefined ? [] : [hit]),
    ...risk.hits.slice(at >= 0 ? at + 1 : cut),
  ];
  // The score moves by the difference (facilitation may have scaled it: not re-applied here).
  const score = Math.max(0, Math.min(100, risk.score + (hit?.score ?? 0) - (old?.score ?? 0)));
  return { ...risk, hits, score };
}
