/** RFC 9457 problem details: every API error has a stable code listed in docs/errors.md. */
import type { FastifyReply } from 'fastify';
import type { ValidationIssue } from '../domain/index.js';
import { informationErrorCodes } from '../clearance/information.js';
import { claimErrorCodes } from './claim-codes.js';

/** Error codes the HTTP layer itself emits (intake, store and pipeline codes come from their modules). */
export const apiErrorCodes: Readonly<Record<string, string>> = {
  'request.invalid': 'The request envelope (not a consignment) does not match the endpoint schema.',
  'request.malformed-json': 'The request body is not valid JSON.',
  'request.too-large': 'The request body exceeds the size limit.',
  'request.uri-too-long': 'A path segment (e.g. an id) is longer than 100 characters (414).',
  'request.bad-url': 'The URL is not valid, e.g. malformed percent-encoding.',
  'request.unsupported-media-type': 'The request body is not application/json.',
  'request.unsupported-encoding':
    'The request names a Content-Encoding the endpoint does not take (bulk files: gzip, or none) (415).',
  'request.gzip-undeclared':
    'The body is gzip-compressed (it starts with the bytes 1f 8b) but the request has no Content-Encoding: gzip header; send it with that header (415).',
  'request.too-deep': 'The JSON body nests deeper than 32 levels.',
  'request.forbidden-key': 'The JSON contains a prototype-pollution key (__proto__, constructor.prototype).',
  'request.control-character':
    'A path parameter, a query parameter or a string of the JSON body holds a control character (`text.control-character` issues name each field); with other problems of the request they are listed under request.invalid (400).',
  'batch.too-large': 'A batch holds more than 10,000 consignments.',
  'batch.empty': 'A batch holds no consignments.',
  'consignment.rejected': 'The single submitted consignment failed validation; see issues.',
  'consignment.not-found': 'No consignment has this id.',
  'route.not-found': 'No endpoint at this method and path.',
  'internal.error': 'An unexpected error; the request id identifies it in the logs.',
  'state.transition-not-allowed': 'The clearance state table does not allow this event in the current state.',
  'decision.reason-required':
    'An officer decision needs a reason (at least 3 characters besides surrounding spaces); with other problems of the decision it is an issue of request.invalid (400).',
  'decision.stale':
    'The consignment changed after the officer read it (`unchangedSince`), e.g. another officer decided first: read it again (409).',
  'event.in-future': "A carrier event is dated more than 5 minutes after the server's clock (422).",
  'event.out-of-range':
    "A carrier event is dated outside the years 1970 to 2099, the years of a record's dates (422).",
  'event.before-declaration':
    'A carrier event is dated more than 90 days before its consignment was declared, longer than goods may wait in temporary storage for their data (422).',
  'amendment.after-release': 'Data of a released consignment can no longer be amended.',
  'match.ambiguous': 'The record links to more than one existing consignment.',
  'postal.invalid-item': 'A postal XML item could not be read into a consignment record.',
  'match.no-sources': 'Internal: a consignment was merged from no source records.',
  'forecast.no-history':
    "A warning, not an error: in a 200 forecast's `warnings`, the office or lane asked for has received no parcels, so the forecast and staffing plan rest on a synthetic history at a default level (docs/forecasting.md).",
  // requests for information and their answers (docs/information-requests.md)
  ...informationErrorCodes,
  // work-queue claims (docs/console.md "Claims")
  ...claimErrorCodes,
};

/** The JSON body of a problem response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  issues?: ValidationIssue[];
  [extra: string]: unknown;
}

/** Builds a problem object for a code. */
export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Partial<Problem> & Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:parcelgate:problem:${code}`,
    title: apiErrorCodes[code] ?? code,
    status,
    code,
    detail,
    ...extra,
  };
}

/** Sends a problem with the right media type. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}
