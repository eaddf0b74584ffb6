/** Prefixed, sortable identifiers: csg_ consignment, dcl_ declaration (one source record), evt_ event. */
import { monotonicFactory, type PRNG } from 'ulid';

export type IdPrefix = 'csg' | 'dcl' | 'evt' | 'opr' | 'req';

// Crockford's base 32, as ULIDs write it.
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LEN = 10;
const RANDOM_LEN = 16;
const LAST = ENCODING.length - 1;

/**
 * A monotonic ULID source that gives exactly what `ulid`'s `monotonicFactory(prng)` gives for the same
 * seeds and random draws, as prefixed ids. The library makes the first id of each new millisecond; the
 * ids that follow within it (every id of a batch, which shares its request's time) add one to the
 * random part here, on an array of digits, and are written as one flat string: the library's increment
 * looks each digit up in the alphabet and splices strings, leaving each id a rope of several pieces
 * that every later hash or serialisation of the id flattens again.
 */
export function monotonicIds(prng?: PRNG): (prefix: string, seedTime?: number) => string {
  const first = monotonicFactory(prng);
  let lastTime = 0;
  // The last id's time and random parts as character codes.
  const time = new Array<number>(TIME_LEN).fill(0);
  const random = new Array<number>(RANDOM_LEN).fill(0);
  const digit = new Array<number>(128).fill(-1);
  for (let i = 0; i < ENCODING.length; i++) digit[ENCODING.charCodeAt(i)] = i;
  // The id being written: the prefix's codes, "_", then the time and random digits.
  const codes: number[] = [];
  let codesPrefix = '';
  return (prefix, seedTime) => {
    // As the library decides: no seed (or NaN) means now; a seed not after the last time increments.
    const seed = !seedTime || Number.isNaN(seedTime) ? Date.now() : seedTime;
    if (lastTime === 0 || seed > lastTime) {
      // Until the library has made this id: if it fails, it decides the next one too, from its own state.
      lastTime = 0;
      const ulid = first(seed);
      lastTime = seed;
      for (let i = 0; i < TIME_LEN; i++) time[i] = ulid.charCodeAt(i);
      for (let i = 0; i < RANDOM_LEN; i++) random[i] = ulid.charCodeAt(TIME_LEN + i);
      codesPrefix = '';
      return `${prefix}_${ulid}`;
    }
    // The last digit that is not the largest goes up by one, every digit after it wraps to the first.
    let i = RANDOM_LEN - 1;
    while (i >= 0 && digit[random[i] as number] === LAST) i--;
    // Every digit is the largest: the library fails here too (2^80 ids in one millisecond), and again
    // on every later id of that millisecond, as nothing changed.
    if (i < 0) throw new Error('ULID random part overflowed within one millisecond');
    random[i] = ENCODING.charCodeAt((digit[random[i] as number] as number) + 1);
    for (let k = i + 1; k < RANDOM_LEN; k++) random[k] = ENCODING.charCodeAt(0);
    if (codesPrefix !== prefix) {
      codes.length = 0;
      for (let k = 0; k < prefix.length; k++) codes.push(prefix.charCodeAt(k));
      codes.push(0x5f);
      for (const c of time) codes.push(c);
      for (let k = 0; k < RANDOM_LEN; k++) codes.push(0);
      codesPrefix = prefix;
    }
    const at = codes.length - RANDOM_LEN;
    for (let k = 0; k < RANDOM_LEN; k++) codes[at + k] = random[k] as number;
    return String.fromCharCode.apply(null, codes);
  };
}

const next = monotonicIds();

/** Makes a new id such as `csg_01JD…`; ids sort by creation time. */
export function newId(prefix: IdPrefix, nowMs?: number): string {
  return next(prefix, nowMs);
}

/** True when `id` has the given prefix and a ULID body. */
export function isId(prefix: IdPrefix, id: string): boolean {
  return (
    id.length === prefix.length + 27 &&
    id.startsWith(`${prefix}_`) &&
    /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id.slice(prefix.length + 1))
  );
}
