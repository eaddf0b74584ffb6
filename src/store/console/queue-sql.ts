/** The work-queue query shared by both adapters: filters, three keyset orders, opaque cursors. */
import { ParcelgateError, controlCharacterAt } from '../../domain/index.js';
import { queueSorts, type QueueItem, type QueueQuery, type QueueSort } from './port.js';
import { creationRowType } from '../event-rows.js';

/**
 * Whether consignment `id` (an SQL expression) has been answered since its request for information
 * (docs/information-requests.md): its last answer event comes after the last event that opened a
 * request (`requestEffect` in src/clearance/information.ts: entering `held-for-information` from another
 * state, or an officer's `consignment.request-information`). Read from the event log, so it cannot go
 * stale. Never NULL (a candidate without an answer event is simply not answered), so `NOT` of it is
 * the complement. Only asked of queued rows held for information or arrived with a request open.
 */
const answeredSinceRequest = (
  id: string,
) => `(SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND e.type = 'consignment.information-provided')
    > (SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND (e.type = 'consignment.request-information' OR (e.to_state = 'held-for-information'
        AND coalesce(e.from_state, '') <> 'held-for-information')))`;

/** The queued states in which a consignment has an open request for information (arrived ones are queued only then). */
const informationStates = `('held-for-information', 'arrived')`;

/**
 * How many queued consignments are held for information and answered since the request: driven by
 * the candidates of `information_answers` (migration 63, written before each answer, removed after an
 * officer's decision takes the parcel out of `held-for-information`), each confirmed by its queue row
 * and the event log, so it costs O(candidates), not O(queue).
 */
export const answeredCountSql = `SELECT count(*) FROM information_answers a
    WHERE EXISTS (SELECT 1 FROM work_queue q WHERE q.consignment_id = a.consignment_id
      AND q.state IN ${informationStates})
    AND ${answeredSinceRequest('a.consignment_id')}`;

/**
 * The "answered" mark and filter of a queue row `w`: false at the first term for every row without an
 * open request (not held for information or arrived), at a primary-key probe for every row never
 * answered; only candidates read events. The filter walks the page order's index (by state when
 * filtered by it) with this probe. The state test is a CASE, not `IN`, so that no planner walks the
 * state index for it and sorts: `w.state IN (…)` made SQLite read every row held for information
 * and sort them (67 ms for `answered=true` on the bench's 100,000 held consignments, against 1 ms).
 */
export const answeredRowSql = `(CASE w.state WHEN 'held-for-information' THEN 1 WHEN 'arrived' THEN 1 ELSE 0 END = 1
    AND EXISTS (SELECT 1 FROM information_answers a WHERE a.consignment_id = w.consignment_id)
    AND ${answeredSinceRequest('w.consignment_id')})`;

/** Queue filters and the column each one reads. */
const filterColumns = {
  state: 'state',
  lane: 'lane',
  office: 'office',
  destination: 'destination',
} as const;
type Filter = keyof typeof filterColumns;
const filters = Object.keys(filterColumns) as Filter[];

/** The keyset of each order within a priority tier, most significant first, and its direction. */
const orders: Record<QueueSort, { columns: string[]; desc: boolean }> = {
  newest: { columns: ['created_at', 'consignment_id'], desc: true },
  oldest: { columns: ['created_at', 'consignment_id'], desc: false },
  risk: { columns: ['risk_score', 'created_at', 'consignment_id'], desc: true },
};

/**
 * Priority handling (docs/operators.md): a held consignment of an operator whose status grants priority
 * carries a `priority-high` hit, one of a sanctioned operator `priority-low`. Every order lists the high
 * tier first and the low tier last; within a tier the chosen order applies. The tier is stored with the
 * queue rows (`priority`: 2 high, 1 normal, 0 low; `priority_rank` = 2 - priority; migration 62,
 * schema.ts), so a page is one keyset walk over one index whose key is the page order.
 */
export const priorityHitIds = { high: 'priority-high', low: 'priority-low' } as const;
const tierNames = ['low', 'normal', 'high'] as const;

/** Encodes the position after `item` in `sort` order (its priority tier first) as an opaque base64url string. */
export function encodeQueueCursor(sort: QueueSort, item: QueueItem): string {
  const tier = tierNames.indexOf(item.priority ?? 'normal');
  const values = sort === 'risk' ? [item.riskScore, item.createdAt, item.id] : [item.createdAt, item.id];
  return Buffer.from(JSON.stringify([sort, tier, ...values]), 'utf8').toString('base64url');
}

/** Decodes a queue cursor of `sort` into its tier and keyset values; throws `store.invalid-cursor` on anything else. */
export function decodeQueueCursor(
  sort: QueueSort,
  cursor: string,
): { tier: number; values: (string | number)[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const want = orders[sort].columns.length;
  if (
    Array.isArray(parsed) &&
    parsed[0] === sort &&
    parsed.length === want + 2 &&
    [0, 1, 2].includes(parsed[1])
  ) {
    const values = parsed.slice(2) as unknown[];
    // A position holding a control character was never issued (PostgreSQL refuses a NUL parameter).
    const ok = values.every((v, i) =>
      sort === 'risk' && i === 0
        ? typeof v === 'number' && Number.isFinite(v)
        : typeof v === 'string' && controlCharacterAt(v, false) < 0,
    );
    if (ok) return { tier: parsed[1] as number, values: values as (string | number)[] };
  }
  throw new ParcelgateError(
    'store.invalid-cursor',
    `cursor is not one returned by a previous page sorted by '${sort}'`,
    400,
    { cursor },
  );
}

/** Checks the limit and sort of a queue query. */
export function checkQueueQuery(q: QueueQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1) {
    throw new ParcelgateError('store.invalid-limit', 'limit must be a positive integer', 400, {
      limit: q.limit,
    });
  }
  if (!queueSorts.includes(q.sort)) throw new Error(`unknown queue sort ${String(q.sort)}`);
}

/** Row columns of a queue item (table alias `w`), aliased to QueueItem's fields (reasons space-separated). */
export const queueColumns = (quote: (s: string) => string) =>
  `w.consignment_id AS ${quote('id')}, w.state, w.lane, w.decision, w.risk_score AS ${quote('riskScore')},
  w.destination, w.office, w.submitter_id AS ${quote('submitterId')}, w.due_at_border AS ${quote('dueAtBorder')},
  w.currency, w.reasons, w.top_reason AS ${quote('topReason')}, w.created_at AS ${quote('createdAt')},
  w.updated_at AS ${quote('updatedAt')}`;

/**
 * The tier column an order walks, in the order's direction: `priority` descending for the orders that
 * sort descending, `priority_rank` ascending for oldest first; and a cursor's tier as that column's value.
 */
const tierColumn = (sort: QueueSort) => (orders[sort].desc ? 'priority' : 'priority_rank');
const tierValue = (sort: QueueSort, tier: number) => (orders[sort].desc ? tier : 2 - tier);

/**
 * Builds the SQL and parameters of a queue page: one keyset walk in (tier, order) order from the
 * cursor's position, fetching `limit + 1` rows, so the caller knows whether there is a next page.
 * `param(n)` renders the n-th (1-based) placeholder.
 */
export function queueSql(
  q: QueueQuery,
  param: (n: number) => string,
  quote: (s: string) => string,
): { key: string; sql: string; params: (string | number)[] } {
  checkQueueQuery(q);
  const params: (string | number)[] = [];
  const add = (v: string | number): string => {
    params.push(v);
    return param(params.length);
  };
  const used = filters.filter((f) => q[f] !== undefined);
  const order = orders[q.sort];
  const dir = order.desc ? 'DESC' : 'ASC';
  const after = q.cursor !== undefined ? decodeQueueCursor(q.sort, q.cursor) : undefined;
  const where: string[] = [];
  const now = q.now ?? new Date().toISOString();
  const mine = q.claim === 'mine';
  // By rule in time order, the walk follows the reasons table's (reason, tier, created_at, id) key; by
  // risk, the consignments with the rule are found first and sorted. The caller's own claims (few) are
  // found first and sorted too, by their officer's index.
  const byReasonIndex = q.reason !== undefined && q.sort !== 'risk' && !mine;
  let from: string;
  let keyAlias = 'w';
  if (mine) {
    if (q.officerId === undefined) throw new Error('the mine filter needs the officer');
    from = `work_queue_claims k CROSS JOIN work_queue w`;
    where.push(
      `k.officer_id = ${add(q.officerId)}`,
      `k.expires_at > ${add(now)}`,
      'w.consignment_id = k.consignment_id',
    );
  } else if (byReasonIndex) {
    from = `work_queue_reasons r JOIN work_queue w ON w.consignment_id = r.consignment_id
  LEFT JOIN work_queue_claims k ON k.consignment_id = w.consignment_id AND k.expires_at > ${add(now)}`;
    keyAlias = 'r';
    where.push(`r.reason = ${add(q.reason!)}`);
  } else {
    from = `work_queue w
  LEFT JOIN work_queue_claims k ON k.consignment_id = w.consignment_id AND k.expires_at > ${add(now)}`;
  }
  // Unclaimed: the walk of the page order's index probes each row's claim by primary key.
  if (q.claim === 'unclaimed') where.push('k.consignment_id IS NULL');
  for (const f of used) where.push(`w.${filterColumns[f]} = ${add(String(q[f]))}`);
  if (q.reason !== undefined && !byReasonIndex)
    where.push(
      `w.consignment_id IN (SELECT consignment_id FROM work_queue_reasons WHERE reason = ${add(q.reason)})`,
    );
  const keyset = [tierColumn(q.sort), ...order.columns].map((c) =>
    c === 'risk_score' ? 'w.risk_score' : `${keyAlias}.${c}`,
  );
  if (q.answered !== undefined) where.push(q.answered ? answeredRowSql : `NOT ${answeredRowSql}`);
  if (after !== undefined) {
    const marks = [tierValue(q.sort, after.tier), ...after.values].map(add);
    where.push(`(${keyset.join(', ')}) ${order.desc ? '<' : '>'} (${marks.join(', ')})`);
  }
  const sql = `SELECT ${queueColumns(quote)}, w.priority AS ${quote('priorityTier')},
  k.officer_id AS ${quote('claimOfficerId')}, k.expires_at AS ${quote('claimExpiresAt')},
  CASE WHEN ${answeredRowSql} THEN 1 ELSE 0 END AS ${quote('answered')} FROM ${from}
  ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
  ORDER BY ${keyset.map((c) => `${c} ${dir}`).join(', ')} LIMIT ${add(q.limit + 1)}`;
  const byAnswer = q.answered === undefined ? '' : q.answered ? 'a' : 'u';
  const key = `${q.sort}|${used.join(',')}|${q.reason !== undefined ? 'r' : ''}|${after !== undefined ? 'c' : ''}|${byAnswer}|${q.claim ?? 'all'}`;
  return { key, sql, params };
}

/** Turns fetched rows (limit + 1 at most) into a page. */
export function queuePage(
  q: QueueQuery,
  rows: (Omit<QueueItem, 'reasons' | 'priority' | 'information' | 'claim'> & {
    reasons: string | null;
    priorityTier?: number | string;
    answered?: number | string | boolean;
    claimOfficerId?: string | null;
    claimExpiresAt?: string | null;
  })[],
): { items: QueueItem[]; nextCursor: string | null } {
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const items = page.map(({ priorityTier, answered, claimOfficerId, claimExpiresAt, ...r }): QueueItem => ({
    ...r,
    ...(claimOfficerId ? { claim: { officerId: claimOfficerId, expiresAt: claimExpiresAt ?? '' } } : {}),
    riskScore: Number(r.riskScore),
    reasons: r.reasons ? r.reasons.split(' ') : [],
    priority: tierNames[Number(priorityTier ?? 1)] ?? 'normal',
    ...(r.state === 'held-for-information' || r.state === 'arrived'
      ? { information: Number(answered) === 1 || answered === true ? 'answered' : 'requested' }
      : {}),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last !== undefined ? encodeQueueCursor(q.sort, last) : null };
}

/**
 * A release before arrival withdrawn (events of alias `a`, e.g. `e.`): an officer pulls the parcel for
 * inspection, or another party's disagreeing record reopens it. The release that counts is the one in
 * force, after the last withdrawal.
 */
const withdrawalOf = (a = '') =>
  `${a}from_state = 'released-before-arrival' AND ${a}to_state IN ('assessed', 'held-for-inspection')`;

/**
 * The select list that folds a consignment's events into its KPI facts (first time received, decided,
 * released, released before arrival, arrived; whether information was requested or it was inspected;
 * the seq of its last event with a finding, and of its last withdrawn release: `releasedInForce` and
 * `rbaInForce` then give the release in force), from `events` grouped by `consignment_id`. Information
 * counts as requested when the consignment entered `held-for-information` (its lane or an officer) or an
 * officer asked while it was held for information or after arrival (`consignment.request-information`):
 * every consignment the work queue shows with an open request is counted. A creation row (see
 * event-rows.ts) counts as the declared, assessed and routed events it stands for: they share its
 * time and it carries the routed state.
 */
export const kpiFactAggregates = `  SELECT consignment_id AS id,
    min(CASE WHEN type IN ('consignment.declared', '${creationRowType}') THEN at END) AS received,
    min(CASE WHEN to_state IN ('released-before-arrival', 'held-for-information', 'held-for-inspection',
      'do-not-load') THEN at END) AS decided,
    min(CASE WHEN to_state IN ('released-before-arrival', 'released') THEN at END) AS released,
    min(CASE WHEN to_state = 'released-before-arrival' THEN at END) AS rba,
    min(CASE WHEN type = 'consignment.arrived' THEN at END) AS arrived,
    max(CASE WHEN to_state = 'held-for-information' OR type = 'consignment.request-information' THEN 1 ELSE 0 END) AS rfi,
    max(CASE WHEN to_state = 'held-for-inspection' OR type = 'consignment.inspect' THEN 1 ELSE 0 END) AS inspected,
    max(CASE WHEN data LIKE '%"finding"%' THEN seq END) AS finding_seq,
    max(CASE WHEN ${withdrawalOf()} THEN seq END) AS withdrawn_seq`;

/**
 * The first entry into one of `states` after the consignment's last withdrawn release (`f.withdrawn_seq`),
 * or `f.<column>` (the first entry at all) when no release was withdrawn: read from the log only for the
 * few consignments with a withdrawal, as the finding is.
 */
export const releaseInForce = (column: 'released' | 'rba', states: string) =>
  `CASE WHEN f.withdrawn_seq IS NULL THEN f.${column} ELSE (SELECT min(e.at) FROM events e
    WHERE e.consignment_id = f.id AND e.seq > f.withdrawn_seq AND e.to_state IN (${states})) END`;
export const releasedInForce = releaseInForce('released', `'released-before-arrival', 'released'`);
export const rbaInForce = releaseInForce('rba', `'released-before-arrival'`);

/**
 * Migration 72 (both stores): the release times of fact rows computed before releases withdrawn before
 * arrival were taken into account (see `withdrawalOf`), recomputed from the log.
 */
export const kpiWithdrawnReleasesSql = `UPDATE kpi_facts SET
  released_at = (SELECT min(e.at) FROM events e WHERE e.consignment_id = kpi_facts.consignment_id
    AND e.to_state IN ('released-before-arrival', 'released') AND e.seq > (SELECT max(w.seq) FROM events w
      WHERE w.consignment_id = kpi_facts.consignment_id AND ${withdrawalOf('w.')})),
  rba_at = (SELECT min(e.at) FROM events e WHERE e.consignment_id = kpi_facts.consignment_id
    AND e.to_state = 'released-before-arrival' AND e.seq > (SELECT max(w.seq) FROM events w
      WHERE w.consignment_id = kpi_facts.consignment_id AND ${withdrawalOf('w.')}))
  WHERE consignment_id IN (SELECT consignment_id FROM events WHERE ${withdrawalOf()});`;

/** SQL of the per-consignment KPI facts, shared by both adapters (window bounds as parameters). */
export const kpiFactsSql = (
  param: (n: number) => string,
  quote: (s: string) => string,
  finding: (data: string) => string,
  randomSelected: (doc: string) => string,
) => `
WITH f AS (
${kpiFactAggregates}
  FROM events GROUP BY consignment_id
)
SELECT f.id AS ${quote('id')}, c.office AS ${quote('office')}, c.lane AS ${quote('lane')},
  f.received AS ${quote('receivedAt')}, f.decided AS ${quote('decidedAt')}, ${releasedInForce} AS ${quote('releasedAt')},
  ${rbaInForce} AS ${quote('releasedBeforeArrivalAt')}, f.arrived AS ${quote('arrivedAt')}, f.rfi AS ${quote('rfi')},
  f.inspected AS ${quote('inspectedFlag')},
  CASE WHEN f.finding_seq IS NOT NULL THEN
    (SELECT ${finding('e.data')} FROM events e WHERE e.consignment_id = f.id AND e.seq = f.finding_seq) END
    AS ${quote('finding')},
  CASE WHEN f.finding_seq IS NOT NULL THEN ${randomSelected('c.doc')} END AS ${quote('randomFlag')}
FROM f JOIN consignments c ON c.id = f.id
WHERE f.received IS NOT NULL AND f.received >= ${param(1)} AND f.received < ${param(2)}`;

/** A raw KPI fact row as both adapters return it. */
export interface KpiFactRow {
  id: string;
  office: string | null;
  lane: string;
  receivedAt: string;
  decidedAt: string | null;
  releasedAt: string | null;
  releasedBeforeArrivalAt: string | null;
  arrivedAt: string | null;
  rfi: number | string;
  inspectedFlag: number | string;
  finding: string | null;
  randomFlag: number | string | boolean | null;
}

/** Window bounds with open ends filled in (ISO text compares in time order for same-format instants). */
export function windowBounds(w: { from?: string; to?: string }): [string, string] {
  return [w.from ?? '0000', w.to ?? '9999'];
}
