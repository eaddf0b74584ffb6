/**
 * Envelope validation (Fastify's Ajv on bodies, query strings and path parameters) as issues with the
 * documented `schema.*` codes of docs/errors.md: JSON Pointers to the field at fault (a missing or
 * unexpected field included), one "must be one of" issue for a list of allowed words instead of one
 * Ajv error per alternative, and the value received (`(got "teleported")`: cut at 40 characters,
 * control characters escaped; a secret field's value is never repeated).
 */
import { describeValue, type ValidationIssue } from '../domain/index.js';
import { escapePointerToken } from '../match/index.js';

/** Issues a `request.invalid` problem lists; beyond them it counts the rest (`omittedIssues`). */
export const maxListedIssues = 100;

/** One Ajv error as Fastify passes it on (`err.validation`). */
export interface AjvError {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  /** The value at `instancePath` (Ajv's `verbose` option); absent from errors made without it. */
  data?: unknown;
}

/** Ajv keyword → the stable issue code (the same codes intake uses for records). */
const CODES: Readonly<Record<string, string>> = {
  required: 'schema.required',
  type: 'schema.type',
  pattern: 'schema.pattern',
  format: 'schema.format',
  enum: 'schema.enum',
  const: 'schema.enum',
  anyOf: 'schema.enum',
  additionalProperties: 'schema.additional-property',
  minItems: 'schema.min-items',
  maxItems: 'schema.max-items',
  uniqueItems: 'schema.unique-items',
  minLength: 'schema.min-length',
  maxLength: 'schema.max-length',
  minimum: 'schema.minimum',
  exclusiveMinimum: 'schema.minimum',
  maximum: 'schema.maximum',
  exclusiveMaximum: 'schema.maximum',
};

/** A field's name for messages: `/items/0/hsCode` → `items[0].hsCode`; the root → `the request`. */
function label(path: string): string {
  if (path === '') return 'the request';
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, t) => (/^\d+$/.test(t) ? `${acc}[${t}]` : acc === '' ? t : `${acc}.${t}`), '');
}

const quoted = (v: unknown): string => JSON.stringify(v);

/**
 * A field whose value a message never repeats: a secret, password, passphrase, token or credential,
 * or a key or its material (`apiKey`, `publicKey`, `privateKeyPem`; not an identifier such as `keyId`).
 */
const SECRET_FIELD = /secret|passw|passphrase|token|credential|key$|pem$/i;

/** True when a field on `path` (a JSON Pointer), or one it lies in, holds a secret. */
function isSecretPath(path: string): boolean {
  return path.split('/').some((t) => SECRET_FIELD.test(t));
}

/** Characters of a string as a length limit counts them (Unicode code points, as Ajv does). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** What a message says was received for error `e` (` (got …)`), or ''. */
function received(e: AjvError): string {
  // No value (an error made without Ajv's `verbose`), or the field's own value is not at fault.
  if (e.data === undefined || e.keyword === 'required' || e.keyword === 'additionalProperties') return '';
  if (isSecretPath(e.instancePath ?? '')) return ' (got a secret value, not shown)';
  const v = e.data;
  if (typeof v === 'string' && (e.keyword === 'maxLength' || e.keyword === 'minLength'))
    return ` (got ${codePoints(v)} characters: ${describeValue(v)})`;
  if (Array.isArray(v)) return e.keyword === 'uniqueItems' ? '' : ` (got ${v.length} elements)`;
  return ` (got ${describeValue(v)})`;
}

/** The value received at `path` as the first of `errors` there has it, for a message; or ''. */
function receivedAt(errors: readonly AjvError[], path: string): string {
  for (const e of errors) {
    const got = (e.instancePath ?? '') === path ? received(e) : '';
    if (got !== '') return got;
  }
  return '';
}

/** Formats whose Ajv message ("must match format …") says less than an example does. */
const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  'date-time': 'must be an RFC 3339 date-time such as "2025-03-01T10:00:00Z"',
  date: 'must be a date such as "2025-03-01"',
};

/** Maps Fastify's validation errors to issues; several errors of one list of allowed words become one. */
export function validationIssues(errors: readonly AjvError[]): ValidationIssue[] {
  // Ajv reports a union of literals as one `const` error per alternative plus an `anyOf`.
  const allowed = new Map<string, unknown[]>();
  for (const e of errors) {
    const at = e.instancePath ?? '';
    if (e.keyword === 'const') allowed.set(at, [...(allowed.get(at) ?? []), e.params?.allowedValue]);
    if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues))
      allowed.set(at, [...(allowed.get(at) ?? []), ...(e.params.allowedValues as unknown[])]);
  }
  const unions = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'enum').map((e) => e.instancePath ?? ''),
  );
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const at = e.instancePath ?? '';
    const keyword = e.keyword ?? 'invalid';
    if (unions.has(at) && allowed.has(at) && keyword !== 'required' && keyword !== 'additionalProperties') {
      // One issue for the whole list (the per-alternative `const` and `type` errors say nothing more).
      if (seen.has(`enum ${at}`)) continue;
      seen.add(`enum ${at}`);
      const values = [...new Set(allowed.get(at))];
      issues.push({
        code: 'schema.enum',
        path: at,
        message: `${label(at)} must be one of ${values.map(quoted).join(', ')}${receivedAt(errors, at)}`,
      });
      continue;
    }
    const code = CODES[keyword] ?? 'schema.invalid';
    if (keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      const path = `${at}/${escapePointerToken(e.params.missingProperty)}`;
      issues.push({ code, path, message: `${label(path)} is required` });
    } else if (keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      const path = `${at}/${escapePointerToken(e.params.additionalProperty)}`;
      issues.push({ code, path, message: `${label(path)} is not a field of this request` });
    } else {
      const why =
        (keyword === 'format' ? FORMAT_MESSAGES[String(e.params?.format)] : undefined) ??
        e.message ??
        'is invalid';
      issues.push({ code, path: at, message: `${label(at)} ${why}${received(e)}` });
    }
  }
  return issues;
}

/**
 * Issue codes that name the problem when every issue of a request has that code: a request refused
 * for its reason alone is `decision.reason-required`, one refused for control characters alone is
 * `request.control-character`. Any mix is `request.invalid` with every issue listed.
 */
const problemCodes: Readonly<Record<string, string>> = {
  'decision.reason-required': 'decision.reason-required',
  'feed.invalid-cursor': 'feed.invalid-cursor',
  'feed.invalid-limit': 'feed.invalid-limit',
  'text.control-character': 'request.control-character',
};

/** The problem code of a request refused with `issues`: see {@link problemCodes}. */
export function problemCodeOf(issues: readonly ValidationIssue[]): string {
  const first = issues[0]?.code;
  if (first === undefined || issues.some((i) => i.code !== first)) return 'request.invalid';
  return problemCodes[first] ?? 'request.invalid';
}

/** A schema error a route's `schemaErrorFormatter` made: its issues, with the route's own codes. */
export interface CodedValidationError extends Error {
  issues: ValidationIssue[];
}

/**
 * A route's `schemaErrorFormatter` giving the issues of some fields their own code and message (one
 * issue per such field, whatever Ajv found wrong with it, with the value received):
 * `{ '/reason': { code, message } }`.
 */
export function fieldCodes(byPath: Readonly<Record<string, { code: string; message: string }>>) {
  return (errors: readonly AjvError[], dataVar: string): CodedValidationError => {
    const issues: ValidationIssue[] = [];
    const done = new Set<string>();
    for (const issue of validationIssues(errors)) {
      const own = byPath[issue.path];
      if (own === undefined) issues.push(issue);
      else if (!done.has(issue.path)) {
        done.add(issue.path);
        issues.push({
          code: own.code,
          path: issue.path,
          message: own.message + receivedAt(errors, issue.path),
        });
      }
    }
    return Object.assign(new Error(`${dataVar}: ${issues.map((i) => i.message).join('; ')}`), { issues });
  };
}
