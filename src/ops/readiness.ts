/** /readyz: whether this process should get traffic (distinct from /healthz, which says it is alive). */
import type { FastifyInstance } from 'fastify';
import type { ClearanceStore } from '../store/index.js';
import type { SecurityStore } from '../secstore/index.js';

const draining = new WeakSet<FastifyInstance>();

/** Marks the app as shutting down: /readyz answers 503 from now on, so balancers stop sending work. */
export function setDraining(app: FastifyInstance): void {
  draining.add(app);
}

/**
 * What a request that arrives while the app shuts down gets (build the app with
 * `return503OnClosing: false`, then call this first): `/healthz` still 200 (the process is alive),
 * `/readyz` its `ops.not-ready` problem with the checks, every other route a 503 `ops.not-ready`
 * problem with `connection: close`. Fastify's own answer was `{"error":"Service Unavailable"}`,
 * not a problem, also on `/readyz` and `/healthz` (docs/operations.md). `app.close()` marks the
 * app draining too, for callers that close it without `setDraining`.
 */
export function installDrainGate(app: FastifyInstance): void {
  app.addHook('preClose', async () => {
    draining.add(app);
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!draining.has(app)) return;
    const path = req.url.split('?')[0];
    if (path === '/healthz' || path === '/readyz') return;
    reply.header('connection', 'close');
    return reply.code(503).type('application/problem+json').send({
      type: 'urn:parcelgate:problem:ops.not-ready',
      title: 'not ready',
      status: 503,
      code: 'ops.not-ready',
      detail: 'this process is shutting down: send the request to another one',
      instance: req.url,
    });
  });
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
