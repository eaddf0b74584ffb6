/**
 * What an operator may read about itself with its own key (`/v1/me/…`): its registry record, compliance
 * score with the explanation and its history, the facilitation its status gives, its data-quality
 * scorecard and its deferred-payment statements. The operator is always the key's: there is no id to
 * pass, so no other operator's data can be asked for. Staff read any operator under /v1/operators/{id}.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../access/index.js';
import type { ReferenceSnapshot } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { qualityReport } from '../quality/index.js';
import { checkGuaranteeInput, checkPeriod } from '../operators/index.js';
import { actorOf, services, type RegistryRouteDeps } from './routes-operators.js';
import { checkRange, reducedFor } from './routes-returns.js';

const tags = ['operators'];

/** The operator id of the calling key (open mode: `x-submitter-id`); 401 without one. */
export function selfId(req: FastifyRequest): string {
  const id = principalOf(req).operatorId;
  if (id === null)
    throw new ParcelgateError(
      'access.unauthenticated',
      'these endpoints answer for the operator of the calling key: send its API key',
      401,
    );
  return id;
}

/** The periods of an operator's account, or one period's statement (after booking what is new). */
export async function accountAnswer(deps: RegistryRouteDeps, operatorId: string, period?: string) {
  const s = services(deps);
  await s.operators.get(operatorId);
  await s.followPayments();
  if (period === undefined) return { operatorId, periods: await s.payments.periods(operatorId) };
  return s.payments.statement(operatorId, period);
}

/** An account's guarantee with its utilisation (after booking what is new). */
export async function guaranteeAnswer(deps: RegistryRouteDeps, operatorId: string) {
  const s = services(deps);
  await s.operators.get(operatorId);
  await s.followPayments();
  return s.guarantees.view(operatorId);
}

/** Guarantee body: amount (decimal string) and currency; the specific problems are checked in code. */
const GuaranteeBody = Type.Object(
  {
    amount: Type.String({ description: 'Exact decimal in the currency’s minor units, e.g. "25000.00"' }),
    currency: Type.String({ description: 'ISO 4217, e.g. EUR' }),
  },
  { description: 'The guarantee covering the amounts deferred (EU UCC Art. 110–112)' },
);

/** Registers /v1/me/… */
export function registerSelfRoutes(
  app: FastifyInstance,
  deps: RegistryRouteDeps & { snapshot: () => ReferenceSnapshot },
): void {
  const now = () => deps.clock().toISOString();
  app.get(
    '/v1/me/operator',
    { schema: { tags, summary: "The calling operator's registry record" } },
    async (req) => services(deps).operators.get(selfId(req)),
  );
  app.get(
    '/v1/me/compliance',
    {
      schema: {
        tags,
        summary: "The calling operator's compliance score with its explanation, component by component",
      },
    },
    async (req) => services(deps).operators.compliance(selfId(req)),
  );
  app.get(
    '/v1/me/compliance/history',
    {
      schema: {
        tags,
        summary: "How the calling operator's compliance score changed over time",
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
      },
    },
    async (req) => {
      const id = selfId(req);
      await services(deps).operators.get(id);
      const q = req.query as { from?: string; to?: string };
      return { operatorId: id, history: await services(deps).operators.history(id, q.from, q.to) };
    },
  );
  app.get(
    '/v1/me/facilitation',
    {
      schema: {
        tags,
        summary:
          "The facilitation the calling operator's own status and score give: inspection-rate multiplier, priority, deferred payment, data set",
        querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
      },
    },
    async (req) =>
      services(deps).operators.facilitation(selfId(req), (req.query as { at?: string }).at ?? now()),
  );
  app.get(
    '/v1/me/account',
    {
      schema: {
        tags,
        summary:
          "The calling operator's deferred-payment account: the periods with entries, or one period's statement",
        querystring: Type.Object({ period: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }),
      },
    },
    async (req) => accountAnswer(deps, selfId(req), (req.query as { period?: string }).period),
  );
  app.get(
    '/v1/operators/:id/account',
    {
      schema: {
        tags,
        summary:
          "An operator's deferred-payment account: the periods with entries, or one period's statement (releases debited, returns credited, due date)",
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ period: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) }),
      },
    },
    async (req) =>
      accountAnswer(deps, (req.params as { id: string }).id, (req.query as { period?: string }).period),
  );
  app.get(
    '/v1/me/guarantee',
    {
      schema: {
        tags,
        summary:
          "The calling operator's deferred-payment guarantee: amount, what is in use (deferred and unsettled), what is left",
      },
    },
    async (req) => guaranteeAnswer(deps, selfId(req)),
  );
  app.get(
    '/v1/operators/:id/guarantee',
    {
      schema: {
        tags,
        summary:
          "An operator's deferred-payment guarantee: amount, utilisation (debits booked and not settled, less credits), reserved and available",
        params: Type.Object({ id: Type.String() }),
      },
    },
    async (req) => guaranteeAnswer(deps, (req.params as { id: string }).id),
  );
  app.put(
    '/v1/operators/:id/guarantee',
    {
      schema: {
        tags,
        summary:
          'Register or replace the guarantee of a deferred-payment account: a parcel whose duties would take utilisation past it pays at the border',
        params: Type.Object({ id: Type.String() }),
        // Checked in code (checkGuaranteeInput) for specific codes: guarantee.invalid-amount, -currency.
        body: Type.Unknown({
          description: GuaranteeBody.description,
          examples: [{ amount: '25000.00', currency: 'EUR' }],
        }),
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const input = checkGuaranteeInput(req.body);
      const s = services(deps);
      await s.operators.get(id);
      await s.followPayments();
      await s.payments.setGuarantee(id, input, actorOf(req), now());
      await s.guarantees.refresh([id]);
      return s.guarantees.view(id);
    },
  );
  app.post(
    '/v1/operators/:id/account/settlements',
    {
      schema: {
        tags,
        summary:
          "Record the payment of a period's statement: its net leaves the guarantee's utilisation, freeing the guarantee",
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          { period: Type.String({ description: 'YYYY-MM' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const period = checkPeriod((req.body as { period: string }).period);
      const s = services(deps);
      await s.operators.get(id);
      await s.followPayments();
      const r = await s.payments.settle(id, period, now());
      await s.guarantees.refresh([id]);
      return reply.code(201).send({ operatorId: id, period, paid: r.paid, guarantee: s.guarantees.view(id) });
    },
  );
  app.get(
    '/v1/me/quality',
    {
      schema: {
        tags: ['quality'],
        summary: "The calling operator's data-quality scorecard per period, with the trend",
        querystring: Type.Object({
          from: Type.String({ format: 'date', description: 'First day (inclusive)' }),
          to: Type.String({ format: 'date', description: 'Last day (exclusive)' }),
          period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
            default: 'day',
          }),
        }),
      },
    },
    async (req) => {
      const id = selfId(req);
      const q = req.query as { from: string; to: string; period: 'day' | 'week' | 'month' };
      checkRange(q.from, q.to);
      const s = services(deps);
      await s.operators.get(id);
      const index = await s.operators.trustIndex();
      const policy = s.operators.policy;
      const report = await qualityReport(s.store, deps.snapshot().hs, {
        from: q.from,
        to: q.to,
        period: q.period,
        submitterId: id,
        reducedDataSet: (sid, at) => reducedFor(index, policy, sid, at),
      });
      // The report is built for this submitter only; keep nothing else even if the query changes.
      return { ...report, submitters: report.submitters.filter((x) => x.submitterId === id) };
    },
  );
}
