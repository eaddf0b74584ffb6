/** Builders shared by the revenue tests (not exported from index.ts). */
import type { ConsignmentInput, Item } from '../domain/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import { staticFxProvider, type FxRateProvider } from './fx.js';
import type { CompiledGenericProfile } from './generic-profile.js';
import type { GenericProfile } from './generic-schema.js';
import { compileProfileJson, loadRevenueContext, loadRevenueProfiles } from './load-context.js';

/** An item worth `amount` in `currency` (EUR by default). */
export function item(amount: string, hsCode?: string, currency = 'EUR', description = 'goods'): Item {
  return {
    description,
    ...(hsCode === undefined ? {} : { hsCode }),
    quantity: 1,
    unit: 'pcs',
    netWeightGrams: 200,
    value: { amount, currency },
    origin: 'CN',
  };
}

/** Options for a test consignment. */
export interface ParcelOptions {
  to?: string;
  items: Item[];
  transport?: string;
  insurance?: string;
  included?: boolean;
  ioss?: string;
  codes?: ('F48' | 'F49' | 'C07')[];
  arrival?: string;
}

/** A minimal valid consignment bound for `to` (DE by default). */
export function parcel(o: ParcelOptions): ConsignmentInput {
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  return {
    source: 'declaration',
    category: 'sale',
    items: o.items,
    routing: { dispatchCountry: 'CN', destinationCountry: o.to ?? 'DE' },
    ...(o.transport || o.insurance || o.included
      ? {
          totals: {
            ...(o.transport ? { transport: eur(o.transport) } : {}),
            ...(o.insurance ? { insurance: eur(o.insurance) } : {}),
            ...(o.included ? { transportIncludedInPrice: true } : {}),
          },
        }
      : {}),
    ...(o.ioss ? { taxCollection: { scheme: 'IOSS' as const, number: o.ioss } } : {}),
    ...(o.codes ? { additionalProcedureCodes: o.codes } : {}),
    ...(o.arrival ? { dates: { expectedArrival: o.arrival } } : {}),
  };
}

/** A valid IOSS number. */
export const IOSS = 'IM2760000001';

/** Assessment times either side of the 2026 reform and after the interim period. */
export const BEFORE_REFORM = '2025-03-14T09:00:00Z';
export const REFORM_DAY = '2026-07-01T09:00:00Z';

/** The shipped EU profile. */
export function euProfile(): CompiledGenericProfile {
  const eu = loadRevenueProfiles().find((p) => p.raw.id === 'eu');
  if (eu === undefined) throw new Error('no shipped EU profile');
  return eu;
}

/** The shipped EU context (real EU profile, VAT rates, tariff, HMRC FX); other profiles left out. */
export function shippedContext(): RevenueContext {
  return createRevenueContext([euProfile()], loadRevenueContext().fx);
}

/** The shipped EU profile with `edit` applied, compiled with the shipped VAT table and tariff. */
export function contextWith(
  edit: (p: GenericProfile) => GenericProfile,
  fx?: FxRateProvider,
): RevenueContext {
  const raw = edit(structuredClone(euProfile().raw));
  return createRevenueContext([compileProfileJson(raw, 'test profile')], fx ?? loadRevenueContext().fx);
}

/** A static FX table: 1 EUR = 1.10 USD = 0.85 GBP. */
export const testFx = staticFxProvider({
  base: 'EUR',
  rates: { USD: '1.10', GBP: '0.85' },
  source: 'test table',
});
