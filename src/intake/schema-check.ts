/** Structural validation of a consignment against the canonical TypeBox schema, with stable issue codes. */
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { ConsignmentInput, describeValue, type ValidationIssue } from '../domain/index.js';
import { fastObjects } from './fast-copy.js';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True when `value` is an RFC 3339 date-time with a real calendar date and time of day. */
export function isRfc3339DateTime(value: string): boolean {
  return commonDateTime(value) ?? rfc3339ByPattern(value);
}

/** The two decimal digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The common form `YYYY-MM-DDTHH:MM:SS[.fraction]Z` checked character by character (no match array,
 * no number parsing); undefined for any other form, which the pattern decides.
 */
function commonDateTime(v: string): boolean | undefined {
  const n = v.length;
  if (
    n < 20 ||
    n > 30 ||
    v.charCodeAt(n - 1) !== 90 ||
    v.charCodeAt(4) !== 45 ||
    v.charCodeAt(7) !== 45 ||
    v.charCodeAt(10) !== 84 ||
    v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58
  )
    return undefined;
  const century = twoDigits(v, 0);
  const yy = twoDigits(v, 2);
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const hour = twoDigits(v, 11);
  const minute = twoDigits(v, 14);
  const second = twoDigits(v, 17);
  if (century < 0 || yy < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (n > 20) {
    // A fraction: '.' then 1 to 9 digits before the 'Z'.
    if (n === 21 || v.charCodeAt(19) !== 46) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
    }
  }
  const year = century * 100 + yy;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!;
  return day <= maxDay && hour <= 23 && minute <= 59 && second <= 60;
}

/** `isRfc3339DateTime` by the pattern alone (the reference for the character-by-character path). */
export function rfc3339ByPattern(value: string): boolean {
  const m = RFC3339.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!;
  if (day > maxDay) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isRfc3339DateTime);

/** Compiled once per process: validation is a generated function, not an interpreter. */
const checker = TypeCompiler.Compile(ConsignmentInput);

const TYPE_NAMES: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.String]: 'a string',
  [ValueErrorType.Number]: 'a number',
  [ValueErrorType.Integer]: 'a whole number',
  [ValueErrorType.Boolean]: 'true or false',
  [ValueErrorType.Object]: 'an object',
  [ValueErrorType.Array]: 'an array',
};

const PATTERN_MEANINGS: Record<string, string> = {
  '^[A-Z]{2}$': 'an ISO 3166-1 alpha-2 country code such as "CN"',
  '^[A-Z]{3}$': 'an ISO 4217 currency code such as "EUR"',
  '^-?\\d{1,15}(\\.\\d{1,6})?$': 'an exact decimal amount such as "12.50" (up to 15 digits, 6 decimals)',
  '^\\d{6}(\\d{2}){0,2}$': 'an HS code of 6, 8 or 10 digits such as "610910"',
};

const ALL_DIGITS = /^\d+$/;

/** Human-readable name of the field at a JSON Pointer: `items[0].value.amount`. */
export function fieldName(path: string): string {
  if (path === '') return 'record';
  let out = '';
  for (const token of path.slice(1).split('/')) {
    if (ALL_DIGITS.test(token)) out += `[${token}]`;
    else out += out === '' ? token : `.${token}`;
  }
  return out;
}

function literals(schema: TSchema): string[] {
  const anyOf = (schema as { anyOf?: Record<string, unknown>[] }).anyOf ?? [];
  const out: string[] = [];
  for (const s of anyOf) if ('const' in s) out.push(JSON.stringify(s.const));
  return out;
}

function toIssue(e: ValueError): ValidationIssue {
  const field = fieldName(e.path);
  const s = e.schema as Record<string, unknown>;
  const at = (code: string, message: string): ValidationIssue => ({ code, path: e.path, message });
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return at('schema.required', `${field} is required`);
    case ValueErrorType.ObjectAdditionalProperties:
      return at('schema.additional-property', `${field} is not a field of this record`);
    case ValueErrorType.Union:
    case ValueErrorType.Literal: {
      const allowed = literals(e.schema);
      return allowed.length > 0
        ? at('schema.enum', `${field} must be one of ${allowed.join(', ')} (got ${describeValue(e.value)})`)
        : at('schema.invalid', `${field} is not a valid value (got ${describeValue(e.value)})`);
    }
    case ValueErrorType.String:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
    case ValueErrorType.Boolean:
    case ValueErrorType.Object:
    case ValueErrorType.Array:
      return at(
        'schema.type',
        `${field} must be ${TYPE_NAMES[e.type] ?? 'valid'} (got ${describeValue(e.value)})`,
      );
    case ValueErrorType.StringPattern: {
      const meaning = PATTERN_MEANINGS[String(s.pattern)] ?? `text matching ${String(s.pattern)}`;
      return at('schema.pattern', `${field} must be ${meaning} (got ${describeValue(e.value)})`);
    }
    case ValueErrorType.StringFormat:
    case ValueErrorType.StringFormatUnknown:
      return at(
        'schema.format',
        `${field} must be an RFC 3339 date-time such as "2025-03-01T10:00:00Z" (got ${describeValue(e.value)})`,
      );
    case ValueErrorType.StringMinLength:
      return at('schema.min-length', `${field} must not be empty`);
    case ValueErrorType.StringMaxLength:
      return at('schema.max-length', `${field} must be at most ${String(s.maxLength)} characters`);
    case ValueErrorType.ArrayMinItems:
      return at('schema.min-items', `${field} must have at least ${String(s.minItems)} element(s)`);
    case ValueErrorType.ArrayMaxItems:
      return at('schema.max-items', `${field} must have at most ${String(s.maxItems)} elements`);
    case ValueErrorType.ArrayUniqueItems:
      return at('schema.unique-items', `${field} must not repeat a value`);
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return at('schema.minimum', `${field} must be at least ${String(s.minimum)}`);
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return at('schema.minimum', `${field} must be greater than ${String(s.exclusiveMinimum)}`);
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return at('schema.maximum', `${field} must be at most ${String(s.maximum)}`);
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return at('schema.maximum', `${field} must be less than ${String(s.exclusiveMaximum)}`);
    default:
      return at('schema.invalid', `${field} is invalid: ${e.message}`);
  }
}

/** Structural issues of `value`, one per field path; empty when `value` is a ConsignmentInput. */
export function checkStructure(value: unknown): ValidationIssue[] {
  if (checker.Check(value)) return [];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of checker.Errors(value)) {
    // One field, one issue: a missing property also reports "expected string" at the same path.
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    issues.push(toIssue(e));
  }
  return issues;
}

/** True when `value` is a ConsignmentInput (the compiled check alone, without building issues). */
export const isStructurallyValid = (value: unknown): boolean => checker.Check(value);

// The schema without the key checks of the closed objects the specialised copy handles: a copy it made
// has no key outside the schema in any of them, so only the rest needs checking.
function withoutKeyChecks(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutKeyChecks);
  if (typeof schema !== 'object' || schema === null || schema instanceof RegExp) return schema;
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(schema)) {
    if (key === 'additionalProperties' && fastObjects.has(schema as TSchema)) continue;
    out[key] = withoutKeyChecks((schema as Record<string | symbol, unknown>)[key]);
  }
  return out;
}

const copyChecker = TypeCompiler.Compile(withoutKeyChecks(ConsignmentInput) as TSchema);

/** The check `isStructurallyValidCopy` applies to a part of the record of schema `schema`, compiled. */
export function copyCheckOf(schema: TSchema): (value: unknown) => boolean {
  const checker = TypeCompiler.Compile(withoutKeyChecks(schema) as TSchema);
  return (value) => checker.Check(value);
}

/** `isStructurallyValid` for a record `fastCopy` made (its closed objects hold only schema keys). */
export const isStructurallyValidCopy = (value: unknown): boolean => copyChecker.Check(value);
