import { after, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, openRegistryServices, type RegistryServices } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openPgRegistry } from '../src/registry/index.js';
import { openPostgresStore, type ClearanceStore } from '../src/store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { runOperatorScenarios } from './operator-scenarios.js';

const target = pgTestTarget();
const snapshot = loadSnapshot({ randomRate: 0 });
const opened: { app: FastifyInstance; registry: RegistryServices; store: ClearanceStore }[] = [];
const schemas: string[] = [];
after(async () => {
  for (const o of opened) {
    await o.app.close();
    await o.registry.close();
    await o.store.close();
  }
  if (target.url !== undefined) await dropSchemas(target.url, schemas);
});

if (target.url === undefined) {
  test('operator scenarios on postgres', { skip: target.skip }, () => undefined);
} else {
  const url = target.url;
  runOperatorScenarios('postgres', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
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
}
