/**
 * How a batch is written to PostgreSQL. Rows that are new for certain (fresh consignments, their link
 * keys under keys this transaction created, archived versions, declarations, events) are bulk-loaded
 * with `COPY … FROM STDIN`; rows that may already exist (an amended consignment, a key added to a
 * stored one) go through one multi-row `INSERT … ON CONFLICT` per table, each row list passed as
 * parallel arrays and expanded with `unnest`. Also the raw-COPY baseline the benchmark compares with.
 */
import type pg from 'pg';
import { ParcelgateError } from '../../domain/index.js';
import type { SourceRecord } from '../../domain/index.js';
import {
  consignmentCells,
  toBatchRows,
  type KeyPolicy,
  type SqliteBatchRows,
} from '../sqlite/sqlite-rows.js';
import type { BatchWrites, StoredConsignment } from '../port.js';
import { summaryStoredColumns } from '../party-list.js';
import {
  creationRowType,
  creationSpan,
  eventSpan,
  expandEventRows,
  type EventRowFields,
} from '../event-rows.js';
import { BinaryCopy, copyBinary, type CopyType, type CopyValue } from './pg-copy.js';
import { writeContributors } from './pg-contributors.js';

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

/** Column lists of the tables a batch writes (the order of the COPY fields and of the upserts). */
export const pgColumns = {
  consignments: [...summaryStoredColumns, 'doc'],
  linkKeys: ['key', 'consignment_id'],
  versions: ['consignment_id', 'version', 'doc'],
  declarations: ['id', 'consignment_id', 'kind', 'submitter_id', 'received_at', 'hash', 'doc'],
  events: ['seq', 'consignment_id', 'type', 'from_state', 'to_state', 'at', 'actor', 'reason', 'data'],
} as const;

/** SQL of the statements that may meet existing rows. */
export const pgInsertSql = {
  consignment: `INSERT INTO consignments (${pgColumns.consignments.join(', ')})`,
  consignmentConflict: `ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state,
      lane = excluded.lane, decision = excluded.decision, risk_score = excluded.risk_score,
      destination = excluded.destination, office = excluded.office, submitter_id = excluded.submitter_id,
      due_at_border = excluded.due_at_border, currency = excluded.currency, created_at = excluded.created_at,
      updated_at = excluded.updated_at, doc = excluded.doc`,
  linkKey: 'INSERT INTO link_keys (key, consignment_id)',
  // One row, the seqs joined by commas: a batch draws thousands, and a row each cost Node their parse.
  nextSeqs: `SELECT string_agg(nextval('events_seq')::text, ',') AS seqs FROM generate_series(1, $1::int)`,
} as const;

/** The binary COPY types of `pgColumns` (the schema's column types, in the same order). */
export const pgColumnTypes = {
  consignments: [
    'text',
    'int4',
    'text',
    'text',
    'text',
    'float8',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
  ],
  linkKeys: ['text', 'text'],
  versions: ['text', 'int4', 'text'],
  declarations: ['text', 'text', 'text', 'text', 'text', 'text', 'text'],
  events: ['int8', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
} as const satisfies { [T in keyof typeof pgColumns]: readonly CopyType[] };

type ConsignmentDbRow = SqliteBatchRows['consignments'][number];

/** Binary COPY data of rows of `table` mapped to values by `fields`. */
function encode<R>(
  table: keyof typeof pgColumns,
  rows: readonly R[],
  fields: (r: R) => CopyValue[],
  bytesPerRow = 64,
): BinaryCopy {
  const copy = new BinaryCopy(pgColumns[table], pgColumnTypes[table], 64 + rows.length * bytesPerRow);
  for (const r of rows) copy.row(fields(r));
  return copy;
}

/** Rough bytes per row of a table with a document: sizes the buffer once for a typical batch. */
const docRowBytes = 4096;

function consignmentColumns(rows: readonly ConsignmentDbRow[]): Column[] {
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

/** Upserts consignment rows (one statement). */
async function upsertConsignments(client: pg.ClientBase, rows: readonly ConsignmentDbRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertColumns(
    client,
    pgInsertSql.consignment,
    consignmentColumns(rows),
    pgInsertSql.consignmentConflict,
  );
}

/** Adds link keys when absent (one statement). */
async function addLinkKeys(client: pg.ClientBase, links: SqliteBatchRows['linkKeys']): Promise<void> {
  if (links.length === 0) return;
  const columns = [text(links.map((l) => l.key)), text(links.map((l) => l.consignmentId))];
  await insertColumns(client, pgInsertSql.linkKey, columns, 'ON CONFLICT DO NOTHING');
}

/** An SQL expression for a list of keys (see `arrayParam`), its parameter appended to `params`. */
export function keyList(keys: readonly string[], params: unknown[]): string {
  return arrayParam(text([...keys]), params);
}

/**
 * Takes the locks of `keys` (distinct), in key order, and returns the keys that were seen before: only
 * those can own stored consignments. A key never seen gets its lock row inserted, and the inserting
 * transaction holds it until it ends (a concurrent `INSERT … ON CONFLICT` of the same key waits for
 * it); a key seen before is locked with `SELECT … FOR UPDATE`. Either way, once this resolves no other
 * transaction can be creating or changing a consignment under any of `keys` until this one ends. A new
 * flood thus costs one insert per key and no row lock.
 */
export async function lockKeys(client: pg.ClientBase, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const params: unknown[] = [];
  const list = keyList(keys, params);
  // Answers the keys it did not insert (a new flood: none), not the thousands it did.
  const notInserted = await client.query<{ key: string }>(
    `WITH batch AS (SELECT DISTINCT k FROM unnest(${list}) AS k),
       inserted AS (INSERT INTO link_key_locks (key) SELECT k FROM batch ORDER BY k
         ON CONFLICT DO NOTHING RETURNING key)
     SELECT k AS key FROM batch WHERE k NOT IN (SELECT key FROM inserted)`,
    params,
  );
  if (notInserted.rows.length === 0) return [];
  const missed = new Set(notInserted.rows.map((r) => r.key));
  const seen = [...new Set(keys)].filter((k) => missed.has(k));
  const again: unknown[] = [];
  await client.query(
    `SELECT key FROM link_key_locks WHERE key = ANY(${keyList(seen, again)}) ORDER BY key FOR UPDATE`,
    again,
  );
  return seen;
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

/** What the transaction knows about the keys it locked before planning. */
export interface LockedKeys {
  /** Every key locked so far. */
  locked: ReadonlySet<string>;
  /** The keys among them that had been seen before this transaction (may own stored rows). */
  seen: ReadonlySet<string>;
}

/**
 * Adapter write path (inside a transaction that holds the locks of `keys.locked`): locks any further
 * key the batch adds, enforces the key policy, then writes. Fresh consignments (new by definition) are
 * copied; upserts are one multi-row upsert. A link key whose lock row this transaction created cannot
 * be in `link_keys` yet, so its rows are copied; the others are added when absent. Versions,
 * declarations and events are always new rows and are copied. Event seqs are drawn last (`nextval`
 * holds the sequence's lock to commit, which the feed's commit watermark watches) and sorted so they
 * increase in write order. Returns the seqs of `writes.events`, in order.
 */
export async function writeBatch(
  client: pg.ClientBase,
  writes: BatchWrites,
  keyPolicy: KeyPolicy,
  isStored: (r: SourceRecord) => boolean,
  keys: LockedKeys,
): Promise<number[]> {
  const fresh = writes.fresh ?? [];
  const upserts = lastPerId(writes.upserts);
  const rows = toBatchRows({ ...writes, fresh, upserts }, isStored);
  const batchKeys = [...new Set(rows.linkKeys.map((l) => l.key))];
  // Keys the lookup did not name were not locked before planning; lock them now (a deadlock this may
  // cause is detected by PostgreSQL and the batch is retried).
  const extra = batchKeys.filter((k) => !keys.locked.has(k));
  const seen = new Set(keys.seen);
  if (extra.length > 0) for (const k of await lockKeys(client, extra)) seen.add(k);
  if (keyPolicy === 'exclusive' && batchKeys.length > 0)
    await checkExclusive(client, [...fresh, ...upserts], batchKeys);

  const copied = rows.consignments.slice(0, fresh.length);
  const upserted = rows.consignments.slice(fresh.length);
  const newLinks: SqliteBatchRows['linkKeys'] = [];
  const otherLinks: SqliteBatchRows['linkKeys'] = [];
  const pairs = new Set<string>();
  for (const l of rows.linkKeys) {
    const pair = `${l.key}\n${l.consignmentId}`;
    if (pairs.has(pair)) continue;
    pairs.add(pair);
    (seen.has(l.key) ? otherLinks : newLinks).push(l);
  }
  await copyBinary(client, 'consignments', encode('consignments', copied, consignmentCells, docRowBytes));
  await upsertConsignments(client, upserted);
  await copyBinary(
    client,
    'link_keys',
    encode('linkKeys', newLinks, (l) => [l.key, l.consignmentId]),
  );
  await addLinkKeys(client, otherLinks);
  await copyTail(client, rows);
  await writeContributors(client, writes);
  const e = rows.events;
  if (e.length === 0) return [];
  let logical = 0;
  for (const r of e) logical += eventSpan(r.type);
  const drawn = await client.query<{ seqs: string }>(pgInsertSql.nextSeqs, [logical]);
  const seqs = (drawn.rows[0]?.seqs ?? '')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const placed = placeEvents(e, seqs);
  await copyBinary(client, 'events', encodeEvents(placed.rows, placed.seqs));
  return seqs.slice(seqs.length - writes.events.length);
}

/**
 * The event rows to write at the drawn `seqs` (ascending, one per logical event): a creation row
 * whose three seqs are consecutive is written as it is, at the last of them; one whose seqs another
 * transaction interleaved (sequences are shared) is written as the three events it stands for.
 */
export function placeEvents(
  events: readonly SqliteBatchRows['events'][number][],
  seqs: readonly number[],
): { rows: SqliteBatchRows['events']; seqs: number[] } {
  const rows: SqliteBatchRows['events'] = [];
  const at: number[] = [];
  let p = 0;
  for (const r of events) {
    const first = seqs[p] as number;
    if (r.type !== creationRowType) {
      rows.push(r);
      at.push(first);
      p++;
      continue;
    }
    const last = seqs[p + creationSpan - 1] as number;
    if (last === first + creationSpan - 1) {
      rows.push(r);
      at.push(last);
    } else {
      const row = {
        seq: creationSpan,
        type: r.type,
        from: r.fromState,
        to: r.toState,
        reason: r.reason,
        data: r.data,
      };
      expandEventRows([row as EventRowFields]).forEach((x, i) => {
        rows.push({ ...r, type: x.type, fromState: x.from, toState: x.to, reason: x.reason, data: x.data });
        at.push(seqs[p + i] as number);
      });
    }
    p += creationSpan;
  }
  return { rows, seqs: at };
}

/** Copies archived versions and declarations (events follow once their seqs are drawn). */
async function copyTail(client: pg.ClientBase, rows: SqliteBatchRows): Promise<void> {
  await copyBinary(
    client,
    'consignment_versions',
    encode('versions', rows.versions, (v) => [v.consignmentId, v.version, v.doc], docRowBytes),
  );
  await copyBinary(
    client,
    'declarations',
    encode(
      'declarations',
      rows.declarations,
      (d) => [d.id, d.consignmentId, d.kind, d.submitterId, d.receivedAt, d.hash, d.doc],
      docRowBytes,
    ),
  );
}

/**
 * Binary COPY data of event rows: with `seqs`, each row starts with its seq (the `seq` column first, as
 * in `pgColumns.events`); without, the seq column is left out and to its default.
 */
function encodeEvents(events: SqliteBatchRows['events'], seqs?: readonly number[]): BinaryCopy {
  const copy =
    seqs === undefined
      ? new BinaryCopy(pgColumns.events.slice(1), pgColumnTypes.events.slice(1), 64 + events.length * 256)
      : new BinaryCopy(pgColumns.events, pgColumnTypes.events, 64 + events.length * 256);
  for (let i = 0; i < events.length; i++) {
    const r = events[i] as SqliteBatchRows['events'][number];
    const fields = [r.consignmentId, r.type, r.fromState, r.toState, r.at, r.actor, r.reason, r.data];
    copy.row(seqs === undefined ? fields : [seqs[i] as number, ...fields]);
  }
  return copy;
}

/**
 * Benchmark baseline: `COPY` of the given rows into every table, in one transaction, with the same
 * schema, indexes and triggers but without key locks, lookups, policy checks or serialisation. Event
 * seqs come from the column default. The rows must all be new (see the benchmark, which folds a
 * consignment written twice into its first batch).
 */
export async function rawCopyPgRows(client: pg.ClientBase, rows: PgBatchRows): Promise<void> {
  await client.query('BEGIN');
  try {
    await copyBinary(
      client,
      'consignments',
      encode('consignments', rows.consignments, consignmentCells, docRowBytes),
    );
    await copyBinary(
      client,
      'link_keys',
      encode('linkKeys', rows.linkKeys, (l) => [l.key, l.consignmentId]),
    );
    await copyTail(client, rows);
    await copyBinary(client, 'events', encodeEvents(rows.events));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
