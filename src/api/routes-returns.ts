/** Returns and data-quality endpoints. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { facilitationFor, type FacilitationPolicy, type TrustIndex } from '../operators/index.js';
import { qualityReport } from '../quality/index.js';
import { ReturnActionInput, ReturnInput } from '../returns/index.js';
import { claimCheckFor, claimRefusal, noteClaimOutcome } from './routes-claims.js';
import { actorOf, services, type RegistryRouteDeps } from './routes-operators.js';
import { optionalStrings } from './query-schemas.js';
import { principalOf, requestIdentity } from '../access/index.js';
import { ParcelgateError } from '../domain/index.js';

const idParam = Type.Object({ id: Type.String() });
const period = Type.Object({
  from: Type.String({ format: 'date', description: 'First day (inclusive)' }),
  to: Type.String({ format: 'date', description: 'Last day (exclusive)' }),
});

/**
 * Refuses an empty or inverted range (`to` is exclusive): an answer with nothing in it would read as
 * "no returns" or "no records" instead of a mistake. `request.invalid` (400) naming `/to`; a value
 * that is not a date or instant names its own parameter.
 */
export function checkRange(from: string | undefined, to: string | undefined): void {
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (v !== undefined && !Number.isFinite(Date.parse(v)))
      throw new ParcelgateError('request.invalid', `${name} '${v}' is not a date or date-time`, 400, {
        issues: [{ code: 'schema.format', path: `/${name}`, message: 'not a date or date-time' }],
      });
  if (from !== undefined && to !== undefined && Date.parse(to) <= Date.parse(from))
    throw new ParcelgateError('request.invalid', `to (${to}, exclusive) must be after from (${from})`, 400, {
      issues: [{ code: 'schema.invalid', path: '/to', message: 'must be after from' }],
    });
}

const ctxOf = (req: FastifyRequest, now: string) => ({
  actor: actorOf(req),
  submitterId: requestIdentity(req, 'submitter').submitterId,
  now,
  requestId: req.id,
});

/** Registers /v1/returns… and /v1/quality/scorecards. */
export function registerReturnAndQualityRoutes(
  app: FastifyInstance,
  deps: RegistryRouteDeps & PipelineDeps,
): void {
  const now = () => deps.clock().toISOString();
  const r = () => services(deps).returns;
  app.post(
    '/v1/returns',
    {
      schema: {
        tags: ['returns'],
        summary:
          'Register a returned or refused parcel; records the refund position, and the clearance event once every item is back',
        body: ReturnInput,
      },
    },
    async (req, reply) => {
      // A submitter registers returns only for consignments it created or contributed a record to.
      const p = principalOf(req);
      const ownedBy = p.via !== 'open' && p.role === 'submitter' ? (p.operatorId ?? '') : undefined;
      // A customs return is an officer's decision: another officer's queue claim refuses it as it
      // refuses the decisions route (docs/console.md "Claims").
      const body = req.body as ReturnInput;
      const override = body.overrideClaim;
      const claimCheck =
        body.kind === 'customs-return' ? claimCheckFor(req, deps, body.consignmentId, override) : undefined;
      const ret = await r()
        .register(body, ctxOf(req, now()), ownedBy, claimCheck)
        .catch((e: unknown) => {
          throw claimRefusal(req, e, override);
        });
      noteClaimOutcome(req, body.consignmentId, claimCheck, override);
      return reply.code(201).send(ret);
    },
  );
  app.get(
    '/v1/returns',
    {
      schema: {
        tags: ['returns'],
        summary: 'Returns of a consignment or registered in a period',
        querystring: Type.Object(optionalStrings('consignment', 'from', 'to')),
      },
    },
    async (req) => {
      const q = req.query as { consignment?: string; from?: string; to?: string };
      checkRange(q.from, q.to);
      return {
        items: await r().list({
          ...(q.consignment ? { consignmentId: q.consignment } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
        }),
      };
    },
  );
  app.get(
    '/v1/returns/stats',
    {
      schema: {
        tags: ['returns'],
        summary: 'Returns and repayable amounts by platform, seller, reason and kind',
        querystring: period,
      },
    },
    async (req) => {
      const q = req.query as { from: string; to: string };
      checkRange(q.from, q.to);
      return r().stats(q.from, q.to);
    },
  );
  app.get(
    '/v1/returns/:id',
    { schema: { tags: ['returns'], summary: 'A return', params: idParam } },
    async (req) => (await r().get((req.params as { id: string }).id)).doc,
  );
  app.post(
    '/v1/returns/:id/actions',
    {
      schema: {
        tags: ['returns'],
        summary: 'Re-export, claim, approve, reject or pay the refund, close',
        params: idParam,
        body: ReturnActionInput,
      },
    },
    async (req) => r().act((req.params as { id: string }).id, req.body as never, actorOf(req), now()),
  );
  app.get(
    '/v1/quality/scorecards',
    {
      schema: {
        tags: ['quality'],
        summary: 'Data-quality scorecards per submitter and period, with the trend',
        querystring: Type.Intersect([
          period,
          Type.Object({
            submitter: Type.Optional(Type.String()),
            period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
              default: 'day',
            }),
          }),
        ]),
      },
    },
    async (req) => {
      const q = req.query as {
        from: string;
        to: string;
        submitter?: string;
        period: 'day' | 'week' | 'month';
      };
      checkRange(q.from, q.to);
      const s = services(deps);
      const index = await s.operators.trustIndex();
      const policy = s.operators.policy;
      return qualityReport(s.store, deps.snapshot().hs, {
        from: q.from,
        to: q.to,
        period: q.period,
        ...(q.submitter ? { submitterId: q.submitter } : {}),
        reducedDataSet: (id, at) => reducedFor(index, policy, id, at),
      });
    },
  );
}

/** Whether a submitter's status grants the reduced data set at `at`. */
export function reducedFor(
  index: TrustIndex,
  policy: FacilitationPolicy,
  submitterId: string,
  at: string,
): boolean {
  return (
    index.get(submitterId) !== undefined && facilitationFor(index, submitterId, at, policy).reducedDataSet
  );
}
