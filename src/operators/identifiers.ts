/** Validation and normalisation of operator identifiers (EORI, VAT, IOSS, VOEC, OVR, …). */
import countries from 'i18n-iso-countries';
import type { TaxScheme, ValidationIssue } from '../domain/index.js';
import { checkTaxNumber } from '../intake/index.js';
import type { Identifier, IdentifierScheme } from './schemas.js';

// EORI: country code + up to 15 alphanumerics (EU Regulation 2015/2446 art. 1(18); GB and XI included).
const EORI = /^([A-Z]{2})[A-Z0-9]{1,15}$/;
// EU VAT: country prefix (EL for Greece, XI for Northern Ireland) + 2 to 13 characters.
const VAT = /^([A-Z]{2})[A-Z0-9+*]{2,13}$/;
const TIN = /^[A-Z0-9][A-Z0-9./ -]{2,29}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/;
const UPU = /^[A-Z]{2}[A-Z0-9]{1,4}$/;
const nonIsoPrefixes = new Set(['EL', 'XI', 'EU']);

const taxSchemes: Partial<Record<IdentifierScheme, TaxScheme>> = {
  IOSS: 'IOSS',
  VOEC: 'VOEC',
  OVR: 'OVR',
  UKVAT: 'UKVAT',
  ABN: 'ABN',
  NZGST: 'NZGST',
};

const knownCountry = (cc: string): boolean => nonIsoPrefixes.has(cc) || countries.isValid(cc);

/** Upper-cases and strips spaces from numbers; platform codes and seller ids are kept as given. */
export function normaliseIdentifier(id: Identifier): Identifier {
  if (id.scheme === 'PLATFORM' || id.scheme === 'PLATFORM-SELLER')
    return { scheme: id.scheme, value: id.value.trim() };
  return { scheme: id.scheme, value: id.value.replace(/[\s.-]/g, '').toUpperCase() };
}

/** The issue with an identifier at `path`, or undefined when it is valid (after normalisation). */
export function checkIdentifier(id: Identifier, path: string): ValidationIssue | undefined {
  const { scheme, value } = normaliseIdentifier(id);
  const bad = (expected: string): ValidationIssue => ({
    code: 'operator.invalid-identifier',
    path,
    message: `${scheme} '${id.value}' is not valid: expected ${expected}`,
  });
  switch (scheme) {
    case 'EORI': {
      const m = EORI.exec(value);
      return m && knownCountry(m[1]!)
        ? undefined
        : bad('a country code followed by up to 15 letters or digits');
    }
    case 'VAT': {
      const m = VAT.exec(value);
      return m && knownCountry(m[1]!) ? undefined : bad('a country prefix followed by 2 to 13 characters');
    }
    case 'TIN':
      return TIN.test(value) ? undefined : bad('3 to 30 letters, digits or separators');
    case 'PLATFORM':
      return CODE.test(value) ? undefined : bad('a platform code of letters, digits, ".", "_" or "-"');
    case 'PLATFORM-SELLER': {
      const [platform, seller, ...rest] = value.split('/');
      return platform && seller && rest.length === 0 && CODE.test(platform) && seller.length <= 80
        ? undefined
        : bad('"platformCode/sellerId"');
    }
    case 'UPU':
      return UPU.test(value) ? undefined : bad('a UPU operator code (country code + 1 to 4 characters)');
    default: {
      const tax = taxSchemes[scheme];
      const expected = tax === undefined ? 'a known scheme' : checkTaxNumber(tax, value);
      return expected === undefined ? undefined : bad(expected);
    }
  }
}

/** The registry key of an identifier: `SCHEME:value` after normalisation. */
export function identifierKey(id: Identifier): string {
  const n = normaliseIdentifier(id);
  return `${n.scheme}:${n.value}`;
}
