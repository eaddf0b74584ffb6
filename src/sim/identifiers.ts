/** Identifiers the flood issues: UPU S10 item ids, air waybills, IOSS numbers, order and payment refs. */
import type { Prng } from './prng.js';
import { EU_NUMERIC } from './locales.js';

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** UPU S10 check digit of an 8-digit serial: weights 8,6,4,2,3,5,9,7; 11 - (sum mod 11); 10 -> 0, 11 -> 5. */
export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new RangeError(`S10 serial must be 8 digits: ${serial}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (serial.charCodeAt(i) - 48) * (S10_WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** True when `id` is a 13-character S10 item id whose check digit is right. */
export function isValidS10(id: string): boolean {
  if (!/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(id)) return false;
  return s10CheckDigit(id.slice(2, 10)) === id.charCodeAt(10) - 48;
}

/** True when `id` is an 11-digit air waybill whose 8th serial digit is the 7-digit serial mod 7. */
export function isValidAwb(id: string): boolean {
  if (!/^\d{11}$/.test(id)) return false;
  return Number(id.slice(3, 10)) % 7 === id.charCodeAt(10) - 48;
}

// S10 service indicators: L = tracked letter-post packets, U = untracked, R = registered, C = parcels, E = EMS.
const SERVICE_INDICATORS = [
  'LP',
  'LP',
  'LT',
  'LX',
  'LZ',
  'LA',
  'LB',
  'UA',
  'UB',
  'UG',
  'RR',
  'RB',
  'RS',
  'CP',
  'CA',
  'EA',
  'EE',
];

/** A new S10 item id for a postal item accepted in `country`. */
export function makeS10(rng: Prng, country: string): string {
  const serial = rng.digits(8);
  return `${rng.pick(SERVICE_INDICATORS)}${serial}${s10CheckDigit(serial)}${country}`;
}

// IATA airline prefixes of carriers that fly e-commerce cargo into the EU.
const AIRLINE_PREFIXES = ['784', '999', '112', '160', '172', '020', '235', '176', '618', '297', '880', '781'];

/** A new 11-digit air waybill: 3-digit airline prefix, 7-digit serial, serial mod 7. */
export function makeAwb(rng: Prng, prefix = rng.pick(AIRLINE_PREFIXES)): string {
  const serial = rng.int(0, 9_999_999);
  return `${prefix}${String(serial).padStart(7, '0')}${serial % 7}`;
}

/** A new IOSS number: IM + the numeric code of the Member State of identification + 7 digits. */
export function makeIoss(rng: Prng, memberState: string): string {
  const numeric = EU_NUMERIC[memberState];
  if (numeric === undefined) throw new RangeError(`not an EU Member State: ${memberState}`);
  return `IM${numeric}${rng.digits(7)}`;
}

const HEX = '0123456789abcdef';

/** A platform order number in the style of that platform. */
export function makeOrderId(rng: Prng, platform: string): string {
  switch (platform) {
    case 'AMZ':
      return `${rng.digits(3)}-${rng.digits(7)}-${rng.digits(7)}`;
    case 'ALX':
      return `8${rng.digits(15)}`;
    case 'TMU':
      return `PO-211-${rng.digits(17)}`;
    case 'SHN':
      return `GSU${rng.letters(2)}${rng.digits(8)}`;
    case 'EBY':
      return `${rng.digits(2)}-${rng.digits(5)}-${rng.digits(5)}`;
    case 'WSH': {
      let out = '';
      for (let i = 0; i < 24; i++) out += HEX[rng.int(0, 15)];
      return out;
    }
    default:
      return `${platform}-${rng.digits(12)}`;
  }
}

/** A payment transaction reference of the provider's usual shape. */
export function makePaymentRef(rng: Prng, provider: string): string {
  switch (provider) {
    case 'PayPal':
      return `${rng.digits(1)}${rng.letters(2)}${rng.digits(5)}${rng.letters(3)}${rng.digits(5)}`;
    case 'Stripe':
      return `pi_3${rng.letters(6)}${rng.digits(8)}${rng.letters(6)}`;
    case 'Alipay':
      return rng.digits(28);
    default:
      return `${provider.slice(0, 3).toUpperCase()}${rng.digits(16)}`;
  }
}
