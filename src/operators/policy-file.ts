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
      const c = obj(v);
      if (c === undefined) throw invalid('compliance must be an object');
      const next = { ...base.compliance };
      for (const [ck, cv] of Object.entries(c)) {
        if (!(ck in next)) throw invalid(`compliance: unknown field ${ck}`);
        next[ck as keyof typeof next] = number(
          cv,
          `compliance.${ck}`,
          0,
          ck === 'highMinObservations' ? 1e9 : 100,
        );
      }
      out.compliance = next;
    } else if (k === 'enforcement') {
      const e = obj(v);
      if (e === undefined) throw invalid('enforcement must be an object');
      const next = { ...base.enforcement };
      for (const [ek, ev] of Object.entries(e)) {
        if (!(ek in next)) throw invalid(`enforcement: unknown field ${ek}`);
        next[ek as keyof typeof next] = number(ev, `enforcement.${ek}`, 0, 100);
      }
      out.enforcement = next;
    } else if (k === 'dataSets') {
      dataSets = checkDataSetPolicy(v as DataSetPolicy, known);
    } else throw invalid(`unknown field ${k}`);
  }
  out.dataSets = dataSets;
  return out;
}
