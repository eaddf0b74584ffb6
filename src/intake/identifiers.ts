/** Check-digit and format checks for transport document ids and tax-collection numbers. */
import type { TaxScheme } from '../domain/index.js';

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;
const S10_SHAPE = /^[A-Z]{2}\d{9}[A-Z]{2}$/;
const ELEVEN_DIGITS = /^\d{11}$/;
const EIGHT_DIGITS = /^\d{8}$/;

/** Computes the UPU S10 check digit for an 8-digit serial number (weights 8,6,4,2,3,5,9,7). */
export function s10CheckDigit(serial: string): number {
  if (!EIGHT_DIGITS.test(serial)) throw new RangeError(`S10 serial must be 8 digits: ${serial}`);
  return checkDigitAt(serial, 0);
}

function checkDigitAt(text: string, offset: number): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (text.charCodeAt(offset + i) - 48) * S10_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
}

/** Builds a full S10 id from a service indicator, 8-digit serial and country code (e.g. RR, 12345678, CN). */
export function makeS10(service: string, serial: string, country: string): string {
  return `${service}${serial}${s10CheckDigit(serial)}${country}`;
}

/** Outcome of checking an S10 id: ok, wrong shape, or wrong check digit. */
export type S10Check = 'ok' | 'format' | 'check-digit';

/** Checks an S10 item id's shape (2 letters, 9 digits, 2 letters) and check digit; the country is not checked. */
export function checkS10(id: string): S10Check {
  if (!S10_SHAPE.test(id)) return 'format';
  return id.charCodeAt(10) - 48 === checkDigitAt(id, 2) ? 'ok' : 'check-digit';
}

/** Outcome of checking an air waybill number. */
export type AwbCheck = 'ok' | 'format' | 'check-digit';

/** Checks an air waybill number: 3-digit airline prefix + 7-digit serial + (serial mod 7) check digit. */
export function checkAwb(id: string): AwbCheck {
  if (!ELEVEN_DIGITS.test(id)) return 'format';
  const serial = Number(id.slice(3, 10));
  return serial % 7 === id.charCodeAt(10) - 48 ? 'ok' : 'check-digit';
}

const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19] as const;

/** True when an 11-digit Australian Business Number passes the ABN modulus-89 checksum. */
export function isValidAbn(abn: string): boolean {
  if (!ELEVEN_DIGITS.test(abn)) return false;
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    const digit = abn.charCodeAt(i) - 48 - (i === 0 ? 1 : 0);
    sum += digit * ABN_WEIGHTS[i]!;
  }
  return sum % 89 === 0;
}

// Singapore GST registration numbers: "M" + 8 digits + check letter (e.g. M90371234X, the form
// IRAS issues to overseas vendors under OVR) or a UEN: 8 or 9 digits + letter (business / company,
// e.g. 201912345K) or the entity form T/S/R + 2 digits + 2 letters + 4 digits + letter.
const SG_GST = /^(?:M\d{8}[A-Z]|\d{8,9}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])$/;

const IOSS = /^IM\d{10}$/;
const VOEC = /^\d{7}$/;
const UKVAT = /^GB(?:\d{9}|\d{12})$/;
const ARN = /^\d{12}$/;
const NZGST = /^\d{8,9}$/;

const TAX_FORMATS: Record<TaxScheme, { test: (n: string) => boolean; expected: string }> = {
  IOSS: { test: (n) => IOSS.test(n), expected: '"IM" followed by 10 digits' },
  VOEC: { test: (n) => VOEC.test(n), expected: '7 digits' },
  UKVAT: { test: (n) => UKVAT.test(n), expected: '"GB" followed by 9 or 12 digits' },
  ABN: { test: isValidAbn, expected: '11 digits passing the ABN checksum' },
  ARN: { test: (n) => ARN.test(n), expected: '12 digits' },
  OVR: {
    test: (n) => SG_GST.test(n),
    expected: 'a Singapore GST number: "M" + 8 digits + letter, or a UEN (8-9 digits + letter)',
  },
  NZGST: { test: (n) => NZGST.test(n), expected: '8 or 9 digits' },
};

/** Checks a tax-collection number against its scheme; returns undefined when valid, else the expected format. */
export function checkTaxNumber(scheme: TaxScheme, number: string): string | undefined {
  const format = TAX_FORMATS[scheme];
  return format.test(number) ? undefined : format.expected;
}
