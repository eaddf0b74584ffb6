/**
 * The data-sharing agreements an administration keeps, as managed records (API and CLI) in the
 * registry store: created, read, replaced and removed with validation, optimistic versions and a
 * change history on each record (who, when, what). The receiving route reads them per message.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ConsignmentInput, ParcelgateError, type ValidationIssue } from '../../domain/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { DataSharingAgreement } from './agreement.js';

/** The registry collection of agreements. */
export const agreementCollection = 'c2c-agreement';

/** One change of an agreement record. */
export interface AgreementChange {
  action: 'created' | 'replaced';
  at: string;
  by: string;
  version: number;
}

/** A stored agreement with its version and history. */
export interface StoredAgreement {
  agreement: DataSharingAgreement;
  version: number;
  history: AgreementChange[];
}

const check = TypeCompiler.Compile(DataSharingAgreement);

/** Whether a JSON Pointer prefix names a field of the canonical consignment schema. */
function knownField(pointer: string): boolean {
  let schema: TSchema | undefined = ConsignmentInput;
  for (const part of pointer.split('/').slice(1)) {
    const s = schema as { type?: string; properties?: Record<string, TSchema>; items?: TSchema };
    if (s.type === 'array' && s.items !== undefined) return false; // arrays are shared whole
    schema = s.properties?.[part];
    if (schema === undefined) return false;
  }
  return true;
}

/** Every problem of an agreement: its form, then its meaning (dates, parties, fields, purposes). */
export function agreementIssues(a: unknown): ValidationIssue[] {
  if (!check.Check(a))
    return [...check.Errors(a)].slice(0, 50).map((e) => ({
      code: 'c2c.agreement-invalid',
      path: e.path,
      message: e.message,
    }));
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) =>
    issues.push({ code: 'c2c.agreement-invalid', path, message });
  if (a.to !== undefined && a.to <= a.from) add('/to', `to (${a.to}) must be after from (${a.from})`);
  for (const k of ['from', 'to'] as const) {
    const d = a[k];
    if (d !== undefined && Number.isNaN(Date.parse(`${d}T00:00:00Z`))) add(`/${k}`, `${d} is not a date`);
  }
  if (a.origin === a.destination)
    add('/destination', 'origin and destination must be different administrations');
  if (a.originCountry === a.destinationCountry)
    add('/destinationCountry', 'origin and destination countries must differ');
  a.fields.forEach((f, i) => {
    if (!knownField(f)) add(`/fields/${i}`, `${f} is not a field of the consignment (docs/data-model.md)`);
  });
  if (new Set(a.fields).size !== a.fields.length) add('/fields', 'fields are listed more than once');
  if (a.purposes.length === 0) add('/purposes', 'at least one purpose is needed');
  if (new Set(a.purposes).size !== a.purposes.length) add('/purposes', 'purposes are listed more than once');
  if (a.legalBasis.trim() === '') add('/legalBasis', 'the legal basis must be named');
  return issues;
}

/**
 * Reads an agreements file (a JSON array): every agreement is checked like one sent to the API, and
 * an id may appear once. Throws `c2c.agreement-invalid` (422) with every issue, paths from the file's
 * root (`/1/fields/0`); the message names the first.
 */
export function readAgreements(json: unknown): DataSharingAgreement[] {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(json))
    issues.push({ code: 'c2c.agreement-invalid', path: '', message: 'an agreements file is a JSON array' });
  else {
    const seen = new Set<string>();
    json.forEach((a: unknown, i) => {
      for (const issue of agreementIssues(a)) issues.push({ ...issue, path: `/${i}${issue.path}` });
      const id = (a as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      if (seen.has(id))
        issues.push({
          code: 'c2c.agreement-invalid',
          path: `/${i}/id`,
          message: `agreement ${id} is listed twice`,
        });
      seen.add(id);
    });
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new ParcelgateError(
      'c2c.agreement-invalid',
      `agreements file: ${first.path || '/'} ${first.message}`,
      422,
      { issues },
    );
  }
  return json as DataSharingAgreement[];
}

/** Throws `c2c.agreement-invalid` (422, with every issue) unless the agreement is valid. */
export function validAgreement(a: unknown): DataSharingAgreement {
  const issues = agreementIssues(a);
  if (issues.length > 0)
    throw new ParcelgateError('c2c.agreement-invalid', 'the data-sharing agreement is invalid', 422, {
      issues,
    });
  return a as DataSharingAgreement;
}

const notFound = (id: string) =>
  new ParcelgateError('c2c.agreement-not-found', `no data-sharing agreement ${id}`, 404);

/** The agreements of this administration over the registry store. */
export class AgreementBook {
  constructor(private readonly store: RegistryStore) {}

  async get(id: string): Promise<StoredAgreement | undefined> {
    const d = await this.store.get<Omit<StoredAgreement, 'version'>>(agreementCollection, id);
    return d === undefined ? undefined : { ...d.doc, version: d.version };
  }

  /** Every agreement, or those the operator is a party to (origin or destination), by id. */
  async list(party?: string): Promise<StoredAgreement[]> {
    const docs = await this.store.find<Omit<StoredAgreement, 'version'>>({
      collection: agreementCollection,
      limit: 10_000,
    });
    return docs
      .map((d) => ({ ...d.doc, version: d.version }))
      .filter((s) => party === undefined || s.agreement.origin === party || s.agreement.destination === party)
      .sort((a, b) => a.agreement.id.localeCompare(b.agreement.id));
  }

  /** The agreements as the receiving side uses them. */
  async agreements(): Promise<DataSharingAgreement[]> {
    return (await this.list()).map((s) => s.agreement);
  }

  private async put(
    a: DataSharingAgreement,
    expectVersion: number,
    change: AgreementChange['action'],
    history: AgreementChange[],
    by: string,
    at: string,
  ): Promise<StoredAgreement> {
    const version = expectVersion + 1;
    const doc = { agreement: a, history: [...history, { action: change, at, by, version }] };
    try {
      await this.store.write([
        {
          collection: agreementCollection,
          id: a.id,
          owner: a.origin,
          ref: a.destination,
          at: a.from,
          doc,
          expectVersion,
        },
      ]);
    } catch (e) {
      if (e instanceof ParcelgateError && e.code === 'registry.conflict')
        throw new ParcelgateError(
          expectVersion === 0 ? 'c2c.agreement-exists' : 'c2c.agreement-conflict',
          expectVersion === 0
            ? `a data-sharing agreement ${a.id} already exists`
            : `agreement ${a.id} changed since version ${expectVersion}; read it again`,
          409,
        );
      throw e;
    }
    return { ...doc, version };
  }

  /** Registers a new agreement; `c2c.agreement-exists` (409) when the id is taken. */
  async create(input: unknown, by: string, at: string): Promise<StoredAgreement> {
    return this.put(validAgreement(input), 0, 'created', [], by, at);
  }

  /**
   * Replaces an agreement (its id cannot change). `expectVersion`, when given, must be the current
   * version (`c2c.agreement-conflict`, 409, otherwise).
   */
  async replace(
    id: string,
    input: unknown,
    by: string,
    at: string,
    expectVersion?: number,
  ): Promise<StoredAgreement> {
    const a = validAgreement(input);
    if (a.id !== id)
      throw new ParcelgateError('c2c.agreement-invalid', `the body's id ${a.id} is not ${id}`, 422, {
        issues: [{ code: 'c2c.agreement-invalid', path: '/id', message: `must be ${id}` }],
      });
    const current = await this.atVersion(id, expectVersion);
    return this.put(a, current.version, 'replaced', current.history, by, at);
  }

  /** The stored agreement `id`, at `expectVersion` when one is given (404 when absent, 409 when newer). */
  private async atVersion(id: string, expectVersion?: number): Promise<StoredAgreement> {
    const current = await this.get(id);
    if (current === undefined) throw notFound(id);
    if (expectVersion !== undefined && expectVersion !== current.version)
      throw new ParcelgateError(
        'c2c.agreement-conflict',
        `agreement ${id} is at version ${current.version}, not ${expectVersion}`,
        409,
      );
    return current;
  }

  /** Removes an agreement: messages quoting it are refused from now on. Returns what was removed. */
  async remove(id: string, expectVersion?: number): Promise<StoredAgreement> {
    const current = await this.atVersion(id, expectVersion);
    await this.store.write([
      { collection: agreementCollection, id, doc: null, remove: true, expectVersion: current.version },
    ]);
    return current;
  }

  /** Imports agreements from a file's list: creates the new ones, replaces changed ones. */
  async importAll(
    list: readonly unknown[],
    by: string,
    at: string,
  ): Promise<{ created: string[]; replaced: string[]; unchanged: string[] }> {
    const out = { created: [] as string[], replaced: [] as string[], unchanged: [] as string[] };
    const valid = list.map((a, i) => {
      const issues = agreementIssues(a);
      if (issues.length > 0)
        throw new ParcelgateError('c2c.agreement-invalid', `agreement ${i} of the list is invalid`, 422, {
          issues: issues.map((x) => ({ ...x, path: `/${i}${x.path}` })),
        });
      return a as DataSharingAgreement;
    });
    for (const a of valid) {
      const current = await this.get(a.id);
      if (current === undefined) {
        await this.create(a, by, at);
        out.created.push(a.id);
      } else if (JSON.stringify(current.agreement) === JSON.stringify(a)) out.unchanged.push(a.id);
      else {
        await this.replace(a.id, a, by, at, current.version);
        out.replaced.push(a.id);
      }
    }
    return out;
  }
}
