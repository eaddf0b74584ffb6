/**
 * What every request is checked for, whatever its route: on the API (`/v1/…`) a query parameter the
 * route does not define is refused (as a misspelt list filter is), and on every route a control
 * character in a path parameter, a query parameter or a string of a JSON body is refused with the
 * field it is in (`text.control-character`; NUL cannot be stored, docs/errors.md). The control
 * characters are listed with the request's schema problems when it has any, so one answer names every
 * problem; otherwise they are refused as `request.control-character` before the handler runs.
 */
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import {
  ParcelgateError,
  controlCharacterAt,
  controlCharacterCode,
  controlCharacterIssues,
  controlCharacterMessage,
  type ValidationIssue,
} from '../domain/index.js';
import { ruleFor } from '../access/index.js';
import { escapePointerToken } from '../match/index.js';
import { problemCodeOf } from './validation-issues.js';

type QuerySchema = {
  type?: string;
  properties?: Record<string, { const?: unknown }>;
  required?: string[];
  additionalProperties?: unknown;
  allOf?: QuerySchema[];
};

/**
 * A route's query schema that refuses parameters it does not define: none given, no parameter; an
 * object, closed unless it says otherwise; an intersection of objects (`Type.Intersect`), merged into
 * one closed object (closing each part would refuse the other parts' parameters). Anything else is a
 * mistake in the route, refused as the route is registered.
 */
function closedQuery(query: QuerySchema | undefined, url: string): QuerySchema {
  if (query === undefined) return { type: 'object', properties: {}, additionalProperties: false };
  if (query.additionalProperties !== undefined) return query;
  if (query.type === 'object' && query.allOf === undefined) return { ...query, additionalProperties: false };
  const parts = query.allOf;
  if (parts !== undefined && parts.every((p) => p.type === 'object' && p.allOf === undefined)) {
    const { allOf: _parts, ...rest } = query;
    return {
      ...rest,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as QuerySchema['properties'],
      required: [...new Set(parts.flatMap((p) => p.required ?? []))],
      additionalProperties: false,
    };
  }
  throw new Error(`the query schema of ${url} is neither an object nor an intersection of objects`);
}

/** Control-character issues found before validation, listed with its issues or refused before the handler. */
const pending = new WeakMap<FastifyRequest, ValidationIssue[]>();

/** Routes whose handler checks the body itself (a record: intake reports control characters per record). */
const ownBodyCheck = new Set<string>();

/**
 * Query checking for a route whose own validator compiler skips validation (its handler reads the
 * body itself): a parameter the schema does not define is refused, as Ajv refuses it elsewhere, and a
 * parameter with one allowed value (a literal) must have it.
 */
function knownParameters(schema: QuerySchema) {
  const properties = schema.properties ?? {};
  const validate = (data: unknown): boolean => {
    const errors: FastifySchemaValidationError[] = [];
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      const property = properties[key];
      if (property === undefined)
        errors.push({
          keyword: 'additionalProperties',
          instancePath: '',
          schemaPath: '#/additionalProperties',
          params: { additionalProperty: key },
          message: 'must NOT have additional properties',
        });
      else if (property.const !== undefined && value !== property.const) {
        // `data` as Ajv's `verbose` gives it: the problem says what was received.
        const error: FastifySchemaValidationError & { data: unknown } = {
          keyword: 'const',
          instancePath: `/${escapePointerToken(key)}`,
          schemaPath: `#/properties/${key}/const`,
          params: { allowedValue: property.const },
          message: `must be ${JSON.stringify(property.const)}`,
          data: value,
        };
        errors.push(error);
      }
    }
    validate.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  };
  validate.errors = null as FastifySchemaValidationError[] | null;
  return validate;
}

/** Issues for the path and query parameters that hold a control character (none is allowed in a URL). */
function urlIssues(req: FastifyRequest): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (where: string, values: unknown) => {
    if (typeof values !== 'object' || values === null) return;
    for (const [key, raw] of Object.entries(values as Record<string, unknown>)) {
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        if (typeof value !== 'string') continue;
        const at = controlCharacterAt(value, false);
        if (at < 0) continue;
        const path = `/${escapePointerToken(key)}`;
        issues.push({
          code: controlCharacterCode,
          path,
          message: `${where} ${JSON.stringify(key)} ${controlCharacterMessage(value, at)}`,
        });
        break;
      }
    }
  };
  check('path parameter', req.params);
  check('query parameter', req.query);
  return issues;
}

/**
 * Installs the checks. Must run before any route is registered (the query schemas are closed as
 * routes are added).
 */
export function installStrictRequests(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const custom = route.validatorCompiler;
    if (custom !== undefined) for (const m of methods) ownBodyCheck.add(`${m} ${route.url}`);
    if (!route.url.startsWith('/v1/')) return;
    const schema = route.schema ?? {};
    const closed = closedQuery(schema.querystring as QuerySchema | undefined, route.url);
    route.schema = { ...schema, querystring: closed };
    if (custom !== undefined)
      route.validatorCompiler = (part) =>
        part.httpPart === 'querystring' ? knownParameters(part.schema as QuerySchema) : custom(part);
  });

  app.addHook('preValidation', async (req) => {
    const issues = urlIssues(req);
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    // Bulk intake validates each record on its own (a record with a control character is refused
    // alone); a route that reads its body itself checks it there.
    const bodyChecked =
      !ownBodyCheck.has(route) && ruleFor(req.method, req.routeOptions.url ?? '')?.bulk !== true;
    if (bodyChecked && typeof req.body === 'object' && req.body !== null)
      for (const i of controlCharacterIssues(req.body))
        issues.push({ ...i, message: `${i.path.slice(1) || 'the body'} ${i.message}` });
    if (issues.length > 0) pending.set(req, issues);
  });

  app.addHook('preHandler', async (req) => {
    const issues = takeControlCharacterIssues(req);
    if (issues.length === 0) return;
    const detail = issues.map((i) => i.message).join('; ');
    throw new ParcelgateError(problemCodeOf(issues), detail, 400, { issues });
  });
}

/** The control-character issues found in the request (once: the caller reports them). */
export function takeControlCharacterIssues(req: FastifyRequest): ValidationIssue[] {
  const issues = pending.get(req) ?? [];
  pending.delete(req);
  return issues;
}
