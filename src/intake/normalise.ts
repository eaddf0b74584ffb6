/**
 * Hostile-input screening and normalisation of a raw consignment record into a fresh copy, in one walk.
 * The copy trims strings, rejects prototype keys and deep nesting, and applies the schema-directed
 * normalisations (code casing, HS digits, decimal amounts, default unit) as each object is copied.
 */
import { normaliseDecimal, type ValidationIssue } from '../domain/index.js';
import { toPointer } from './pointer.js';

/** Keys that could pollute prototypes when a record is later merged or copied. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// The deepest container the schema has is /items/0/value (depth 4); one more level is tolerated
// so that a misplaced object there gets a precise schema error instead of a blanket rejection.
const MAX_DEPTH = 5;

// No object of the schema has more than a few dozen keys; a record object with thousands is hostile
// (each unknown key would cost a copy and an issue): refused whole, before its keys are walked.
const MAX_KEYS = 200;

const SPACES_AND_DOTS = /[\s.]/g;
const SPACES_AND_HYPHENS = /[\s-]/g;

type Obj = Record<string, unknown>;

/** Result of screening: a trimmed, normalised deep copy, or the hostile-input issues that stop validation. */
export interface Screened {
  value: unknown;
  issues: ValidationIssue[];
}

/** Where a value sits in the schema: which normalisations apply to it and to its children. */
export interface Shape {
  /** Shapes of an object's known children, by key. */
  readonly fields?: ReadonlyMap<string, Shape>;
  /** Shape of every element of an array. */
  readonly each?: Shape;
  /** A key the copy always has (possibly undefined) so that `fix` can default it in place. */
  readonly ensure?: string;
  /** Normalises a freshly copied plain object. */
  readonly fix?: (o: Obj) => void;
  /** Normalises a freshly copied array. */
  readonly fixArray?: (a: unknown[]) => void;
}

interface Walk {
  readonly path: (string | number)[];
  readonly issues: ValidationIssue[];
}

const isPlainObject = (v: unknown): v is Obj => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Trims, skipping the allocation when both ends are already printable ASCII (the common case). */
export function trim(s: string): string {
  if (s.length === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? s : s.trim();
}

function upper(o: Obj, key: string): void {
  const v = o[key];
  if (typeof v === 'string') o[key] = v.toUpperCase();
}

function upperAll(v: unknown[]): void {
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s === 'string') v[i] = s.toUpperCase();
  }
}

const MONEY: Shape = {
  fix: (m) => {
    const amount = m.amount;
    if (typeof amount === 'number' && Number.isFinite(amount)) m.amount = normaliseDecimal(amount);
    upper(m, 'currency');
  },
};

const PARTY: Shape = {
  fields: new Map<string, Shape>([
    ['address', { fix: (a) => upper(a, 'country') }],
    ['id', { fix: (id) => upper(id, 'type') }],
  ]),
};

const UPPER_LIST: Shape = { fixArray: upperAll };

const ITEM: Shape = {
  fields: new Map([['value', MONEY]]),
  ensure: 'unit',
  fix: (it) => {
    const hs = it.hsCode;
    if (typeof hs === 'string') {
      const digits = hs.replace(SPACES_AND_DOTS, '');
      // An empty HS code is the same as none: missing codes are a risk indicator, not an intake error.
      if (digits === '') delete it.hsCode;
      else it.hsCode = digits;
    }
    if (it.unit === undefined) it.unit = 'pcs';
    else if (typeof it.unit === 'string') it.unit = it.unit.toLowerCase();
    upper(it, 'origin');
  },
};

const TRANSPORT_DOCUMENT: Shape = {
  fix: (doc) => {
    upper(doc, 'type');
    if (typeof doc.id === 'string') {
      if (doc.type === 'S10') doc.id = doc.id.replace(SPACES_AND_HYPHENS, '').toUpperCase();
      else if (doc.type === 'AWB') doc.id = doc.id.replace(SPACES_AND_HYPHENS, '');
    }
  },
};

const TAX_COLLECTION: Shape = {
  fields: new Map([['taxPaid', MONEY]]),
  fix: (tax) => {
    upper(tax, 'scheme');
    if (typeof tax.number === 'string') tax.number = tax.number.replace(SPACES_AND_HYPHENS, '').toUpperCase();
  },
};

const ROOT: Shape = {
  fields: new Map<string, Shape>([
    ['transportDocument', TRANSPORT_DOCUMENT],
    ['seller', PARTY],
    ['consignee', PARTY],
    ['declarant', PARTY],
    ['payment', { fields: new Map([['amount', MONEY]]) }],
    ['taxCollection', TAX_COLLECTION],
    ['additionalProcedureCodes', UPPER_LIST],
    ['items', { each: ITEM }],
    [
      'totals',
      {
        fields: new Map([
          ['transport', MONEY],
          ['insurance', MONEY],
          ['declaredValue', MONEY],
          ['postalCharges', MONEY],
        ]),
      },
    ],
    [
      'routing',
      {
        fields: new Map([['countries', UPPER_LIST]]),
        fix: (r) => {
          upper(r, 'dispatchCountry');
          upper(r, 'destinationCountry');
        },
      },
    ],
  ]),
};

/** Above this many keys the insertion sort below gives way to Array#sort. */
const manyKeys = 32;

// Insertion sort by UTF-16 code units (what Array#sort does by default): objects here have few keys.
function sortKeys(keys: string[]): void {
  // Quadratic: a hostile object with many keys takes the general sort (the same order).
  if (keys.length > manyKeys) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
}

const isForbidden = (key: string): boolean =>
  (key.length === 9 || key.length === 11) && FORBIDDEN_KEYS.has(key);

/** Thrown inside the sorted copy at the first hostile key or nesting; never escapes this module. */
const HOSTILE = new Error('hostile input');

// The hot path: keys sorted, no path bookkeeping; hostile input aborts and is re-screened by `copy`.
function copySorted(value: unknown, depth: number, shape: Shape | undefined): unknown {
  if (typeof value === 'string') return trim(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) throw HOSTILE;
    const each = shape?.each;
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copySorted(value[i], depth + 1, each);
    if (shape?.fixArray !== undefined) shape.fixArray(out);
    return out;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) throw HOSTILE;
  const keys = Object.keys(value);
  if (keys.length > MAX_KEYS) throw HOSTILE;
  if (shape === undefined) {
    sortKeys(keys);
    const out: Obj = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (isForbidden(key)) throw HOSTILE;
      out[key] = copySorted(value[key], depth + 1, undefined);
    }
    return out;
  }
  if (shape.ensure !== undefined && !keys.includes(shape.ensure)) keys.push(shape.ensure);
  sortKeys(keys);
  const fields = shape.fields;
  const out: Obj = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (isForbidden(key)) throw HOSTILE;
    out[key] = copySorted(value[key], depth + 1, fields?.get(key));
  }
  if (shape.fix !== undefined) shape.fix(out);
  return out;
}

function copy(value: unknown, depth: number, shape: Shape | undefined, w: Walk): unknown {
  if (typeof value === 'string') return trim(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return tooDeep(w);
    const each = shape?.each;
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      w.path.push(i);
      out[i] = copy(value[i], depth + 1, each, w);
      w.path.pop();
    }
    if (shape?.fixArray !== undefined) shape.fixArray(out);
    return out;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return tooDeep(w);
  const keys = Object.keys(value);
  if (keys.length > MAX_KEYS) {
    w.issues.push({
      code: 'input.too-many-keys',
      path: toPointer(w.path),
      message: `object has ${keys.length} keys; no object of a record has more than ${MAX_KEYS}`,
    });
    return undefined;
  }
  const ensure = shape?.ensure;
  if (ensure !== undefined && !keys.includes(ensure)) keys.push(ensure);
  const fields = shape?.fields;
  const out: Obj = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    w.path.push(key);
    if (isForbidden(key)) {
      w.issues.push({
        code: 'input.forbidden-key',
        path: toPointer(w.path),
        message: `key "${key}" is not allowed anywhere in a record`,
      });
    } else {
      out[key] = copy(value[key], depth + 1, fields?.get(key), w);
    }
    w.path.pop();
  }
  if (shape?.fix !== undefined) shape.fix(out);
  return out;
}

function tooDeep(w: Walk): undefined {
  w.issues.push({
    code: 'input.too-deep',
    path: toPointer(w.path),
    message: `value is nested deeper than the consignment schema allows (max ${MAX_DEPTH} levels)`,
  });
  return undefined;
}

/**
 * Copies `raw` (never mutating it), trimming strings and normalising codes, HS digits, decimal amounts
 * and the default unit; reports forbidden keys and excessive nesting in the order they occur.
 */
export function screenInput(raw: unknown): Screened {
  const w: Walk = { path: [], issues: [] };
  const value = copy(raw, 0, ROOT, w);
  return { value, issues: w.issues };
}

/**
 * `screenInput` for the common clean record, with every object's keys sorted by UTF-16 code units;
 * undefined when the record is hostile (call `screenInput` for the issues).
 */
export function screenSorted(raw: unknown): { value: unknown } | undefined {
  try {
    return { value: copySorted(raw, 0, ROOT) };
  } catch (e) {
    if (e === HOSTILE) return undefined;
    throw e;
  }
}

/** The schema-directed normalisations of a whole record (for the specialised copy, fast-copy.ts). */
export const rootShape: Shape = ROOT;

/** `trim` for the specialised copy. */
export const trimText = trim;

/** The sorted copy of a value at `depth` of a record, as `screenSorted` makes it (throws on hostile input). */
export const copyWithShape = (value: unknown, depth: number, shape: Shape | undefined): unknown =>
  copySorted(value, depth, shape);
