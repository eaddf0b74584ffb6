/** Revenue endpoints beside the quote: replay of a stored assessment as of its date (docs/revenue.md). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { ReferenceSnapshot } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { replayReport } from '../revenue/index.js';
import type { ClearanceStore } from '../store/index.js';

const idParam = Type.Object({ id: Type.String({ description: 'Consignment id (csg_…)' }) });

/** Registers GET /v1/consignments/:id/revenue/replay. */
export function registerRevenueRoutes(
  app: FastifyInstance,
  deps: { store: Pick<ClearanceStore, 'get'>; snapshot: () => ReferenceSnapshot },
): void {
  app.get(
    '/v1/consignments/:id/revenue/replay',
    {
      schema: {
        tags: ['consignments'],
        summary:
          'The stored revenue assessment next to a re-assessment as of its assessment time, under the profile version it recorded, and whether they match',
        params: idParam,
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = await deps.store.get(id);
      if (!c) throw new ParcelgateError('consignment.not-found', `no consignment ${id}`, 404);
      return replayReport(
        { id: c.id, input: c.merged, revenue: c.assessment.revenue, assessedAt: c.assessment.assessedAt },
        deps.snapshot().revenue,
      );
    },
  );
}
