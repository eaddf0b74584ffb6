/** Revenue: jurisdiction profiles, duty, VAT, fees and collection models (pure assessment + data loader). */
export {
  assessRevenue,
  createRevenueContext,
  quote,
  relevantDate,
  type RevenueContext,
} from './assess-revenue.js';
export {
  parseHmrcMonthlyCsv,
  staticFxProvider,
  type FxQuote,
  type FxRateProvider,
  type StaticFxTable,
} from './fx.js';
export {
  loadHmrcFxProvider,
  loadRevenueContext,
  loadRevenueProfiles,
  type LoadRevenueOptions,
} from './load-context.js';
export { compileProfile, parseProfile, parseTariffFile, type CompiledProfile } from './profile.js';
export type { JurisdictionProfile, TariffFile } from './profile-schema.js';
export { compileTariff, type Tariff, type TariffRate } from './tariff.js';
export { inlineVatRates, parseIbericodeRates, type VatRate, type VatRateTable } from './vat-rates.js';
