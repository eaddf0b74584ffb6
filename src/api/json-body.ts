/** JSON request bodies: parsed once, prototype-pollution keys refused, syntax errors coded. */
import { ParcelgateError } from '../domain/index.js';
import { escapePointerToken } from '../match/index.js';
import { bulkDepthMarkers, depthCheckedBytes, maxJsonDepth, nestsTooDeep } from './json-depth.js';

/** The substrings that make a body suspicious of a forbidden key (confirmed on the parsed value). */
const forbiddenMarkers = ['__proto__', 'constructor'];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every marker the checks below look for, in one regular expression: on a bulk body one pass of it
 * costs about a quarter of the four `includes` it stands for (V8 scans a two-byte string, the form
 * any body with a character beyond Latin-1 decodes to, much faster with a regular expression).
 */
const anyBulkMarker = new RegExp([...forbiddenMarkers, ...bulkDepthMarkers].map(escapeRegExp).join('|'));

const forbidden = (key: string, value: unknown): boolean =>
  key === '__proto__' ||
  (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value);

/**
 * Parses a JSON body. A body naming `__proto__` or `constructor.prototype` anywhere is refused
 * with `request.forbidden-key` and the JSON Pointer of the key; the cheap substring test keeps the
 * common path at JSON.parse speed.
 */
export function parseJsonBody(raw: string): unknown {
  // A UTF-8 byte order mark (some Windows tools write one) is ignored, as RFC 8259 §8.1 allows.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0)
    throw new ParcelgateError('request.malformed-json', 'the request body is empty', 400);
  // A bulk body holding none of the markers needs neither check; one that holds any pays for both.
  const plain = text.length > depthCheckedBytes && !anyBulkMarker.test(text);
  if (!plain && nestsTooDeep(text))
    throw new ParcelgateError('request.too-deep', `the JSON nests deeper than ${maxJsonDepth} levels`, 400);
  const suspicious = !plain && forbiddenMarkers.some((m) => text.includes(m));
  let value: unknown;
  try {
    // JSON.parse makes `__proto__` an own data property: nothing is polluted while we look for it.
    value = JSON.parse(text);
  } catch (e) {
    throw new ParcelgateError(
      'request.malformed-json',
      `the request body is not valid JSON: ${(e as Error).message}`,
      400,
    );
  }
  const at = suspicious ? forbiddenKeyAt(value, '') : undefined;
  if (at !== undefined) {
    const key = at.slice(at.lastIndexOf('/') + 1);
    const message = `the JSON contains the forbidden key '${key}' at ${at}`;
    throw new ParcelgateError('request.forbidden-key', message, 400, {
      issues: [{ code: 'request.forbidden-key', path: at, message }],
    });
  }
  return value;
}

/** JSON Pointer of the first forbidden key in a parsed body (depth is bounded by `maxJsonDepth`). */
function forbiddenKeyAt(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const p = `${path}/${escapePointerToken(key)}`;
    if (forbidden(key, v)) return p;
    const inner = forbiddenKeyAt(v, p);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
