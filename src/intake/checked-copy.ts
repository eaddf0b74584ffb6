/**
 * `fastCopy` with the structural check of the copy folded in: one walk copies, normalises and checks a
 * clean record, instead of a copy and then the compiled TypeBox check reading every value again. It
 * gives up (undefined) wherever `fastCopy` gives up or `isStructurallyValidCopy` would fail, and the
 * caller then takes the general path with its issues; otherwise its result is exactly `fastCopy`'s
 * (checked-copy.test.ts compares the three).
 */
import { ConsignmentInput } from '../domain/index.js';
import { generateCopy } from './fast-copy.js';
import { rootShape } from './normalise.js';
import { copyCheckOf } from './schema-check.js';

const copyRoot = generateCopy(ConsignmentInput, rootShape, copyCheckOf);
const NOTHING: Record<string, unknown> = {};

/**
 * `fastCopy(raw)` when it copies and its copy passes `isStructurallyValidCopy`; undefined otherwise.
 */
export function checkedCopy(raw: unknown): unknown {
  // Inherited enumerable keys (a polluted Object.prototype) would be read as the record's own.
  for (const _ in NOTHING) return undefined;
  try {
    return copyRoot(raw);
  } catch {
    return undefined;
  }
}
