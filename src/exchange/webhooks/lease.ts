/**
 * Delivery leases: which dispatcher may deliver a subscription's stream right now. Several dispatcher
 * processes against one PostgreSQL database each try to take the lease of a (subscription, stream) pair
 * before delivering it; the one that gets it delivers one pass and gives it back, the others skip the
 * pair and try again on their next tick. On PostgreSQL the lease is a session-level advisory lock held on
 * one dedicated connection per dispatcher: when a dispatcher process dies its connection closes and the
 * server drops its locks, so another dispatcher takes the pair over on its next tick and resumes from the
 * stored cursor. On SQLite (one process) every lease is granted.
 */
import pg from 'pg';

/** Leases of delivery streams, keyed by an opaque string (see `leaseKey`). */
export interface DeliveryLeases {
  /** True when leases are shared with other processes (the dispatcher then re-reads state under the lease). */
  readonly shared: boolean;
  /** Takes the lease of `key` when nobody holds it; false when another dispatcher (or this one) holds it. */
  tryAcquire(key: string): Promise<boolean>;
  /** True while this dispatcher still holds `key` (its lease connection is alive). */
  stillHeld(key: string): Promise<boolean>;
  /** Gives `key` back (no-op when the lease was already lost). */
  release(key: string): Promise<void>;
  /** Drops every lease this dispatcher holds and its connection. */
  close(): Promise<void>;
}

/** The lease key of one subscription's stream (`events` for the clearance event log). */
export const leaseKey = (subscriptionId: string, stream: string): string =>
  `webhook:${subscriptionId}:${stream}`;

/** Leases for one process (SQLite): always granted, but a key is not handed out twice at once. */
export function localLeases(): DeliveryLeases {
  const held = new Set<string>();
  return {
    shared: false,
    tryAcquire: (key) => {
      if (held.has(key)) return Promise.resolve(false);
      held.add(key);
      return Promise.resolve(true);
    },
    stillHeld: (key) => Promise.resolve(held.has(key)),
    release: (key) => {
      held.delete(key);
      return Promise.resolve();
    },
    close: () => {
      held.clear();
      return Promise.resolve();
    },
  };
}

/** Settings of the PostgreSQL leases. */
export interface PgLeaseOptions {
  url: string;
  /** Separates deployments sharing one database, e.g. by schema (default: none). */
  namespace?: string;
  log?: (message: string, data: Record<string, unknown>) => void;
}

/**
 * PostgreSQL leases: `pg_try_advisory_lock(hashtextextended(key, 0))` on one dedicated connection,
 * opened on first use and reopened after it was lost (every lease held on it is then gone).
 */
export function pgAdvisoryLeases(opts: PgLeaseOptions): DeliveryLeases {
  const log = opts.log ?? (() => undefined);
  const prefix = opts.namespace === undefined ? '' : `${opts.namespace}:`;
  const held = new Set<string>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  // One query at a time on the lease connection (the dispatcher asks for several leases at once).
  let queue: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(c: pg.Client, sql: string, params: unknown[] = []) => {
    const run = queue.then(() => c.query<R>(sql, params));
    queue = run.catch(() => undefined);
    return run;
  };

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return;
    client = undefined;
    if (held.size > 0) log('delivery leases lost', { leases: held.size, error: why });
    held.clear();
  };
  const connection = (): Promise<pg.Client> => {
    if (client !== undefined) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: opts.url, application_name: 'parcelgate-dispatch' });
      c.on('error', (err) => lost(c, String(err)));
      c.on('end', () => lost(c, 'connection ended'));
      try {
        await c.connect();
      } catch (err) {
        c.end().catch(() => undefined);
        throw err;
      }
      client = c;
      return c;
    })().finally(() => (connecting = undefined));
    return connecting;
  };

  return {
    shared: true,
    async tryAcquire(key) {
      if (closed || held.has(key)) return false;
      const c = await connection();
      const { rows } = await query<{ ok: boolean }>(
        c,
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [prefix + key],
      );
      if (rows[0]?.ok !== true || client !== c) return false;
      held.add(key);
      return true;
    },
    async stillHeld(key) {
      const c = client;
      if (!held.has(key) || c === undefined) return false;
      try {
        // A session lock lasts as long as the session: a live connection means the lease is still ours.
        await query(c, 'SELECT 1');
        return held.has(key) && client === c;
      } catch (err) {
        lost(c, String(err));
        return false;
      }
    },
    async release(key) {
      if (!held.delete(key)) return;
      const c = client;
      if (c === undefined) return;
      try {
        await query(c, 'SELECT pg_advisory_unlock(hashtextextended($1, 0))', [prefix + key]);
      } catch (err) {
        lost(c, String(err));
      }
    },
    async close() {
      closed = true;
      held.clear();
      const c = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
