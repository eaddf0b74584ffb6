/** Builders shared by the generic-profile scenario tests (not exported from index.ts). */
import type { ConsignmentInput, Item, Money, RevenueAssessment, TaxLine } from '../domain/index.js';
import { assessRevenue } from './assess-revenue.js';
import { staticFxProvider } from './fx.js';
import type { AssessOptions } from './generic-profile.js';
import { loadRevenueContext } from './load-context.js';

/** Options for a consignment bound for a non-EU jurisdiction. */
export interface WorldParcel {
  to: string;
  from?: string;
  currency: string;
  items: { amount: string; hs?: string; origin?: string; quantity?: number; netGrams?: number }[];
  transport?: string;
  insurance?: string;
  postal?: boolean;
  platform?: boolean;
  category?: ConsignmentInput['category'];
  scheme?: {
    scheme: NonNullable<ConsignmentInput['taxCollection']>['scheme'];
    number: string;
    taxPaid?: Money;
  };
  grossGrams?: number;
}

/** Builds a valid consignment from the short form. */
export function worldParcel(o: WorldParcel): ConsignmentInput {
  const money = (amount: string): Money => ({ amount, currency: o.currency });
  const items: Item[] = o.items.map((i) => ({
    description: 'goods',
    ...(i.hs === undefined ? {} : { hsCode: i.hs }),
    quantity: i.quantity ?? 1,
    unit: 'pcs',
    netWeightGrams: i.netGrams ?? 200,
    value: money(i.amount),
    origin: i.origin ?? 'CN',
  }));
  return {
    source: 'declaration',
    category: o.category ?? 'sale',
    items,
    routing: { dispatchCountry: o.from ?? 'CN', destinationCountry: o.to },
    ...(o.postal ? { transportDocument: { type: 'S10' as const, id: 'RR123456785CN' } } : {}),
    ...(o.platform ? { platform: { id: 'tmall-global', orderId: 'o-1' } } : {}),
    ...(o.scheme ? { taxCollection: o.scheme } : {}),
    totals: {
      ...(o.transport ? { transport: money(o.transport) } : {}),
      ...(o.insurance ? { insurance: money(o.insurance) } : {}),
      ...(o.grossGrams === undefined ? {} : { grossWeightGrams: o.grossGrams }),
    },
  };
}

/** The shipped context with a static FX table (units of each currency per 1 USD). */
export function worldContext(perUsd: Record<string, string> = {}) {
  const fx = staticFxProvider({ base: 'USD', rates: perUsd, source: 'example rate', date: '2025-01-01' });
  return loadRevenueContext({ fx });
}

/** Assesses `input` at `at` with the shipped profiles and a static FX table. */
export function assessWorld(
  input: ConsignmentInput,
  at: string,
  perUsd: Record<string, string> = {},
  options: AssessOptions = {},
): RevenueAssessment {
  return assessRevenue(input, worldContext(perUsd), at, options);
}

/** The amounts of the lines of one type, in order. */
export function amounts(a: RevenueAssessment, type: TaxLine['type']): string[] {
  return a.lines.filter((l) => l.type === type).map((l) => l.amount);
}

/** The single line of a type. */
export function one(a: RevenueAssessment, type: TaxLine['type']): TaxLine {
  const found = a.lines.filter((l) => l.type === type);
  if (found.length !== 1)
    throw new Error(`expected one ${type} line, got ${found.length}: ${JSON.stringify(a)}`);
  const line = found[0];
  if (line === undefined) throw new Error('unreachable');
  return line;
}
