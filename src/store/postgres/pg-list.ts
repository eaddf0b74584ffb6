/** Listing consignments in PostgreSQL: filters, newest-first keyset paging over (created_at, id). */
import type pg from 'pg';
import { ParcelgateError } from '../../domain/index.js';
import {
  decodeCursor,
  encodeCursor,
  filterExpression,
  filterNames,
  type FilterName,
} from '../sqlite/list-query.js';
import type { ConsignmentSummary, ListQuery, StoreStats } from '../port.js';
import { logicalEventCountSql } from '../event-rows.js';
import { partyListParams, partyListSql } from '../party-list.js';

const summaryColumns = `id, version, state, lane, decision, risk_score AS "riskScore", destination, office,
  submitter_id AS "submitterId", due_at_border AS "dueAtBorder", currency, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** Builds the SQL of a list query for the filters used (cursors are the same as SQLite's). */
function listSql(used: FilterName[], paged: boolean): string {
  const where = used.map((name, i) => `${filterExpression(name)} = $${i + 1}`);
  let n = used.length;
  if (paged) {
    where.push(`(created_at, id) < ($${n + 1}, $${n + 2})`);
    n += 2;
  }
  return `SELECT ${summaryColumns} FROM consignments
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY created_at DESC, id DESC LIMIT $${n + 1}`;
}

/** Returns up to `limit` summaries, newest first, and the cursor of the next page or null. */
export async function listConsignments(
  pool: pg.Pool,
  query: ListQuery,
): Promise<{ items: ConsignmentSummary[]; nextCursor: string | null }> {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new ParcelgateError('store.invalid-limit', 'limit must be a positive integer', 400, {
      limit: query.limit,
    });
  }
  const used = filterNames.filter((name) => query[name] !== undefined);
  const params: (string | number)[] = used.map((name) => String(query[name]));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (after !== undefined) params.push(after[0], after[1]);
  params.push(query.limit + 1);
  if (query.partyId !== undefined) {
    const named = partyListParams(
      query.partyId,
      params.slice(0, used.length) as string[],
      after,
      query.limit + 1,
    );
    const order: string[] = [];
    const text = partyListSql(
      summaryColumns,
      used.map((name) => (prefix: string) => filterExpression(name, prefix)),
      after !== undefined,
      (n) => {
        if (!order.includes(n)) order.push(n);
        return `$${order.indexOf(n) + 1}`;
      },
    );
    const pname = `pg_party_${used.join('_')}${after !== undefined ? '_c' : ''}`;
    const { rows } = await pool.query<ConsignmentSummary>({
      name: pname,
      text,
      values: order.map((n) => named[n]),
    });
    return page(rows, query.limit);
  }
  const sql = listSql(used, after !== undefined);
  // A stable statement name per filter combination lets each connection plan it once.
  const name = `pg_list_${used.join('_')}${after !== undefined ? '_c' : ''}`;
  const { rows } = await pool.query<ConsignmentSummary>({ name, text: sql, values: params });
  return page(rows, query.limit);
}

/** The first `limit` of `rows` (one more was asked for) and the next page's cursor. */
function page(
  rows: ConsignmentSummary[],
  limit: number,
): { items: ConsignmentSummary[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last !== undefined ? encodeCursor(last.createdAt, last.id) : null };
}

/** Counts consignments by state and lane and counts events. */
export async function storeStats(pool: pg.Pool): Promise<StoreStats> {
  const { rows } = await pool.query<{ kind: string; k: string | null; n: number }>(
    `SELECT 'total' AS kind, NULL AS k, count(*)::int AS n FROM consignments
     UNION ALL SELECT 'state', state, count(*)::int FROM consignments GROUP BY state
     UNION ALL SELECT 'lane', lane, count(*)::int FROM consignments GROUP BY lane
     UNION ALL SELECT 'events', NULL, (${logicalEventCountSql})::int FROM events`,
  );
  const stats: StoreStats = { consignments: 0, byState: {}, byLane: {}, events: 0 };
  for (const r of rows) {
    if (r.kind === 'total') stats.consignments = r.n;
    else if (r.kind === 'events') stats.events = r.n;
    else if (r.kind === 'state' && r.k !== null) stats.byState[r.k] = r.n;
    else if (r.kind === 'lane' && r.k !== null) stats.byLane[r.k] = r.n;
  }
  return stats;
}
