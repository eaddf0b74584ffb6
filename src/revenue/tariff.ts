/** Ad valorem duty rates by HS prefix; the most specific (longest) matching prefix wins. */
import { dec, type Dec } from '../domain/index.js';
import type { TariffFile } from './profile-schema.js';

/** The duty rate that applies to one HS code. */
export interface TariffRate {
  readonly rate: Dec;
  /** Fraction as text, e.g. "0.12". */
  readonly rateText: string;
  /** The matching tariff prefix; undefined when the default rate applied. */
  readonly prefix: string | undefined;
  readonly description: string;
  readonly verified: boolean;
}

/** A compiled tariff: constant-time lookups by prefix length. */
export interface Tariff {
  readonly version: string;
  lookup(hsCode: string | undefined): TariffRate;
}

const PREFIX_LENGTHS = [10, 8, 6, 4, 2] as const;

/** Compiles a tariff file into a prefix index. */
export function compileTariff(file: TariffFile): Tariff {
  const byPrefix = new Map<string, TariffRate>();
  for (const e of file.entries) {
    const rate = dec(e.rate);
    byPrefix.set(e.prefix, {
      rate,
      rateText: rate.toFixed(),
      prefix: e.prefix,
      description: e.description,
      verified: e.verified,
    });
  }
  const defaultRate = dec(file.defaultRate.rate);
  const fallback: TariffRate = {
    rate: defaultRate,
    rateText: defaultRate.toFixed(),
    prefix: undefined,
    description: `default rate (${file.defaultRate.source})`,
    verified: file.defaultRate.verified,
  };
  return {
    version: file.version,
    lookup(hsCode: string | undefined): TariffRate {
      if (hsCode === undefined) return fallback;
      for (const len of PREFIX_LENGTHS) {
        if (hsCode.length < len) continue;
        const hit = byPrefix.get(hsCode.slice(0, len));
        if (hit !== undefined) return hit;
      }
      return fallback;
    },
  };
}
