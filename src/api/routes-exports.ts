/** Spreadsheet export: consignments (bulk template, re-importable) and their customs responses as .xlsx. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import type { ClearanceState, Decision, Lane } from '../domain/index.js';
import { dataClasses, exportWorkbook, type DataClass } from '../privacy/index.js';
import { principalOf } from '../access/index.js';

/** The xlsx media type. */
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `scrub`: all (default), none, or a comma-separated list of data classes. */
const scrubPattern = `^(all|none|(${dataClasses.join('|')})(,(${dataClasses.join('|')}))*)$`;

/** The data classes a `scrub` query value removes. */
export function scrubbedClasses(scrub: string | undefined): DataClass[] {
  if (scrub === undefined || scrub === 'all') return [...dataClasses];
  if (scrub === 'none') return [];
  const asked = scrub.split(',');
  return dataClasses.filter((c) => asked.includes(c));
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
          'sheet `responses` the state, response code, reasons and amounts due. Personal data is scrubbed per data ' +
          'class unless `scrub` says otherwise (none: as stored); every export is audited. ' +
          'See docs/formats/xlsx.md and docs/security.md.',
        querystring: Type.Object(
          {
            submitter: Type.Optional(Type.String({ maxLength: 80 })),
            state: Type.Optional(Type.String({ maxLength: 40 })),
            lane: Type.Optional(Type.String({ maxLength: 10 })),
            decision: Type.Optional(Type.String({ maxLength: 40 })),
            destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
            scrub: Type.Optional(
              Type.String({
                pattern: scrubPattern,
                description: `data classes to remove: all (default), none, or some of ${dataClasses.join(', ')} (comma-separated)`,
              }),
            ),
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
        scrub?: string;
      };
      // Keys mode: the access hook has set `submitter` to a submitter's own operator id.
      const p = principalOf(req);
      const viewer = p.role === 'submitter' || p.via === 'open' ? q.submitter : undefined;
      const { workbook } = await exportWorkbook(deps.store, {
        classes: scrubbedClasses(q.scrub),
        filter: {
          // A submitter exports what its list holds: what it created and what its records joined.
          ...(q.submitter !== undefined
            ? p.role === 'submitter'
              ? { partyId: q.submitter }
              : { submitterId: q.submitter }
            : {}),
          ...(q.state !== undefined ? { state: q.state } : {}),
          // A submitter filters on the lane it is shown (blue reads green), as its list does.
          ...(q.lane !== undefined ? { [p.role === 'submitter' ? 'shownLane' : 'lane']: q.lane } : {}),
          ...(q.decision !== undefined ? { decision: q.decision } : {}),
          ...(q.destination !== undefined ? { destination: q.destination } : {}),
        },
        limit: q.limit ?? 1000,
        ...(viewer !== undefined ? { viewer } : {}),
      });
      return reply
        .header('content-type', xlsxType)
        .header('content-disposition', 'attachment; filename="consignments.xlsx"')
        .send(workbook);
    },
  );
}
