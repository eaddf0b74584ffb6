/**
 * Rule index: at compile time each rule is filed under one condition its `when` requires (an HS prefix an
 * item must have, the category, or the dispatch country), so a consignment evaluates only the rules
 * whose required condition it meets plus the rules that require nothing indexable. A rule that also
 * requires a computed number against a literal (`intrinsicValueEur > 150`) keeps that bound beside its
 * position, and a consignment outside it is not a candidate: the bound is checked with the comparison
 * the compiled rule uses, on a few numbers held together, instead of walking the rule's compiled closures
 * (with thousands of rules those are spread over the heap, and each candidate cost a microsecond or more).
 * Same hits as a scan.
 */
import type { ConsignmentInput } from '../domain/index.js';
import type { ComputedValues } from './eval-env.js';
import { parseExpression, type Ast } from './parse-expression.js';
import { compareValues, literalValue, type Value } from './values.js';

/** The computed numbers a bound may name (the rule language's numeric computed fields). */
type BoundName = 'intrinsicValueEur' | 'sourceCount' | 'mismatchCount';
const boundNames: ReadonlySet<string> = new Set<BoundName>([
  'intrinsicValueEur',
  'sourceCount',
  'mismatchCount',
]);

/** The computed values the bounds read. */
export type BoundValues = Pick<ComputedValues, BoundName>;

/** Candidate rules for a consignment, as ascending positions in the rule list. */
export interface RuleIndex {
  readonly size: number;
  /** Rules filed under a key (the rest are always evaluated). */
  readonly indexed: number;
  /** Rules with at least one bound on a computed number. */
  readonly bounded: number;
  /** With `computed`, a rule whose bound the consignment falls outside is left out (it cannot fire). */
  candidates(c: ConsignmentInput, computed?: BoundValues): readonly number[];
}

/** A conjunct `name op literal` of a rule's `when`: the rule cannot fire unless it holds. */
interface Bound {
  name: BoundName;
  op: '<' | '<=' | '>' | '>=';
  value: Value;
}

function boundOf(n: Ast): Bound | null {
  if (n.type !== 'BinaryExpression') return null;
  const op = n.operator;
  if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return null;
  const left = n.left as Ast;
  const right = n.right as Ast;
  if (left.type !== 'Identifier' || !boundNames.has(left.name as string)) return null;
  if (right.type !== 'Literal' || typeof right.value !== 'number') return null;
  return { name: left.name as BoundName, op, value: literalValue(right.value, right.raw) };
}

/** Whether `computed` meets every bound, compared as the compiled rule compares (NaN: not met). */
function withinBounds(bounds: readonly Bound[], computed: BoundValues): boolean {
  for (const b of bounds) {
    const d = compareValues(computed[b.name], b.value);
    const holds = b.op === '<' ? d < 0 : b.op === '<=' ? d <= 0 : b.op === '>' ? d > 0 : d >= 0;
    if (!holds) return false;
  }
  return true;
}

type Key = string;

const isAnd = (n: Ast): boolean =>
  n.type === 'BinaryExpression' && (n.operator === 'and' || n.operator === '&&');

function conjuncts(n: Ast, out: Ast[] = []): Ast[] {
  if (isAnd(n)) {
    conjuncts(n.left as Ast, out);
    conjuncts(n.right as Ast, out);
  } else out.push(n);
  return out;
}

function path(n: Ast): string | null {
  if (n.type === 'Identifier') return n.name as string;
  if (n.type === 'MemberExpression' && n.computed !== true) {
    const base = path(n.object as Ast);
    const prop = n.property as Ast;
    return base === null || prop.type !== 'Identifier' ? null : `${base}.${prop.name as string}`;
  }
  return null;
}

function strings(n: Ast): string[] | null {
  if (n.type === 'Literal' && typeof n.value === 'string') return [n.value];
  if (n.type !== 'ArrayExpression') return null;
  const out: string[] = [];
  for (const e of (n.elements as (Ast | null)[]) ?? []) {
    if (e?.type !== 'Literal' || typeof e.value !== 'string') return null;
    out.push(e.value);
  }
  return out;
}

// Keys one conjunct requires: the consignment must match at least one of them for the conjunct to hold.
function requiredKeys(n: Ast, inItem: boolean): Key[] | null {
  if (n.type !== 'BinaryExpression' && n.type !== 'CallExpression') return null;
  if (n.type === 'CallExpression') {
    const callee = path(n.callee as Ast);
    const args = (n.arguments as Ast[]) ?? [];
    if (callee !== 'items.any' || inItem || args.length !== 1) return null;
    for (const c of conjuncts(args[0] as Ast)) {
      const keys = requiredKeys(c, true);
      if (keys) return keys;
    }
    return null;
  }
  const field = path(n.left as Ast);
  const values = strings(n.right as Ast);
  if (field === null || values === null) return null;
  if (inItem && field === 'hsCode' && n.operator === 'hsIn' && values.every((v) => /^\d{2,10}$/.test(v)))
    return values.map((v) => `hs:${v}`);
  if (inItem) return null;
  const op = n.operator;
  if (op !== '==' && op !== 'in') return null;
  if (op === '==' && values.length !== 1) return null;
  if (field === 'category') return values.map((v) => `cat:${v}`);
  if (field === 'routing.dispatchCountry') return values.map((v) => `disp:${v}`);
  return null;
}

/** The keys a consignment carries: its category, dispatch country and every prefix of every item's HS code. */
function keysOf(c: ConsignmentInput, prefixLengths: ReadonlySet<number>): Key[] {
  const keys = [`cat:${c.category}`, `disp:${c.routing.dispatchCountry}`];
  for (const item of c.items) {
    const hs = item.hsCode;
    if (hs === undefined) continue;
    for (const len of prefixLengths) {
      if (hs.length < len) continue;
      const k = `hs:${hs.slice(0, len)}`;
      keys.push(k, `${k}&disp:${c.routing.dispatchCountry}`);
    }
  }
  return keys;
}

/** Builds the index from each rule's `when` text (a rule without text, or unparsable, is always evaluated). */
export function buildRuleIndex(whenTexts: readonly (string | undefined)[]): RuleIndex {
  const buckets = new Map<Key, number[]>();
  const always: number[] = [];
  const prefixLengths = new Set<number>();
  const bounds: (Bound[] | undefined)[] = [];
  whenTexts.forEach((text, i) => {
    const parsed = text === undefined ? null : parseExpression(text);
    let keys: Key[] | null = null;
    let dispatch: Key[] | null = null;
    if (parsed?.ok) {
      for (const c of conjuncts(parsed.value)) {
        const bound = boundOf(c);
        if (bound !== null) (bounds[i] ??= []).push(bound);
        const k = requiredKeys(c, false);
        if (k?.[0]?.startsWith('disp:')) dispatch ??= k;
        // Prefer HS keys (most selective), then the first indexable conjunct.
        if (k && (keys === null || (k[0]?.startsWith('hs:') && !keys[0]?.startsWith('hs:')))) keys = k;
      }
    }
    // A rule requiring both an HS prefix and a dispatch country is filed under each (HS, country) pair.
    if (keys?.[0]?.startsWith('hs:') && dispatch !== null) {
      const d = dispatch;
      keys = keys.flatMap((k) => d.map((x) => `${k}&${x}`));
    }
    if (keys === null) {
      always.push(i);
      return;
    }
    for (const k of new Set(keys)) {
      if (k.startsWith('hs:')) prefixLengths.add((k.split('&')[0] ?? k).length - 3);
      const list = buckets.get(k) ?? [];
      list.push(i);
      buckets.set(k, list);
    }
  });
  const size = whenTexts.length;
  const mark = new Uint8Array(size);
  const fits = (i: number, computed: BoundValues | undefined): boolean => {
    const b = bounds[i];
    return b === undefined || computed === undefined || withinBounds(b, computed);
  };
  return {
    size,
    indexed: size - always.length,
    bounded: bounds.filter((b) => b !== undefined).length,
    candidates(c, computed) {
      const out: number[] = [];
      for (const i of always) {
        if (!fits(i, computed)) continue;
        mark[i] = 1;
        out.push(i);
      }
      for (const k of keysOf(c, prefixLengths)) {
        const list = buckets.get(k);
        if (list === undefined) continue;
        for (const i of list) {
          if (mark[i] === 1 || !fits(i, computed)) continue;
          mark[i] = 1;
          out.push(i);
        }
      }
      for (const i of out) mark[i] = 0;
      return out.sort((a, b) => a - b);
    },
  };
}
