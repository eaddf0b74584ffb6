/** JSON Pointer (RFC 6901) reference tokens: the one escaping every layer uses. */

const NEEDS_ESCAPE = /[~/]/;

/** Escapes one reference token of a JSON Pointer: `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointerToken(token: string): string {
  return NEEDS_ESCAPE.test(token) ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token;
}
