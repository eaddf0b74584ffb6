/** Bulk files over HTTP: the CSV template, NDJSON and the .xlsx spreadsheet, submitted in batches. */
import { Readable } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ingestRecords, type PipelineDeps, type RawFileRecord } from '../clearance/index.js';
import type { ValidationIssue } from '../domain/index.js';
import {
  GzipStreamError,
  gunzipStream,
  isGzip,
  readCsv,
  readNdjson,
  readXlsx,
  untilGzipFailure,
} from '../intake/index.js';
import { requestIdentity } from '../access/index.js';
import { problem, sendProblem } from './problem.js';
import { problemTitle } from './error-titles.js';

type Deps = PipelineDeps & { clock: () => Date };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Registers POST /v1/bulk. */
export function registerBulkRoutes(app: FastifyInstance, deps: Deps): void {
  // Bytes, not text: the readers refuse what is not UTF-8 rather than read U+FFFD in its place. A body
  // sent with Content-Encoding: gzip is handed on as a stream and decompressed as it is read; any other
  // body is read whole, as Fastify reads it, up to the route's limit.
  app.addContentTypeParser(['text/csv', 'application/x-ndjson', XLSX], (req, payload, done) => {
    if (contentEncoding(req) !== 'identity') return done(null, payload);
    readWhole(req, payload, done);
  });

  app.post(
    '/v1/bulk',
    {
      schema: {
        tags: ['consignments'],
        summary: 'Submit a bulk file: CSV template (text/csv), NDJSON (application/x-ndjson) or .xlsx',
        description:
          'Records are validated one by one and committed in batches of 2,000; the answer lists every record by its ' +
          'line (row) with its status, consignment id or issues. See docs/formats/csv.md, ndjson.md and xlsx.md. ' +
          'A gzip-compressed file (.ndjson.gz, .csv.gz) is sent as it is with Content-Encoding: gzip and ' +
          'decompressed as it is read; the body limit holds for the decompressed bytes too.',
        headers: {
          type: 'object',
          properties: {
            'content-encoding': {
              type: 'string',
              description:
                'gzip (or x-gzip) for a gzip-compressed file; absent or identity otherwise. A gzip body without ' +
                'it is refused (415 request.gzip-undeclared); another coding is 415 request.unsupported-encoding.',
            },
          },
        },
      },
    },
    async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      const encoding = contentEncoding(req);
      if (encoding !== 'identity' && encoding !== 'gzip')
        return sendProblem(
          reply,
          problem(415, 'request.unsupported-encoding', `Content-Encoding ${encoding}: send gzip or none`),
        );
      const body = req.body as Buffer | Readable | undefined;
      if (Buffer.isBuffer(body) && isGzip(body))
        return sendProblem(
          reply,
          problem(
            415,
            'request.gzip-undeclared',
            'the body is gzip-compressed (it starts with the bytes 1f 8b): send it with the header Content-Encoding: gzip',
          ),
        );
      const reader = readers[type ?? ''];
      if (reader === undefined || body === undefined)
        return sendProblem(
          reply,
          problem(415, 'request.unsupported-media-type', `send text/csv, application/x-ndjson or ${XLSX}`),
        );
      // The route's body limit holds for the compressed and the decompressed bytes alike (gzip bombs).
      let failure: GzipStreamError | undefined;
      const records = Buffer.isBuffer(body)
        ? reader(Readable.from([body]))
        : untilGzipFailure(
            reader(gunzipStream(body, { maxBytes: bodyLimitOf(req), drainSource: true })),
            (e) => {
              failure = e;
              return undefined;
            },
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
      const answer = { records: totals.records, byStatus: totals.byStatus, results };
      // Reading stopped at the damage or the limit: what was read before it is committed and listed here,
      // as for any file read to a break; nothing after it is read.
      if (failure !== undefined) {
        const handled = `; the ${totals.records} records read before it were handled and are listed in results (resubmitting them changes nothing)`;
        return sendProblem(
          reply,
          failure.kind === 'too-large'
            ? problem(413, 'request.too-large', `${failure.message}${handled}`, {
                instance: req.url,
                limit: failure.limit,
                ...answer,
              })
            : problem(400, 'gzip.invalid', `${failure.message}${handled}`, {
                title: problemTitle('gzip.invalid'),
                instance: req.url,
                ...answer,
              }),
        );
      }
      return answer;
    },
  );
}

const readers: Readonly<Record<string, (input: Readable) => AsyncIterable<RawFileRecord>>> = {
  'text/csv': readCsv,
  'application/x-ndjson': readNdjson,
  [XLSX]: readXlsx,
};

/** The request's content coding: `identity` when none is named; `x-gzip` is gzip (RFC 9110 §8.4.1.3). */
function contentEncoding(req: FastifyRequest): string {
  const value = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  return value === '' ? 'identity' : value === 'x-gzip' ? 'gzip' : value;
}

const bodyLimitOf = (req: FastifyRequest): number =>
  req.routeOptions.bodyLimit ?? req.server.initialConfig.bodyLimit ?? 1024 * 1024;

/** Reads a body whole up to the route's limit, with Fastify's own errors (413, a wrong Content-Length). */
function readWhole(
  req: FastifyRequest,
  payload: NodeJS.ReadableStream,
  done: (err: Error | null, body?: Buffer) => void,
): void {
  const limit = bodyLimitOf(req);
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.length;
    if (received > limit) {
      stop();
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    }
    chunks.push(bytes);
  };
  const onEnd = (err?: Error) => {
    stop();
    if (err) return done(Object.assign(err, { statusCode: 400 }));
    if (!Number.isNaN(declared) && received !== declared)
      return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    done(null, Buffer.concat(chunks, received));
  };
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
