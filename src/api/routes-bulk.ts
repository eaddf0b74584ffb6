/** Bulk files over HTTP: the CSV template, NDJSON and the .xlsx spreadsheet, submitted in batches. */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ingestRecords, type PipelineDeps, type RawFileRecord } from '../clearance/index.js';
import type { ValidationIssue } from '../domain/index.js';
import { readCsv, readNdjson, readXlsx } from '../intake/index.js';
import { requestIdentity } from '../access/index.js';
import { problem, sendProblem } from './problem.js';

type Deps = PipelineDeps & { clock: () => Date };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Registers POST /v1/bulk. */
export function registerBulkRoutes(app: FastifyInstance, deps: Deps): void {
  // Bytes, not text: the readers refuse what is not UTF-8 rather than read U+FFFD in its place.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser(XLSX, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/v1/bulk',
    {
      schema: {
        tags: ['consignments'],
        summary: 'Submit a bulk file: CSV template (text/csv), NDJSON (application/x-ndjson) or .xlsx',
        description:
          'Records are validated one by one and committed in batches of 2,000; the answer lists every record by its ' +
          'line (row) with its status, consignment id or issues. See docs/formats/csv.md, ndjson.md and xlsx.md.',
      },
    },
    async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      const body = req.body as string | Buffer | undefined;
      let records: AsyncIterable<RawFileRecord>;
      if (type === 'text/csv' && Buffer.isBuffer(body)) records = readCsv(Readable.from([body]));
      else if (type === 'application/x-ndjson' && Buffer.isBuffer(body))
        records = readNdjson(Readable.from([body]));
      else if (type === XLSX && Buffer.isBuffer(body)) records = readXlsx(Readable.from([body]));
      else
        return sendProblem(
          reply,
          problem(415, 'request.unsupported-media-type', `send text/csv, application/x-ndjson or ${XLSX}`),
        );
      // In keys mode the submitter is the key's operator, whatever headers say (x-submitter-id only in open mode).
      const { actor, submitterId } = requestIdentity(req, 'submitter');
      const results: { line: number; status: string; consignmentId?: string; issues?: ValidationIssue[] }[] =
        [];
      const totals = await ingestRecords(
        () => ({
          actor,
          submitterId,
          now: deps.clock().toISOString(),
          requestId: req.id,
        }),
        records,
        deps,
        {
          onBatch: (batch, lines) => {
            for (const r of batch)
              if (r.status !== 'rejected')
                results.push({
                  line: lines[r.index] ?? 0,
                  status: r.status,
                  ...(r.consignmentId ? { consignmentId: r.consignmentId } : {}),
                });
          },
          onRejected: (line, issues) => results.push({ line, status: 'rejected', issues }),
        },
      );
      results.sort((a, b) => a.line - b.line);
      return { records: totals.records, byStatus: totals.byStatus, results };
    },
  );
}
