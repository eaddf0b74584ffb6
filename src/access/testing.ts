/** Test support: an app in keys mode with one key per role, on a temporary SQLite file. */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../api/index.js';
import { AuditLog, entryHash } from '../audit/index.js';
import { loadSnapshot } from '../clearance/index.js';
import { openSqliteSecurityStore, type SecurityStore } from '../secstore/index.js';
import { openSqliteExchangeStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { KeyManager } from './api-keys.js';
import type { AccessConfig } from './plugin.js';
import { roles, type Role } from './roles.js';
import { scratchDir } from '../testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** An app with access configured and keys minted for each role (operators `op-<role>`), plus helpers. */
export interface KeysApp {
  app: FastifyInstance;
  store: ClearanceStore;
  security: SecurityStore;
  keys: KeyManager;
  audit: AuditLog;
  /** Plaintext key of each role. */
  keyOf: Record<Role, string>;
  dir: string;
  /** Moves the app's clock. */
  setNow(iso: string): void;
  close(): Promise<void>;
}

/** Builds a keys-mode app on a fresh temporary SQLite file. */
export async function keysApp(
  config: Partial<AccessConfig> = {},
  opts: {
    snapshot?: ReturnType<typeof loadSnapshot>;
    exchange?: boolean;
    webhookDestinations?: AppDeps['webhookDestinations'];
  } = {},
): Promise<KeysApp> {
  const dir = scratchDir('parcelgate-access-');
  const store = openSqliteStore({ dataDir: dir });
  const security = openSqliteSecurityStore({ dataDir: dir });
  const exchange = opts.exchange === true ? openSqliteExchangeStore({ dataDir: dir }) : undefined;
  let now = new Date('2026-11-27T10:00:00Z');
  const clock = () => now;
  const audit = new AuditLog(security, clock);
  const keys = new KeyManager(
    security,
    async (action, subject, actor, data) => {
      await security.appendAudit([{ at: clock().toISOString(), actor, action, subject, data }], entryHash);
    },
    clock,
  );
  const keyOf = {} as Record<Role, string>;
  for (const role of roles)
    keyOf[role] = (await keys.create({ role, operatorId: `op-${role}`, actor: 'admin:test' })).plaintext;
  const app = await buildApp({
    store,
    snapshot: () => opts.snapshot ?? snapshot,
    ...(exchange ? { exchange } : {}),
    ...(opts.webhookDestinations ? { webhookDestinations: opts.webhookDestinations } : {}),
    clock,
    access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0, ...config },
  });
  await app.ready();
  return {
    app,
    store,
    security,
    keys,
    audit,
    keyOf,
    dir,
    setNow: (iso) => {
      now = new Date(iso);
    },
    close: async () => {
      await app.close();
      await exchange?.close();
      await store.close();
      await security.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `Authorization` header for a key. */
export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
