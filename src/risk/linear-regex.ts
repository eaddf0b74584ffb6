/**
 * `matches` in linear time. A rule's regular expression is tested against texts the submitter writes
 * (descriptions, names), so a backtracking engine would let one parcel stall the pipeline: `(a+)+$` or
 * even `\d+\d+\d+$` on 512 characters takes seconds to hours in V8. Patterns are compiled here into a
 * Thompson NFA and run as a state-set simulation: time grows with text length x pattern size, never
 * exponentially, whatever the pattern.
 *
 * The syntax is JavaScript's (non-Unicode mode, case-insensitive), checked first by V8 itself. Each
 * single-character atom (a literal, `.`, `\d`, `[a-z]`, `\x41`...) is tested by V8 on one character,
 * so its meaning is exactly JavaScript's. Not supported, with a precise message: backreferences (`\1`,
 * `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`), which no linear engine can offer.
 */

/** Largest NFA a pattern may compile to (bounded repetitions are expanded: `a{1,500}` is 500 states). */
export const MAX_PATTERN_STATES = 5000;

type CharTest = (code: number) => boolean;

type Node =
  | { k: 'char'; test: CharTest }
  | { k: 'assert'; a: '^' | '$' | 'b' | 'B' }
  | { k: 'seq'; items: Node[] }
  | { k: 'alt'; options: Node[] }
  | { k: 'rep'; node: Node; min: number; max: number };

/** A pattern the linear engine cannot take: where (character offset) and why. */
export class PatternProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** A tester of one character atom, from its source (e.g. `\d`, `[^a-z]`, `.`), with V8's semantics. */
function charTest(source: string): CharTest {
  const re = new RegExp(`^(?:${source})$`, 'i');
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return (code) => (code < 128 ? ascii[code] === 1 : re.test(String.fromCharCode(code)));
}

const HEX = /^[0-9a-fA-F]$/;

class Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.p.length) throw new PatternProblem(this.i, `unexpected "${this.p[this.i]}"`);
    return n;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { k: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const p = this.p;
    let min: number;
    let max: number;
    const c = p[this.i];
    if (c === '*' || c === '+' || c === '?') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length;
    } else return atom;
    if (p[this.i] === '?') this.i++; // lazy or greedy: the same for a yes/no test
    return { k: 'rep', node: atom, min, max };
  }

  private atom(): Node {
    const p = this.p;
    const start = this.i;
    const c = p[this.i] as string;
    if (c === '^' || c === '$') {
      this.i++;
      return { k: 'assert', a: c };
    }
    if (c === '(') {
      if (
        p.startsWith('(?=', start) ||
        p.startsWith('(?!', start) ||
        p.startsWith('(?<=', start) ||
        p.startsWith('(?<!', start)
      )
        throw new PatternProblem(
          start,
          'lookahead and lookbehind ("(?=", "(?!", "(?<=", "(?<!") are not supported',
        );
      if (p.startsWith('(?:', start)) this.i += 3;
      else if (p.startsWith('(?<', start)) this.i = p.indexOf('>', start) + 1;
      else this.i++;
      const inner = this.alternation();
      if (p[this.i] !== ')') throw new PatternProblem(start, 'expected ")" to close "("');
      this.i++;
      return inner;
    }
    if (c === '[') {
      let j = this.i + 1;
      if (p[j] === '^') j++;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      this.i = j + 1;
      return { k: 'char', test: charTest(p.slice(start, this.i)) };
    }
    if (c === '\\') return this.escape();
    this.i++;
    return {
      k: 'char',
      test: charTest(c === '.' ? '.' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    };
  }

  private escape(): Node {
    const p = this.p;
    const start = this.i;
    const e = p[this.i + 1] as string;
    this.i += 2;
    if (e === 'b' || e === 'B') return { k: 'assert', a: e };
    if (/[1-9]/.test(e)) throw new PatternProblem(start, `backreferences ("\\${e}") are not supported`);
    if (e === 'k' && p[this.i] === '<')
      throw new PatternProblem(start, 'backreferences ("\\k<name>") are not supported');
    if (e === '0' && /[0-9]/.test(p[this.i] ?? ''))
      throw new PatternProblem(start, 'octal escapes are not supported; write \\xHH');
    if (e === 'x' && HEX.test(p[this.i] ?? '') && HEX.test(p[this.i + 1] ?? '')) this.i += 2;
    else if (e === 'u' && [0, 1, 2, 3].every((k) => HEX.test(p[this.i + k] ?? ''))) this.i += 4;
    else if (e === 'c' && /[A-Za-z]/.test(p[this.i] ?? '')) this.i += 1;
    return { k: 'char', test: charTest(p.slice(start, this.i)) };
  }
}

// NFA instructions: char (test, next), split (two nexts), assert (kind, next), match.
const CHAR = 0;
const SPLIT = 1;
const ASSERT = 2;
const MATCH = 3;

interface Program {
  op: number[];
  a: number[];
  b: number[];
  tests: (CharTest | null)[];
  asserts: string[];
}

function emit(prog: Program, op: number, test: CharTest | null = null, assert = ''): number {
  prog.op.push(op);
  prog.a.push(-1);
  prog.b.push(-1);
  prog.tests.push(test);
  prog.asserts.push(assert);
  if (prog.op.length > MAX_PATTERN_STATES)
    throw new PatternProblem(
      0,
      `the pattern is too large (more than ${MAX_PATTERN_STATES} states once repetitions are expanded)`,
    );
  return prog.op.length - 1;
}

/** A fragment: its start state and the dangling exits to patch (state index, slot 'a' | 'b'). */
interface Frag {
  start: number;
  out: [number, 'a' | 'b'][];
}

function patch(prog: Program, out: Frag['out'], to: number): void {
  for (const [s, slot] of out) prog[slot][s] = to;
}

function build(prog: Program, n: Node): Frag {
  switch (n.k) {
    case 'char': {
      const s = emit(prog, CHAR, n.test);
      return { start: s, out: [[s, 'a']] };
    }
    case 'assert': {
      const s = emit(prog, ASSERT, null, n.a);
      return { start: s, out: [[s, 'a']] };
    }
    case 'seq': {
      if (n.items.length === 0) return empty(prog);
      let first: Frag | null = null;
      let prev: Frag | null = null;
      for (const item of n.items) {
        const f = build(prog, item);
        if (prev) patch(prog, prev.out, f.start);
        else first = f;
        prev = f;
      }
      return { start: (first as Frag).start, out: (prev as Frag).out };
    }
    case 'alt': {
      const frags = n.options.map((o) => build(prog, o));
      let start = (frags[frags.length - 1] as Frag).start;
      for (let k = frags.length - 2; k >= 0; k--) {
        const s = emit(prog, SPLIT);
        prog.a[s] = (frags[k] as Frag).start;
        prog.b[s] = start;
        start = s;
      }
      return { start, out: frags.flatMap((f) => f.out) };
    }
    case 'rep': {
      const parts: Frag[] = [];
      for (let k = 0; k < n.min; k++) parts.push(build(prog, n.node));
      if (n.max === Infinity) {
        const s = emit(prog, SPLIT);
        const body = build(prog, n.node);
        prog.a[s] = body.start;
        patch(prog, body.out, s);
        parts.push({ start: s, out: [[s, 'b']] });
      } else {
        for (let k = n.min; k < n.max; k++) {
          const s = emit(prog, SPLIT);
          const body = build(prog, n.node);
          prog.a[s] = body.start;
          parts.push({ start: s, out: [...body.out, [s, 'b']] });
        }
      }
      if (parts.length === 0) return empty(prog);
      for (let k = 1; k < parts.length; k++)
        patch(prog, (parts[k - 1] as Frag).out, (parts[k] as Frag).start);
      return { start: (parts[0] as Frag).start, out: (parts[parts.length - 1] as Frag).out };
    }
  }
}

function empty(prog: Program): Frag {
  const s = emit(prog, SPLIT);
  // A split whose two exits are patched to the same state: an epsilon step.
  return {
    start: s,
    out: [
      [s, 'a'],
      [s, 'b'],
    ],
  };
}

const isWord = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/** Compiles `pattern` (JavaScript syntax, case-insensitive) to a linear-time tester; throws PatternProblem or SyntaxError. */
export function compileLinearPattern(pattern: string): (s: string) => boolean {
  new RegExp(pattern, 'i'); // V8 checks the syntax first (a SyntaxError says what is wrong)
  const prog: Program = { op: [], a: [], b: [], tests: [], asserts: [] };
  const frag = build(prog, new Parser(pattern).parse());
  const match = emit(prog, MATCH);
  patch(prog, frag.out, match);
  const start = frag.start;
  const size = prog.op.length;
  const op = Int8Array.from(prog.op);
  const a = Int32Array.from(prog.a);
  const b = Int32Array.from(prog.b);
  // Assertion kinds: 1 ^, 2 $, 3 \b, 4 \B. Character states test ASCII by table, the rest by V8.
  const kinds = Int8Array.from(prog.asserts, (k) => (k === '^' ? 1 : k === '$' ? 2 : k === 'b' ? 3 : 4));
  const ascii = new Uint8Array(size * 128);
  prog.tests.forEach((t, x) => {
    if (t !== null) for (let c = 0; c < 128; c++) ascii[x * 128 + c] = t(c) ? 1 : 0;
  });
  const tests = prog.tests;
  // Buffers reused by every call (the test is synchronous): marks carry a stamp per text position.
  const mark = new Int32Array(size).fill(-1);
  let stamp = 0;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const stack = new Int32Array(2 * size + 2);
  // The ASCII characters a match can start with (assertions taken as passed: a superset). Positions with
  // no live thread whose character cannot start a match are skipped; not when the pattern matches empty.
  const first = new Uint8Array(128);
  // Visits each state reachable from the start once, following the edges `next` returns (compile time only).
  const walk = (next: (x: number) => readonly number[]): void => {
    const seen = new Uint8Array(size);
    const todo = [start];
    while (todo.length > 0) {
      const x = todo.pop() as number;
      if (x < 0 || seen[x] === 1) continue;
      seen[x] = 1;
      todo.push(...next(x));
    }
  };
  let skipping = true;
  walk((x) => {
    if (op[x] === MATCH) skipping = false;
    else if (op[x] === CHAR) {
      for (let c = 0; c < 128; c++) if (ascii[x * 128 + c] === 1) first[c] = 1;
    } else return op[x] === SPLIT ? [a[x] as number, b[x] as number] : [a[x] as number];
    return [];
  });
  // Anchored: every way in passes a "^" first, so nothing can start after position 0.
  let anchored = true;
  walk((x) => {
    if (op[x] === SPLIT) return [a[x] as number, b[x] as number];
    if (op[x] === ASSERT && kinds[x] !== 1) return [a[x] as number];
    if (op[x] !== ASSERT) anchored = false;
    return [];
  });

  return (s) => {
    const n = s.length;
    if (stamp > 0x7fffff00 - n) {
      mark.fill(-1);
      stamp = 0;
    }
    const base = stamp;
    stamp += n + 2;
    let curLen = 0;
    // Adds state `pc` and everything reachable from it without reading a character at position `i`
    // to `list` (from index `len`); returns the new length, or -1 when the match state is reached.
    const add = (list: Int32Array, len: number, pc: number, i: number): number => {
      const m = base + i;
      let top = 0;
      stack[top++] = pc;
      while (top > 0) {
        const x = stack[--top] as number;
        if (x < 0 || mark[x] === m) continue;
        mark[x] = m;
        const o = op[x];
        if (o === CHAR) list[len++] = x;
        else if (o === SPLIT) {
          stack[top++] = b[x] as number;
          stack[top++] = a[x] as number;
        } else if (o === MATCH) return -1;
        else {
          const kind = kinds[x];
          let holds: boolean;
          if (kind === 1) holds = i === 0;
          else if (kind === 2) holds = i === n;
          else {
            const before = i > 0 && isWord(s.charCodeAt(i - 1));
            const after = i < n && isWord(s.charCodeAt(i));
            holds = kind === 3 ? before !== after : before === after;
          }
          if (holds) stack[top++] = a[x] as number;
        }
      }
      return len;
    };
    for (let i = 0; ; i++) {
      if (curLen === 0 && i > 0 && anchored) return false;
      if (curLen === 0 && skipping) {
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c >= 128 || first[c] === 1) break;
          i++;
        }
      }
      // Unanchored search: a match may start at every position.
      curLen = add(current, curLen, start, i);
      if (curLen < 0) return true;
      if (i >= n) return false;
      const code = s.charCodeAt(i);
      let nextLen = 0;
      for (let k = 0; k < curLen; k++) {
        const x = current[k] as number;
        const hit = code < 128 ? ascii[x * 128 + code] === 1 : (tests[x] as CharTest)(code);
        if (hit) {
          nextLen = add(next, nextLen, a[x] as number, i + 1);
          if (nextLen < 0) return true;
        }
      }
      const t = current;
      current = next;
      next = t;
      curLen = nextLen;
    }
  };
}
