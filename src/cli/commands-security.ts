/** `keys`, `audit`, `privacy`, `backup` and `restore`, and the security wiring of `serve`. */
import os from 'node:os';
import { KeyManager, checkKeyExpiry, type AccessConfig } from '../access/index.js';
import { AuditLog, entryHash } from '../audit/index.js';
import { ParcelgateError } from '../domain/index.js';
import { backupSqlite, restoreSqlite } from '../ops/index.js';
import {
  dataClasses,
  keyringFromEnv,
  newDataKey,
  purgePersonalData,
  rekeyPersonalData,
  type DataClass,
} from '../privacy/index.js';
import { openPgSecurityStore, openSqliteSecurityStore, type SecurityStore } from '../secstore/index.js';
import { pgStoreExists } from '../store/index.js';
import { withServices } from './commands-operators.js';
import { UsageError, positiveInt, requireDatabase } from './io.js';

/** Where the database is: a data directory (SQLite) or a PostgreSQL URL. */
export interface StoreTarget {
  dataDir: string;
  postgres?: string;
}

/** The acting user of a CLI command, recorded in the audit log. */
export const cliActor = (): string => `cli:${os.userInfo().username}`;

/** Opens the security store of the target database. */
export async function openSecurity(t: StoreTarget): Promise<SecurityStore> {
  return t.postgres
    ? openPgSecurityStore({ url: t.postgres })
    : openSqliteSecurityStore({ dataDir: t.dataDir });
}

async function withSecurity<T>(
  t: StoreTarget,
  body: (s: SecurityStore, audit: AuditLog) => Promise<T>,
): Promise<T> {
  const s = await openSecurity(t);
  try {
    return await body(s, new AuditLog(s));
  } catch (e) {
    // Coded errors (unknown role, unknown key, …) are usage problems: one line, exit code 2.
    if (e instanceof ParcelgateError) throw new UsageError(`${e.code}: ${e.message}`);
    throw e;
  } finally {
    await s.close();
  }
}

const managerOf = (s: SecurityStore, audit: AuditLog) =>
  new KeyManager(s, async (action, subject, actor, data) => {
    await audit.record({ actor, action, subject, data });
  });

const print = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');

/** `keys create`: prints the new key once (only its hash is stored). */
export async function keysCreateCommand(
  o: StoreTarget & { role: string; operator: string; label?: string; expires?: string },
): Promise<void> {
  if (o.expires !== undefined && Number.isNaN(Date.parse(o.expires)))
    throw new UsageError(`--expires must be an ISO date-time, got '${o.expires}'`);
  // As over the API, before anything is opened or written: a key born expired is refused.
  try {
    checkKeyExpiry(o.expires, new Date());
  } catch (e) {
    if (e instanceof ParcelgateError) throw new UsageError(`--expires: ${e.code}: ${e.message}`);
    throw e;
  }
  // As over the API: a submitter key acts for an operator of the registry, so it must exist.
  if (o.role === 'submitter')
    await withServices(o, async (s) => {
      try {
        await s.operators.get(o.operator);
      } catch (e) {
        if (e instanceof ParcelgateError && e.code === 'operator.not-found')
          throw new UsageError(
            `no operator ${o.operator}: register it before issuing it a key (parcelgate operators register)`,
          );
        throw e;
      }
    });
  await withSecurity(o, async (s, audit) => {
    const { record, plaintext } = await managerOf(s, audit).create({
      role: o.role,
      operatorId: o.operator,
      actor: cliActor(),
      ...(o.label ? { label: o.label } : {}),
      ...(o.expires ? { expiresAt: new Date(o.expires).toISOString() } : {}),
    });
    print({
      id: record.id,
      key: plaintext,
      role: record.role,
      operatorId: record.operatorId,
      label: record.label,
    });
    process.stderr.write('Store this key now: it is shown only once.\n');
  });
}

/** `keys list`: one line per key, without secrets. */
export async function keysListCommand(o: StoreTarget): Promise<void> {
  if (!o.postgres) requireDatabase(o.dataDir);
  await withSecurity(o, async (s) => {
    const now = new Date().toISOString();
    for (const k of await s.listKeys()) {
      const { secretHash: _hash, ...rest } = k;
      const status = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active';
      print({ ...rest, status });
    }
  });
}

/** `keys rotate`: a new key for the same role and operator; the old one expires after the overlap. */
export async function keysRotateCommand(id: string, o: StoreTarget & { overlap?: string }): Promise<void> {
  const overlapHours = o.overlap === undefined ? 24 : Number(o.overlap);
  if (!Number.isFinite(overlapHours) || overlapHours < 0)
    throw new UsageError(`--overlap must be a number of hours, got '${o.overlap}'`);
  await withSecurity(o, async (s, audit) => {
    const r = await managerOf(s, audit).rotate(id, cliActor(), Math.round(overlapHours * 3600));
    print({ id: r.record.id, key: r.plaintext, replaces: id, oldKeyExpiresAt: r.oldExpiresAt });
    process.stderr.write('Store this key now: it is shown only once.\n');
  });
}

/** `keys revoke`: the key stops working at once (within the key cache time of running servers). */
export async function keysRevokeCommand(id: string, o: StoreTarget & { reason?: string }): Promise<void> {
  await withSecurity(o, async (s, audit) => {
    const k = await managerOf(s, audit).revoke(id, cliActor(), o.reason);
    print({ id: k.id, revokedAt: k.revokedAt });
  });
}

/** `audit verify`: exit 1 when the chain or the sealed events were tampered with. */
export async function auditVerifyCommand(
  o: StoreTarget & { expectHead?: string; seal?: boolean },
): Promise<number> {
  // The head as `audit verify` prints it: `seq:hash`. A malformed one is a usage error, never a
  // check that passes: `garbage` used to compare no entry's hash (undefined) with no hash and pass.
  let expected: { seq: number; hash: string } | undefined;
  if (o.expectHead !== undefined) {
    const m = /^\s*([1-9][0-9]*):([0-9a-fA-F]{64})\s*$/.exec(o.expectHead);
    if (!m)
      throw new UsageError(
        `--expect-head must be seq:hash as audit verify prints its head (a positive seq, a colon, 64 hex digits), got '${o.expectHead}'`,
      );
    expected = { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
  }
  if (!o.postgres) requireDatabase(o.dataDir);
  // An empty database would be migrated and its empty chain reported sound: a wrong URL or a restore
  // that did not happen must not read as a verified log.
  else if (!(await pgStoreExists({ url: o.postgres })))
    throw new UsageError(
      'no parcelgate store in the PostgreSQL database given by --postgres (no schema_migrations table): audit verify reads a store and creates none',
    );
  return withSecurity(o, async (_s, audit) => {
    if (o.seal) await audit.seal();
    const r = await audit.verify();
    let ok = r.ok;
    if (ok && expected) {
      const found = await _s.readAudit(expected.seq - 1, 1);
      if (found[0]?.seq !== expected.seq || found[0].hash !== expected.hash) {
        ok = false;
        r.failure = {
          seq: expected.seq,
          reason: 'the recorded head is not in the chain (truncated or rewritten)',
        };
      }
    }
    print({ ...r, ok });
    return ok ? 0 : 1;
  });
}

/** `audit seal`: covers the committed clearance events not yet sealed. */
export async function auditSealCommand(o: StoreTarget): Promise<void> {
  await withSecurity(o, async (_s, audit) => print({ sealed: await audit.seal() }));
}

/** `privacy purge`: removes personal data past its retention period. */
export async function privacyPurgeCommand(
  o: StoreTarget & { identityDays?: string; contactDays?: string; partyDays?: string; now?: string },
): Promise<void> {
  const days: Partial<Record<DataClass, number>> = {};
  const given = { identity: o.identityDays, contact: o.contactDays, party: o.partyDays };
  for (const c of dataClasses) if (given[c] !== undefined) days[c] = positiveInt(`${c}-days`, given[c], 1);
  const now = o.now ? new Date(o.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO date-time, got '${o.now}'`);
  if (!o.postgres) requireDatabase(o.dataDir);
  await withSecurity(o, async (s, audit) =>
    print(await purgePersonalData(s, { now, days, audit, actor: cliActor() })),
  );
}

/** `privacy rekey`: re-encrypts identity numbers under the current data key. */
export async function privacyRekeyCommand(o: StoreTarget): Promise<void> {
  const ring = keyringFromEnv();
  if (!ring) throw new UsageError('PARCELGATE_DATA_KEYS is not set: nothing to encrypt with');
  await withSecurity(o, async (s, audit) => {
    const r = await rekeyPersonalData(s, ring);
    await audit.record({
      actor: cliActor(),
      action: 'data.rekeyed',
      subject: `key:${ring.current}`,
      data: r,
    });
    print(r);
  });
}

/** `privacy new-key <id>`: prints a fresh data key entry for PARCELGATE_DATA_KEYS. */
export function privacyNewKeyCommand(id: string): void {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
    throw new UsageError(`key id must be 1-32 of A-Z a-z 0-9 _ -, got '${id}'`);
  process.stdout.write(newDataKey(id) + '\n');
}

/** `backup`: online copy of the SQLite database. */
export async function backupCommand(o: { dataDir: string; out?: string }): Promise<void> {
  if (!o.out) throw new UsageError('--out FILE is required');
  try {
    print(await backupSqlite(o.dataDir, o.out));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `restore`: puts a backup in place (server stopped). */
export function restoreCommand(file: string, o: { dataDir: string; force?: boolean }): void {
  try {
    print(restoreSqlite(file, o.dataDir, { force: Boolean(o.force) }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const loopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Seconds between two seals of the clearance events while serving. */
export const sealIntervalSeconds = 5;

/**
 * The security side of `serve`: decides the auth mode, records the rule set in force, seals
 * clearance events every few seconds, and returns the access configuration and a stop step.
 * `auto` (the default): keys mode when the database holds an active key; otherwise open mode, but
 * only on a loopback address (anything else must create a key first or pass `--auth open`).
 */
export async function serveSecurity(opts: {
  target: StoreTarget;
  auth: string | undefined;
  host: string;
  rulesVersion: string;
}): Promise<{ access: AccessConfig; stop: () => Promise<void>; describe: string }> {
  const auth = opts.auth ?? 'auto';
  if (!['auto', 'keys', 'open'].includes(auth))
    throw new UsageError(`--auth must be auto, keys or open, got '${auth}'`);
  const security = await openSecurity(opts.target);
  const audit = new AuditLog(security);
  const active = await security.countActiveKeys(new Date().toISOString());
  let mode: 'keys' | 'open';
  if (auth === 'auto') {
    if (active > 0) mode = 'keys';
    else if (loopback(opts.host)) mode = 'open';
    else {
      await security.close();
      throw new UsageError(
        `no API key exists and ${opts.host} is not a loopback address: create one with 'parcelgate keys create', or pass --auth open`,
      );
    }
  } else mode = auth as 'keys' | 'open';
  // The rule set in force is audited when it changes (compare-and-set: one process records it).
  const last = await security.getSetting('audit.rules_version');
  if (last !== opts.rulesVersion) {
    await security.appendAudit(
      [
        {
          at: new Date().toISOString(),
          actor: 'system:serve',
          action: 'rules.loaded',
          subject: opts.rulesVersion,
          data: { previous: last ?? null },
        },
      ],
      entryHash,
      { name: 'audit.rules_version', expect: last ?? '0', value: opts.rulesVersion },
    );
  }
  // One seal at a time: under a backlog a seal can outlast the interval, and ticks meanwhile are skipped.
  let sealing: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    sealing ??= audit
      .seal()
      .catch((e: unknown) => process.stderr.write(`parcelgate: audit seal failed: ${(e as Error).message}\n`))
      .finally(() => {
        sealing = undefined;
      });
  }, sealIntervalSeconds * 1000);
  timer.unref();
  return {
    access: { mode, store: security },
    describe:
      mode === 'keys'
        ? `auth: API keys (${active} active)`
        : 'auth: open (loopback only; identity from headers)',
    stop: async () => {
      clearInterval(timer);
      await sealing;
      await audit.seal();
      await security.close();
    },
  };
}
