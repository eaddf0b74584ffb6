/** Compiles unary and binary operators of the rule language into closures. */
import type { Evaluator } from './eval-env.js';
import type { ValueType } from './field-catalogue.js';
import { CompileFailure, literal, memberPath, type CompileState, type Node } from './compile-core.js';
import { describeNode, type Ast } from './parse-expression.js';
import { compileLinearPattern, PatternProblem } from './linear-regex.js';
import { PhraseSet } from './text-normalise.js';
import { arithmetic, compareValues, isDecimalString, valuesEqual, type Value } from './values.js';

const BOOL_OK: ReadonlySet<ValueType> = new Set(['bool', 'any']);

function requireBool(node: Node, op: string, side: string): void {
  if (!BOOL_OK.has(node.type)) {
    const hint = op === 'not' ? '; "not" applies to the next term only, write not (a == b)' : '';
    throw new CompileFailure(
      'rules.type',
      op,
      `"${op}" needs a true/false ${side}, found a ${node.type} value${hint}`,
    );
  }
}

/** A list is never equal to a single value: `routing.countries == "CN"` would silently never hold. */
function requireEqualityOperands(left: Node, right: Node, op: string): void {
  const isNull = (n: Node) => n.literal !== undefined && n.literal.value === null;
  if ((left.type === 'list' && !isNull(right)) || (right.type === 'list' && !isNull(left))) {
    throw new CompileFailure(
      'rules.type',
      op,
      `"${op}" compares single values, found a list; test membership with in (e.g. "CN" in routing.countries, or routing.countries in ["CN", "HK"] for any element), or presence with == null`,
    );
  }
}

function requireScalar(node: Node, op: string): void {
  if (node.type === 'list' || node.type === 'object') {
    throw new CompileFailure('rules.type', op, `"${op}" compares single values, found a ${node.type}`);
  }
}

/**
 * A number (a numeric field, computed value or sum) compared with a text literal that is not a decimal
 * (`intrinsicValueEur > "150 EUR"`) can never hold (or, for !=, always holds): refused at compile time.
 * Decimal texts (`"150.00"`) compare by value and stay allowed.
 */
function requireDecimalLiteral(num: Node, numAst: Ast, text: Node, op: string): void {
  if (num.type !== 'num' || num.literal !== undefined) return;
  const v = text.literal?.value;
  if (typeof v !== 'string' || isDecimalString(v)) return;
  const path = memberPath(numAst);
  const name = path ? path.join('.') : describeNode(numAst);
  throw new CompileFailure(
    'rules.type',
    path ? name : op,
    `"${op}" compares "${name}", a number, with the text ${JSON.stringify(v)}, which is not a decimal, so it would ${op === '!=' ? 'always' : 'never'} hold; write a number without quotes or unit, e.g. ${name} ${op} 150`,
  );
}

function requireComparable(left: Node, right: Node, node: Ast, op: string): void {
  requireDecimalLiteral(left, node.left as Ast, right, op);
  requireDecimalLiteral(right, node.right as Ast, left, op);
}

/** Compiles a UnaryExpression or BinaryExpression node. */
export function compileOperator(node: Ast, st: CompileState): Node {
  const op = String(node.operator);
  if (node.type === 'UnaryExpression') {
    const arg = st.compile(node.argument as Ast);
    if (op === 'not' || op === '!') {
      requireBool(arg, 'not', 'operand');
      const f = arg.fn;
      return { fn: (env) => f(env) !== true, type: 'bool' };
    }
    if (op === '-') {
      if (arg.literal && typeof arg.literal.value === 'number') return literal(-arg.literal.value);
      const f = arg.fn;
      return { fn: (env) => arithmetic('-', 0, f(env)), type: 'num' };
    }
    throw new CompileFailure('rules.unknown-operator', op, `unknown operator "${op}"; expected not or -`);
  }
  const left = st.compile(node.left as Ast);
  const special = compileListOperator(op, left, node.right as Ast, st);
  if (special) return special;
  const right = st.compile(node.right as Ast);
  const l = left.fn;
  const r = right.fn;
  switch (op) {
    case 'and':
    case '&&':
      requireBool(left, 'and', 'left side');
      requireBool(right, 'and', 'right side');
      return { fn: (env) => l(env) === true && r(env) === true, type: 'bool' };
    case 'or':
    case '||':
      requireBool(left, 'or', 'left side');
      requireBool(right, 'or', 'right side');
      return { fn: (env) => l(env) === true || r(env) === true, type: 'bool' };
    case '==':
      requireEqualityOperands(left, right, op);
      requireComparable(left, right, node, op);
      return { fn: (env) => valuesEqual(l(env), r(env)), type: 'bool' };
    case '!=':
      requireEqualityOperands(left, right, op);
      requireComparable(left, right, node, op);
      return { fn: (env) => !valuesEqual(l(env), r(env)), type: 'bool' };
    case '<':
    case '<=':
    case '>':
    case '>=':
      requireScalar(left, op);
      requireScalar(right, op);
      requireComparable(left, right, node, op);
      return { fn: comparison(op, l, r), type: 'bool' };
    case '+':
    case '-':
    case '*':
    case '/':
      return { fn: (env) => arithmetic(op, l(env), r(env)), type: 'num' };
    case 'startsWith':
    case 'contains':
      return { fn: textOperator(op, l, right), type: 'bool' };
    default:
      throw new CompileFailure(
        'rules.unknown-operator',
        op,
        `unknown operator "${op}"; expected and, or, not, ==, !=, <, <=, >, >=, +, -, *, /, in, startsWith, contains, matches, containsAny, hsIn`,
      );
  }
}

function comparison(op: string, l: Evaluator, r: Evaluator): Evaluator {
  // compareValues returns NaN for null/incomparable operands, which makes every comparison false.
  switch (op) {
    case '<':
      return (env) => compareValues(l(env), r(env)) < 0;
    case '<=':
      return (env) => compareValues(l(env), r(env)) <= 0;
    case '>':
      return (env) => compareValues(l(env), r(env)) > 0;
    default:
      return (env) => compareValues(l(env), r(env)) >= 0;
  }
}

function textOperator(op: string, l: Evaluator, right: Node): Evaluator {
  const test =
    op === 'startsWith'
      ? (s: string, needle: string) => s.toLowerCase().startsWith(needle)
      : (s: string, needle: string) => s.toLowerCase().includes(needle);
  const check = (v: Value, needle: string): boolean =>
    typeof v === 'string'
      ? test(v, needle)
      : Array.isArray(v) && v.some((x) => typeof x === 'string' && test(x, needle));
  if (right.literal) {
    if (typeof right.literal.value !== 'string') {
      throw new CompileFailure('rules.arguments', op, `"${op}" needs a text on its right, e.g. ${op} "abc"`);
    }
    const needle = right.literal.value.toLowerCase();
    return (env) => check(l(env), needle);
  }
  const r = right.fn;
  return (env) => {
    const needle = r(env);
    return typeof needle === 'string' && check(l(env), needle.toLowerCase());
  };
}

function literalStrings(node: Node, op: string, example: string): string[] {
  const v = node.literal?.value;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string') || v.length === 0) {
    throw new CompileFailure(
      'rules.arguments',
      op,
      `"${op}" needs a non-empty list of texts, e.g. ${op} ${example}`,
    );
  }
  return v as string[];
}

/** Operators whose right side must be (or may be) a literal list: in, matches, containsAny, hsIn. */
function compileListOperator(op: string, left: Node, rightAst: Ast, st: CompileState): Node | null {
  if (op !== 'in' && op !== 'matches' && op !== 'containsAny' && op !== 'hsIn') return null;
  const right = st.compile(rightAst);
  const l = left.fn;
  if (op === 'matches') {
    const pattern = right.literal?.value;
    if (typeof pattern !== 'string') {
      throw new CompileFailure(
        'rules.arguments',
        op,
        '"matches" needs a regular expression in quotes, e.g. matches "^phone"',
      );
    }
    let test: (s: string) => boolean;
    try {
      // Linear time whatever the pattern: the texts it runs on are the submitter's (linear-regex.ts).
      test = compileLinearPattern(pattern);
    } catch (e) {
      const at = e instanceof PatternProblem ? ` at character ${e.offset} of the pattern` : '';
      throw new CompileFailure(
        'rules.bad-regex',
        op,
        `invalid regular expression "${pattern}"${at}: ${(e as Error).message}`,
      );
    }
    return { fn: (env) => anyString(l(env), test), type: 'bool' };
  }
  if (op === 'containsAny') {
    const phrases = new PhraseSet(literalStrings(right, op, '["gift", "parts"]'));
    return {
      fn: (env) => {
        const v = l(env);
        if (typeof v === 'string') return phrases.find(env.words.get(v)) !== null;
        return anyString(v, (s) => phrases.find(env.words.get(s)) !== null);
      },
      type: 'bool',
    };
  }
  if (op === 'hsIn') {
    const prefixes = literalStrings(right, op, '["8507", "93"]');
    const bad = prefixes.find((p) => !/^\d{2,10}$/.test(p));
    if (bad !== undefined)
      throw new CompileFailure('rules.arguments', op, `"hsIn" prefix "${bad}" must be 2 to 10 digits`);
    const test = digitTrie(prefixes);
    return { fn: (env) => anyString(l(env), test), type: 'bool' };
  }
  // in: a list on the left (routing.countries in ["AE", "IR"]) holds when any of its elements is in.
  const anyElement = (member: (v: Value) => boolean): Node =>
    left.type === 'list' || left.type === 'any'
      ? {
          fn: (env) => {
            const v = l(env);
            return Array.isArray(v) ? v.some(member) : member(v);
          },
          type: 'bool',
        }
      : { fn: (env) => member(l(env)), type: 'bool' };
  const list = right.literal?.value;
  if (Array.isArray(list)) {
    if (list.every((x) => typeof x === 'string')) {
      const set = new Set(list as string[]);
      // Decimal texts compare by value as with == ("10.50" in ["10.5"]); other texts exactly (the set).
      const numeric = (list as string[]).some(numericStart);
      return anyElement((v) =>
        typeof v === 'string'
          ? set.has(v) || (numeric && numericStart(v) && list.some((x) => valuesEqual(v, x)))
          : list.some((x) => valuesEqual(v, x)),
      );
    }
    return anyElement((v) => list.some((x) => valuesEqual(v, x)));
  }
  if (right.type !== 'list' && right.type !== 'any') {
    throw new CompileFailure(
      'rules.arguments',
      op,
      '"in" needs a list on its right, e.g. in ["CN", "HK"] or in routing.countries',
    );
  }
  const r = right.fn;
  const member = (v: Value, arr: Value): boolean => Array.isArray(arr) && arr.some((x) => valuesEqual(v, x));
  if (left.type === 'list' || left.type === 'any') {
    return {
      fn: (env) => {
        const v = l(env);
        const arr = r(env);
        return Array.isArray(v) ? v.some((x) => member(x, arr)) : member(v, arr);
      },
      type: 'bool',
    };
  }
  return { fn: (env) => member(l(env), r(env)), type: 'bool' };
}

/**
 * A test for "starts with one of these digit prefixes", as a trie walked over the text's characters:
 * no substrings are cut (equivalent to some prefix p with s.slice(0, p.length) === p).
 */
function digitTrie(prefixes: readonly string[]): (s: string) => boolean {
  // Node i has its 10 children at next[i * 10 + digit] (0 = none) and end[i] when a prefix ends there.
  const next: number[] = new Array<number>(10).fill(0);
  const end: boolean[] = [false];
  for (const p of prefixes) {
    let node = 0;
    for (let i = 0; i < p.length; i++) {
      const slot = node * 10 + p.charCodeAt(i) - 48;
      let child = next[slot] as number;
      if (child === 0) {
        child = end.length;
        end.push(false);
        for (let k = 0; k < 10; k++) next.push(0);
        next[slot] = child;
      }
      node = child;
    }
    end[node] = true;
  }
  return (s) => {
    let node = 0;
    for (let i = 0; i < s.length; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return false;
      node = next[node * 10 + d] as number;
      if (node === 0) return false;
      if (end[node] === true) return true;
    }
    return false;
  };
}

function numericStart(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 45;
}

function anyString(v: Value, test: (s: string) => boolean): boolean {
  if (typeof v === 'string') return test(v);
  return Array.isArray(v) && v.some((x) => typeof x === 'string' && test(x));
}
