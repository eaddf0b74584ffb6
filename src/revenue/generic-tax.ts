/** VAT/GST lines of the generic engine and the minimum-collection rules (docs/rules/<code>.md). */
import type { TaxLine } from '../domain/index.js';
import type { DutyCollection, DutyOutcome } from './generic-duty.js';
import { convertFrom, pickThreshold, testAll, type RuleFacts } from './generic-profile.js';
import type { GenericScheme, Regime } from './generic-schema.js';
import {
  amount,
  constant,
  fixed,
  rate,
  rateTimes,
  round,
  times,
  ZERO,
  type Amount,
  type Rate,
} from './money.js';
import { isActive } from './periods.js';

/** What the VAT rules need from the earlier steps. */
export interface VatInputs {
  readonly scheme: GenericScheme | undefined;
  /** The intermediary measure when special arrangements collect the tax. */
  readonly intermediary: string | undefined;
  /** The intermediary charges the standard rate only (EU special arrangements). */
  readonly standardRateOnly: boolean;
  readonly schemeReason: string;
  readonly relieved: readonly string[];
  readonly collection: DutyCollection;
  readonly duty: DutyOutcome;
  readonly cbec: boolean;
}

interface Group {
  rate: Rate;
  base: Amount;
  goods: Amount;
  transport: Amount;
  insurance: Amount;
  duty: Amount;
  excise: Amount;
  items: number[];
}

interface Who {
  collectedBy: TaxLine['collectedBy'];
  zero: boolean;
  reason: string;
}

function whoCollects(f: RuleFacts, regime: Regime, v: VatInputs): Who {
  if (v.cbec) return { collectedBy: v.collection.collectedBy, zero: false, reason: '' };
  if (v.scheme !== undefined)
    return {
      collectedBy: 'vendor',
      zero: false,
      reason: `${v.schemeReason}: tax charged to the buyer at sale by the seller or platform (${v.scheme.measure}); no border tax, shown for information.`,
    };
  if (v.intermediary !== undefined)
    return { collectedBy: 'intermediary', zero: false, reason: v.schemeReason };
  const relief = regime.reliefs.find((r) => r.taxes.includes('vat') && v.relieved.includes(r.id));
  if (relief !== undefined)
    return {
      collectedBy: 'none',
      zero: true,
      reason: `${relief.measure} applies${relief.verified ? '' : ' (relief not verified)'}: ${testAll(relief.threshold, f).text}.`,
    };
  const t = pickThreshold(regime.taxThresholds, f, false);
  if (t !== undefined) {
    const test = testAll(t, f);
    if (test.within)
      return {
        collectedBy: 'none',
        zero: true,
        reason: `Tax threshold: ${test.text}. ${regime.belowTaxThreshold}`,
      };
    return { collectedBy: 'border', zero: false, reason: `Tax threshold: ${test.text}; tax at the border.` };
  }
  return { collectedBy: 'border', zero: false, reason: 'Tax collected at the border.' };
}

/**
 * VAT/GST lines grouped by rate (one line when all items share the rate), plus notes and, under a
 * vendor scheme, the declared tax paid in the profile currency at the tax point's exchange rate.
 */
export function vatLines(
  f: RuleFacts,
  regime: Regime,
  v: VatInputs,
): { lines: TaxLine[]; notes: string[]; declared?: Amount } {
  const notes: string[] = [];
  const profile = f.profile;
  const p = profile.places;
  const cur = profile.raw.currency;
  const standard = f.vat;
  const who = whoCollects(f, regime, v);
  const vendor = who.collectedBy === 'vendor';
  const b = regime.vatBase;
  const groups = new Map<string, Group>();
  let unrated = false;
  f.input.items.forEach((item, i) => {
    const hit = profile.schedule.lookup(item.hsCode, item.origin).measure;
    const rateText =
      hit?.vatRate === undefined || (v.standardRateOnly && who.collectedBy === 'intermediary')
        ? standard?.rateText
        : rate(hit.vatRate).text;
    if (rateText === undefined) {
      unrated = true;
      return;
    }
    let g = groups.get(rateText);
    if (g === undefined) {
      g = {
        rate: rate(rateText),
        base: ZERO,
        goods: ZERO,
        transport: ZERO,
        insurance: ZERO,
        duty: ZERO,
        excise: ZERO,
        items: [],
      };
      groups.set(rateText, g);
    }
    // Supply tax at sale is on the price charged (goods + delivery); import tax on the taxable value.
    const goods = vendor ? (f.values.items[i] ?? ZERO) : (f.goods[i] ?? ZERO);
    const t = b.transport ? (f.transportShares[i] ?? ZERO) : ZERO;
    const ins = b.insurance ? (f.insuranceShares[i] ?? ZERO) : ZERO;
    const d = !vendor && b.duty ? (v.duty.dutyByItem[i] ?? ZERO) : ZERO;
    const e = !vendor && b.excise ? (v.duty.exciseFullByItem[i] ?? ZERO) : ZERO;
    g.goods += goods;
    g.transport += t;
    g.insurance += ins;
    g.duty += d;
    g.excise += e;
    g.base += goods + t + ins + d + e;
    g.items.push(i);
  });
  if (unrated && standard === undefined && groups.size === 0) return { lines: [], notes };
  const name = profile.raw.taxName;
  const lines: TaxLine[] = [];
  let vendorTotal = ZERO;
  const measure =
    who.collectedBy === 'vendor'
      ? (v.scheme?.measure ?? name)
      : who.collectedBy === 'intermediary'
        ? (v.intermediary ?? name)
        : `Import ${name}`;
  for (const [rateText, g] of groups) {
    const computed = times(g.base, rateTimes(g.rate, v.collection.taxFactor), p);
    const due = who.zero ? ZERO : computed;
    if (vendor) vendorTotal += due;
    const single = groups.size === 1 && g.items.length === f.input.items.length;
    const parts =
      `goods ${fixed(g.goods, p)} + transport ${fixed(g.transport, p)} + insurance ${fixed(g.insurance, p)}` +
      (g.duty === ZERO ? '' : ` + duty ${fixed(g.duty, p)}`) +
      (g.excise === ZERO ? '' : ` + excise ${fixed(g.excise, p)}`);
    const src =
      standard !== undefined && rateText === standard.rateText
        ? `${f.country} standard rate, in force from ${standard.from}, source ${standard.source}` +
          `${standard.verified === false ? '; rate not verified' : ''}`
        : 'tariff line';
    const baseText = fixed(g.base, p);
    lines.push({
      type: 'vat',
      ...(single ? {} : { itemIndex: g.items[0] ?? 0 }),
      base: baseText,
      rate: g.rate.text,
      amount: fixed(due, p),
      measure,
      collectedBy: who.collectedBy,
      explanation:
        `${who.reason} ${name} ${g.rate.percent}% (${src}) on ${baseText} ${cur} = ${parts}` +
        `${v.collection.factorText}${who.zero ? `; computed ${fixed(computed, p)} ${cur}, not charged` : ''}; ` +
        `rounded half-up to ${p} decimals${single ? '' : `; items ${g.items.join(', ')}`}.${f.values.fxText}`,
    });
  }
  const paid = f.input.taxCollection?.taxPaid;
  if (vendor && paid !== undefined) {
    const converted = convertFrom(f, amount(paid.amount), paid.currency, cur);
    if (converted === undefined) {
      notes.push(`declared ${v.scheme?.scheme ?? ''} tax paid not checked: no ${paid.currency}->${cur} rate`);
      return { lines, notes };
    }
    const declared = round(converted, p);
    if (declared !== vendorTotal) {
      const q = paid.currency === cur ? undefined : f.fx.rate(paid.currency, cur, f.fxDate);
      const at =
        q === undefined
          ? ''
          : ` (${paid.amount} ${paid.currency} at 1 ${paid.currency} = ${q.rate} ${cur}, ${q.source}, rate date ${q.date})`;
      notes.push(
        `revenue.prepaid-mismatch: declared ${v.scheme?.scheme ?? ''} tax paid ${fixed(declared, p)} ${cur}${at} differs from computed ${fixed(vendorTotal, p)} ${cur}`,
      );
    }
    return { lines, notes, declared };
  }
  return { lines, notes };
}

/** Zeroes border lines whose combined amount is at or below a minimum-collection amount (CH CHF 5). */
export function applyMinimumCollection(f: RuleFacts, regime: Regime, lines: TaxLine[]): TaxLine[] {
  let out = lines;
  const p = f.profile.places;
  const cur = f.profile.raw.currency;
  for (const rule of regime.minimumCollection) {
    if (!isActive(rule, f.date)) continue;
    const hit = (l: TaxLine) => l.collectedBy === 'border' && (rule.taxes as string[]).includes(l.type);
    let sum = ZERO;
    for (const l of out) if (hit(l)) sum += amount(l.amount);
    if (sum === ZERO) continue;
    const limit = constant(rule.amount);
    if (!(rule.comparison === 'lte' ? sum <= limit : sum < limit)) continue;
    const op = rule.comparison === 'lte' ? '<=' : '<';
    const why =
      ` Not collected: ${rule.taxes.join(' + ')} ${fixed(sum, p)} ${cur} ${op} ${fixed(limit, p)} ${cur}` +
      ` (${rule.measure}${rule.verified ? '' : ', not verified'}).`;
    out = out.map((l) =>
      hit(l) ? { ...l, amount: fixed(ZERO, p), collectedBy: 'none', explanation: l.explanation + why } : l,
    );
  }
  return out;
}
