/**
 * Buyer identity and the China cross-border retail quota (¥5,000 per order, ¥26,000 per person per year
 * since 2019; REFERENCE.md 4.2). The limits are read from the CN jurisdiction profile
 * (data/jurisdictions/cn.json) and the dutiable value and taxes come from the revenue engine.
 */
import { Dec, type ConsignmentInput, type RevenueAssessment } from '../../domain/index.js';
import {
  assessRevenue,
  singleArticle,
  type GenericProfile,
  type RevenueContext,
} from '../../revenue/index.js';
import type { ListReason } from '../../store/index.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * Checks a PRC resident identity number (GB 11643-1999): 18 characters, a real birth date, and the
 * ISO 7064 MOD 11-2 check character. Returns the reason it fails, or undefined.
 */
export function residentIdProblem(id: string): string | undefined {
  const t = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(t)) return 'a resident id has 17 digits and a check digit or X';
  const y = Number(t.slice(6, 10));
  const m = Number(t.slice(10, 12));
  const d = Number(t.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d)
    return `digits 7-14 (${t.slice(6, 14)}) are not a birth date`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(t[i]) * (WEIGHTS[i] ?? 0);
  if (CHECK[s % 11] !== t[17]) return `check character should be ${CHECK[s % 11]}, not ${t[17]}`;
  return undefined;
}

/** Appends the check character to 17 digits (test and sample support). */
export function withResidentIdCheck(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return first17 + (CHECK[s % 11] ?? '');
}

/** Per-order and per-year limits in force on a date, from the CN profile; undefined when none. */
export function crossBorderLimits(
  revenue: RevenueContext,
  date: string,
): { perOrder: string; perYear: string; source: string } | undefined {
  const profile: GenericProfile | undefined = revenue.byCountry.get('CN')?.raw;
  const regime = profile?.regimes.find((r) => r.from <= date && (r.to === undefined || date < r.to));
  const c = regime?.crossBorderRetail;
  if (c === undefined) return undefined;
  return { perOrder: c.perOrder.amount, perYear: c.perYear.amount, source: c.perYear.source };
}

/** The quota decision for one list. */
export interface QuotaOutcome {
  reasons: ListReason[];
  /** Dutiable value counted against the annual quota (CNY). */
  valueCny: string;
  usedBefore: string;
  usedAfter: string;
  perOrder: string;
  perYear: string;
  /** `reduced` (within limits) or `full` (a single item over the per-order limit, full taxes). */
  taxation?: 'reduced' | 'full';
  revenue: RevenueAssessment;
}

/**
 * Checks the order against the limits: within both, reduced taxation; over the annual limit after
 * accumulation, refused (general trade); over the per-order limit, refused unless the order is a single
 * item (then full duty, VAT and consumption tax). Values are the revenue engine's customs value in CNY.
 */
export function checkQuota(
  input: ConsignmentInput,
  revenue: RevenueContext,
  at: string,
  usedValues: readonly string[],
): QuotaOutcome | { reasons: ListReason[] } {
  const date = at.slice(0, 10);
  const limits = crossBorderLimits(revenue, date);
  if (limits === undefined)
    return {
      reasons: [
        { code: 'quota.unavailable', message: `no cross-border retail limits in the CN profile on ${date}` },
      ],
    };
  const used = usedValues.reduce((a, v) => a.plus(v), new Dec(0));
  const assessed = assessRevenue(input, revenue, at, {
    history: { personYearToDate: { amount: used.toFixed(2), currency: 'CNY' } },
  });
  const value = new Dec(assessed.customsValue);
  const after = used.plus(value);
  const base = {
    valueCny: value.toFixed(2),
    usedBefore: used.toFixed(2),
    usedAfter: after.toFixed(2),
    perOrder: limits.perOrder,
    perYear: limits.perYear,
    revenue: assessed,
  };
  if (after.gt(limits.perYear))
    return {
      ...base,
      reasons: [
        {
          code: 'quota.annual-exceeded',
          field: 'buyer.idNumber',
          message: `annual total would be ${after.toFixed(2)} CNY, over the ${limits.perYear} CNY limit (used ${used.toFixed(2)}): general-trade declaration required`,
        },
      ],
    };
  if (value.gt(limits.perOrder)) {
    // As the revenue engine reads REFERENCE.md 4.2: one article (a line of 2 pcs is two).
    if (!singleArticle(input.items))
      return {
        ...base,
        reasons: [
          {
            code: 'quota.order-exceeded',
            field: 'goodsValue',
            message: `order value ${value.toFixed(2)} CNY is over the ${limits.perOrder} CNY per-order limit and is not a single indivisible item (${articles(input.items)})`,
          },
        ],
      };
    return { ...base, reasons: [], taxation: 'full' };
  }
  return { ...base, reasons: [], taxation: 'reduced' };
}

/** How an order's articles read in a reason: "3 items" or "1 item of 2 pcs". */
function articles(items: ConsignmentInput['items']): string {
  const only = items.length === 1 ? items[0] : undefined;
  return only === undefined ? `${items.length} items` : `1 item of ${only.quantity} ${only.unit}`;
}
