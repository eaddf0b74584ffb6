/** validateConsignment: screen, normalise, check structure, then check meaning; all issues at once. */
import {
  controlCharacterIssues,
  fail,
  ok,
  type ConsignmentInput,
  type Result,
  type ValidationIssue,
} from '../domain/index.js';
import type { HsNomenclature } from '../reference/index.js';
import { screenInput, screenSorted } from './normalise.js';
import { checkedCopy } from './checked-copy.js';
import { checkStructure, isStructurallyValid } from './schema-check.js';
import { checkSemantics } from './semantic.js';
import type { RequirementCheck } from './data-set.js';

const NOT_OBJECT: readonly ValidationIssue[] = Object.freeze([
  Object.freeze({
    code: 'input.not-object',
    path: '',
    message: 'a consignment record must be a JSON object',
  }),
]);

const NO_FAILED_PATHS: ReadonlySet<string> = new Set();

/**
 * Validates and normalises one raw consignment record. Never throws and never mutates `raw`;
 * returns the normalised copy, or every issue found (each with a stable code and a JSON Pointer).
 * `required` replaces the built-in presence requirements per source kind (a data set, see data-set.ts).
 */
export function validateConsignment(
  raw: unknown,
  hs: HsNomenclature,
  required?: RequirementCheck,
): Result<ConsignmentInput, ValidationIssue[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(NOT_OBJECT.map((i) => ({ ...i })));
  // The common clean record: copied and checked in one walk by the code specialised per schema object.
  const fast = checkedCopy(raw);
  if (fast !== undefined) return meaningChecked(fast, hs, required);
  // Copy with sorted keys: accepted records then serialise canonically with plain JSON.stringify.
  const screened = read(raw, screenSorted);
  if (!screened.ok) return screened;
  if (screened.value === undefined) {
    // Hostile input (prototype keys, deep nesting) is rejected outright, before any further work on it;
    // a second walk in input order reports every issue, in the order they appear in the record.
    const ordered = read(raw, screenInput);
    return ordered.ok ? fail(ordered.value.issues) : ordered;
  }
  const sorted = screened.value.value;
  if (isStructurallyValid(sorted)) return meaningChecked(sorted, hs, required);
  // Structural issues follow the key order of the input (e.g. several unknown keys in one object).
  const ordered = read(raw, screenInput);
  if (!ordered.ok) return ordered;
  const value = ordered.value.value;
  const structural = checkStructure(value);
  const failed = new Set<string>();
  for (const issue of structural) failed.add(issue.path);
  const semantic = checkSemantics(value, hs, failed, required);
  const text = controlCharacterIssues(value, '', failed);
  return fail(structural.concat(semantic, text));
}

/**
 * The semantic checks and the text check (no control characters in any string) of a structurally
 * valid copy: the copy, or every issue.
 */
function meaningChecked(
  copy: unknown,
  hs: HsNomenclature,
  required: RequirementCheck | undefined,
): Result<ConsignmentInput, ValidationIssue[]> {
  const semantic = checkSemantics(copy, hs, NO_FAILED_PATHS, required);
  const text = controlCharacterIssues(copy);
  if (text.length > 0) return fail(semantic.concat(text));
  return semantic.length === 0 ? ok(copy as ConsignmentInput) : fail(semantic);
}

function read<T>(raw: object, walk: (raw: object) => T): Result<T, ValidationIssue[]> {
  try {
    return ok(walk(raw));
  } catch (e) {
    // Only an in-process caller can pass a Proxy or a throwing getter; JSON input never gets here.
    const reason = e instanceof Error ? e.message : String(e);
    return fail([{ code: 'input.unreadable', path: '', message: `the record could not be read: ${reason}` }]);
  }
}
