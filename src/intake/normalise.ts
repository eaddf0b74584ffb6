/** Hostile-input screening and normalisation of a raw consignment record into a fresh copy. */
import { normaliseDecimal, type ValidationIssue } from '../domain/index.js';
import { toPointer } from './pointer.js';

/** Keys that could pollute prototypes when a record is later merged or copied. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// The deepest container the schema has is /items/0/value (depth 4); one more level is tolerated
// so that a misplaced object there gets a precise schema error instead of a blanket rejection.
const MAX_DEPTH = 5;

const SPACES_AND_DOTS = /[\s.]/g;
const SPACES_AND_HYPHENS = /[\s-]/g;

type Obj = Record<string, unknown>;

/** Result of screening: a trimmed deep copy, or the hostile-input issues that stop validation. */
export interface Screened {
  value: unknown;
  issues: ValidationIssue[];
}

const isPlainObject = (v: unknown): v is Obj => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Trims, skipping the allocation when both ends are already printable ASCII (the common case). */
function trim(s: string): string {
  if (s.length === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? s : s.trim();
}

function copy(value: unknown, depth: number, path: (string | number)[], issues: ValidationIssue[]): unknown {
  if (typeof value === 'string') return trim(value);
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return tooDeep(path, issues);
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out[i] = copy(value[i], depth + 1, path, issues);
      path.pop();
    }
    return out;
  }
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return tooDeep(path, issues);
  const out: Obj = {};
  for (const key of Object.keys(value)) {
    path.push(key);
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push({
        code: 'input.forbidden-key',
        path: toPointer(path),
        message: `key "${key}" is not allowed anywhere in a record`,
      });
    } else {
      out[key] = copy(value[key], depth + 1, path, issues);
    }
    path.pop();
  }
  return out;
}

function tooDeep(path: (string | number)[], issues: ValidationIssue[]): undefined {
  issues.push({
    code: 'input.too-deep',
    path: toPointer(path),
    message: `value is nested deeper than the consignment schema allows (max ${MAX_DEPTH} levels)`,
  });
  return undefined;
}

/** Copies `raw` (never mutating it), trimming strings; reports forbidden keys and excessive nesting. */
export function screenInput(raw: unknown): Screened {
  const issues: ValidationIssue[] = [];
  const value = copy(raw, 0, [], issues);
  return { value, issues };
}

const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined);

function upper(o: Obj, key: string): void {
  const v = o[key];
  if (typeof v === 'string') o[key] = v.toUpperCase();
}

function money(v: unknown): void {
  const m = obj(v);
  if (m === undefined) return;
  const amount = m.amount;
  if (typeof amount === 'number' && Number.isFinite(amount)) m.amount = normaliseDecimal(amount);
  upper(m, 'currency');
}

function party(v: unknown): void {
  const p = obj(v);
  if (p === undefined) return;
  const address = obj(p.address);
  if (address !== undefined) upper(address, 'country');
  const id = obj(p.id);
  if (id !== undefined) upper(id, 'type');
}

function item(v: unknown): void {
  const it = obj(v);
  if (it === undefined) return;
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
  money(it.value);
}

function upperAll(v: unknown): void {
  if (!Array.isArray(v)) return;
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s === 'string') v[i] = s.toUpperCase();
  }
}

/** Normalises a screened copy in place: code casing, HS digits, decimal amounts, default unit. */
export function normaliseInPlace(value: unknown): void {
  const c = obj(value);
  if (c === undefined) return;
  const doc = obj(c.transportDocument);
  if (doc !== undefined) {
    upper(doc, 'type');
    if (typeof doc.id === 'string') {
      if (doc.type === 'S10') doc.id = doc.id.replace(SPACES_AND_HYPHENS, '').toUpperCase();
      else if (doc.type === 'AWB') doc.id = doc.id.replace(SPACES_AND_HYPHENS, '');
    }
  }
  party(c.seller);
  party(c.consignee);
  party(c.declarant);
  const payment = obj(c.payment);
  if (payment !== undefined) money(payment.amount);
  const tax = obj(c.taxCollection);
  if (tax !== undefined) {
    upper(tax, 'scheme');
    if (typeof tax.number === 'string') tax.number = tax.number.replace(SPACES_AND_HYPHENS, '').toUpperCase();
    money(tax.taxPaid);
  }
  upperAll(c.additionalProcedureCodes);
  if (Array.isArray(c.items)) for (const it of c.items) item(it);
  const totals = obj(c.totals);
  if (totals !== undefined) {
    money(totals.transport);
    money(totals.insurance);
    money(totals.declaredValue);
    money(totals.postalCharges);
  }
  const routing = obj(c.routing);
  if (routing !== undefined) {
    upper(routing, 'dispatchCountry');
    upper(routing, 'destinationCountry');
    upperAll(routing.countries);
  }
}
