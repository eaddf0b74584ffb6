/**
 * The screening copy of a clean record, specialised per object of the consignment schema: a function
 * generated once per closed schema object (no extra keys allowed) copies its known keys in sorted
 * order by name, applies the same normalisations as `screenSorted`, and counts the keys it met. It
 * gives up (undefined) at anything it was not written for: an unknown key, a value of an unexpected
 * kind, an inherited or non-enumerable key, any exception. Its result is then exactly what
 * `screenSorted` makes of the record, and, since no closed object of it has a key outside the schema,
 * the structural check may skip counting keys (`isStructurallyValidCopy`).
 */
import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { ConsignmentInput } from '../domain/index.js';
import { copyWithShape, rootShape, trimText, type Shape } from './normalise.js';

type Schema = TSchema & {
  type?: string;
  required?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  items?: Schema;
};

/** The closed schema objects the generated copier handles (their key checks are then redundant). */
export const fastObjects = new Set<Schema>();

const GIVE_UP = Symbol('give up');
// Schema keys that constrain nothing, and the keywords the checked copy writes itself.
const METADATA = new Set(['description', 'title', '$id', '$comment', 'examples', 'default']);
const OBJECT_KEYWORDS = new Set(['type', 'properties', 'required', 'additionalProperties']);
const ARRAY_KEYWORDS = new Set(['type', 'items', 'minItems', 'maxItems', 'uniqueItems']);
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

const isClosedObject = (s: Schema): boolean =>
  s.type === 'object' && s.additionalProperties === false && s.properties !== undefined;

/** A structural check of one schema (as the compiled TypeBox check of the copy decides it). */
export type SubCheck = (schema: TSchema) => (value: unknown) => boolean;

/**
 * The generator behind `fastCopy`. With `subCheck` the copy also checks what the structural check of
 * the copy (`isStructurallyValidCopy`) checks, value by value after the normalisations, and gives up
 * where that check would fail: strings, numbers, literals and arrays by inline code that follows
 * TypeBox's compiled expressions, anything else through `subCheck` of its schema.
 */
export function generateCopy(root: TSchema, shape: Shape, subCheck?: SubCheck): (raw: unknown) => unknown {
  return generate(root as Schema, shape, subCheck);
}

function generate(root: Schema, shape: Shape, subCheck?: SubCheck): (raw: unknown) => unknown {
  const fns: string[] = [];
  const fixes: ((o: Record<string, unknown>) => void)[] = [];
  const arrayFixes: ((a: unknown[]) => void)[] = [];
  const shapes: (Shape | undefined)[] = [];
  const checked = subCheck !== undefined;
  // Schemas checked through subCheck, compiled once every object is generated; patterns and formats.
  const subSchemas: Schema[] = [];
  const patterns: RegExp[] = [];
  const formats: ((v: string) => boolean)[] = [];
  const sub = (s: Schema, v: string): string => `subChecks[${subSchemas.push(s) - 1}](${v})`;
  let next = 0;

  // Code of a boolean expression that holds when the copied primitive `v` meets `s`, as TypeBox's
  // compiled check writes it; undefined for a schema (or a keyword) this generator does not know.
  const primitiveCheck = (s: Schema, v: string): string | undefined => {
    const known = (...keys: string[]): boolean =>
      Object.keys(s).every((k) => keys.includes(k) || METADATA.has(k));
    const num = (k: string): number | undefined => {
      const n = (s as Record<string, unknown>)[k];
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    };
    const parts: string[] = [];
    switch (s[Kind]) {
      case 'String': {
        if (!known('type', 'maxLength', 'minLength', 'pattern', 'format')) return undefined;
        parts.push(`typeof ${v} === 'string'`);
        const max = num('maxLength');
        const min = num('minLength');
        if (max !== undefined) parts.push(`${v}.length <= ${max}`);
        if (min !== undefined) parts.push(`${v}.length >= ${min}`);
        if (typeof s.pattern === 'string')
          parts.push(`patterns[${patterns.push(new RegExp(s.pattern)) - 1}].test(${v})`);
        if (typeof s.format === 'string') {
          const f = FormatRegistry.Get(s.format);
          if (f === undefined) return undefined;
          parts.push(`formats[${formats.push(f) - 1}](${v})`);
        }
        return parts.join(' && ');
      }
      case 'Number':
      case 'Integer': {
        if (!known('type', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum')) return undefined;
        parts.push(s[Kind] === 'Integer' ? `Number.isInteger(${v})` : `Number.isFinite(${v})`);
        const bounds: [string, string][] = [
          ['exclusiveMaximum', '<'],
          ['exclusiveMinimum', '>'],
          ['maximum', '<='],
          ['minimum', '>='],
        ];
        for (const [k, op] of bounds) {
          const n = num(k);
          if (n !== undefined) parts.push(`${v} ${op} ${n}`);
        }
        return parts.join(' && ');
      }
      case 'Boolean':
        return known('type') ? `typeof ${v} === 'boolean'` : undefined;
      case 'Literal': {
        const c: unknown = (s as { const?: unknown }).const;
        if (!known('type', 'const')) return undefined;
        if (typeof c === 'string') return `${v} === ${JSON.stringify(c)}`;
        return typeof c === 'number' || typeof c === 'boolean' ? `${v} === ${String(c)}` : undefined;
      }
      case 'Union': {
        const anyOf = (s as { anyOf?: Schema[] }).anyOf;
        if (!known('anyOf') || anyOf === undefined || anyOf.length === 0) return undefined;
        for (const branch of anyOf) {
          const code = primitiveCheck(branch, v);
          if (code === undefined) return undefined;
          parts.push(`(${code})`);
        }
        return `(${parts.join(' || ')})`;
      }
      default:
        return undefined;
    }
  };
  // Whether every value `s` admits is a string (its elements then compare as TypeBox's hashes do).
  const onlyStrings = (s: Schema): boolean =>
    s[Kind] === 'String' ||
    (s[Kind] === 'Literal' && typeof (s as { const?: unknown }).const === 'string') ||
    (s[Kind] === 'Union' && ((s as { anyOf?: Schema[] }).anyOf ?? []).every(onlyStrings));

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
    if (checked) body += objectChecks(s, keys);
    body += `  return o;\n}\n`;
    fns.push(body);
    return name;
  };

  // Checks of a copied (and normalised) object's values: those its children's functions do not check.
  const objectChecks = (s: Schema, keys: readonly string[]): string => {
    const required = new Set<string>(Array.isArray(s.required) ? (s.required as string[]) : []);
    let code = '';
    if (!Object.keys(s).every((k) => OBJECT_KEYWORDS.has(k) || METADATA.has(k)))
      code += `  if (!${sub(s, 'o')}) throw GIVE_UP;\n`;
    for (const key of keys) {
      const child = (s.properties as Record<string, Schema>)[key] as Schema;
      const ownCheck = isClosedObject(child) || (child.type === 'array' && child.items !== undefined);
      const test = ownCheck ? undefined : (primitiveCheck(child, 'x') ?? sub(child, 'x'));
      if (test === undefined) {
        if (required.has(key)) code += `  if (o.${key} === undefined) throw GIVE_UP;\n`;
      } else if (required.has(key)) code += `  x = o.${key}; if (!(${test})) throw GIVE_UP;\n`;
      else code += `  x = o.${key}; if (x !== undefined && !(${test})) throw GIVE_UP;\n`;
    }
    return code;
  };

  // Checks of a copied (and normalised) array `a` of schema `s`: length, elements, uniqueness.
  const arrayChecks = (s: Schema, elementsChecked: boolean): string => {
    const items = s.items as Schema;
    const num = (k: string): number | undefined => {
      const n = (s as Record<string, unknown>)[k];
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    };
    const unique = (s as { uniqueItems?: unknown }).uniqueItems === true;
    const element = elementsChecked ? undefined : (primitiveCheck(items, 'e') ?? sub(items, 'e'));
    if (
      !Object.keys(s).every((k) => ARRAY_KEYWORDS.has(k) || METADATA.has(k)) ||
      (unique && (element === undefined || !onlyStrings(items)))
    )
      return `  if (!${sub(s, 'a')}) throw GIVE_UP;\n`;
    let code = '';
    const max = num('maxItems');
    const min = num('minItems');
    if (max !== undefined) code += `  if (a.length > ${max}) throw GIVE_UP;\n`;
    if (min !== undefined) code += `  if (a.length < ${min}) throw GIVE_UP;\n`;
    if (element !== undefined)
      code += `  for (let i = 0; i < a.length; i++) { const e = a[i]; if (!(${element})) throw GIVE_UP; }\n`;
    if (unique) code += `  if (new Set(a).size !== a.length) throw GIVE_UP;\n`;
    return code;
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
      const check = checked ? arrayChecks(s, isClosedObject(items)) : '';
      const name = `a${next++}`;
      fns.push(
        `function ${name}(x) {\n  if (!Array.isArray(x)) throw GIVE_UP;\n  const a = new Array(x.length);\n` +
          `  for (let i = 0; i < x.length; i++) { const e = x[i]; a[i] = ${element}; }\n${fix}${check}  return a;\n}\n`,
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
    'subChecks',
    'patterns',
    'formats',
    source,
  ) as (...deps: unknown[]) => (v: unknown) => unknown;
  // Compiled after the whole copier is generated: a sub-check may depend on which objects it copies.
  const subChecks = subCheck === undefined ? [] : subSchemas.map((x) => subCheck(x));
  return make(
    GIVE_UP,
    Object.prototype,
    trimText,
    copyWithShape,
    fixes,
    arrayFixes,
    shapes,
    () => {
      throw GIVE_UP;
    },
    subChecks,
    patterns,
    formats,
  );
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
