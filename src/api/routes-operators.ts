/** Operator registry endpoints: operators, identifiers, AEO/credit statuses, ratings, compliance, facilitation. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ParcelgateError } from '../domain/index.js';
import {
  IdentifierScheme,
  OperatorInput,
  OperatorKind,
  StatusGrant,
  statusActions,
  type StatusAction,
} from '../operators/index.js';
import type { RegistryServices } from './registry-services.js';
import { principalOf } from '../access/index.js';

/** What the registry routes need. */
export interface RegistryRouteDeps {
  registry?: RegistryServices;
  clock: () => Date;
}

/** The registry services, or `registry.unavailable` (503) when the server runs without them. */
export function services(deps: RegistryRouteDeps): RegistryServices {
  if (!deps.registry)
    throw new ParcelgateError('registry.unavailable', 'this server runs without the operator registry', 503);
  return deps.registry;
}

/** The acting officer or operator: the API key's, or in open mode the identity headers. */
export const actorOf = (req: FastifyRequest): string => principalOf(req).actor;

const idParam = Type.Object({ id: Type.String() });
const tags = ['operators'];
const operatorUpdate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    identifiers: OperatorInput.properties.identifiers,
    contacts: OperatorInput.properties.contacts,
    platformId: Type.Optional(Type.String()),
    version: Type.Integer({
      minimum: 1,
      description: 'The version read: the update is refused if it changed since',
    }),
  },
  { additionalProperties: false },
);

/** Registers /v1/operators… and /v1/compliance/… */
export function registerOperatorRoutes(app: FastifyInstance, deps: RegistryRouteDeps): void {
  const now = () => deps.clock().toISOString();
  app.post(
    '/v1/operators',
    {
      schema: {
        tags,
        summary: 'Register an operator (platform, seller, carrier, post, broker, payment company)',
        body: OperatorInput,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services(deps).operators.register(req.body as OperatorInput, now())),
  );
  app.get(
    '/v1/operators',
    {
      schema: {
        tags,
        summary: 'List operators in registration order',
        querystring: Type.Object({
          kind: Type.Optional(OperatorKind),
          cursor: Type.Optional(Type.String({ pattern: '^\\d+$' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
      },
    },
    async (req) => {
      const q = req.query as { kind?: never; cursor?: string; limit: number };
      return services(deps).operators.list({
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.cursor ? { afterSeq: Number(q.cursor) } : {}),
        limit: q.limit,
      });
    },
  );
  app.get(
    '/v1/operators/resolve',
    {
      schema: {
        tags,
        summary: 'The operator holding an identifier (EORI, IOSS, platform seller id, …)',
        querystring: Type.Object({ scheme: IdentifierScheme, value: Type.String({ minLength: 1 }) }),
      },
    },
    async (req) => {
      const q = req.query as { scheme: string; value: string };
      const op = await services(deps).operators.resolve(q.scheme, q.value);
      if (!op)
        throw new ParcelgateError('operator.not-found', `no operator holds ${q.scheme} ${q.value}`, 404);
      return op;
    },
  );
  app.get('/v1/operators/:id', { schema: { tags, summary: 'An operator', params: idParam } }, async (req) =>
    services(deps).operators.get((req.params as { id: string }).id),
  );
  app.put(
    '/v1/operators/:id',
    {
      schema: {
        tags,
        summary: 'Replace name, country, identifiers and contacts (optimistic: send the version read)',
        params: idParam,
        body: operatorUpdate,
      },
    },
    async (req) =>
      services(deps).operators.update((req.params as { id: string }).id, req.body as never, now()),
  );
  app.post(
    '/v1/operators/:id/statuses',
    {
      schema: {
        tags,
        summary: 'Grant an AEO certificate or a credit grade (with validity and mutual recognition)',
        params: idParam,
        body: StatusGrant,
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await services(deps).operators.grantStatus(
            (req.params as { id: string }).id,
            req.body as never,
            actorOf(req),
            now(),
          ),
        ),
  );
  app.get(
    '/v1/operators/:id/statuses',
    {
      schema: {
        tags,
        summary: 'Status records of an operator, with what holds at `at` (default now)',
        params: idParam,
        querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      await services(deps).operators.get(id);
      return {
        operatorId: id,
        statuses: await services(deps).operators.statuses(id, (req.query as { at?: string }).at ?? now()),
      };
    },
  );
  app.post(
    '/v1/statuses/:id/actions',
    {
      schema: {
        tags,
        summary: 'Suspend, reinstate, withdraw or renew a status (dated; a reason is required)',
        params: idParam,
        body: Type.Object(
          {
            action: Type.Union(statusActions.map((a) => Type.Literal(a))),
            reason: Type.String({ minLength: 3, maxLength: 2000 }),
            at: Type.Optional(Type.String({ format: 'date-time' })),
            until: Type.Optional(Type.String({ format: 'date-time' })),
            validTo: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) =>
      services(deps).operators.actOnStatus(
        (req.params as { id: string }).id,
        req.body as { action: StatusAction; reason: string },
        actorOf(req),
        now(),
      ),
  );
  app.get(
    '/v1/operators/:id/facilitation',
    {
      schema: {
        tags,
        summary:
          "The facilitation the operator's status and compliance give at `at`: inspection-rate multiplier, priority, payment, data set",
        params: idParam,
        querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
      },
    },
    async (req) =>
      services(deps).operators.facilitation(
        (req.params as { id: string }).id,
        (req.query as { at?: string }).at ?? now(),
      ),
  );
  app.post(
    '/v1/operators/:id/ratings',
    {
      schema: {
        tags,
        summary: 'Record an external rating (platform seller rating, credit bureau) on 0-100 with its weight',
        params: idParam,
        body: Type.Object(
          {
            source: Type.String({ minLength: 1, maxLength: 80 }),
            value: Type.Number({ minimum: 0, maximum: 100 }),
            weight: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
            at: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body as { source: string; value: number; weight: number; at?: string };
      return services(deps).operators.addRating((req.params as { id: string }).id, {
        ...b,
        at: b.at ?? now(),
      });
    },
  );
  app.get(
    '/v1/operators/:id/compliance',
    {
      schema: {
        tags,
        summary: 'The compliance score with its explanation, component by component',
        params: idParam,
      },
    },
    async (req) => services(deps).operators.compliance((req.params as { id: string }).id),
  );
  app.get(
    '/v1/operators/:id/compliance/history',
    {
      schema: {
        tags,
        summary: 'How the compliance score changed over time',
        params: idParam,
        querystring: Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) }),
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      await services(deps).operators.get(id);
      const q = req.query as { from?: string; to?: string };
      return { operatorId: id, history: await services(deps).operators.history(id, q.from, q.to) };
    },
  );
  app.post(
    '/v1/compliance/recompute',
    { schema: { tags, summary: 'Process the clearance events not yet counted into compliance scores now' } },
    async () => ({ processed: await services(deps).followEvents() }),
  );
}
