/** /readyz: whether this process should get traffic (distinct from /healthz, which says it is alive). */
import type { FastifyInstance } from 'fastify';
import type { ClearanceStore } from '../store/index.js';
import type { SecurityStore } from '../secstore/index.js';

const draining = new WeakSet<FastifyInstance>();

/** Marks the app as shutting down: /readyz answers 503 from now on, so balancers stop sending work. */
export function setDraining(app: FastifyInstance): void {
  draining.add(app);
}

/** Registers GET /readyz: 200 when not draining and the stores answer a cheap query, else 503. */
export function registerReadiness(
  app: FastifyInstance,
  deps: { store: ClearanceStore; security?: SecurityStore | undefined },
): void {
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: 200 when this process should get traffic, 503 otherwise',
      },
    },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      if (draining.has(app)) checks.process = 'draining';
      try {
        await deps.store.list({ limit: 1 });
        checks.store = 'ok';
      } catch (e) {
        checks.store = `failing: ${(e as Error).message}`;
      }
      if (deps.security) {
        try {
          await deps.security.getSetting('session.secret');
          checks.security = 'ok';
        } catch (e) {
          checks.security = `failing: ${(e as Error).message}`;
        }
      }
      const ready = !draining.has(app) && Object.values(checks).every((v) => v === 'ok');
      reply.code(ready ? 200 : 503);
      return ready
        ? { status: 'ready', checks }
        : {
            type: 'urn:parcelgate:problem:ops.not-ready',
            title: 'not ready',
            status: 503,
            code: 'ops.not-ready',
            detail: 'the process is shutting down or a store does not answer',
            checks,
          };
    },
  );
}
