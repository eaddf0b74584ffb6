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
  const only = t.hsPrefixes;
  const items: number[] = [];
  if (only === undefined) {
    for (const l of vat) if (l.collectedBy === 'border') base += amount(l.base);
  } else if (vat.some((l) => l.collectedBy === 'border')) {
    // Listed goods only, each on its import value: its customs value and the duty charged on it.
    f.input.items.forEach((item, i) => {
      const hs = item.hsCode;
      if (hs === undefined || !only.some((p) => hs.startsWith(p))) return;
      let own = f.customsItems[i] ?? ZERO;
      for (const l of duty) if (l.itemIndex === i && l.collectedBy === 'border') own += amount(l.amount);
      base += own;
      items.push(i);
    });
  }
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
        `${fixed(base, p)} ${cur} (${
          only === undefined
            ? `the ${f.profile.raw.taxName} base`
            : `customs value and duty of the listed goods, item(s) ${items.join(', ')}`
        }); rounded half-up to ${p} decimals` +
        `${t.verified ? '' : ' (not verified)'}; source ${t.source}.`,
    },
  ];
}
