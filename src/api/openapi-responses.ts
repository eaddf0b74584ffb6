/**
 * The responses /openapi.json documents for each route: the success statuses the handlers really send
 * and the RFC 9457 problems (`application/problem+json`, schema `Problem`) a client must expect, with
 * the codes each one carries. Documentation only: the routes' serialisation is untouched (a response
 * schema on a route would make Fastify drop every field it does not name).
 */
import type { FastifySchema } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import { ruleFor } from '../access/index.js';

/** Components added to the OpenAPI document (referenced by the problem responses). */
export const problemComponent = {
  Problem: {
    type: 'object' as const,
    description: 'RFC 9457 problem details; `code` is stable and listed in docs/errors.md',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string' as const, description: 'urn:parcelgate:problem:<code>' },
      title: { type: 'string' as const, description: "The code's documented meaning" },
      status: { type: 'integer' as const },
      code: { type: 'string' as const },
      detail: { type: 'string' as const },
      instance: { type: 'string' as const, description: 'The request path' },
      issues: {
        type: 'array' as const,
        description: 'Every problem found, each with a JSON Pointer into the request',
        items: {
          type: 'object' as const,
          required: ['code', 'path', 'message'],
          properties: {
            code: { type: 'string' as const },
            path: { type: 'string' as const },
            message: { type: 'string' as const },
          },
        },
      },
      omittedIssues: {
        type: 'integer' as const,
        description: 'request.invalid: how many issues beyond the first 100 are not listed',
      },
    },
  },
};

type Responses = Record<string, string>;

/** Success and route-specific problem statuses of the consignment routes, by `METHOD url`. */
const specific: Readonly<Record<string, Responses>> = {
  'POST /v1/consignments': {
    200: 'A batch: one result per record, in order (accepted, counts, results). A single record: linked, amended or unchanged',
    201: 'A single record created a consignment',
    409: 'A single record: amendment.after-release or match.ambiguous',
    413: 'batch.too-large (more than 10,000 records) or request.too-large',
    422: 'consignment.rejected: a single record failed validation; issues lists every problem',
  },
  'POST /v1/bulk': {
    200: 'Every record by its line (row) with its status, consignment id or issues (records, byStatus, results)',
    400: 'gzip.invalid: the gzip body is corrupt or truncated; the records read before the damage were handled and are listed (records, byStatus, results)',
    413: 'request.too-large: the body, compressed or decompressed, is larger than the limit; with gzip, the records read before it are listed as for gzip.invalid',
    415: 'request.unsupported-media-type, request.unsupported-encoding (a Content-Encoding other than gzip) or request.gzip-undeclared (a gzip body without Content-Encoding: gzip)',
  },
  'POST /v1/quote': { 422: 'consignment.rejected: the record failed validation; issues lists every problem' },
  'POST /v1/consignments/:id/carrier-events': {
    409: 'state.transition-not-allowed: the state table does not allow the event now (allowed lists what does)',
    422: 'event.in-future (dated after the server clock), event.out-of-range (outside the years 1970 to 2099) or event.before-declaration (more than 90 days before the consignment was declared)',
  },
  'POST /v1/consignments/:id/decisions': {
    400: 'decision.reason-required (no reason of at least 3 characters), decision.request-not-allowed (a request with another action than request-information), claim.override-reason-required, or request.invalid (every problem of the decision, a missing or short reason among them)',
    403: "claim.override-forbidden: only a supervisor overrides another officer's claim (overrideClaim)",
    409: 'state.transition-not-allowed (the state table does not allow the decision now), decision.stale, or claim.held-by-other (another officer holds a live claim; holder names them)',
  },
  'POST /v1/console/claims/:id': {
    409: 'claim.held-by-other (holder names the officer and the expiry) or claim.not-queued',
  },
  'POST /v1/console/claims/:id/renew': {
    409: 'claim.held-by-other (another officer took it after it expired), claim.not-held or claim.not-queued',
  },
  'POST /v1/console/claims/:id/release': {
    400: "claim.override-reason-required: a supervisor releasing another officer's claim gives a reason",
    409: "claim.held-by-other (an officer releasing another's claim) or claim.not-held",
  },
  'POST /v1/consignments/:id/information': {
    400: 'information.invalid: issues lists every problem of the answer with its JSON Pointer (schema.*, information.*)',
    409: 'information.not-requested: the consignment is not held for information',
  },
  'GET /v1/consignments/:id/information': {
    409: 'information.not-requested: the consignment is not held for information',
  },
  'GET /v1/consignments': { 400: 'request.invalid (filters, limit 1-1000) or store.invalid-cursor' },
  'GET /v1/feed': {
    400: 'feed.invalid-cursor (`after` not a whole number >= 0), feed.invalid-limit (`limit` not 1 to 1000), or request.invalid',
    409: 'feed.cursor-ahead: `after` is beyond the latest position of the stream (`latest` gives it)',
  },
  'GET /v1/postal/events.xml': {
    400: 'feed.invalid-cursor (`after` not a whole number >= 0), feed.invalid-limit (`limit` not 1 to 1000), or request.invalid',
    409: 'feed.cursor-ahead: `after` is beyond the latest position of the event log (`latest` gives it)',
  },
};

/** The documented responses of one route: `{ status: description }`. */
export function documentedResponses(method: string, url: string, schema: Record<string, unknown>): Responses {
  const key = `${method} ${url}`;
  const own = specific[key] ?? {};
  const out: Responses = {};
  if (!Object.keys(own).some((s) => s.startsWith('2'))) out[200] = 'Success';
  if (schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined)
    out[400] =
      'request.invalid (issues point at each field), request.control-character, request.malformed-json, request.too-deep or request.forbidden-key';
  const rule = ruleFor(method, url);
  if (rule?.allow !== 'public') {
    out[401] = 'access.unauthenticated or access.invalid-key (keys mode)';
    out[403] = "access.forbidden: the key's role may not call this endpoint";
    out[429] = 'Too many requests for this key';
  }
  if (url.startsWith('/v1/consignments/:id'))
    out[404] = 'consignment.not-found (also for a consignment of another submitter)';
  else if (url.includes('/:')) out[404] = 'Nothing has this id (a `*.not-found` code)';
  if (method === 'POST' || method === 'PUT') {
    out[413] = 'request.too-large';
    out[415] = 'request.unsupported-media-type';
  }
  Object.assign(out, own);
  return out;
}

/** @fastify/swagger `transform`: adds the documented responses to every route that has a schema. */
export const withDocumentedResponses: SwaggerTransform = ({ schema, url, route }) => {
  const s = schema as (FastifySchema & { hide?: boolean }) | undefined;
  if (s === undefined || s === null || s.hide === true || s.response !== undefined) return { schema, url };
  const method = Array.isArray(route.method) ? String(route.method[0] ?? 'GET') : String(route.method);
  const response: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(
    documentedResponses(method, route.url, s as Record<string, unknown>),
  )) {
    response[status] = status.startsWith('2')
      ? { description }
      : {
          description,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
  }
  return { schema: { ...s, response }, url };
};
