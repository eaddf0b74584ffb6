/**
 * Imports of the EU H7 declaration and the ICS2 PLACI house filing (JSON). A file holds one document
 * or an array of them. Every document is read and checked before anything is written: one issue
 * anywhere refuses the whole file, each issue naming the document and the data element.
 */
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import {
  submitBatch,
  type PipelineDeps,
  type RequestContext,
  type SubmitResult,
} from '../clearance/index.js';
import { requirementCheck, validateConsignment } from '../intake/index.js';
import { fromH7, type H7Declaration } from './h7.js';
import { fromPlaci, readH7, readPlaci, type DatasetRead, type PlaciRecord } from './dataset-read.js';

/** At most this many documents in one file. */
export const MAX_DATASET_DOCUMENTS = 1000;

/** Canonical pointer prefix -> H7 data element, to name intake's findings after the H7 element. */
const H7_OF_POINTER: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^\/items\/(\d+)\/description/, (m) => `DE 18 05[${Number(m[1]) + 1}]`],
  [/^\/items\/(\d+)\/hsCode/, (m) => `DE 18 09[${Number(m[1]) + 1}]`],
  [/^\/items\/(\d+)\/netWeightGrams/, (m) => `DE 18 01[${Number(m[1]) + 1}]`],
  [/^\/items\/(\d+)\/value/, (m) => `DE 14 14[${Number(m[1]) + 1}]`],
  [/^\/items\/(\d+)\/origin/, (m) => `DE 16 08[${Number(m[1]) + 1}]`],
  [/^\/items\/(\d+)/, (m) => `DE 11 03[${Number(m[1]) + 1}]`],
  [/^\/items/, () => 'DE 11 03'],
  [/^\/transportDocument/, () => 'DE 12 05'],
  [/^\/externalRef/, () => 'DE 12 09'],
  [/^\/seller(\/.*)?/, (m) => `DE 13 01${m[1] ?? ''}`],
  [/^\/consignee(\/.*)?/, (m) => `DE 13 04${m[1] ?? ''}`],
  [/^\/declarant(\/.*)?/, (m) => `DE 13 05${m[1] ?? ''}`],
  [/^\/taxCollection/, () => 'DE 13 16'],
  [/^\/additionalProcedureCodes/, () => 'DE 11 10'],
  [/^\/documents/, () => 'DE 12 03'],
  [/^\/totals\/grossWeightGrams/, () => 'DE 18 04'],
  [/^\/totals/, () => 'DE 14 15'],
  [/^\/routing\/dispatchCountry/, () => 'DE 16 06'],
  [/^\/routing\/destinationCountry/, () => 'DE 16 03'],
  [/^\/routing\/officeOfEntry/, () => 'DE 17 10'],
];

/** The H7 data element a canonical record pointer stands for (the pointer itself when none does). */
export function h7ElementOfRecordPointer(pointer: string): string {
  for (const [re, name] of H7_OF_POINTER) {
    const m = re.exec(pointer);
    if (m) return name(m);
  }
  return pointer;
}

/** The documents of a file (one, or an array of at most MAX_DATASET_DOCUMENTS), or why not. */
export function documentsOf(json: unknown): { docs: unknown[]; many: boolean } | ValidationIssue[] {
  const many = Array.isArray(json);
  const docs = many ? json : [json];
  if (docs.length === 0)
    return [{ code: 'dataset.empty', path: '', message: 'the file holds no document (an empty array)' }];
  if (docs.length > MAX_DATASET_DOCUMENTS)
    return [
      {
        code: 'dataset.too-many',
        path: '',
        message: `the file holds ${docs.length} documents; at most ${MAX_DATASET_DOCUMENTS}`,
      },
    ];
  return { docs, many };
}

/** Prefixes an issue with its document index when the file holds an array. */
export const at = (many: boolean, i: number, issue: ValidationIssue): ValidationIssue =>
  many ? { ...issue, path: `[${i}] ${issue.path}` } : issue;

/** The outcome of an import: the per-document results, or every issue and nothing written. */
export type DatasetImport<T> = { ok: true; results: T[] } | { ok: false; issues: ValidationIssue[] };

/** How one declaration format is read, made into a consignment record, and its findings named. */
export interface DeclarationFormat<D> {
  read(doc: unknown): DatasetRead<D>;
  toRecord(doc: D): ConsignmentInput;
  /** The format's data element a canonical record pointer stands for. */
  elementOf(pointer: string): string;
}

/**
 * Reads a file of declarations in one format and checks each as a consignment record (with the
 * submitter's intake data set, when one applies); nothing is submitted here.
 */
export function checkDeclarationFile<D>(
  format: DeclarationFormat<D>,
  json: unknown,
  deps: Pick<PipelineDeps, 'snapshot'>,
  ctx: Pick<RequestContext, 'submitterId' | 'now'>,
): { ok: true; records: ConsignmentInput[] } | { ok: false; issues: ValidationIssue[] } {
  const split = documentsOf(json);
  if (Array.isArray(split)) return { ok: false, issues: split };
  const snapshot = deps.snapshot();
  const set = snapshot.intakeDataSet?.(ctx.submitterId, ctx.now);
  const required = set === undefined ? undefined : requirementCheck(set);
  const issues: ValidationIssue[] = [];
  const records: ConsignmentInput[] = [];
  split.docs.forEach((doc, i) => {
    const r = format.read(doc);
    if (!r.ok) {
      for (const issue of r.issues) issues.push(at(split.many, i, issue));
      return;
    }
    const checked = validateConsignment(format.toRecord(r.value), snapshot.hs, required);
    if (!checked.ok) {
      for (const issue of checked.error)
        issues.push(
          at(split.many, i, {
            code: issue.code,
            path: format.elementOf(issue.path),
            message: `${issue.message} (record field ${issue.path || '/'})`,
          }),
        );
      return;
    }
    records.push(checked.value);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, records };
}

/**
 * Imports a file of declarations in one format as `declaration` records into the clearance
 * pipeline, all or none: a file with any issue is refused whole before anything is written.
 */
export async function importDeclarationFile<D>(
  format: DeclarationFormat<D>,
  json: unknown,
  deps: PipelineDeps,
  ctx: RequestContext,
): Promise<DatasetImport<SubmitResult>> {
  const checked = checkDeclarationFile(format, json, deps, ctx);
  if (!checked.ok) return checked;
  return { ok: true, results: await submitBatch(ctx, checked.records, deps) };
}

const H7_FORMAT: DeclarationFormat<H7Declaration> = {
  read: readH7,
  toRecord: fromH7,
  elementOf: h7ElementOfRecordPointer,
};

/** Reads H7 declarations and checks each as a consignment record; nothing is submitted here. */
export function checkH7File(
  json: unknown,
  deps: Pick<PipelineDeps, 'snapshot'>,
  ctx: Pick<RequestContext, 'submitterId' | 'now'>,
): { ok: true; records: ConsignmentInput[] } | { ok: false; issues: ValidationIssue[] } {
  return checkDeclarationFile(H7_FORMAT, json, deps, ctx);
}

/**
 * Imports H7 declarations as `declaration` records into the clearance pipeline, all or none: a file
 * with any issue is refused whole before anything is written.
 */
export async function importH7(
  json: unknown,
  deps: PipelineDeps,
  ctx: RequestContext,
): Promise<DatasetImport<SubmitResult>> {
  return importDeclarationFile(H7_FORMAT, json, deps, ctx);
}

/**
 * Reads PLACI house filings into the canonical fields they carry. PLACI has no values, quantities
 * or net masses, so a filing does not make a consignment record of its own; see
 * docs/formats/eu-us-datasets.md.
 */
export function importPlaci(json: unknown): DatasetImport<PlaciRecord> {
  const split = documentsOf(json);
  if (Array.isArray(split)) return { ok: false, issues: split };
  const issues: ValidationIssue[] = [];
  const results: PlaciRecord[] = [];
  split.docs.forEach((doc, i) => {
    const r = readPlaci(doc);
    if (r.ok) results.push(fromPlaci(r.value));
    else for (const issue of r.issues) issues.push(at(split.many, i, issue));
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, results };
}
