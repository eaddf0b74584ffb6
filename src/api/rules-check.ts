/**
 * Rule-set checks: the scenario runner of POST /v1/rules/test, the console editor's check (validate and
 * compile a document without storing it, then that runner), and the rule set and scenarios shipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ParcelgateError } from '../domain/index.js';
import {
  loadRuleSet,
  parseScenarioFile,
  rulesPath,
  runScenarioFile,
  type CompiledRuleSet,
  type RuleIssue,
  type ScenarioFile,
  type ScenarioResult,
} from '../risk/index.js';

/** The answer of POST /v1/rule-sets/check. */
export interface RuleSetCheck {
  valid: boolean;
  issues: RuleIssue[];
  ruleSet: { id: string; version: number; key: string; rules: number } | null;
  scenarios: {
    source: 'request' | 'shipped' | 'none';
    passed: number;
    failed: number;
    results: ScenarioResult[];
  };
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The scenario file shipped for a rule-set id (base, context, scenarios), or undefined. */
export function shippedScenarios(id: string): ScenarioFile | undefined {
  if (!idPattern.test(id)) return undefined;
  const file = rulesPath(`${id}.scenarios.json`);
  if (!existsSync(file)) return undefined;
  return parseScenarioFile(readJson(file));
}

/** The shipped rule-set document of `id@version` in the shape of a stored version, or undefined. */
export function shippedRuleSet(
  id: string,
  version: number,
):
  | {
      id: string;
      version: number;
      loadedAt: null;
      loadedBy: 'package';
      activatedAt: null;
      rules: number;
      shipped: true;
      document: unknown;
    }
  | undefined {
  if (!idPattern.test(id)) return undefined;
  const file = rulesPath(`${id}.json`);
  if (!existsSync(file)) return undefined;
  const document = readJson(file) as { id?: unknown; version?: unknown; rules?: unknown[] };
  if (document.id !== id || document.version !== version) return undefined;
  return {
    id,
    version,
    loadedAt: null,
    loadedBy: 'package',
    activatedAt: null,
    rules: Array.isArray(document.rules) ? document.rules.length : 0,
    shipped: true,
    document,
  };
}

/** The answer of POST /v1/rules/test: the rule set run, whether every scenario passed, and each result. */
export interface RuleTestRun {
  ruleSet: string;
  passed: boolean;
  results: ScenarioResult[];
}

/**
 * The scenario runner of POST /v1/rules/test, which the check reuses: runs a scenario file (base, context,
 * scenarios) against a compiled rule set. A malformed file is `rules.bad-scenarios` (422); a scenario the
 * engine cannot assess (e.g. an unparsable `now`) is `request.invalid` (400).
 */
export function testRules(ruleSet: CompiledRuleSet, file: unknown): RuleTestRun {
  const parsed = parseScenarioFile(file);
  let results: ScenarioResult[];
  try {
    results = runScenarioFile(ruleSet, parsed);
  } catch (e) {
    throw new ParcelgateError(
      'request.invalid',
      `a scenario could not be assessed: ${(e as Error).message}`,
      400,
    );
  }
  return { ruleSet: ruleSet.key, passed: results.every((r) => r.passed), results };
}

/** Compiles a rule-set document, or throws `rules.rejected` (422) with every issue. */
export function compileOrReject(document: unknown): CompiledRuleSet {
  const loaded = loadRuleSet(document);
  if (!loaded.ok)
    throw new ParcelgateError('rules.rejected', `the rule set has ${loaded.error.length} problem(s)`, 422, {
      issues: loaded.error,
    });
  return loaded.value;
}

/**
 * Validates and compiles `document` (every issue, answered rather than thrown); when valid, runs the test
 * route's runner on the scenarios given (a scenario file, or a bare array of scenarios), else on the file
 * shipped for its id.
 */
export function checkRuleSet(document: unknown, scenarios?: unknown): RuleSetCheck {
  const given =
    scenarios === undefined
      ? undefined
      : parseScenarioFile(Array.isArray(scenarios) ? { scenarios } : scenarios);
  const compiled = loadRuleSet(document);
  if (!compiled.ok) {
    return {
      valid: false,
      issues: compiled.error,
      ruleSet: null,
      scenarios: { source: 'none', passed: 0, failed: 0, results: [] },
    };
  }
  const rs = compiled.value;
  const shipped = given === undefined ? shippedScenarios(rs.id) : undefined;
  const { results } = testRules(rs, given ?? shipped ?? { scenarios: [] });
  const failed = results.filter((r) => !r.passed).length;
  return {
    valid: true,
    issues: [],
    ruleSet: { id: rs.id, version: rs.version, key: rs.key, rules: rs.rules.length },
    scenarios: {
      source: given ? 'request' : shipped ? 'shipped' : 'none',
      passed: results.length - failed,
      failed,
      results,
    },
  };
}
