/**
 * Text holds no control characters: NUL cannot be stored (PostgreSQL's text refuses it), and no other
 * C0 control or DEL is part of a name, a description, an identifier or a reason. Free text may span
 * lines (tab, line feed and carriage return are text); a URL's path and query parameters may not.
 */
import type { ValidationIssue } from './errors.js';
import { escapePointerToken } from './json-pointer.js';

/** The issue code of a string holding a control character (records, JSON bodies, path and query). */
export const controlCharacterCode = 'text.control-character';

/**
 * Index of the first control character of `s` (U+0000 to U+001F, U+007F), or -1; with `multiline`,
 * tab, line feed and carriage return are allowed.
 */
export function controlCharacterAt(s: string, multiline: boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d)))) return i;
  }
  return -1;
}

/** The message of a control-character issue: which character, where in the text. */
export function controlCharacterMessage(s: string, at: number): string {
  const hex = s.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  return `holds the control character U+${hex} at position ${at + 1}: text may not contain control characters`;
}

// A string quoted as JSON, DEL escaped too (JSON escapes only U+0000 to U+001F and lone surrogates).
const quote = (s: string): string => JSON.stringify(s).replace(/\u007f/g, '\\u007f');

/**
 * The value received, for a message: a string quoted with control characters escaped, cut at 40
 * characters; an object or an array by its kind, never its content.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `${quote(value.slice(0, 40)).slice(0, -1)}…"` : quote(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * Issues for every string of a parsed JSON value that holds a control character other than tab, line
 * feed and carriage return, each at its JSON Pointer under `base`; `skip` leaves out paths already at
 * fault. Keys are not checked: a key outside a schema is refused as such.
 */
export function controlCharacterIssues(
  value: unknown,
  base = '',
  skip?: ReadonlySet<string>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // Segments of the current path: a pointer is built only for a string at fault (records are walked
  // on the intake path, where nearly every string is clean).
  const at: (string | number)[] = [];
  const pointer = () =>
    base + at.map((t) => `/${typeof t === 'number' ? t : escapePointerToken(t)}`).join('');
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const i = controlCharacterAt(v, true);
      if (i < 0) return;
      const path = pointer();
      if (skip?.has(path) !== true)
        issues.push({ code: controlCharacterCode, path, message: controlCharacterMessage(v, i) });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i]);
        at.pop();
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        at.push(key);
        walk((v as Record<string, unknown>)[key]);
        at.pop();
      }
    }
  };
  walk(value);
  return issues;
}
