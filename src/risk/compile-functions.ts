/** Compiles function calls and item quantifiers of the rule language into closures. */
import type { Item } from '../domain/index.js';
import type { EvalEnv, Evaluator } from './eval-env.js';
import { CompileFailure, compileField, memberPath, type CompileState, type Node } from './compile-core.js';
import { itemFields } from './field-catalogue.js';
import { indicatorIds, mismatchFieldNames, watchlistParties } from './names.js';
import { describeNode, type Ast } from './parse-expression.js';
import { compareValues, sumValues, type Value } from './values.js';

const QUANTIFIERS = ['any', 'all', 'none', 'count'] as const;
const AGGREGATES = ['count', 'sum', 'min', 'max', 'distinct'] as const;

/** Every function name, for error messages and docs. */
export const functionNames = [
  ...AGGREGATES,
  'exists',
  'length',
  'words',
  'hasMismatch',
  'indicator',
  'listed',
  ...QUANTIFIERS.map((q) => `items.${q}`),
];

/** Compiles a CallExpression node. */
export function compileCall(node: Ast, st: CompileState): Node {
  const callee = node.callee as Ast;
  const args = node.arguments as Ast[];
  const path = memberPath(callee);
  if (path && path.length === 2 && path[0] === 'items') return compileQuantifier(path[1] as string, args, st);
  if (callee.type !== 'Identifier') {
    throw new CompileFailure(
      'rules.unknown-function',
      describeNode(callee),
      `unknown function "${describeNode(callee)}"; expected one of ${functionNames.join(', ')}`,
    );
  }
  const name = String(callee.name);
  switch (name) {
    case 'count':
    case 'sum':
    case 'min':
    case 'max':
    case 'distinct':
      return compileAggregate(name, args, st);
    case 'exists': {
      const arg = one(name, args);
      const f = compileField(arg, st, true).fn;
      return { fn: (env) => f(env) !== null, type: 'bool' };
    }
    case 'length':
    case 'words': {
      const f = st.compile(one(name, args)).fn;
      return {
        fn: name === 'length' ? (env) => lengthOf(f(env)) : (env) => wordCount(env, f(env)),
        type: 'num',
      };
    }
    case 'hasMismatch': {
      const field = stringArg(name, args, mismatchFieldNames, 'rules.arguments');
      const fn: Evaluator = (env) => env.computed.mismatchFields.has(field);
      st.refs.set(`hasMismatch("${field}")`, { key: `hasMismatch("${field}")`, fn, itemScoped: false });
      return { fn, type: 'bool' };
    }
    case 'indicator': {
      const id = stringArg(name, args, indicatorIds, 'rules.unknown-indicator');
      const fn: Evaluator = (env) => env.computed.indicators[id] ?? 0;
      st.refs.set(`indicator("${id}")`, { key: `indicator("${id}")`, fn, itemScoped: false });
      return { fn, type: 'num' };
    }
    case 'listed': {
      const list = stringArg(name, args, Object.keys(watchlistParties), 'rules.unknown-list');
      const fn: Evaluator = (env) => env.computed.listed[list] === true;
      st.refs.set(`listed("${list}")`, { key: `listed("${list}")`, fn, itemScoped: false });
      return { fn, type: 'bool' };
    }
    default:
      throw new CompileFailure(
        'rules.unknown-function',
        name,
        `unknown function "${name}"; expected one of ${functionNames.join(', ')}`,
      );
  }
}

function one(name: string, args: Ast[]): Ast {
  const [first] = args;
  if (args.length !== 1 || !first) {
    throw new CompileFailure(
      'rules.arguments',
      name,
      `"${name}" takes exactly one argument, found ${args.length}`,
    );
  }
  return first;
}

function stringArg(name: string, args: Ast[], allowed: readonly string[], code: string): string {
  const arg = one(name, args);
  const value = arg.type === 'Literal' ? arg.value : undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    const found = typeof value === 'string' ? `"${value}"` : describeNode(arg);
    throw new CompileFailure(
      code,
      name,
      `${name}(${found}): expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  return value;
}

function compileQuantifier(q: string, args: Ast[], st: CompileState): Node {
  if (!(QUANTIFIERS as readonly string[]).includes(q)) {
    throw new CompileFailure(
      'rules.unknown-function',
      `items.${q}`,
      `unknown function "items.${q}"; expected items.any, items.all, items.none or items.count`,
    );
  }
  if (st.itemScope)
    throw new CompileFailure(
      'rules.type',
      `items.${q}`,
      `items.${q}(...) cannot be nested inside another item scope`,
    );
  const pred = st.compile(one(`items.${q}`, args), true);
  if (pred.type !== 'bool' && pred.type !== 'any') {
    throw new CompileFailure(
      'rules.type',
      `items.${q}`,
      `items.${q}(...) needs a true/false condition about the item`,
    );
  }
  const p = pred.fn;
  const scan = (env: EvalEnv, stopOn: boolean): number => {
    const items = env.items;
    let hits = 0;
    for (let i = 0; i < items.length; i++) {
      env.item = items[i] as Item;
      if (p(env) === true) {
        if (hits === 0) env.matched = i;
        hits++;
        if (stopOn) break;
      }
    }
    env.item = null;
    return hits;
  };
  switch (q) {
    case 'any':
      return { fn: (env) => scan(env, true) > 0, type: 'bool' };
    case 'none':
      return { fn: (env) => scan(env, true) === 0, type: 'bool' };
    case 'count':
      return { fn: (env) => scan(env, false), type: 'num' };
    default:
      return {
        fn: (env) => {
          const saved = env.matched;
          const all = scan(env, false) === env.items.length;
          env.matched = saved;
          return all;
        },
        type: 'bool',
      };
  }
}

function compileAggregate(name: string, args: Ast[], st: CompileState): Node {
  const arg = one(name, args);
  const path = memberPath(arg);
  if (name === 'count' && path?.length === 1 && path[0] === 'items') {
    return { fn: (env) => env.items.length, type: 'num' };
  }
  if (!path || path[0] !== 'items' || path.length < 2) {
    const example = name === 'count' ? 'count(items)' : `${name}(items.value.amount)`;
    throw new CompileFailure('rules.arguments', name, `"${name}" aggregates an item field, e.g. ${example}`);
  }
  const fieldName = path.slice(1).join('.');
  const info = itemFields.get(fieldName);
  if (!info || info.type === 'object') {
    throw new CompileFailure(
      'rules.unknown-field',
      `items.${fieldName}`,
      `unknown item field "${fieldName}"; expected one of ${[...itemFields.keys()].join(', ')}`,
    );
  }
  const key = `${name}(items.${fieldName})`;
  const sub = path.slice(1);
  const get = (item: Item): Value => {
    let v: unknown = item;
    for (const k of sub) v = (v as Record<string, unknown> | undefined)?.[k];
    return (v ?? null) as Value;
  };
  // One buffer per compiled aggregate: every consumer below reads it fully before returning.
  const buffer: Value[] = [];
  const values = (env: EvalEnv): Value[] => {
    const items = env.items;
    buffer.length = items.length;
    for (let i = 0; i < items.length; i++) buffer[i] = get(items[i] as Item);
    return buffer;
  };
  let fn: Evaluator;
  if (name === 'sum') fn = (env) => sumValues(values(env));
  else if (name === 'distinct') fn = (env) => new Set(values(env).filter((v) => v !== null)).size;
  else if (name === 'count') fn = (env) => values(env).filter((v) => v !== null).length;
  else fn = (env) => extreme(values(env), name === 'min' ? -1 : 1);
  st.refs.set(key, { key, fn, itemScoped: false });
  return { fn, type: 'num' };
}

function extreme(values: Value[], sign: number): Value {
  let best: Value = null;
  for (const v of values) {
    if (v === null) continue;
    if (best === null || compareValues(v, best) === sign) best = v;
  }
  return best;
}

function lengthOf(v: Value): Value {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  return null;
}

function wordCount(env: EvalEnv, v: Value): Value {
  return typeof v === 'string' ? env.words.get(v).length : null;
}
