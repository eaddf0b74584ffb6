/** JSON Pointer (RFC 6901) helpers. */

import { escapePointerToken } from '../domain/index.js';

export { escapePointerToken };

/** Joins path segments into a JSON Pointer ('' for the whole document). */
export function toPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + (typeof s === 'number' ? String(s) : escapePointerToken(s));
  return out;
}

const VALID_POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

/** True when `pointer` is a syntactically valid JSON Pointer. */
export function isJsonPointer(pointer: string): boolean {
  return VALID_POINTER.test(pointer);
}
