/** JSON request bodies: parsed once, prototype-pollution keys refused, syntax errors coded. */
import { ParcelgateError } from '../domain/index.js';
import { escapePointerToken } from '../match/index.js';
import { maxJsonDepth, nestsTooDeep } from './json-depth.js';

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
  if (nestsTooDeep(text))
    throw new ParcelgateError('request.too-deep', `the JSON nests deeper than ${maxJsonDepth} levels`, 400);
  const suspicious = text.includes('__proto__') || text.includes('constructor');
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
