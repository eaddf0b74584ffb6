/** Field-level differences between two versions of a consignment, as JSON Pointers, for amendment events. */
import { escapePointerToken, type ConsignmentInput } from '../domain/index.js';

export { escapePointerToken };

/**
 * Lists the JSON Pointer (RFC 6901) of every leaf that was added, removed or changed between `a` and
 * `b`, in key order. A changed type (object to array, array to value...) is reported at that node;
 * a longer or shorter array reports each added or removed index. Identical inputs give `[]`.
 */
export function diffInputs(a: ConsignmentInput, b: ConsignmentInput): string[] {
  const paths: string[] = [];
  diffValues(a, b, '', paths);
  return paths;
}

function diffValues(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return;
  const aIsArray = Array.isArray(a);
  const bIsArray = Array.isArray(b);
  if (aIsArray && bIsArray) {
    diffArrays(a, b, path, out);
    return;
  }
  if (!aIsArray && !bIsArray && isObject(a) && isObject(b)) {
    diffObjects(a, b, path, out);
    return;
  }
  // NaN never appears in valid JSON data, but two NaNs are the same value, not a change.
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return;
  out.push(path);
}

function diffArrays(a: readonly unknown[], b: readonly unknown[], path: string, out: string[]): void {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const child = `${path}/${i}`;
    if (i >= a.length || i >= b.length) out.push(child);
    else diffValues(a[i], b[i], child, out);
  }
}

function diffObjects(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  path: string,
  out: string[],
): void {
  // A property holding `undefined` is the same as an absent one, as in JSON.
  const keys = new Set<string>();
  for (const key of Object.keys(a)) if (a[key] !== undefined) keys.add(key);
  for (const key of Object.keys(b)) if (b[key] !== undefined) keys.add(key);
  for (const key of [...keys].sort()) {
    diffValues(a[key], b[key], `${path}/${escapePointerToken(key)}`, out);
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}
