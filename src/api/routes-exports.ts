/** Spreadsheet export: consignments (bulk template, re-importable) and their customs responses as .xlsx. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import type { ClearanceState, Decision, Lane } from '../domain/index.js';
import { consignmentsWorkbook } from '../exchange/index.js';
import type { ClearanceStore, StoredConsignment } from '../store/index.js';
import { principalOf } from '../access/index.js';

/** The xlsx media type. */
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Filters of an export. */
export interface ExportQuery {
  submitterId?: string;
  state?: ClearanceState;
  lane?: Lane;
  decision?: Decision;
  destination?: string;
  limit: number;
}

/** Reads up to `limit` consignments matching the query, newest first as the store lists them. */
export async function exportedConsignments(
  store: ClearanceStore,
  q: ExportQuery,
): Promise<StoredConsignment[]> {
  const out: StoredConsignment[] = [];
  let cursor: string | undefined;
  while (out.length < q.limit) {
    const page = await store.list({
      ...(q.submitterId !== undefined ? { submitterId: q.submitterId } : {}),
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.lane !== undefined ? { lane: q.lane } : {}),
      ...(q.decision !== undefined ? { decision: q.decision } : {}),
      ...(q.destination !== undefined ? { destination: q.destination } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      limit: Math.min(500, q.limit - out.length),
    });
    for (const s of page.items) {
      const c = await store.get(s.id);
      if (c !== undefined) out.push(c);
    }
    if (page.nextCursor === null || page.items.length === 0) break;
    cursor = page.nextCursor;
  }
  return out;
}

/** Registers GET /v1/exports/consignments.xlsx. */
export function registerExportRoutes(app: FastifyInstance, deps: PipelineDeps): void {
  app.get(
    '/v1/exports/consignments.xlsx',
    {
      schema: {
        tags: ['exchange'],
        summary: 'Consignments and their customs responses as an .xlsx workbook (re-importable template)',
        description:
          'Sheet `consignments` holds the bulk template (a submitter gets its own records, staff the merged data); ' +
          'sheet `responses` the state, response code, reasons and amounts due. See docs/formats/xlsx.md.',
        querystring: Type.Object(
          {
            submitter: Type.Optional(Type.String({ maxLength: 80 })),
            state: Type.Optional(Type.String({ maxLength: 40 })),
            lane: Type.Optional(Type.String({ maxLength: 10 })),
            decision: Type.Optional(Type.String({ maxLength: 40 })),
            destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const q = req.query as {
        submitter?: string;
        state?: ClearanceState;
        lane?: Lane;
        decision?: Decision;
        destination?: string;
        limit?: number;
      };
      // Keys mode: the access hook has set `submitter` to a submitter's own operator id.
      const p = principalOf(req);
      const viewer = p.role === 'submitter' || p.via === 'open' ? q.submitter : undefined;
      const consignments = await exportedConsignments(deps.store, {
        ...(q.submitter !== undefined ? { submitterId: q.submitter } : {}),
        ...(q.state !== undefined ? { state: q.state } : {}),
        ...(q.lane !== undefined ? { lane: q.lane } : {}),
        ...(q.decision !== undefined ? { decision: q.decision } : {}),
        ...(q.destination !== undefined ? { destination: q.destination } : {}),
        limit: q.limit ?? 1000,
      });
      const body = await consignmentsWorkbook(consignments, viewer);
      return reply
        .header('content-type', xlsxType)
        .header('content-disposition', 'attachment; filename="consignments.xlsx"')
        .send(body);
    },
  );
}
