/** Platform partnership endpoints: rights holders, protected brands, cases, platform notices and answers. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  BrandInput,
  CaseActionInput,
  CaseInput,
  Evidence,
  NoticeAnswer,
  RightsHolderInput,
} from '../partnership/index.js';
import { actorOf, services, type RegistryRouteDeps } from './routes-operators.js';
import { listLimit, optionalStrings } from './query-schemas.js';
import { principalOf } from '../access/index.js';
import { ParcelgateError } from '../domain/index.js';

/**
 * Who answers or polls as a platform: with a key, the key's operator (a header cannot change it); in
 * open mode (no keys), `x-submitter-id` or the older `x-operator-id` header.
 */
function platformCaller(req: FastifyRequest): string {
  const p = principalOf(req);
  if (p.via !== 'open') return p.operatorId ?? 'unidentified';
  return String(req.headers['x-submitter-id'] ?? req.headers['x-operator-id'] ?? 'unidentified');
}

const idParam = Type.Object({ id: Type.String() });
const tags = ['partnership'];
const brandsQuery = Type.Object(optionalStrings('rightsHolder'));
const casesQuery = Type.Object({ ...optionalStrings('seller', 'consignment'), limit: listLimit() });

/** Registers /v1/rights-holders…, /v1/brands, /v1/cases…, /v1/platform-notices… */
export function registerPartnershipRoutes(app: FastifyInstance, deps: RegistryRouteDeps): void {
  const now = () => deps.clock().toISOString();
  const p = () => services(deps).partnership;
  app.post(
    '/v1/rights-holders',
    { schema: { tags, summary: 'Register a rights holder', body: RightsHolderInput } },
    async (req, reply) => reply.code(201).send(await p().addRightsHolder(req.body as never, now())),
  );
  app.post(
    '/v1/rights-holders/:id/brands',
    {
      schema: {
        tags,
        summary: 'Protect a brand: names, genuine-product hints, price floor (feeds the IPR indicator)',
        params: idParam,
        body: BrandInput,
      },
    },
    async (req, reply) => {
      const brand = await p().addBrand((req.params as { id: string }).id, req.body as never, now());
      await services(deps).refresh();
      return reply.code(201).send(brand);
    },
  );
  app.get(
    '/v1/brands',
    {
      schema: {
        tags,
        summary: 'Protected brands',
        querystring: brandsQuery,
      },
    },
    async (req) => ({ items: await p().brands((req.query as Static<typeof brandsQuery>).rightsHolder) }),
  );
  app.post(
    '/v1/cases',
    { schema: { tags, summary: 'Open a counterfeit or unsafe-goods case with evidence', body: CaseInput } },
    async (req, reply) => reply.code(201).send(await p().openCase(req.body as never, actorOf(req), now())),
  );
  app.get(
    '/v1/cases',
    {
      schema: {
        tags,
        summary: 'Cases, newest first, by seller operator or consignment',
        querystring: casesQuery,
      },
    },
    async (req) => {
      const q = req.query as Static<typeof casesQuery>;
      return {
        items: await p().cases({
          ...(q.seller ? { sellerOperatorId: q.seller } : {}),
          ...(q.consignment ? { consignmentId: q.consignment } : {}),
          limit: q.limit,
        }),
      };
    },
  );
  app.get(
    '/v1/cases/:id',
    { schema: { tags, summary: 'A case', params: idParam } },
    async (req) => (await p().getCase((req.params as { id: string }).id)).doc,
  );
  app.post(
    '/v1/cases/:id/evidence',
    { schema: { tags, summary: 'Add evidence to a case', params: idParam, body: Evidence } },
    async (req) => p().addEvidence((req.params as { id: string }).id, req.body as never, actorOf(req), now()),
  );
  app.post(
    '/v1/cases/:id/actions',
    {
      schema: {
        tags,
        summary: 'Confirm (notifies the platform), dismiss, seize or dispose',
        params: idParam,
        body: CaseActionInput,
      },
    },
    async (req) => p().act((req.params as { id: string }).id, req.body as never, actorOf(req), now()),
  );
  app.get(
    '/v1/platform-notices',
    {
      schema: {
        tags,
        summary: 'Poll the notices addressed to a platform that changed after a cursor',
        querystring: Type.Object({
          platform: Type.String({
            description: 'Platform operator id (or platform:<code> for an unregistered platform)',
          }),
          after: Type.Integer({ minimum: 0, default: 0, description: 'Cursor from the previous poll' }),
          limit: listLimit(),
        }),
      },
    },
    async (req) => {
      const q = req.query as { platform: string; after: number; limit: number };
      // A platform's key reads the notices addressed to it, never another platform's.
      // Notices kept under platform:<code> (the platform was not registered when they were issued)
      // are the platform's that holds the code now.
      const caller = principalOf(req);
      const holder = q.platform.startsWith('platform:')
        ? (await services(deps).operators.resolve('PLATFORM', q.platform.slice('platform:'.length)))?.id
        : q.platform;
      if (caller.via !== 'open' && caller.role === 'submitter' && holder !== caller.operatorId)
        throw new ParcelgateError(
          'notice.wrong-platform',
          `a platform's key reads only its own notices: ask for platform=${caller.operatorId ?? '(your operator id)'}`,
          403,
          { path: '/platform' },
        );
      return p().notices(q.platform, q.after, q.limit);
    },
  );
  app.post(
    '/v1/platform-notices/:id/answer',
    {
      schema: {
        tags,
        summary: "Record the platform's answer (listing removed, seller suspended, …); once",
        params: idParam,
        body: NoticeAnswer,
      },
    },
    async (req) =>
      p().answer((req.params as { id: string }).id, req.body as never, platformCaller(req), now()),
  );
  app.get(
    '/v1/operators/:id/enforcement',
    {
      schema: {
        tags,
        summary: "A seller's enforcement history: cases and the platforms' answers",
        params: idParam,
      },
    },
    async (req) => p().sellerHistory((req.params as { id: string }).id),
  );
}
