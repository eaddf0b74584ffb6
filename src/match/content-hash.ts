/** Canonical JSON and the content hash that makes identical resubmissions recognisable. */
import * as crypto from 'node:crypto';
import type { ConsignmentInput } from '../domain/index.js';

/**
 * Serialises a JSON value with object keys sorted (by UTF-16 code units) at every depth and arrays
 * kept in order. Follows `JSON.stringify` for everything else: `undefined` properties are dropped,
 * `undefined` array slots become `null`, non-finite numbers become `null`, `-0` becomes `0`.
 */
export function canonicalJson(value: unknown): string {
  // Validated records already have sorted keys (intake copies them so): JSON.stringify is then canonical.
  return inCanonicalOrder(value) ? (JSON.stringify(value) ?? 'null') : writeCanonical(value);
}

/** The general canonical writer (sorts every object's keys); `canonicalJson` without its fast path. */
export function writeCanonical(value: unknown): string {
  return write(value) ?? 'null';
}

/**
 * True when `JSON.stringify(value)` is already canonical: every object is plain, without a `toJSON`
 * hook, and enumerates its keys in ascending UTF-16 order. Anything else (toJSON, boxed primitives,
 * class instances, BigInt, arrays with a toJSON) takes the general writer.
 */
export function inCanonicalOrder(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'bigint';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const object = value as Record<string, unknown>;
  let previous: string | undefined;
  // for-in also visits inherited enumerable keys, which only makes the test stricter.
  for (const key in object) {
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!inCanonicalOrder(object[key])) return false;
  }
  return true;
}

/** sha256 (hex) of the canonical JSON of a consignment: equal data gives an equal hash whatever the key order. */
export function contentHash(input: ConsignmentInput): string {
  return sha256Hex(canonicalJson(input));
}

/** sha256 of a text, hex. One-shot crypto.hash (Node >= 20.12) skips the Hash object createHash allocates. */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

const KEY_CACHE_LIMIT = 4096;
// Memo of `"key":` prefixes: schema keys are few; the cap bounds memory for arbitrary input.
const keyPrefixes = new Map<string, string>();

// Strings without quotes, backslashes, control characters or surrogates need no escaping; the rest
// go through JSON.stringify (which also escapes lone surrogates). This keeps hashing at the cost of
// a plain JSON.stringify, which matters on the intake hot path.
function writeString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(value);
    }
  }
  return '"' + value + '"';
}

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = JSON.stringify(key) + ':';
    if (keyPrefixes.size < KEY_CACHE_LIMIT) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** Above this many keys the insertion sort below gives way to Array#sort. */
const manyKeys = 32;

// Insertion sort by UTF-16 code units (what Array#sort does by default): objects here have few keys,
// often already in order, where this beats the general sort.
function sortKeys(keys: string[]): string[] {
  // Quadratic: a hostile object with many keys takes the general sort (the same order).
  if (keys.length > manyKeys) {
    keys.sort();
    return keys;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

// Returns undefined for values JSON omits (undefined, functions, symbols) so objects can skip them.
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return Number.isFinite(value) ? String(value === 0 ? 0 : value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value);
      return writeObject(value as Record<string, unknown>);
    default:
      return undefined;
  }
}

function writeArray(values: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += write(values[i]) ?? 'null';
  }
  return out + ']';
}

function writeObject(object: Record<string, unknown>): string {
  // A toJSON hook (e.g. Date, Decimal) decides the value's JSON form, as it does for JSON.stringify.
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(object)) ?? 'null';
  const keys = sortKeys(Object.keys(object));
  let out = '{';
  let separator = '';
  for (const key of keys) {
    const text = write(object[key]);
    if (text === undefined) continue;
    out += separator + keyPrefix(key) + text;
    separator = ',';
  }
  return out + '}';
}
