/** Reads the revenue reference data (profiles, VAT rates, tariffs, FX) from data/ once per process. */
import { readFileSync } from 'node:fs';
import { dataPath } from '../reference/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import { parseHmrcMonthlyCsv, type FxRateProvider } from './fx.js';
import { compileProfile, parseProfile, parseTariffFile, type CompiledProfile } from './profile.js';
import type { JurisdictionProfile } from './profile-schema.js';
import { inlineVatRates, parseIbericodeRates, type VatRateTable } from './vat-rates.js';

const readJson = (...parts: string[]): unknown => JSON.parse(readFileSync(dataPath(...parts), 'utf8'));

/** Options for loading: replace the FX strategy (e.g. an ECB or admin feed). */
export interface LoadRevenueOptions {
  fx?: FxRateProvider;
}

let cachedFx: FxRateProvider | undefined;
let cachedProfiles: CompiledProfile[] | undefined;

/** The default FX provider: HMRC monthly rates shipped in data/fx (read once). */
export function loadHmrcFxProvider(): FxRateProvider {
  cachedFx ??= parseHmrcMonthlyCsv(readFileSync(dataPath('fx', 'hmrc-all_rates.csv'), 'utf8'));
  return cachedFx;
}

function vatTable(profile: JurisdictionProfile): VatRateTable {
  const src = profile.taxRates;
  return src.kind === 'ibericode'
    ? parseIbericodeRates(readJson(...src.file.split('/')), src.version)
    : inlineVatRates(src);
}

/** Reads and compiles every profile listed in data/jurisdictions/index.json. */
export function loadRevenueProfiles(): CompiledProfile[] {
  if (cachedProfiles !== undefined) return cachedProfiles;
  const index = readJson('jurisdictions', 'index.json') as { profiles?: unknown };
  if (!Array.isArray(index.profiles))
    throw new TypeError('data/jurisdictions/index.json has no profiles list');
  cachedProfiles = index.profiles.map((file: unknown) => {
    const name = String(file);
    const profile = parseProfile(readJson('jurisdictions', name), `data/jurisdictions/${name}`);
    const tariff = parseTariffFile(readJson('jurisdictions', profile.duty.tariff), profile.duty.tariff);
    return compileProfile(profile, vatTable(profile), tariff);
  });
  return cachedProfiles;
}

/** Loads the revenue context: profiles, VAT rates, tariffs and (unless given) the HMRC FX provider. */
export function loadRevenueContext(options: LoadRevenueOptions = {}): RevenueContext {
  return createRevenueContext(loadRevenueProfiles(), options.fx ?? loadHmrcFxProvider());
}
