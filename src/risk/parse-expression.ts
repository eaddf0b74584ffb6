/**
 * Parses rule-language expressions with jsep. The word operators of the rule language are
 * registered once on the jsep singleton when this module loads (jsep has no per-instance config).
 */
import jsep from 'jsep';
import { fail, ok, type Result } from '../domain/index.js';

/** The parsed syntax tree of an expression (jsep's node shape). */
export type Ast = jsep.Expression;

/** A parse failure: where in the expression and what was expected. */
export interface SyntaxProblem {
  position: number;
  message: string;
}

/** Word and symbol binary operators of the rule language, with jsep precedence. */
export const wordOperators: Readonly<Record<string, number>> = {
  or: 1,
  and: 2,
  in: 7,
  startsWith: 7,
  contains: 7,
  matches: 7,
  containsAny: 7,
  hsIn: 7,
};

for (const [op, precedence] of Object.entries(wordOperators)) jsep.addBinaryOp(op, precedence);
jsep.addUnaryOp('not');

const MAX_LENGTH = 4000;

/** Parses one expression; never throws. */
export function parseExpression(text: string): Result<Ast, SyntaxProblem> {
  if (text.length > MAX_LENGTH)
    return fail({ position: MAX_LENGTH, message: `expression longer than ${MAX_LENGTH} characters` });
  if (text.trim() === '') return fail({ position: 0, message: 'expected an expression, found nothing' });
  try {
    const ast = jsep(text);
    const misplaced = misplacedOperator(ast, text);
    return misplaced ? fail(misplaced) : ok(ast);
  } catch (e) {
    const err = e as { index?: unknown; description?: unknown; message?: unknown };
    // jsep may report the place just past the end (an unclosed quote): keep it inside the text.
    const position = typeof err.index === 'number' ? Math.min(err.index, text.length) : 0;
    const message = typeof err.description === 'string' ? err.description : String(err.message ?? e);
    return fail({ position, message: explain(message) });
  }
}

const OPERATOR_WORDS: ReadonlySet<string> = new Set([...Object.keys(wordOperators), 'not']);

/** The first identifier of the tree that is an operator word (depth first), if any. */
function operatorIdentifier(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = operatorIdentifier(n);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as Ast;
  if (n.type === 'Identifier') return OPERATOR_WORDS.has(String(n.name)) ? String(n.name) : undefined;
  if (n.type === 'MemberExpression' && n.computed !== true) return operatorIdentifier(n.object);
  for (const [k, v] of Object.entries(n)) {
    const found = k === 'type' ? undefined : operatorIdentifier(v);
    if (found) return found;
  }
  return undefined;
}

/**
 * jsep reads an operator word with no operand after it (`a == 1 and`, `a and and b`, `x in`) as a plain
 * identifier, which then surfaced as "an operator between two terms" or an unknown field "and" at the wrong
 * place. Says what is missing, and where.
 */
function misplacedOperator(ast: Ast, text: string): SyntaxProblem | undefined {
  const word = operatorIdentifier(ast);
  if (word === undefined) return undefined;
  const blanked = blankStrings(text);
  if (new RegExp(`(?<![\\w$.])${word}\\s*$`).test(blanked))
    return { position: text.length, message: `expected an operand after "${word}"` };
  const re = new RegExp(`(?<![\\w$.])${word}(?![\\w$])`, 'g');
  const afterOperator = new RegExp(
    `(?:^|[=<>!(,[+\\-*/&|]|(?<![\\w$.])(?:${[...OPERATOR_WORDS].join('|')}))$`,
  );
  let position = locate(text, word);
  for (let m = re.exec(blanked); m !== null; m = re.exec(blanked)) {
    if (afterOperator.test(blanked.slice(0, m.index).trimEnd())) {
      position = m.index;
      break;
    }
  }
  return { position, message: `"${word}" is an operator: expected a value or condition in its place` };
}

function explain(message: string): string {
  if (message.startsWith('Unclosed (')) return 'expected ")" to close "("';
  if (message.startsWith('Unclosed quote')) return 'expected a closing quote';
  if (message.startsWith('Expected ]')) return 'expected "]" to close the list';
  if (message.startsWith('Expected expression after'))
    return `expected an operand after "${message.slice(26).trim()}"`;
  return message;
}

/**
 * Finds where `needle` (an identifier, dotted path or function name) first appears in `text`
 * outside string literals, as a whole word. Returns 0 when not found.
 */
export function locate(text: string, needle: string): number {
  const parts = needle.split('.').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<![\\w$.])${parts.join('\\s*\\.\\s*')}(?![\\w$])`, 'g');
  const blanked = blankStrings(text);
  const m = re.exec(blanked);
  return m ? m.index : 0;
}

/** Replaces the contents of string literals with spaces so searches skip them. */
function blankStrings(text: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (ch === quote) quote = '';
      out += ch === quote || quote === '' ? ch : ' ';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    out += ch;
  }
  return out;
}

/** Short human form of an AST node for messages. */
export function describeNode(node: Ast): string {
  switch (node.type) {
    case 'Identifier':
      return String(node.name);
    case 'MemberExpression':
      return `${describeNode(node.object as Ast)}.${describeNode(node.property as Ast)}`;
    case 'Literal':
      return String(node.raw);
    case 'CallExpression':
      return `${describeNode(node.callee as Ast)}(...)`;
    default:
      return node.type;
  }
}
