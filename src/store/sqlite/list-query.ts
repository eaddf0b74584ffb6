/** Listing consignments: filters, newest-first keyset paging over (created_at, id), opaque cursors. */
import type Database from 'better-sqlite3';
import { ParcelgateError, controlCharacterAt } from '../../domain/index.js';
import type { ConsignmentSummary, ListQuery } from '../port.js';
import { partyListParams, partyListSql } from '../party-list.js';

/** List filters and the column each one reads (shared by both adapters). */
export const filterColumns = {
  state: 'state',
  lane: 'lane',
  decision: 'decision',
  destination: 'destination',
  office: 'office',
  submitterId: 'submitter_id',
  shownLane: 'lane',
} as const;

/** A list filter name. */
export type FilterName = keyof typeof filterColumns;
/** Every list filter name. */
export const filterNames = Object.keys(filterColumns) as FilterName[];

/**
 * The SQL a filter compares with its value, its column read through `prefix` (a table alias and dot, or
 * ''). `shownLane` is the lane as a submitter is told it: blue reads green (risk/redact.ts).
 */
export function filterExpression(name: FilterName, prefix = ''): string {
  const column = `${prefix}${filterColumns[name]}`;
  return name === 'shownLane' ? `(CASE WHEN ${column} = 'blue' THEN 'green' ELSE ${column} END)` : column;
}

const summaryColumns = `id, version, state, lane, decision, risk_score AS riskScore, destination, office,
  submitter_id AS submitterId, due_at_border AS dueAtBorder, currency, created_at AS createdAt,
  updated_at AS updatedAt`;

/** Encodes a page position (the last row's created_at and id) as an opaque base64url string. */
export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from `encodeCursor`; throws `store.invalid-cursor` on anything else, a position
 * holding a control character included (no row has one, and PostgreSQL refuses a NUL in a parameter).
 */
export function decodeCursor(cursor: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    typeof parsed[1] === 'string' &&
    controlCharacterAt(parsed[0], false) < 0 &&
    controlCharacterAt(parsed[1], false) < 0
  ) {
    return [parsed[0], parsed[1]];
  }
  throw new ParcelgateError('store.invalid-cursor', 'cursor is not one returned by a previous page', 400, {
    cursor,
  });
}

/** Runs list queries with one cached prepared statement per filter combination. */
export class ListRunner {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Returns up to `limit` summaries, newest first, and the cursor of the next page or null. */
  run(query: ListQuery): { items: ConsignmentSummary[]; nextCursor: string | null } {
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
    const rows = (
      query.partyId !== undefined
        ? this.partyStatement(used, after !== undefined).all(
            partyListParams(query.partyId, params.slice(0, used.length) as string[], after, query.limit + 1),
          )
        : this.statement(used, after !== undefined).all(...params)
    ) as ConsignmentSummary[];
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    const last = items[items.length - 1];
    return { items, nextCursor: more && last !== undefined ? encodeCursor(last.createdAt, last.id) : null };
  }

  private partyStatement(used: FilterName[], paged: boolean): Database.Statement {
    const key = `${used.join(',')}|${paged ? 'c' : ''}|party`;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const columns = used.map((name) => (prefix: string) => filterExpression(name, prefix));
      stmt = this.db.prepare(partyListSql(summaryColumns, columns, paged, (name) => `@${name}`));
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  private statement(used: FilterName[], paged: boolean): Database.Statement {
    const key = `${used.join(',')}|${paged ? 'c' : ''}`;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const where = used.map((name) => `${filterExpression(name)} = ?`);
      if (paged) where.push('(created_at, id) < (?, ?)');
      const sql = `SELECT ${summaryColumns} FROM consignments
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ?`;
      stmt = this.db.prepare(sql);
      this.statements.set(key, stmt);
    }
    return stmt;
  }
}
