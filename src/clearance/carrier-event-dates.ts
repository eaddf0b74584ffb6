/**
 * The dates a carrier event (arrival, delivery, refusal, return) may carry: in the years a record's
 * dates may fall in, not after the clock (beyond a scanner's drift), and not long before the parcel
 * was declared. Every bound refuses the event with the field at fault (`/at`), nothing written.
 */
import { ParcelgateError } from '../domain/index.js';
import { dateOutOfRange } from '../intake/index.js';

/** How far ahead of the server's clock a carrier event may be dated (clocks of scanners drift). */
export const maxClockSkewMs = 5 * 60_000;

/**
 * How many days before its consignment was declared (its first record received) a carrier event may
 * be dated: goods presented to customs may wait in temporary storage at most 90 days for their
 * declaration (EU UCC Art. 149), so an event dated earlier belongs to another parcel or is mistyped.
 * Data lodged after arrival (post-arrival declarations) stays within it.
 */
export const maxDaysBeforeDeclaration = 90;

const dayMs = 86_400_000;

function refusal(code: string, message: string): ParcelgateError {
  return new ParcelgateError(code, message, 422, { issues: [{ code, path: '/at', message }] });
}

/**
 * The problem of a carrier event dated `at` (an RFC 3339 date-time) when the clock reads `now`:
 * `event.out-of-range` outside the years of record dates, `event.in-future` beyond the clock's skew.
 */
export function carrierEventDateProblem(at: string, now: Date): ParcelgateError | undefined {
  const outside = dateOutOfRange(at);
  if (outside !== undefined)
    return refusal('event.out-of-range', `the event date ${outside} (the years of a record's dates)`);
  if (Date.parse(at) > now.getTime() + maxClockSkewMs)
    return refusal(
      'event.in-future',
      `the event is dated ${at}, after the server's clock (${now.toISOString()}) by more than ${maxClockSkewMs / 60_000} minutes`,
    );
  return undefined;
}

/**
 * The problem of a carrier event dated `at` on a consignment declared at `declaredAt`:
 * `event.before-declaration` when it is more than {@link maxDaysBeforeDeclaration} days earlier.
 */
export function eventBeforeDeclarationProblem(at: string, declaredAt: string): ParcelgateError | undefined {
  const earliest = Date.parse(declaredAt) - maxDaysBeforeDeclaration * dayMs;
  if (!(Date.parse(at) < earliest)) return undefined;
  return refusal(
    'event.before-declaration',
    `the event is dated ${at}, more than ${maxDaysBeforeDeclaration} days before the consignment was declared (${declaredAt}): no parcel waits that long for its data`,
  );
}
