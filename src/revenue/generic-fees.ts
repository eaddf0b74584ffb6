/** Subheading counting, the flat-duty scope test and border fees (docs/rules/eu.md). */
import type { ConsignmentInput, TaxLine } from '../domain/index.js';
import { testAll, type RuleFacts } from './generic-profile.js';
import type { Fee, FlatDuty } from './generic-schema.js';
import { constant, fixed, round } from './money.js';
import { describePeriod, isActive } from './periods.js';

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

/** Whether a flat duty applies given its threshold test and whether a vendor scheme collects the VAT. */
export function flatDutyApplies(
  flat: FlatDuty,
  withinThreshold: boolean,
  vendorCollected: boolean,
): { ok: boolean; why: string } {
  if (!withinThreshold) return { ok: false, why: 'no flat duty, tariff duty applies.' };
  if (flat.scope === 'ioss-only' && !vendorCollected)
    return {
      ok: false,
      why: "the flat duty applies only to consignments under a vendor scheme (scope 'ioss-only'); tariff duty applies.",
    };
  return { ok: true, why: '' };
}

/** The enabled fees in force for the consignment, as border lines. */
export function feeLines(f: RuleFacts, fees: readonly Fee[]): TaxLine[] {
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  const lines: TaxLine[] = [];
  for (const fee of fees) {
    if (!fee.enabled || !isActive(fee, f.date)) continue;
    if (fee.countries !== undefined && !fee.countries.includes(f.country)) continue;
    let test = '';
    if (fee.lowValueOnly !== undefined) {
      const t = testAll(fee.lowValueOnly, f);
      if (!t.within) continue;
      test = ` ${t.text}.`;
    }
    const count =
      fee.per === 'consignment'
        ? 1
        : fee.per === 'item'
          ? f.input.items.length
          : subheadingGroups(f.input).size;
    const each = constant(fee.amount);
    const due = round(each * count, p);
    lines.push({
      type: 'fee',
      base: String(count),
      rate: `${fixed(each, p)} ${cur} per ${fee.per}`,
      amount: fixed(due, p),
      measure: fee.measure,
      collectedBy: 'border',
      explanation:
        `${fee.measure}: ${fixed(each, p)} ${cur} x ${count} ${fee.per}(s), ${describePeriod(fee)}.${test}` +
        (fee.verified ? '' : ' Not verified.'),
    });
  }
  return lines;
}
