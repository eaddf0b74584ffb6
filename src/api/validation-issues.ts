/**
 * Envelope validation (Fastify's Ajv on bodies, query strings and path parameters) as issues with the
 * documented `schema.*` codes of docs/errors.md: JSON Pointers to the field at fault (a missing or
 * unexpected field included), and one "must be one of" issue for a list of allowed words instead of
 * one Ajv error per alternative.
 */
import type { ValidationIssue } from '../domain/index.js';
import { escapePointerToken } from '../match/index.js';

/** Issues a `request.invalid` problem lists; beyond them it counts the rest (`omittedIssues`). */
export const maxListedIssues = 100;

/** One Ajv error as Fastify passes it on (`err.validation`). */
export interface AjvError {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
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
        message: `${label(at)} must be one of ${values.map(quoted).join(', ')}`,
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
      issues.push({ code, path: at, message: `${label(at)} ${e.message ?? 'is invalid'}` });
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
 * issue per such field, whatever Ajv found wrong with it): `{ '/reason': { code, message } }`.
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
        issues.push({ code: own.code, path: issue.path, message: own.message });
      }
    }
    return Object.assign(new Error(`${dataVar}: ${issues.map((i) => i.message).join('; ')}`), { issues });
  };
}
