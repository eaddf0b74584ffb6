/** Reads the revenue reference data (profiles, VAT rates, tariffs, FX) from data/ once per process. */
import { readFileSync } from 'node:fs';
import { dataPath } from '../reference/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import { parseHmrcMonthlyCsv, type FxRateProvider } from './fx.js';
import {
  compileGenericProfile,
  parseGenericProfile,
  parseTariffSchedule,
  type CompiledGenericProfile,
} from './generic-profile.js';
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
let cachedGeneric: CompiledGenericProfile[] | undefined;

function profileFiles(): { name: string; json: unknown }[] {
  const index = readJson('jurisdictions', 'index.json') as { profiles?: unknown };
  if (!Array.isArray(index.profiles))
    throw new TypeError('data/jurisdictions/index.json has no profiles list');
  return index.profiles.map((file: unknown) => {
    const name = String(file);
    return { name, json: readJson('jurisdictions', name) };
  });
}

const isGeneric = (json: unknown): boolean => (json as { engine?: unknown }).engine === 'generic';

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

/** Reads and compiles every EU-engine profile listed in data/jurisdictions/index.json. */
export function loadRevenueProfiles(): CompiledProfile[] {
  if (cachedProfiles !== undefined) return cachedProfiles;
  cachedProfiles = profileFiles()
    .filter((f) => !isGeneric(f.json))
    .map(({ name, json }) => {
      const profile = parseProfile(json, `data/jurisdictions/${name}`);
      const tariff = parseTariffFile(readJson('jurisdictions', profile.duty.tariff), profile.duty.tariff);
      return compileProfile(profile, vatTable(profile), tariff);
    });
  return cachedProfiles;
}

/** Reads and compiles every generic profile (engine "generic") listed in data/jurisdictions/index.json. */
export function loadGenericProfiles(): CompiledGenericProfile[] {
  if (cachedGeneric !== undefined) return cachedGeneric;
  cachedGeneric = profileFiles()
    .filter((f) => isGeneric(f.json))
    .map(({ name, json }) => {
      const profile = parseGenericProfile(json, `data/jurisdictions/${name}`);
      const schedule = parseTariffSchedule(readJson('jurisdictions', profile.tariff), profile.tariff);
      return compileGenericProfile(profile, schedule);
    });
  return cachedGeneric;
}

/** Loads the revenue context: profiles, VAT rates, tariffs and (unless given) the HMRC FX provider. */
export function loadRevenueContext(options: LoadRevenueOptions = {}): RevenueContext {
  const fx = options.fx ?? loadHmrcFxProvider();
  return createRevenueContext(loadRevenueProfiles(), fx, loadGenericProfiles());
}
