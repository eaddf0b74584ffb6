import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openPgRegistry } from '../src/registry/index.js';
import { openPostgresStore, type ClearanceStore } from '../src/store/index.js';
import { postgresTests } from '../src/store/postgres/testing/pg-suite.js';
import { runOperatorScenarios } from './operator-scenarios.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const opened: { app: FastifyInstance; registry: RegistryServices; store: ClearanceStore }[] = [];
// Declared before postgresTests' own hook: everything is closed before the schemas are dropped.
after(async () => {
  for (const o of opened) {
    await o.app.close();
    await o.registry.close();
    await o.store.close();
  }
});

postgresTests('operator scenarios on postgres', (url, freshSchema) => {
  runOperatorScenarios('postgres', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore({ url, schema, poolSize: 2 });
    const clock = () => new Date('2026-11-27T10:00:00Z');
    const registry = await openRegistryServices(await openPgRegistry({ url, schema, poolSize: 2 }), store, {
      clock,
      gapGraceMs: 0,
    });
    const app = await buildApp({ store, snapshot: () => snapshot, clock, registry });
    opened.push({ app, registry, store });
    return { a: app };
  });
});
