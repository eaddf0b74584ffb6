/**
 * A facilitation policy from a JSON file (`serve --facilitation-policy`): any part of the default
 * policy may be overridden, level by level; what is not given keeps its default. Example:
 *
 * ```json
 * { "levels": { "AEOC": { "reducedDataSet": true } },
 *   "dataSets": { "sets": { "full": {…}, "reduced": {…}, "strict": { "postal-item": ["transportDocument", "seller", "consignee", "items.hsCode"] } },
 *                 "byLevel": { "cn-dishonest": "strict" } } }
 * ```
 */
import { ParcelgateError } from '../domain/index.js';
import { checkDataSetPolicy, defaultDataSetPolicy } from './data-sets.js';
import {
  defaultFacilitationPolicy,
  type DataSetPolicy,
  type FacilitationPolicy,
  type LevelFacilitation,
} from './facilitation.js';
import type { TrustLevel } from './status.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const invalid = (message: string) => new ParcelgateError('operators.policy-invalid', message, 400);

function number(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw invalid(`${path} must be a number from ${min} to ${max}`);
  return v;
}

/**
 * `base` with the fields the object `v` (at `section`) gives: only fields `base` has, each a number
 * from 0 to `max` of its name.
 */
function numbersOver<T extends Record<string, number>>(
  base: T,
  v: unknown,
  section: string,
  max: (field: string) => number,
): T {
  const given = obj(v);
  if (given === undefined) throw invalid(`${section} must be an object`);
  const next = { ...base };
  for (const [k, x] of Object.entries(given)) {
    if (!(k in next)) throw invalid(`${section}: unknown field ${k}`);
    next[k as keyof T] = number(x, `${section}.${k}`, 0, max(k)) as T[keyof T];
  }
  return next;
}

function levelOf(base: LevelFacilitation, v: unknown, path: string): LevelFacilitation {
  const o = obj(v);
  if (o === undefined) throw invalid(`${path} must be an object`);
  const out: LevelFacilitation = { ...base };
  for (const [k, x] of Object.entries(o)) {
    if (k === 'inspectionRateMultiplier') out.inspectionRateMultiplier = number(x, `${path}.${k}`, 0, 100);
    else if (k === 'randomRateFloor') out.randomRateFloor = number(x, `${path}.${k}`, 0, 1);
    else if (k === 'priority') {
      if (x !== 'high' && x !== 'normal' && x !== 'low')
        throw invalid(`${path}.priority must be high, normal or low`);
      out.priority = x;
    } else if (k === 'deferredPayment' || k === 'reducedDataSet') {
      if (typeof x !== 'boolean') throw invalid(`${path}.${k} must be true or false`);
      out[k] = x;
    } else throw invalid(`${path}: unknown field ${k}`);
  }
  return out;
}

/** Reads a policy file's JSON over the defaults; throws operators.policy-invalid / operators.data-set-invalid. */
export function parseFacilitationPolicy(
  json: unknown,
  base: FacilitationPolicy = defaultFacilitationPolicy,
): FacilitationPolicy {
  const o = obj(json);
  if (o === undefined) throw invalid('the facilitation policy must be a JSON object');
  const levels = { ...base.levels };
  const known = Object.keys(base.levels);
  let dataSets: DataSetPolicy = base.dataSets ?? defaultDataSetPolicy;
  const out: FacilitationPolicy = { ...base, levels };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'levels') {
      const l = obj(v);
      if (l === undefined) throw invalid('levels must be an object');
      for (const [level, terms] of Object.entries(l)) {
        if (!known.includes(level))
          throw invalid(`levels: unknown level ${level}; known: ${known.join(', ')}`);
        levels[level as TrustLevel] = levelOf(levels[level as TrustLevel], terms, `levels.${level}`);
      }
    } else if (k === 'compliance') {
      out.compliance = numbersOver(base.compliance, v, 'compliance', (ck) =>
        ck === 'highMinObservations' ? 1e9 : 100,
      );
    } else if (k === 'enforcement') {
      out.enforcement = numbersOver(base.enforcement, v, 'enforcement', () => 100);
    } else if (k === 'dataSets') {
      dataSets = checkDataSetPolicy(v as DataSetPolicy, known);
    } else throw invalid(`unknown field ${k}`);
  }
  out.dataSets = dataSets;
  return out;
}
