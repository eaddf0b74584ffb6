/** Compiles a parsed rule-language expression once into a plain closure, checking names and types. */
import { fail, ok, type Result } from '../domain/index.js';
import type { Evaluator } from './eval-env.js';
import type { ValueType } from './field-catalogue.js';
import {
  CompileFailure,
  compileField,
  literal,
  type CompileProblem,
  type CompileState,
  type InputRef,
  type Node,
} from './compile-core.js';
import { compileCall } from './compile-functions.js';
import { compileOperator } from './compile-operators.js';
import { locate, parseExpression, type Ast } from './parse-expression.js';
import { literalValue, type Value } from './values.js';

/** The result of compiling one expression. */
export interface CompiledExpression {
  fn: Evaluator;
  type: ValueType;
  refs: InputRef[];
}

/** Parses and compiles `text`; in `itemScope` item fields resolve before consignment fields. */
export function compileExpression(
  text: string,
  itemScope = false,
): Result<CompiledExpression, CompileProblem> {
  const parsed = parseExpression(text);
  if (!parsed.ok) return fail({ code: 'rules.syntax', ...parsed.error });
  const refs = new Map<string, InputRef>();
  const state: CompileState = {
    text,
    itemScope,
    refs,
    compile: (node, scope = state.itemScope) => {
      const saved = state.itemScope;
      state.itemScope = scope;
      try {
        return compileNode(node, state);
      } finally {
        state.itemScope = saved;
      }
    },
  };
  try {
    const node = state.compile(parsed.value);
    return ok({ fn: node.fn, type: node.type, refs: [...refs.values()] });
  } catch (e) {
    if (e instanceof CompileFailure) {
      return fail({ code: e.code, position: locate(text, e.needle), message: e.message });
    }
    throw e;
  }
}

function compileNode(node: Ast, st: CompileState): Node {
  switch (node.type) {
    case 'Literal': {
      const value = literalValue(node.value, node.raw);
      // A number written with more digits than a double holds keeps its exact decimal text.
      if (typeof node.value === 'number' && typeof value === 'string') {
        return { fn: () => value, type: 'num', literal: { value } };
      }
      return literal(value);
    }
    case 'ArrayExpression': {
      const elements = (node.elements as (Ast | null)[]).map((el) => {
        if (el === null) throw new CompileFailure('rules.syntax', '[', 'empty element in a list');
        return st.compile(el);
      });
      if (elements.every((e) => e.literal)) {
        return literal(elements.map((e) => (e.literal as { value: Value }).value));
      }
      const fns = elements.map((e) => e.fn);
      return { fn: (env) => fns.map((f) => f(env)), type: 'list' };
    }
    case 'Identifier':
    case 'MemberExpression':
      return compileField(node, st);
    case 'CallExpression':
      return compileCall(node, st);
    case 'UnaryExpression':
    case 'BinaryExpression':
      return compileOperator(node, st);
    case 'Compound':
      throw new CompileFailure(
        'rules.syntax',
        '',
        'expected an operator between two terms (e.g. "and", "==")',
      );
    default:
      throw new CompileFailure(
        'rules.unknown-operator',
        '',
        `"${node.type}" is not part of the rule language`,
      );
  }
}
