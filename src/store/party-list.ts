/**
 * A submitter's list (`ListQuery.partyId`): the consignments it created and those it contributed a
 * record to (see contributors.ts), newest first by (created_at, id) with the same cursors as every
 * list. Each branch is its own keyset read, cut at the page size, on its own index (the consignments
 * in created order; the contributor rows by their primary key), and the two are merged: a page costs
 * two short index scans whatever the share of either kind. The SQL is written once for both stores.
 */
/** The consignments' columns a summary is made of, as stored (every column but the document). */
export const summaryStoredColumns = [
  'id',
  'version',
  'state',
  'lane',
  'decision',
  'risk_score',
  'destination',
  'office',
  'submitter_id',
  'due_at_border',
  'currency',
  'created_at',
  'updated_at',
];

/** Parameter names: `party`, `f0`… (the filters in `columns` order), `after_at`, `after_id` (paged), `lim`. */
export type PartyParam = string;

/**
 * The SQL of a party list. `summary` is the store's select list of a summary (it reads the stored
 * column names, aliased); `columns` give the filtered expressions (each equal to its parameter `f<i>`)
 * with their columns read through a table prefix; `mark(name)` writes a named parameter in the store's
 * syntax.
 */
export function partyListSql(
  summary: string,
  columns: readonly ((prefix: string) => string)[],
  paged: boolean,
  mark: (name: PartyParam) => string,
): string {
  const filters = (prefix: string) =>
    columns.map((column, i) => ` AND ${column(prefix)} = ${mark(`f${i}`)}`).join('');
  const after = (at: string, id: string) =>
    paged ? ` AND (${at}, ${id}) < (${mark('after_at')}, ${mark('after_id')})` : '';
  const party = mark('party');
  const limit = mark('lim');
  const created = `SELECT ${summaryStoredColumns.join(', ')} FROM consignments
    WHERE submitter_id = ${party}${filters('')}${after('created_at', 'id')}
    ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
  const contributed = `SELECT ${summaryStoredColumns.map((c) => `c.${c}`).join(', ')}
    FROM consignment_contributors p JOIN consignments c ON c.id = p.consignment_id
    WHERE p.submitter_id = ${party} AND c.submitter_id <> ${party}${filters('c.')}${after('p.created_at', 'p.consignment_id')}
    ORDER BY p.created_at DESC, p.consignment_id DESC LIMIT ${limit}`;
  return `SELECT ${summary} FROM (
    SELECT * FROM (${created}) AS own UNION ALL SELECT * FROM (${contributed}) AS linked) AS u
    ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
}

/** The named parameters of a party list, in the order `partyListSql` first writes them. */
export function partyListParams(
  party: string,
  values: readonly string[],
  after: readonly [string, string] | undefined,
  limit: number,
): Record<PartyParam, string | number> {
  const params: Record<PartyParam, string | number> = { party };
  values.forEach((v, i) => {
    params[`f${i}`] = v;
  });
  if (after !== undefined) {
    params.after_at = after[0];
    params.after_id = after[1];
  }
  params.lim = limit;
  return params;
}
