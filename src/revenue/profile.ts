/** Validates a jurisdiction profile and compiles it once: thresholds parsed, patterns built, rates indexed. */
import { Value } from '@sinclair/typebox/value';
import { dec, ParcelgateError, type Dec } from '../domain/index.js';
import { compileThreshold, type CompiledThreshold, type Period } from './periods.js';
import {
  JurisdictionProfile,
  TariffFile,
  type DutyRegime,
  type Fee,
  type IntermediaryScheme,
  type VendorScheme,
} from './profile-schema.js';
import { compileTariff, type Tariff } from './tariff.js';
import type { VatRateTable } from './vat-rates.js';

/** Low-value duty treatment with its numbers parsed. */
export type CompiledLowValueDuty =
  | { kind: 'relief'; measure: string; threshold: CompiledThreshold }
  | {
      kind: 'flat-per-subheading';
      amount: Dec;
      measure: string;
      threshold: CompiledThreshold;
      scope: 'all-low-value' | 'ioss-only';
      scopeVerified: boolean;
    }
  | { kind: 'tariff' };

/** A duty regime ready to evaluate. */
export interface CompiledDutyRegime extends Period {
  readonly lowValue: CompiledLowValueDuty;
  readonly raw: DutyRegime;
}

/** A vendor scheme (IOSS) ready to evaluate. */
export interface CompiledVendorScheme extends Period {
  readonly pattern: RegExp;
  readonly threshold: CompiledThreshold;
  readonly raw: VendorScheme;
}

/** An intermediary scheme (special arrangements) ready to evaluate. */
export interface CompiledIntermediaryScheme extends Period {
  readonly threshold: CompiledThreshold;
  readonly raw: IntermediaryScheme;
}

/** A fee ready to evaluate. */
export interface CompiledFee extends Period {
  readonly amount: Dec;
  readonly lowValueOnly: CompiledThreshold | undefined;
  readonly raw: Fee;
}

/** A jurisdiction profile with its rate table and tariff attached. */
export interface CompiledProfile {
  readonly raw: JurisdictionProfile;
  readonly places: number;
  readonly vat: VatRateTable;
  readonly tariff: Tariff;
  readonly dutyRegimes: readonly CompiledDutyRegime[];
  readonly vendorSchemes: readonly CompiledVendorScheme[];
  readonly intermediarySchemes: readonly CompiledIntermediaryScheme[];
  readonly fees: readonly CompiledFee[];
}

function assertShape<T>(schema: Parameters<typeof Value.Check>[0], json: unknown, what: string): T {
  if (Value.Check(schema, json)) return json as T;
  const issues = [...Value.Errors(schema, json)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
  throw new ParcelgateError('revenue.profile-invalid', `${what} is invalid: ${issues.join('; ')}`, 500, {
    issues,
  });
}

/** Checks a parsed profile file against the schema; throws revenue.profile-invalid with the issues. */
export function parseProfile(json: unknown, what = 'jurisdiction profile'): JurisdictionProfile {
  return assertShape<JurisdictionProfile>(JurisdictionProfile, json, what);
}

/** Checks a parsed tariff file against the schema; throws revenue.profile-invalid with the issues. */
export function parseTariffFile(json: unknown, what = 'tariff file'): TariffFile {
  return assertShape<TariffFile>(TariffFile, json, what);
}

/** Compiles a validated profile with its VAT table and tariff. */
export function compileProfile(
  profile: JurisdictionProfile,
  vat: VatRateTable,
  tariff: TariffFile,
): CompiledProfile {
  const places = profile.rounding.places;
  const th = (t: Parameters<typeof compileThreshold>[0]) => compileThreshold(t, places);
  return {
    raw: profile,
    places,
    vat,
    tariff: compileTariff(tariff),
    dutyRegimes: profile.duty.regimes.map((r) => {
      const lv = r.lowValue;
      const lowValue: CompiledLowValueDuty =
        lv.kind === 'tariff'
          ? lv
          : lv.kind === 'relief'
            ? { ...lv, threshold: th(lv.threshold) }
            : { ...lv, amount: dec(lv.amount), threshold: th(lv.threshold) };
      return { from: r.from, to: r.to, lowValue, raw: r };
    }),
    vendorSchemes: profile.collection.vendor.map((s) => ({
      from: s.from,
      to: s.to,
      pattern: new RegExp(s.numberPattern),
      threshold: th(s.threshold),
      raw: s,
    })),
    intermediarySchemes: profile.collection.intermediary.map((s) => ({
      from: s.from,
      to: s.to,
      threshold: th(s.threshold),
      raw: s,
    })),
    fees: profile.fees.map((f) => ({
      from: f.from,
      to: f.to,
      amount: dec(f.amount),
      lowValueOnly: f.lowValueOnly === undefined ? undefined : th(f.lowValueOnly),
      raw: f,
    })),
  };
}
