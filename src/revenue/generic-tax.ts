/** VAT/GST lines of the generic engine and the minimum-collection rules (docs/rules/<code>.md). */
import { Dec, dec, type TaxLine } from '../domain/index.js';
import type { DutyCollection, DutyOutcome } from './generic-duty.js';
import { convertFrom, pickThreshold, taxRateAt, testAll, type RuleFacts } from './generic-profile.js';
import type { GenericScheme, Regime } from './generic-schema.js';
import { isActive } from './periods.js';

const ZERO = new Dec(0);

/** What the VAT rules need from the earlier steps. */
export interface VatInputs {
  readonly scheme: GenericScheme | undefined;
  readonly schemeReason: string;
  readonly relieved: readonly string[];
  readonly collection: DutyCollection;
  readonly duty: DutyOutcome;
  readonly cbec: boolean;
}

interface Group {
  rate: Dec;
  base: Dec;
  goods: Dec;
  transport: Dec;
  insurance: Dec;
  duty: Dec;
  excise: Dec;
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
  const relief = regime.reliefs.find((r) => r.taxes.includes('vat') && v.relieved.includes(r.id));
  if (relief !== undefined) return { collectedBy: 'none', zero: true, reason: `${relief.measure} applies.` };
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

/** VAT/GST lines grouped by rate (one line when all items share the rate), plus notes. */
export function vatLines(f: RuleFacts, regime: Regime, v: VatInputs): { lines: TaxLine[]; notes: string[] } {
  const notes: string[] = [];
  const profile = f.profile;
  const p = profile.places;
  const cur = profile.raw.currency;
  const standard = taxRateAt(profile, f.date);
  const who = whoCollects(f, regime, v);
  const vendor = who.collectedBy === 'vendor';
  const b = regime.vatBase;
  const groups = new Map<string, Group>();
  let unrated = false;
  f.input.items.forEach((item, i) => {
    const hit = profile.schedule.lookup(item.hsCode, item.origin).measure;
    const rateText = hit?.vatRate ?? standard?.rate;
    if (rateText === undefined) {
      unrated = true;
      return;
    }
    const g = groups.get(rateText) ?? {
      rate: dec(rateText),
      base: ZERO,
      goods: ZERO,
      transport: ZERO,
      insurance: ZERO,
      duty: ZERO,
      excise: ZERO,
      items: [],
    };
    // Supply tax at sale is on the price charged (goods + delivery); import tax on the taxable value.
    const goods = vendor ? (f.values.items[i] ?? ZERO) : (f.goods[i] ?? ZERO);
    const t = b.transport ? (f.transportShares[i] ?? ZERO) : ZERO;
    const ins = b.insurance ? (f.insuranceShares[i] ?? ZERO) : ZERO;
    const d = !vendor && b.duty ? (v.duty.dutyByItem[i] ?? ZERO) : ZERO;
    const e = !vendor && b.excise ? (v.duty.exciseFullByItem[i] ?? ZERO) : ZERO;
    g.goods = g.goods.plus(goods);
    g.transport = g.transport.plus(t);
    g.insurance = g.insurance.plus(ins);
    g.duty = g.duty.plus(d);
    g.excise = g.excise.plus(e);
    g.base = g.base.plus(goods).plus(t).plus(ins).plus(d).plus(e);
    g.items.push(i);
    groups.set(rateText, g);
  });
  if (unrated && standard === undefined && groups.size === 0) return { lines: [], notes };
  const name = profile.raw.taxName;
  const lines: TaxLine[] = [];
  let vendorTotal = ZERO;
  for (const [rateText, g] of groups) {
    const computed = g.base.times(g.rate).times(v.collection.taxFactor).toDecimalPlaces(p, Dec.ROUND_HALF_UP);
    const amount = who.zero ? ZERO : computed;
    if (vendor) vendorTotal = vendorTotal.plus(amount);
    const single = groups.size === 1 && g.items.length === f.input.items.length;
    const parts =
      `goods ${g.goods.toFixed(p)} + transport ${g.transport.toFixed(p)} + insurance ${g.insurance.toFixed(p)}` +
      (g.duty.isZero() ? '' : ` + duty ${g.duty.toFixed(p)}`) +
      (g.excise.isZero() ? '' : ` + excise ${g.excise.toFixed(p)}`);
    const src =
      standard !== undefined && rateText === standard.rate
        ? `${standard.source}, from ${standard.from}`
        : 'tariff line';
    lines.push({
      type: 'vat',
      ...(single ? {} : { itemIndex: g.items[0] ?? 0 }),
      base: g.base.toFixed(p),
      rate: g.rate.toFixed(),
      amount: amount.toFixed(p),
      measure: vendor ? (v.scheme?.measure ?? name) : `Import ${name}`,
      collectedBy: who.collectedBy,
      explanation:
        `${who.reason} ${name} ${g.rate.times(100).toFixed()}% (${src}) on ${g.base.toFixed(p)} ${cur} = ${parts}` +
        `${v.collection.factorText}${who.zero ? `; computed ${computed.toFixed(p)} ${cur}, not charged` : ''}; ` +
        `rounded half-up to ${p} decimals${single ? '' : `; items ${g.items.join(', ')}`}.${f.values.fxText}`,
    });
  }
  const paid = f.input.taxCollection?.taxPaid;
  if (vendor && paid !== undefined) {
    const declared = convertFrom(f, dec(paid.amount), paid.currency, cur);
    if (declared !== undefined && !declared.toDecimalPlaces(p, Dec.ROUND_HALF_UP).equals(vendorTotal)) {
      notes.push(
        `revenue.prepaid-mismatch: declared ${v.scheme?.scheme ?? ''} tax paid ${declared.toFixed(p)} ${cur} differs from computed ${vendorTotal.toFixed(p)} ${cur}`,
      );
    }
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
    for (const l of out) if (hit(l)) sum = sum.plus(dec(l.amount));
    if (sum.isZero()) continue;
    const c = sum.comparedTo(dec(rule.amount));
    if (!(rule.comparison === 'lte' ? c <= 0 : c < 0)) continue;
    const op = rule.comparison === 'lte' ? '<=' : '<';
    const why =
      ` Not collected: ${rule.taxes.join(' + ')} ${sum.toFixed(p)} ${cur} ${op} ${dec(rule.amount).toFixed(p)} ${cur}` +
      ` (${rule.measure}${rule.verified ? '' : ', not verified'}).`;
    out = out.map((l) =>
      hit(l) ? { ...l, amount: ZERO.toFixed(p), collectedBy: 'none', explanation: l.explanation + why } : l,
    );
  }
  return out;
}
