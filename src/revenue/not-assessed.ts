/**
 * An assessment that could not compute duty and tax has no lines, zero totals and one note that says
 * why, starting with a stable code: the destination has no revenue profile, no regime of its profile
 * is in force on the tax point (or the consignment is over the scope ceiling of the one in force: ID
 * over US$1,500 FOB), the member state has no VAT rate on it, a value has no exchange rate,
 * or an amount is beyond the exact range (10^9 currency units). Its zeros are unknown, not nothing
 * due: the clearance pipeline holds such a parcel for an officer (src/clearance/unvalued.ts).
 */
import type { RevenueAssessment } from '../domain/index.js';

/** The codes of the notes that mean duty and tax were not assessed, each followed by ': ' and the reason. */
export const notAssessedCodes = [
  'revenue.no-profile',
  'revenue.no-regime',
  'vat.unavailable',
  'fx.unavailable',
  'revenue.value-out-of-range',
] as const;

/** A not-assessed note: `code: reason`. */
export function notAssessed(code: (typeof notAssessedCodes)[number], reason: string): string {
  return `${code}: ${reason}`;
}

/** The note saying why `revenue` was not assessed, if it was not. */
export function notAssessedNote(revenue: RevenueAssessment): string | undefined {
  if (revenue.lines.length > 0) return undefined;
  for (const note of revenue.notes) {
    for (const code of notAssessedCodes)
      if (note.startsWith(code) && note.startsWith(': ', code.length)) return note;
  }
  return undefined;
}

/** The reason of a not-assessed note, without its code. */
export function notAssessedReason(note: string): string {
  const colon = note.indexOf(': ');
  return colon < 0 ? note : note.slice(colon + 2);
}
