/** Three-document matching: signed order, payment and waybill, the declaration list, status and reports. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import {
  listReports,
  orderStatus,
  receiveDocument,
  outcomeForOtherParty,
  receiveList,
  reportOverdue,
  type ThreeDocDeps,
  type Tolerances,
} from '../exchange/index.js';
import type { ExchangeStore } from '../store/index.js';
import { exchangeOf } from './routes-notify.js';
import { principalOf, requestIdentity } from '../access/index.js';

type Deps = PipelineDeps & {
  exchange?: ExchangeStore;
  clock: () => Date;
  tolerances?: Partial<Tolerances>;
  threeDocTimeoutMinutes?: number;
};

const Envelope = Type.Object(
  {
    keyId: Type.String({ maxLength: 100 }),
    payload: Type.String({ maxLength: 1_000_000, description: 'The document as JSON text, signed as is' }),
    signature: Type.String({ maxLength: 200, description: 'Base64 Ed25519 signature' }),
  },
  { additionalProperties: false },
);

function ctxOf(req: FastifyRequest, deps: Deps) {
  const submitter = requestIdentity(req, 'submitter').submitterId;
  return { actor: submitter, submitterId: submitter, now: deps.clock().toISOString(), requestId: req.id };
}

function threeDocDeps(deps: Deps): ThreeDocDeps {
  return {
    exchange: exchangeOf(deps),
    pipeline: deps,
    ...(deps.tolerances ? { tolerances: deps.tolerances } : {}),
    ...(deps.threeDocTimeoutMinutes ? { timeoutMinutes: deps.threeDocTimeoutMinutes } : {}),
  };
}

/** Registers /v1/three-documents…. */
export function registerThreeDocRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/v1/three-documents/lists',
    {
      schema: {
        tags: ['three-documents'],
        summary: 'Submit a signed declaration list; accepted only when order, payment and waybill agree',
        description:
          'Answers the outcome: accepted (with the consignment id), pending, or rejected with reasons.',
        body: Envelope,
      },
    },
    async (req) => receiveList(threeDocDeps(deps), req.body as Envelope, ctxOf(req, deps)),
  );

  app.post(
    '/v1/three-documents/:kind',
    {
      schema: {
        tags: ['three-documents'],
        summary: 'Submit a signed order (platform), payment (payment company) or waybill (logistics company)',
        params: Type.Object({
          kind: Type.Union([Type.Literal('order'), Type.Literal('payment'), Type.Literal('waybill')]),
        }),
        body: Envelope,
      },
    },
    async (req) =>
      receiveDocument(
        threeDocDeps(deps),
        (req.params as { kind: string }).kind,
        req.body as Envelope,
        ctxOf(req, deps),
      ),
  );

  app.get(
    '/v1/three-documents/orders/:orderNo',
    {
      schema: {
        tags: ['three-documents'],
        summary: 'Which documents of an order arrived (who, when), which are missing, and the list outcome',
        params: Type.Object({ orderNo: Type.String({ maxLength: 60 }) }),
      },
    },
    async (req) => {
      const status = await orderStatus(threeDocDeps(deps), (req.params as { orderNo: string }).orderNo);
      const me = requestIdentity(req, 'submitter').submitterId;
      const who = principalOf(req);
      const list = await exchangeOf(deps).getList(status.orderNo);
      const involved = status.documents.some((d) => d.submitterId === me) || list?.submitterId === me;
      const staff = who.via === 'open' ? who.actor.startsWith('officer:') : who.role !== 'submitter';
      if (!involved && !staff)
        throw new ParcelgateError(
          'three-doc.order-not-found',
          `nothing has been received for order ${status.orderNo}`,
          404,
        );
      // A party other than the list's submitter reads which fields disagree, not the buyer's data, nor
      // the id of the consignment, which is the list submitter's alone.
      if (staff || status.list === undefined || list?.submitterId === me) return status;
      return { ...status, list: outcomeForOtherParty(status.list) };
    },
  );

  app.get(
    '/v1/three-documents/reports',
    {
      schema: {
        tags: ['three-documents'],
        summary: 'Lists by outcome: rejected (mismatches) and missing (documents absent after the timeout)',
        querystring: Type.Object(
          {
            status: Type.Union([
              Type.Literal('pending'),
              Type.Literal('accepted'),
              Type.Literal('rejected'),
              Type.Literal('missing'),
            ]),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query as { status: string; limit?: number };
      return { lists: await listReports(threeDocDeps(deps), q.status, q.limit ?? 100) };
    },
  );

  app.post(
    '/v1/three-documents/overdue',
    {
      schema: {
        tags: ['three-documents'],
        summary:
          'Report lists that waited longer than the timeout as missing (also run by `parcelgate dispatch`)',
      },
    },
    async () => ({ missing: await reportOverdue(threeDocDeps(deps), deps.clock().toISOString()) }),
  );
}

type Envelope = { keyId: string; payload: string; signature: string };
