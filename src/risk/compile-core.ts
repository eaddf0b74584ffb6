/** Shared building blocks of the expression compiler: nodes, failures, field resolution. */
import type { EvalEnv, Evaluator } from './eval-env.js';
import {
  consignmentFields,
  itemFields,
  topLevelNames,
  type FieldInfo,
  type ValueType,
} from './field-catalogue.js';
import { describeNode, type Ast } from './parse-expression.js';
import type { Value } from './values.js';

/** Names of the computed values the engine provides, with their types. */
export const computedNames: Readonly<Record<string, ValueType>> = {
  intrinsicValueEur: 'num',
  sourceCount: 'num',
  mismatchCount: 'num',
  now: 'date',
};

/** A problem found while compiling, positioned in the expression text. */
export interface CompileProblem {
  code: string;
  position: number;
  message: string;
}

/** A value the rule looked at, recorded in the hit's inputs when it fires. */
export interface InputRef {
  key: string;
  fn: Evaluator;
  itemScoped: boolean;
}

/** A compiled node: closure plus static type. */
export interface Node {
  fn: Evaluator;
  type: ValueType;
  /** Set for literal nodes so operators can precompute (regexes, sets, prefixes). */
  literal?: { value: Value };
}

/** Thrown inside the compiler and turned into a CompileProblem at the top. */
export class CompileFailure extends Error {
  constructor(
    readonly code: string,
    readonly needle: string,
    message: string,
  ) {
    super(message);
  }
}

/** State shared while compiling one expression. */
export interface CompileState {
  text: string;
  itemScope: boolean;
  refs: Map<string, InputRef>;
  compile: (node: Ast, itemScope?: boolean) => Node;
}

/** Flattens a.b.c into ['a','b','c'], or null when the member chain is not a plain path. */
export function memberPath(node: Ast): string[] | null {
  if (node.type === 'Identifier') return [String(node.name)];
  if (node.type === 'MemberExpression' && node.computed !== true) {
    const left = memberPath(node.object as Ast);
    const prop = node.property as Ast;
    if (left && prop.type === 'Identifier') return [...left, String(prop.name)];
  }
  return null;
}

/** A constant node. */
export function literal(value: Value): Node {
  const type: ValueType =
    typeof value === 'boolean'
      ? 'bool'
      : typeof value === 'number'
        ? 'num'
        : typeof value === 'string'
          ? 'str'
          : Array.isArray(value)
            ? 'list'
            : 'any';
  return { fn: () => value, type, literal: { value } };
}

type Getter = (obj: Readonly<Record<string, unknown>>) => Value;

/** A fast property getter for a fixed path; missing values become null. */
export function getter(path: readonly string[]): Getter {
  const [a = '', b = '', c = ''] = path;
  const rec = (v: unknown, k: string): unknown =>
    v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  switch (path.length) {
    case 1:
      return (o) => (o[a] ?? null) as Value;
    case 2:
      return (o) => (rec(o[a], b) ?? null) as Value;
    case 3:
      return (o) => (rec(rec(o[a], b), c) ?? null) as Value;
    default:
      return (o) => (path.reduce<unknown>((v, k) => rec(v, k), o) ?? null) as Value;
  }
}

/** Resolves a field path in the current scope into a node; `allowObject` for exists(). */
export function compileField(node: Ast, st: CompileState, allowObject = false): Node {
  const path = memberPath(node);
  if (!path) {
    throw new CompileFailure(
      'rules.syntax',
      '[',
      `"${describeNode(node)}": only plain field paths like a.b.c are allowed`,
    );
  }
  const name = path.join('.');
  // Own names only: `constructor` or `__proto__` are not engine values.
  const computed = Object.hasOwn(computedNames, name) ? computedNames[name] : undefined;
  if (computed) {
    const key = name as 'intrinsicValueEur' | 'sourceCount' | 'mismatchCount' | 'now';
    const fn: Evaluator = (env) => env.computed[key];
    st.refs.set(name, { key: name, fn, itemScoped: false });
    return { fn, type: computed };
  }
  if (path[0] === 'items') {
    throw new CompileFailure(
      'rules.type',
      name,
      `"${name}": items are reached through items.any(...), items.all(...), count(items) or sum(items.<field>)`,
    );
  }
  const itemInfo = st.itemScope ? itemFields.get(name) : undefined;
  const info: FieldInfo | undefined = itemInfo ?? consignmentFields.get(name);
  if (!info) throw unknownField(name, path, st.itemScope);
  if (info.type === 'object' && !allowObject) {
    throw new CompileFailure(
      'rules.type',
      name,
      `"${name}" is an object; name one of its fields: ${(info.children ?? []).map((c) => `${name}.${c}`).join(', ')}`,
    );
  }
  const get = getter(path);
  const itemScoped = itemInfo !== undefined;
  const fn: Evaluator = itemScoped
    ? (env: EvalEnv) => (env.item ? get(env.item as unknown as Record<string, unknown>) : null)
    : (env: EvalEnv) => get(env.c as unknown as Record<string, unknown>);
  st.refs.set((itemScoped ? 'item.' : '') + name, { key: name, fn, itemScoped });
  return { fn, type: info.type };
}

function unknownField(name: string, path: readonly string[], itemScope: boolean): CompileFailure {
  const parent = path.slice(0, -1).join('.');
  const parentInfo = (itemScope ? itemFields.get(parent) : undefined) ?? consignmentFields.get(parent);
  let expected: string;
  if (parentInfo?.children) expected = `a field of ${parent}: ${parentInfo.children.join(', ')}`;
  else {
    const names = [
      ...(itemScope ? topLevelNames(itemFields) : []),
      ...topLevelNames(consignmentFields),
      ...Object.keys(computedNames),
    ];
    expected = `a field such as ${names.join(', ')}`;
  }
  const where = itemScope ? 'on the item or consignment' : 'on the consignment';
  return new CompileFailure(
    'rules.unknown-field',
    name,
    `unknown field "${name}" ${where}; expected ${expected}`,
  );
}
