/** A real parcelgate server on an ephemeral port over a temp SQLite store seeded by the generator. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { KeyManager, type AccessConfig, type Role } from '../../src/access/index.js';
import { buildApp, openRegistryServices, type AppDeps } from '../../src/api/index.js';
import { loadSnapshot, openRiskRuntime, submitBatch } from '../../src/clearance/index.js';
import { openSqliteRegistry } from '../../src/registry/index.js';
import { generateFlood } from '../../src/sim/index.js';
import {
  openSqliteRiskStore,
  openSqliteStore,
  sqliteFileName,
  type ClearanceStore,
} from '../../src/store/index.js';
import { openSqliteSecurityStore } from '../../src/secstore/index.js';
import { scratchDir } from '../../src/testing/scratch.js';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: ClearanceStore;
  close: () => Promise<void>;
}

/** Options of startServer. */
export interface ServerOptions {
  count?: number;
  seed?: string;
  randomRate?: number;
  extend?: (app: FastifyInstance) => void;
  /** Further API dependencies (e.g. access control). */
  deps?: Partial<AppDeps>;
  /** Also run the operator registry and the risk runtime (rule sets, hit rates) as `serve` does. */
  registry?: boolean;
}

/**
 * Seeds `count` generated parcels (random control at `randomRate`, so the queue is long enough to
 * page) and listens on 127.0.0.1:0. `extend` may add routes or hooks before the server starts.
 */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const dir = scratchDir('parcelgate-console-');
  const store = openSqliteStore({ dataDir: dir });
  const snapshot = loadSnapshot({ randomRate: opts.randomRate ?? 0.2 });
  const records = [
    ...generateFlood({ seed: opts.seed ?? 'console', count: opts.count ?? 700, day: '2026-11-27' }),
  ].map((r) => r.input);
  for (let i = 0; i < records.length; i += 500) {
    const at = new Date(Date.parse('2026-11-27T08:00:00.000Z') + i * 1000).toISOString();
    await submitBatch({ actor: 'demo', submitterId: 'demo', now: at }, records.slice(i, i + 500), {
      store,
      snapshot: () => snapshot,
    });
  }
  const extra: Partial<AppDeps> = {};
  const closers: (() => Promise<void>)[] = [];
  if (opts.registry) {
    const riskStore = openSqliteRiskStore({ dataDir: dir });
    const risk = await openRiskRuntime({ store: riskStore, base: snapshot, now: new Date().toISOString() });
    const registry = await openRegistryServices(
      openSqliteRegistry({ file: join(dir, sqliteFileName) }),
      store,
    );
    Object.assign(extra, { risk, registry, snapshot: () => risk.snapshot() });
    closers.push(
      async () => risk.flush(),
      async () => riskStore.close(),
      async () => registry.close(),
    );
  }
  const app = await buildApp({ store, snapshot: () => snapshot, ...extra, ...opts.deps });
  opts.extend?.(app);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    store,
    close: async () => {
      await app.close();
      for (const c of closers) await c();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A server in keys mode, with the keys it made. */
export interface KeysServer<K extends string> extends TestServer {
  /** The plaintext key of each name. */
  keys: Record<K, string>;
}

/**
 * startServer with the real access layer in keys mode (no rate limit, no key cache): one key per
 * name, of the role and operator given. `access` adds to or overrides the access configuration.
 */
export async function startKeysServer<K extends string>(
  keys: Record<K, { role: Role; operatorId: string }>,
  opts: ServerOptions & { access?: Partial<Omit<AccessConfig, 'store'>> } = {},
): Promise<KeysServer<K>> {
  const security = openSqliteSecurityStore({ memory: true });
  const manager = new KeyManager(
    security,
    async () => undefined,
    () => new Date(),
  );
  const made = {} as Record<K, string>;
  for (const [name, k] of Object.entries(keys) as [K, { role: Role; operatorId: string }][])
    made[name] = (
      await manager.create({ role: k.role, operatorId: k.operatorId, actor: 'admin:test' })
    ).plaintext;
  const { access, ...rest } = opts;
  const server = await startServer({
    ...rest,
    deps: {
      ...rest.deps,
      access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0, ...access },
    },
  });
  return {
    ...server,
    keys: made,
    close: async () => {
      await server.close();
      await security.close();
    },
  };
}
