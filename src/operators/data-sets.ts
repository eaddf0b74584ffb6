/**
 * Which data set intake requires of a submitter, by its status (configuration, REFERENCE.md §5.3):
 * "fewer data elements where the law allows" for trusted operators, and optionally more for
 * sanctioned ones. The sets themselves are named lists of elements per source kind
 * (src/intake/data-set.ts); a level maps to a set by `byLevel`, else by its `reducedDataSet` flag.
 */
import { ParcelgateError } from '../domain/index.js';
import {
  dataSetSources,
  fullDataSet,
  intakeElements,
  reducedDataSet,
  type IntakeDataSet,
} from '../intake/index.js';
import {
  defaultFacilitationPolicy,
  facilitationFor,
  type DataSetPolicy,
  type FacilitationPolicy,
} from './facilitation.js';
import type { TrustLevel } from './status.js';
import type { TrustIndex } from './trust-index.js';

/** Default: the built-in `full` set and parcelgate's `reduced` set. */
export const defaultDataSetPolicy: DataSetPolicy = {
  sets: { full: fullDataSet.required, reduced: reducedDataSet.required },
};

const invalid = (message: string) => new ParcelgateError('operators.data-set-invalid', message, 400);

/** Validates a data-set policy: known source kinds and element names, `full` present, levels naming sets. */
export function checkDataSetPolicy(p: DataSetPolicy, levels: readonly string[]): DataSetPolicy {
  if (typeof p !== 'object' || p === null || typeof p.sets !== 'object' || p.sets === null)
    throw invalid('dataSets needs a sets object');
  if (p.sets.full === undefined) throw invalid('dataSets.sets must define full (the set for everyone else)');
  for (const [name, set] of Object.entries(p.sets)) {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(name))
      throw invalid(`data set name ${JSON.stringify(name)} is not like reduced`);
    if (typeof set !== 'object' || set === null)
      throw invalid(`data set ${name} must be an object of source kinds`);
    for (const [source, list] of Object.entries(set)) {
      if (!(dataSetSources as readonly string[]).includes(source))
        throw invalid(`data set ${name}: unknown source kind ${source}; known: ${dataSetSources.join(', ')}`);
      if (!Array.isArray(list)) throw invalid(`data set ${name}: ${source} must list element names`);
      for (const e of list as unknown[])
        if (typeof e !== 'string' || intakeElements[e] === undefined)
          throw invalid(
            `data set ${name}: unknown element ${JSON.stringify(e)} for ${source}; known: ${Object.keys(intakeElements).join(', ')}`,
          );
    }
  }
  for (const [level, name] of Object.entries(p.byLevel ?? {})) {
    if (!levels.includes(level)) throw invalid(`dataSets.byLevel: unknown level ${level}`);
    if (typeof name !== 'string' || p.sets[name] === undefined)
      throw invalid(`dataSets.byLevel.${level} names no data set (${JSON.stringify(name)})`);
  }
  return p;
}

/** The name of the data set a submitter is held to at `at`, with the status level that decided it. */
export function dataSetNameFor(
  index: TrustIndex,
  submitterId: string,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
): { name: string; level?: TrustLevel } {
  const sets = policy.dataSets ?? defaultDataSetPolicy;
  if (index.get(submitterId) === undefined) return { name: 'full' };
  const f = facilitationFor(index, submitterId, at, policy);
  const level = f.basis.find((b) => b.operatorId === submitterId)?.level;
  if (level === undefined) return { name: 'full' };
  const named = sets.byLevel?.[level];
  if (named !== undefined) return { name: named, level };
  return { name: f.reducedDataSet && sets.sets.reduced !== undefined ? 'reduced' : 'full', level };
}

/**
 * The data set intake applies to a submitter's batch at `at`, or undefined for the built-in
 * requirements (the default `full` set: nothing to pass along).
 */
export function intakeDataSetFor(
  index: TrustIndex,
  submitterId: string,
  at: string,
  policy: FacilitationPolicy = defaultFacilitationPolicy,
): IntakeDataSet | undefined {
  const sets = policy.dataSets ?? defaultDataSetPolicy;
  const { name } = dataSetNameFor(index, submitterId, at, policy);
  const required = sets.sets[name];
  if (required === undefined || required === fullDataSet.required) return undefined;
  return { name, required };
}
