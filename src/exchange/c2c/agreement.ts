/**
 * Data-sharing agreements between customs administrations: which fields of an export consignment may
 * cross from the origin to the destination, for what purpose and when. Fields are JSON Pointer
 * prefixes into the canonical consignment (`/items`, `/seller/name`, …). See docs/formats/customs-to-customs.md.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ParcelgateError, escapePointerToken, type ValidationIssue } from '../../domain/index.js';

/** One agreement, as data (a JSON file the administration maintains). */
export const DataSharingAgreement = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
    /** Operator id of the exporting administration (its signing key is registered under it). */
    origin: Type.String({ minLength: 1, maxLength: 60 }),
    originCountry: Type.String({ pattern: '^[A-Z]{2}$' }),
    destination: Type.String({ minLength: 1, maxLength: 60 }),
    destinationCountry: Type.String({ pattern: '^[A-Z]{2}$' }),
    from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    /** JSON Pointer prefixes that may cross; anything else in a message is refused. */
    fields: Type.Array(Type.String({ pattern: '^(/[A-Za-z0-9]+)+$' }), { minItems: 1, maxItems: 200 }),
    /** What the destination may use the data for (recorded, shown in findings). */
    purposes: Type.Array(
      Type.Union([Type.Literal('risk-assessment'), Type.Literal('pre-arrival'), Type.Literal('revenue')]),
    ),
    legalBasis: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type DataSharingAgreement = Static<typeof DataSharingAgreement>;

/** Fields a consignment record cannot do without; an agreement that omits them only feeds risk. */
export const recordCoreFields = ['/source', '/category', '/items', '/routing'] as const;

/** Reads a list of agreements (a JSON array); throws c2c.agreement-invalid naming the problem. */
export function parseAgreements(json: unknown): DataSharingAgreement[] {
  const list = Type.Array(DataSharingAgreement);
  if (!Value.Check(list, json)) {
    const first = [...Value.Errors(list, json)][0];
    throw new ParcelgateError(
      'c2c.agreement-invalid',
      `agreements file: ${first?.path ?? '/'} ${first?.message ?? 'invalid'}`,
    );
  }
  return json;
}

const covered = (path: string, fields: readonly string[]): boolean =>
  fields.some((f) => path === f || path.startsWith(`${f}/`));

/** Keeps only what the agreement lets cross (the origin's side, before signing). */
export function selectFields(
  value: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const walk = (v: unknown, path: string): unknown => {
    if (covered(path, fields)) return v;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const kept = walk(child, `${path}/${escapePointerToken(k)}`);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  };
  return (walk(value, '') as Record<string, unknown> | undefined) ?? {};
}

/**
 * Paths in a received consignment that the agreement does not cover (the destination refuses them).
 * Objects are opened field by field; arrays (items, routing countries) are shared whole or not at all.
 */
export function fieldsOutside(value: unknown, fields: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const walk = (v: unknown, path: string): void => {
    if (path !== '' && covered(path, fields)) return;
    // Objects are opened field by field; arrays and scalars are shared whole or not at all.
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, `${path}/${escapePointerToken(k)}`);
      return;
    }
    issues.push({
      code: 'c2c.field-outside-agreement',
      path,
      message: `${path} is not a field the agreement shares`,
    });
  };
  if (typeof value === 'object' && value !== null) walk(value, '');
  return issues;
}

/** The agreement with `id` in force on `date` between these parties; throws c2c.no-agreement. */
export function agreementFor(
  agreements: readonly DataSharingAgreement[],
  id: string,
  origin: string,
  date: string,
): DataSharingAgreement {
  const a = agreements.find((x) => x.id === id);
  if (a === undefined) throw new ParcelgateError('c2c.no-agreement', `no data-sharing agreement ${id}`, 403);
  if (a.origin !== origin)
    throw new ParcelgateError(
      'c2c.no-agreement',
      `agreement ${id} is with ${a.origin}, not with ${origin}`,
      403,
    );
  if (date < a.from || (a.to !== undefined && date >= a.to))
    throw new ParcelgateError('c2c.no-agreement', `agreement ${id} is not in force on ${date}`, 403);
  return a;
}
