/** validateConsignment: screen, normalise, check structure, then check meaning; all issues at once. */
import { fail, ok, type ConsignmentInput, type Result, type ValidationIssue } from '../domain/index.js';
import type { HsNomenclature } from '../reference/index.js';
import { normaliseInPlace, screenInput } from './normalise.js';
import { checkStructure } from './schema-check.js';
import { checkSemantics } from './semantic.js';

const NOT_OBJECT: readonly ValidationIssue[] = Object.freeze([
  Object.freeze({
    code: 'input.not-object',
    path: '',
    message: 'a consignment record must be a JSON object',
  }),
]);

/**
 * Validates and normalises one raw consignment record. Never throws and never mutates `raw`;
 * returns the normalised copy, or every issue found (each with a stable code and a JSON Pointer).
 */
export function validateConsignment(
  raw: unknown,
  hs: HsNomenclature,
): Result<ConsignmentInput, ValidationIssue[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(NOT_OBJECT.map((i) => ({ ...i })));
  let screened: ReturnType<typeof screenInput>;
  try {
    screened = screenInput(raw);
  } catch (e) {
    // Only an in-process caller can pass a Proxy or a throwing getter; JSON input never gets here.
    const reason = e instanceof Error ? e.message : String(e);
    return fail([{ code: 'input.unreadable', path: '', message: `the record could not be read: ${reason}` }]);
  }
  // Hostile input (prototype keys, deep nesting) is rejected outright, before any further work on it.
  if (screened.issues.length > 0) return fail(screened.issues);
  const value = screened.value;
  normaliseInPlace(value);
  const structural = checkStructure(value);
  const failed = new Set<string>();
  for (const issue of structural) failed.add(issue.path);
  const semantic = checkSemantics(value, hs, failed);
  if (structural.length === 0 && semantic.length === 0) return ok(value as ConsignmentInput);
  return fail(structural.length === 0 ? semantic : structural.concat(semantic));
}
