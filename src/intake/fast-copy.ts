/**
 * The screening copy of a clean record, specialised per object of the consignment schema: a function
 * generated once per closed schema object (no extra keys allowed) copies its known keys in sorted
 * order by name, applies the same normalisations as `screenSorted`, and counts the keys it met. It
 * gives up (undefined) at anything it was not written for: an unknown key, a value of an unexpected
 * kind, an inherited or non-enumerable key, any exception. Its result is then exactly what
 * `screenSorted` makes of the record, and, since no closed object of it has a key outside the schema,
 * the structural check may skip counting keys (`isStructurallyValidCopy`).
 */
import type { TSchema } from '@sinclair/typebox';
import { ConsignmentInput } from '../domain/index.js';
import { copyWithShape, rootShape, trimText, type Shape } from './normalise.js';

type Schema = TSchema & {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  items?: Schema;
};

/** The closed schema objects the generated copier handles (their key checks are then redundant). */
export const fastObjects = new Set<Schema>();

const GIVE_UP = Symbol('give up');
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

const isClosedObject = (s: Schema): boolean =>
  s.type === 'object' && s.additionalProperties === false && s.properties !== undefined;

function generate(root: Schema, shape: Shape): (raw: unknown) => unknown {
  const fns: string[] = [];
  const fixes: ((o: Record<string, unknown>) => void)[] = [];
  const arrayFixes: ((a: unknown[]) => void)[] = [];
  const shapes: (Shape | undefined)[] = [];
  let next = 0;

  const objectFn = (s: Schema, sh: Shape | undefined, depth: number): string => {
    fastObjects.add(s);
    const name = `o${next++}`;
    const keys = Object.keys(s.properties ?? {}).sort();
    let body = `function ${name}(v) {\n`;
    body += `  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw GIVE_UP;\n`;
    body += `  const p = Object.getPrototypeOf(v); if (p !== OP && p !== null) throw GIVE_UP;\n`;
    body += `  let n = 0; for (const k in v) n++;\n  let seen = 0; let x;\n  const o = {};\n`;
    for (const key of keys) {
      if (!SAFE_NAME.test(key)) throw new Error(`schema key ${key} cannot be generated`);
      const child = (s.properties as Record<string, Schema>)[key] as Schema;
      const childShape = sh?.fields?.get(key);
      const ensured = sh?.ensure === key;
      body += `  x = v.${key};\n`;
      body += `  if (x !== undefined) { seen++; o.${key} = ${valueCode(child, childShape, depth + 1)}; }`;
      body += ensured ? ` else o.${key} = undefined;\n` : '\n';
    }
    body += `  if (seen !== n) throw GIVE_UP;\n`;
    if (sh?.fix !== undefined) body += `  fixes[${fixes.push(sh.fix) - 1}](o);\n`;
    body += `  return o;\n}\n`;
    fns.push(body);
    return name;
  };

  // Code of an expression copying `x` (the value of a property, at `depth`) as screenSorted would.
  const valueCode = (s: Schema, sh: Shape | undefined, depth: number): string => {
    if (isClosedObject(s)) return `${objectFn(s, sh, depth)}(x)`;
    if (s.type === 'array' && s.items !== undefined) {
      const items = s.items;
      const each = sh?.each;
      const element = isClosedObject(items)
        ? `${objectFn(items, each, depth + 1)}(e)`
        : items.type === 'object' || items.type === 'array'
          ? `copyWithShape(e, ${depth + 1}, shapes[${shapes.push(each) - 1}])`
          : `(typeof e === 'string' ? trimText(e) : (typeof e === 'object' && e !== null ? giveUp() : e))`;
      const fix = sh?.fixArray === undefined ? '' : `  arrayFixes[${arrayFixes.push(sh.fixArray) - 1}](a);\n`;
      const name = `a${next++}`;
      fns.push(
        `function ${name}(x) {\n  if (!Array.isArray(x)) throw GIVE_UP;\n  const a = new Array(x.length);\n` +
          `  for (let i = 0; i < x.length; i++) { const e = x[i]; a[i] = ${element}; }\n${fix}  return a;\n}\n`,
      );
      return `${name}(x)`;
    }
    if (s.type === 'object' || s.type === 'array')
      return `copyWithShape(x, ${depth}, shapes[${shapes.push(sh) - 1}])`;
    // A primitive (string, number, boolean, literal union): objects there are not the schema's.
    return `(typeof x === 'string' ? trimText(x) : (typeof x === 'object' && x !== null ? giveUp() : x))`;
  };

  const top = objectFn(root, shape, 0);
  const source = `"use strict";\n${fns.join('\n')}\nreturn ${top};`;
  const make = new Function(
    'GIVE_UP',
    'OP',
    'trimText',
    'copyWithShape',
    'fixes',
    'arrayFixes',
    'shapes',
    'giveUp',
    source,
  ) as (...deps: unknown[]) => (v: unknown) => unknown;
  return make(GIVE_UP, Object.prototype, trimText, copyWithShape, fixes, arrayFixes, shapes, () => {
    throw GIVE_UP;
  });
}

const copyRoot = generate(ConsignmentInput as Schema, rootShape);
const NOTHING: Record<string, unknown> = {};

/**
 * `screenSorted(raw).value` for a clean record of the schema's shape, or undefined when the record
 * is anything else (the general copy then decides, with its issues).
 */
export function fastCopy(raw: unknown): unknown {
  // Inherited enumerable keys (a polluted Object.prototype) would be read as the record's own.
  for (const _ in NOTHING) return undefined;
  try {
    return copyRoot(raw);
  } catch {
    return undefined;
  }
}
