/** The rule set shipped with the package (rules/eu-default.json), loaded and compiled once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParcelgateError } from '../domain/index.js';
import { packageRoot } from '../reference/index.js';
import { loadRuleSet, type CompiledRuleSet } from './compile-rules.js';

/** Path of a shipped rule-set file. */
export const rulesPath = (...parts: string[]): string => join(packageRoot, 'rules', ...parts);

let cached: CompiledRuleSet | undefined;

/** Loads rules/eu-default.json (once per process); throws `rules.invalid-default` if it does not compile. */
export function loadDefaultRuleSet(): CompiledRuleSet {
  if (cached) return cached;
  const result = loadRuleSet(JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8')) as unknown);
  if (!result.ok) {
    throw new ParcelgateError('rules.invalid-default', 'the shipped rule set does not compile', 500, {
      issues: result.error,
    });
  }
  cached = result.value;
  return cached;
}
