/** JSON request bodies: parsed once, prototype-pollution keys refused, syntax errors coded. */
import { ParcelgateError } from '../domain/index.js';
import { maxJsonDepth, nestsTooDeep } from './json-depth.js';

const forbidden = (key: string, value: unknown): boolean =>
  key === '__proto__' ||
  (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value);

/**
 * Parses a JSON body. A body naming `__proto__` or `constructor.prototype` anywhere is refused
 * with `request.forbidden-key`; the cheap substring test keeps the common path at JSON.parse speed.
 */
export function parseJsonBody(raw: string): unknown {
  // A UTF-8 byte order mark (some Windows tools write one) is ignored, as RFC 8259 §8.1 allows.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0)
    throw new ParcelgateError('request.malformed-json', 'the request body is empty', 400);
  if (nestsTooDeep(text))
    throw new ParcelgateError('request.too-deep', `the JSON nests deeper than ${maxJsonDepth} levels`, 400);
  const suspicious = text.includes('__proto__') || text.includes('constructor');
  try {
    if (!suspicious) return JSON.parse(text);
    return JSON.parse(text, function (key, value: unknown) {
      if (forbidden(key, value)) {
        throw new ParcelgateError(
          'request.forbidden-key',
          `the JSON contains the forbidden key '${key}'`,
          400,
        );
      }
      return value;
    });
  } catch (e) {
    if (e instanceof ParcelgateError) throw e;
    throw new ParcelgateError(
      'request.malformed-json',
      `the request body is not valid JSON: ${(e as Error).message}`,
      400,
    );
  }
}
