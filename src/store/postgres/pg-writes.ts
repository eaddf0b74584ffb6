/**
 * How a batch is written to PostgreSQL: one statement per table per batch, each row list passed as
 * parallel arrays and expanded with `unnest`. Also the raw-insert baseline the benchmark compares with.
 */
import type pg from 'pg';
import { ParcelgateError } from '../../domain/index.js';
import type { SourceRecord } from '../../domain/index.js';
import { toBatchRows, type KeyPolicy, type SqliteBatchRows } from '../sqlite/sqlite-rows.js';
import type { BatchWrites, StoredConsignment } from '../port.js';

/** The rows of a batch (same shape and encoding as the SQLite adapter writes). */
export type PgBatchRows = SqliteBatchRows;

/** One column of a multi-row insert: its values (one per row) and SQL type. */
type Column =
  { type: 'text'; values: (string | null)[] } | { type: 'int' | 'float8' | 'bigint'; values: number[] };

const unitSeparator = '\x1e';
const nullMarker = '\x1f';

/**
 * The SQL expression that turns one parameter into an array of `values`, appending the parameter to
 * `params`. Text is sent as one string joined by the ASCII record separator and split server-side
 * (`string_to_array`): about ten times faster than a `text[]` parameter for JSON documents, whose
 * quotes an array literal must escape and the server unescape. Values containing the separator (JSON
 * never does: it escapes control characters) fall back to a `text[]` parameter.
 */
export function arrayParam(column: Column, params: unknown[]): string {
  if (column.type !== 'text') {
    params.push(column.values);
    return `$${params.length}::${column.type}[]`;
  }
  const values = column.values;
  const packable =
    !(values.length === 1 && values[0] === '') &&
    values.every((v) => v === null || (!v.includes(unitSeparator) && !v.includes(nullMarker)));
  if (!packable) {
    params.push(values);
    return `$${params.length}::text[]`;
  }
  params.push(values.map((v) => (v === null ? nullMarker : v)).join(unitSeparator));
  return `string_to_array($${params.length}, chr(30), chr(31))`;
}

/** Runs `head SELECT * FROM unnest(columns…) tail` with one parameter per column. */
async function insertColumns(
  client: pg.ClientBase,
  head: string,
  columns: Column[],
  tail = '',
): Promise<void> {
  const params: unknown[] = [];
  const arrays = columns.map((c) => arrayParam(c, params));
  await client.query(`${head} SELECT * FROM unnest(${arrays.join(', ')}) ${tail}`, params);
}

const text = (values: (string | null)[]): Column => ({ type: 'text', values });

/** SQL heads and tails of the batch statements, shared by the adapter and the raw baseline. */
export const pgInsertSql = {
  consignment: `INSERT INTO consignments (id, version, state, lane, decision, risk_score, destination,
    office, submitter_id, due_at_border, currency, created_at, updated_at, doc)`,
  consignmentConflict: `ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state,
      lane = excluded.lane, decision = excluded.decision, risk_score = excluded.risk_score,
      destination = excluded.destination, office = excluded.office, submitter_id = excluded.submitter_id,
      due_at_border = excluded.due_at_border, currency = excluded.currency, created_at = excluded.created_at,
      updated_at = excluded.updated_at, doc = excluded.doc`,
  linkKey: 'INSERT INTO link_keys (key, consignment_id)',
  version: 'INSERT INTO consignment_versions (consignment_id, version, doc)',
  declaration: 'INSERT INTO declarations (id, consignment_id, kind, submitter_id, received_at, hash, doc)',
  event: 'INSERT INTO events (seq, consignment_id, type, from_state, to_state, at, actor, reason, data)',
  nextSeqs: "SELECT nextval('events_seq')::text AS seq FROM generate_series(1, $1::int)",
} as const;

function consignmentColumns(rows: SqliteBatchRows['consignments']): Column[] {
  return [
    text(rows.map((r) => r.id)),
    { type: 'int', values: rows.map((r) => r.version) },
    text(rows.map((r) => r.state)),
    text(rows.map((r) => r.lane)),
    text(rows.map((r) => r.decision)),
    { type: 'float8', values: rows.map((r) => r.riskScore) },
    text(rows.map((r) => r.destination)),
    text(rows.map((r) => r.office)),
    text(rows.map((r) => r.submitterId)),
    text(rows.map((r) => r.dueAtBorder)),
    text(rows.map((r) => r.currency)),
    text(rows.map((r) => r.createdAt)),
    text(rows.map((r) => r.updatedAt)),
    text(rows.map((r) => r.doc)),
  ];
}

/** Upserts consignment rows and adds their link keys when absent. */
async function writeConsignments(
  client: pg.ClientBase,
  rows: SqliteBatchRows['consignments'],
  links: SqliteBatchRows['linkKeys'],
): Promise<void> {
  if (rows.length > 0) {
    await insertColumns(
      client,
      pgInsertSql.consignment,
      consignmentColumns(rows),
      pgInsertSql.consignmentConflict,
    );
  }
  if (links.length > 0) {
    const columns = [text(links.map((l) => l.key)), text(links.map((l) => l.consignmentId))];
    await insertColumns(client, pgInsertSql.linkKey, columns, 'ON CONFLICT DO NOTHING');
  }
}

/** An SQL expression for a list of keys (see `arrayParam`), its parameter appended to `params`. */
export function keyList(keys: readonly string[], params: unknown[]): string {
  return arrayParam(text([...keys]), params);
}

/**
 * Takes the row locks of `keys` (creating their lock rows first) in key order. Returns once no other
 * transaction can be creating or changing a consignment under any of them until this one ends.
 */
export async function lockKeys(client: pg.ClientBase, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const params: unknown[] = [];
  const list = keyList(keys, params);
  await client.query(
    `INSERT INTO link_key_locks (key) SELECT DISTINCT k FROM unnest(${list}) AS k ORDER BY k ON CONFLICT DO NOTHING`,
    params,
  );
  await client.query(
    `SELECT key FROM link_key_locks WHERE key = ANY(${list}) ORDER BY key FOR UPDATE`,
    params,
  );
}

/** Throws `store.key-conflict` for the first key (in batch order) already linking another consignment. */
async function checkExclusive(
  client: pg.ClientBase,
  upserts: readonly { id: string; keys: readonly string[] }[],
  keys: readonly string[],
): Promise<void> {
  const params: unknown[] = [];
  const found = await client.query<{ key: string; consignment_id: string }>(
    `SELECT key, consignment_id FROM link_keys WHERE key = ANY(${keyList(keys, params)})`,
    params,
  );
  const owners = new Map<string, string[]>();
  for (const r of found.rows) owners.set(r.key, [...(owners.get(r.key) ?? []), r.consignment_id]);
  for (const c of upserts) {
    for (const key of c.keys) {
      const list = owners.get(key) ?? [];
      const owner = list.find((id) => id !== c.id);
      if (owner !== undefined) {
        throw new ParcelgateError(
          'store.key-conflict',
          `link key ${key} already belongs to consignment ${owner}, not ${c.id}`,
          409,
          { key, owner, consignmentId: c.id },
        );
      }
      if (!list.includes(c.id)) owners.set(key, [...list, c.id]);
    }
  }
}

/** Keeps the last upsert of each consignment id (a batch writes one row per consignment). */
function lastPerId(upserts: readonly StoredConsignment[]): StoredConsignment[] {
  const byId = new Map<string, StoredConsignment>();
  for (const c of upserts) {
    byId.delete(c.id);
    byId.set(c.id, c);
  }
  return [...byId.values()];
}

/**
 * Adapter write path (inside a transaction that holds the locks of `lockedKeys`): locks any further key
 * the batch adds, enforces the key policy, then writes consignments, link keys, archived versions,
 * declarations and events with one statement each. Returns the seq assigned to each event, in order.
 */
export async function writeBatch(
  client: pg.ClientBase,
  writes: BatchWrites,
  keyPolicy: KeyPolicy,
  isStored: (r: SourceRecord) => boolean,
  lockedKeys: ReadonlySet<string>,
): Promise<number[]> {
  const upserts = lastPerId(writes.upserts);
  const rows = toBatchRows({ ...writes, upserts }, isStored);
  const keys = rows.linkKeys.map((l) => l.key);
  // Keys the lookup did not name were not locked before planning; lock them now (a deadlock this may
  // cause is detected by PostgreSQL and the batch is retried).
  const extra = keys.filter((k) => !lockedKeys.has(k));
  if (extra.length > 0) await lockKeys(client, extra);
  if (keyPolicy === 'exclusive' && keys.length > 0)
    await checkExclusive(client, [...(writes.fresh ?? []), ...upserts], keys);
  await writeConsignments(client, rows.consignments, rows.linkKeys);
  return writeTail(client, rows);
}

/** Writes versions, declarations and events; returns the event seqs in write order. */
async function writeTail(client: pg.ClientBase, rows: SqliteBatchRows): Promise<number[]> {
  const v = rows.versions;
  if (v.length > 0) {
    await insertColumns(client, pgInsertSql.version, [
      text(v.map((r) => r.consignmentId)),
      { type: 'int', values: v.map((r) => r.version) },
      text(v.map((r) => r.doc)),
    ]);
  }
  const d = rows.declarations;
  if (d.length > 0) {
    await insertColumns(client, pgInsertSql.declaration, [
      text(d.map((r) => r.id)),
      text(d.map((r) => r.consignmentId)),
      text(d.map((r) => r.kind)),
      text(d.map((r) => r.submitterId)),
      text(d.map((r) => r.receivedAt)),
      text(d.map((r) => r.hash)),
      text(d.map((r) => r.doc)),
    ]);
  }
  const e = rows.events;
  if (e.length === 0) return [];
  // Sequence numbers are drawn first and sorted, so they increase in write order whatever order the
  // rows are inserted in.
  const drawn = await client.query<{ seq: string }>(pgInsertSql.nextSeqs, [e.length]);
  const seqs = drawn.rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  await insertColumns(client, pgInsertSql.event, [
    { type: 'bigint', values: seqs },
    text(e.map((r) => r.consignmentId)),
    text(e.map((r) => r.type)),
    text(e.map((r) => r.fromState)),
    text(e.map((r) => r.toState)),
    text(e.map((r) => r.at)),
    text(e.map((r) => r.actor)),
    text(e.map((r) => r.reason)),
    text(e.map((r) => r.data)),
  ]);
  return seqs;
}

/**
 * Benchmark baseline: the same multi-row statements (consignments upserted, link keys added when
 * absent, as a later batch may amend an earlier one) in one transaction, with the same schema and
 * indexes but without key locks, lookups, policy checks or serialisation.
 */
export async function rawInsertPgRows(client: pg.ClientBase, rows: PgBatchRows): Promise<void> {
  await client.query('BEGIN');
  try {
    await writeConsignments(client, rows.consignments, rows.linkKeys);
    await writeTail(client, rows);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
