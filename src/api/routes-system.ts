/** /healthz, /metrics and /openapi.json. */
import type { FastifyInstance } from 'fastify';
import type { PipelineDeps } from '../clearance/index.js';
import type { ApiMetrics } from './metrics.js';

/** Registers the operational endpoints. */
export function registerSystemRoutes(
  app: FastifyInstance,
  deps: PipelineDeps & { metrics: ApiMetrics },
): void {
  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness and store check' } }, async () => {
    const stats = await deps.store.stats();
    return {
      status: 'ok',
      store: deps.store.kind,
      consignments: stats.consignments,
      snapshot: deps.snapshot().version,
    };
  });
  app.get(
    '/metrics',
    { schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true } },
    async (_req, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
