/**
 * An API in keys mode on a scratch SQLite directory, for tests of who may do what: one key per role
 * (operator `op-<role>`), operators registered with a submitter key each, every key issued through the
 * audited key manager. The caller's clock drives the registry, the audit log and the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { KeyManager, roles, type Role } from '../src/access/index.js';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { AuditLog } from '../src/audit/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import type { OperatorInput } from '../src/operators/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openSqliteSecurityStore, type SecurityStore } from '../src/secstore/index.js';
import { openSqliteStore, sqliteFileName, type ClearanceStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

/** An operator to register: the rest of its registration (name = id, country NL, no contacts) is filled in. */
export type KeyedOperator = Pick<OperatorInput, 'kind' | 'identifiers'> & { id: string };

export interface KeyedApp {
  readonly app: FastifyInstance;
  readonly store: ClearanceStore;
  readonly security: SecurityStore;
  readonly registry: RegistryServices;
  /** A key per role, bound to operator `op-<role>`. */
  readonly keyOf: Readonly<Record<Role, string>>;
  /** A submitter key per registered operator id. */
  readonly opKey: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function openKeyedApp(
  prefix: string,
  clock: () => Date,
  operators: readonly KeyedOperator[],
): Promise<KeyedApp> {
  const dir = scratchDir(prefix);
  const store = openSqliteStore({ dataDir: dir });
  const security = openSqliteSecurityStore({ dataDir: dir });
  const registry = await openRegistryServices(
    openSqliteRegistry({ file: path.join(dir, sqliteFileName) }),
    store,
    {
      clock,
    },
  );
  const audit = new AuditLog(security, clock);
  const keys = new KeyManager(
    security,
    async (action, subject, actor, data) => void (await audit.record({ actor, action, subject, data })),
    clock,
  );
  const keyOf = {} as Record<Role, string>;
  for (const role of roles)
    keyOf[role] = (await keys.create({ role, operatorId: `op-${role}`, actor: 'admin:test' })).plaintext;
  const opKey: Record<string, string> = {};
  for (const o of operators) {
    await registry.operators.register(
      { ...o, name: o.id, country: 'NL', contacts: [] },
      clock().toISOString(),
    );
    opKey[o.id] = (await keys.create({ role: 'submitter', operatorId: o.id, actor: 'admin:test' })).plaintext;
  }
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock,
    registry,
    access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0 },
  });
  await app.ready();
  return {
    app,
    store,
    security,
    registry,
    keyOf,
    opKey,
    async close() {
      await app.close();
      await registry.close();
      await store.close();
      await security.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
