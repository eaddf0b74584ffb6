/** Validates a rule-set file and compiles every rule once into closures (loadRuleSet). */
import { Value as TbValue } from '@sinclair/typebox/value';
import {
  fail,
  ok,
  type Lane,
  type Result,
  type SecurityOutcome,
  type ValidationIssue,
} from '../domain/index.js';
import { loadHs2022, type HsNomenclature } from '../reference/index.js';
import { BrandMatcher } from './brand-price.js';
import type { InputRef } from './compile-core.js';
import { compileExpression } from './compile-expression.js';
import type { EvalEnv, Evaluator } from './eval-env.js';
import { HsVocabulary } from './hs-description-consistency.js';
import { indicatorIds, type IndicatorId } from './names.js';
import { buildRuleIndex, type RuleIndex } from './rule-index.js';
import { RuleSetSpec, type RuleSpec } from './rule-set-schema.js';
import type { Value } from './values.js';

/** A rule-set issue: a ValidationIssue that also names the rule and the position in its expression. */
export interface RuleIssue extends ValidationIssue {
  ruleId?: string;
  position?: number;
}

/** One rule, compiled. */
export interface CompiledRule {
  id: string;
  version: number;
  title: string;
  /** Effective window in epoch ms: fromMs <= now < toMs. */
  fromMs: number;
  toMs: number;
  weight: number;
  lane?: Exclude<Lane, 'green'>;
  security?: Exclude<SecurityOutcome, 'assessment-complete'>;
  when: Evaluator;
  /** The `when` expression as written (feeds the rule index). */
  whenText?: string;
  refs: readonly InputRef[];
  reason: (env: EvalEnv) => string;
}

/** Hit threshold and weight of one indicator. */
export interface IndicatorSetting {
  threshold: number;
  weight: number;
}

/** A validated, compiled rule set, ready for assessRisk. */
export interface CompiledRuleSet {
  id: string;
  version: number;
  /** `${id}@${version}`, recorded on every assessment. */
  key: string;
  thresholds: { red: number; yellow: number; blue: number };
  indicators: Partial<Record<IndicatorId, IndicatorSetting>>;
  rules: readonly CompiledRule[];
  brands: BrandMatcher;
  /** Index of rules by the HS prefix, category or dispatch country they require (used for large sets). */
  index?: RuleIndex;
  /** HS 2022 vocabulary for the description consistency indicator (stems computed per code on first use). */
  hsVocabulary: () => HsVocabulary;
  /** Id of the hit-rate calibration applied to the weights (`calibrateRuleSet`), if any. */
  calibration?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses an effective date; a bare day means start of day (or, for `end`, the start of the next day), UTC. */
function parseEffective(text: string, end: boolean): number {
  const m = DAY.exec(text);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const back = new Date(t).toISOString().slice(0, 10);
    if (back !== text) return NaN;
    return end ? t + 86_400_000 : t;
  }
  // A timestamp needs its offset (RFC 3339): without one Date.parse reads the server's local time.
  const t = STAMP.exec(text);
  if (!t) return NaN;
  const day = `${t[1]}-${t[2]}-${t[3]}`;
  const midnight = Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]));
  if (new Date(midnight).toISOString().slice(0, 10) !== day) return NaN; // 2026-02-30
  if (Number(t[4]) > 23 || Number(t[5]) > 59 || Number(t[6] ?? 0) > 59) return NaN;
  return Date.parse(text);
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Renders a value inside a reason. */
function show(v: Value): string {
  if (v === null) return 'n/a';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function compileReason(
  text: string,
  path: string,
  ruleId: string,
  issues: RuleIssue[],
): (env: EvalEnv) => string {
  const parts: (string | Evaluator)[] = [];
  const re = /\{([^{}]+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(text.slice(last, m.index));
    const compiled = compileExpression(m[1] as string, true);
    if (compiled.ok) parts.push(compiled.value.fn);
    else {
      issues.push({
        code: compiled.error.code,
        path,
        ruleId,
        position: m.index + 1 + compiled.error.position,
        message: `{${m[1]}} at character ${m.index + 1 + compiled.error.position}: ${compiled.error.message}`,
      });
    }
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  if (parts.length === 1) return () => text;
  return (env) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : show(p(env));
    return out;
  };
}

function compileRule(spec: RuleSpec, i: number, issues: RuleIssue[]): CompiledRule | null {
  const base = `/rules/${i}`;
  const before = issues.length;
  const fromMs = parseEffective(spec.effectiveFrom, false);
  const toMs = spec.effectiveTo === undefined ? Infinity : parseEffective(spec.effectiveTo, true);
  if (Number.isNaN(fromMs)) {
    issues.push({
      code: 'rules.bad-date',
      path: `${base}/effectiveFrom`,
      ruleId: spec.id,
      message: `"${spec.effectiveFrom}" is not YYYY-MM-DD or an RFC 3339 timestamp with its offset (Z or +hh:mm)`,
    });
  }
  if (Number.isNaN(toMs)) {
    issues.push({
      code: 'rules.bad-date',
      path: `${base}/effectiveTo`,
      ruleId: spec.id,
      message: `"${spec.effectiveTo}" is not YYYY-MM-DD or an RFC 3339 timestamp with its offset (Z or +hh:mm)`,
    });
  } else if (toMs <= fromMs) {
    issues.push({
      code: 'rules.bad-date',
      path: `${base}/effectiveTo`,
      ruleId: spec.id,
      message: 'effectiveTo is before effectiveFrom',
    });
  }
  if (spec.weight === undefined && spec.lane === undefined && spec.security === undefined) {
    issues.push({
      code: 'rules.missing-outcome',
      path: base,
      ruleId: spec.id,
      message: `rule ${spec.id} needs "weight", "lane" or "security"`,
    });
  }
  const when = compileExpression(spec.when);
  if (!when.ok) {
    issues.push({
      code: when.error.code,
      path: `${base}/when`,
      ruleId: spec.id,
      position: when.error.position,
      message: `rule ${spec.id}, at character ${when.error.position}: ${when.error.message}`,
    });
  } else if (when.value.type !== 'bool' && when.value.type !== 'any') {
    issues.push({
      code: 'rules.type',
      path: `${base}/when`,
      ruleId: spec.id,
      position: 0,
      message: `rule ${spec.id}: "when" must be a true/false condition, found a ${when.value.type} value`,
    });
  }
  const reason = compileReason(spec.reason, `${base}/reason`, spec.id, issues);
  if (issues.length > before || !when.ok) return null;
  return {
    id: spec.id,
    version: spec.version,
    title: spec.title,
    fromMs,
    toMs,
    weight: spec.weight ?? 0,
    lane: spec.lane,
    security: spec.security,
    when: when.value.fn,
    whenText: spec.when,
    refs: when.value.refs,
    reason,
  };
}

/** Options of loadRuleSet. */
export interface LoadRuleSetOptions {
  /** HS nomenclature for the consistency indicator; defaults to the shipped HS 2022 (read once per process). */
  hs?: HsNomenclature;
}

/** Validates and compiles a rule-set document; returns every issue at once. */
export function loadRuleSet(
  json: unknown,
  options: LoadRuleSetOptions = {},
): Result<CompiledRuleSet, RuleIssue[]> {
  if (!TbValue.Check(RuleSetSpec, json)) {
    const issues: RuleIssue[] = [...TbValue.Errors(RuleSetSpec, json)].slice(0, 50).map((e) => ({
      code: 'rules.invalid',
      path: e.path,
      message: `${e.path || '/'}: ${e.message}`,
    }));
    return fail(issues);
  }
  const spec = json as RuleSetSpec;
  const issues: RuleIssue[] = [];
  const { red, yellow, blue } = spec.thresholds;
  if (!(blue <= yellow && yellow <= red)) {
    issues.push({
      code: 'rules.thresholds',
      path: '/thresholds',
      message: `thresholds must satisfy blue <= yellow <= red, found blue ${blue}, yellow ${yellow}, red ${red}`,
    });
  }
  const indicators: Partial<Record<IndicatorId, IndicatorSetting>> = {};
  for (const [name, setting] of Object.entries(spec.indicators ?? {})) {
    if ((indicatorIds as readonly string[]).includes(name)) indicators[name as IndicatorId] = setting;
    else
      issues.push({
        code: 'rules.unknown-indicator',
        path: `/indicators/${name}`,
        message: `unknown indicator "${name}"; expected one of ${indicatorIds.join(', ')}`,
      });
  }
  const seen = new Map<string, number>();
  const rules: CompiledRule[] = [];
  spec.rules.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) {
      issues.push({
        code: 'rules.duplicate-id',
        path: `/rules/${i}/id`,
        ruleId: r.id,
        message: `rule id "${r.id}" is already used by /rules/${first}`,
      });
    } else seen.set(r.id, i);
    const compiled = compileRule(r, i, issues);
    if (compiled) rules.push(compiled);
  });
  if (issues.length > 0) return fail(issues);
  // Reference data is read here, at load time, so that assessRisk never does I/O.
  const vocab = new HsVocabulary(options.hs ?? loadHs2022());
  return ok({
    id: spec.id,
    version: spec.version,
    key: `${spec.id}@${spec.version}`,
    thresholds: { red, yellow, blue },
    indicators,
    rules,
    index: buildRuleIndex(rules.map((r) => r.whenText)),
    brands: new BrandMatcher(spec.brands ?? []),
    hsVocabulary: () => vocab,
  });
}
