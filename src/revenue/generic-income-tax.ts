/** Income tax prepaid at import (Indonesia PPh before 2020, docs/rules/id.md): a regime's `incomeTax`. */
import type { TaxLine } from '../domain/index.js';
import type { RuleFacts } from './generic-profile.js';
import type { Regime } from './generic-schema.js';
import { amount, fixed, rate, times, ZERO } from './money.js';
import { isActive } from './periods.js';

/**
 * One income-tax line on the import value (the border VAT base: CIF + duty) when customs duty is due
 * at the border; the consignee's taxpayer id (TIN) selects the rate. No line when the regime has none.
 */
export function incomeTaxLines(
  f: RuleFacts,
  regime: Regime,
  duty: readonly TaxLine[],
  vat: readonly TaxLine[],
): TaxLine[] {
  const t = regime.incomeTax;
  if (t === undefined || !isActive(t, f.date)) return [];
  if (!duty.some((l) => l.collectedBy === 'border')) return [];
  let base = ZERO;
  for (const l of vat) if (l.collectedBy === 'border') base += amount(l.base);
  if (base === ZERO) return [];
  const tin = f.input.consignee?.id?.type === 'TIN';
  const r = rate(tin ? t.rate : t.rateWithoutTin);
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  return [
    {
      type: 'income-tax',
      base: fixed(base, p),
      rate: r.text,
      amount: fixed(times(base, r, p), p),
      measure: t.measure,
      collectedBy: 'border',
      explanation:
        `Customs duty is due, so income tax is prepaid at import: ${r.percent}% ` +
        `(${tin ? 'consignee with a TIN' : 'no TIN shown: the higher rate'}) on the import value ` +
        `${fixed(base, p)} ${cur} (the ${f.profile.raw.taxName} base); rounded half-up to ${p} decimals` +
        `${t.verified ? '' : ' (not verified)'}; source ${t.source}.`,
    },
  ];
}
