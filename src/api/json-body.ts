/** JSON request bodies: parsed once, prototype-pollution keys refused, syntax errors coded. */
import type { FastifyInstance } from 'fastify';
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
    throw malformed(e);
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

/**
 * The API's JSON bodies: read as bytes (a bulk body is parsed as one-byte text where it can be, see
 * {@link parseJsonBytes}), refused as {@link parseJsonBody} refuses them.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBytes(body as Buffer));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}

/** A run of bytes beyond ASCII in a body read as Latin-1: the UTF-8 of characters beyond U+007F. */
const nonAsciiRun = /[\x80-\xff]+/g;

/**
 * Whether `span` bytes holding `nonAscii` bytes beyond ASCII in `runs` runs are too dense for escapes
 * to pay: more than 1 byte in 128 beyond ASCII, or more than one run per 512 bytes (each run costs
 * about as much as parsing a few hundred bytes).
 */
const tooDense = (nonAscii: number, runs: number, span: number) => nonAscii > span / 128 || runs > span / 512;

/** Two upper-case hex digits of each byte value. */
const hexPairs = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** The `\uXXXX` escape of a UTF-16 code unit. */
const escapeUnit = (unit: number) => '\\u' + hexPairs[unit >> 8]! + hexPairs[unit & 0xff]!;

/**
 * A run of bytes beyond ASCII (between ASCII bytes or the ends) as escapes of the UTF-16 code units
 * UTF-8 decoding makes of it. The common run, one character of two bytes, is decoded here.
 */
function escapedRun(bytes: Buffer, at: number, end: number): { text: string; units: number } {
  const lead = bytes[at]!;
  if (end - at === 2 && lead >= 0xc2 && lead <= 0xdf)
    return { text: escapeUnit(((lead & 0x1f) << 6) | (bytes[at + 1]! & 0x3f)), units: 1 };
  const chars = bytes.toString('utf8', at, end);
  let text = '';
  for (let i = 0; i < chars.length; i++) text += escapeUnit(chars.charCodeAt(i));
  return { text, units: chars.length };
}

/**
 * Parses a JSON body from its bytes: the same value, or the same error, as {@link parseJsonBody} of
 * their UTF-8 decoding. A bulk body holding none of the markers, whose few characters beyond ASCII all
 * sit in strings, is parsed as one-byte text with those characters written as `\uXXXX` escapes:
 * decoding it as UTF-8 would make the whole text two-byte (V8's string form once a single character
 * is beyond Latin-1), slower to decode, search and parse. Every other body takes the text path.
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  const text = bytes.length > depthCheckedBytes ? asciiBulkText(bytes) : undefined;
  if (text !== undefined) {
    try {
      return JSON.parse(text);
    } catch (e) {
      // Not JSON either way (see asciiBulkText). Without escapes the text is the decoding itself, so
      // JSON.parse said what the text path would; with them, the text path says it (where it is).
      if (text.length === bytes.length) throw malformed(e);
    }
  }
  return parseJsonBody(bytes.toString('utf8'));
}

/**
 * The body as ASCII text whose JSON value is that of its UTF-8 decoding, when that decoding would
 * take {@link parseJsonBody}'s bulk path with no check to run (over `depthCheckedBytes` characters,
 * none of the markers); undefined otherwise. Valid JSON holds characters beyond ASCII only inside
 * strings, where an escape stands for the same character; one outside a string stays an error as
 * an escape (a backslash is not JSON there). A character right behind a backslash would turn an
 * invalid escape into a valid one, so such a body takes the text path. Each run of bytes beyond ASCII
 * is decoded on its own, as the whole text would decode it: UTF-8 sequences never span an ASCII byte,
 * and a malformed one becomes U+FFFD either way. Escapes only lengthen the text: it is as long as
 * the body's bytes exactly when it holds none.
 */
export function asciiBulkText(bytes: Buffer): string | undefined {
  // A byte order mark: the text path drops it.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined;
  // A body dense in bytes beyond ASCII from its start is left before it is copied whole.
  const head = bytes.toString('latin1', 0, 65_536);
  let runs = 0;
  let nonAscii = 0;
  nonAsciiRun.lastIndex = 0;
  for (let run = nonAsciiRun.exec(head); run !== null; run = nonAsciiRun.exec(head)) {
    runs++;
    nonAscii += run[0].length;
  }
  if (tooDense(nonAscii, runs, head.length)) return undefined;
  const latin = bytes.toString('latin1');
  const parts: string[] = [];
  let from = 0;
  runs = 0;
  nonAscii = 0;
  // Length of the UTF-8 decoding in UTF-16 code units, as parseJsonBody measures it.
  let length = latin.length;
  nonAsciiRun.lastIndex = 0;
  for (let run = nonAsciiRun.exec(latin); run !== null; run = nonAsciiRun.exec(latin)) {
    const at = run.index;
    const end = nonAsciiRun.lastIndex;
    runs++;
    nonAscii += end - at;
    // So is one that turns dense further on (measured from 64 KiB on).
    if (latin.charCodeAt(at - 1) === 0x5c || tooDense(nonAscii, runs, Math.max(end, 65_536)))
      return undefined;
    const escaped = escapedRun(bytes, at, end);
    length += escaped.units - (end - at);
    parts.push(latin.slice(from, at), escaped.text);
    from = end;
  }
  // Markers are ASCII, and ASCII bytes read as Latin-1 are the characters UTF-8 decodes them to.
  if (length <= depthCheckedBytes || anyBulkMarker.test(latin)) return undefined;
  if (from === 0) return latin;
  parts.push(latin.slice(from));
  return parts.join('');
}

/** The problem for a body JSON.parse refused, in its words. */
const malformed = (e: unknown) =>
  new ParcelgateError(
    'request.malformed-json',
    `the request body is not valid JSON: ${(e as Error).message}`,
    400,
  );

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
