/** Notifications: the polling feed, webhook subscriptions (replay, dead letters) and signing keys. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ParcelgateError } from '../domain/index.js';
import {
  EXCHANGE_NOTICE_STREAM,
  createSubscription,
  type DestinationPolicy,
  ownedSubscription,
  publicSubscription,
  registerSigningKey,
  replay,
  toNotification,
  updateSubscription,
  webhookAuditData,
} from '../exchange/index.js';
import type { ExchangeStore, FeedEvent } from '../store/index.js';
import { noteAudit, principalOf, requestIdentity } from '../access/index.js';
import { informationProvidedEvent } from '../clearance/index.js';
import { feedQueryErrors, maxFeedLimit, refuseCursorAhead } from './feed-cursor.js';

type Deps = { exchange?: ExchangeStore; clock: () => Date; webhookDestinations?: DestinationPolicy };

/** The exchange store, or 503 when the server runs without one. */
export function exchangeOf(deps: { exchange?: ExchangeStore }): ExchangeStore {
  if (deps.exchange === undefined)
    throw new ParcelgateError('exchange.unavailable', 'this server runs without the exchange store', 503);
  return deps.exchange;
}

const submitterOf = (req: FastifyRequest): string => requestIdentity(req, 'submitter').submitterId;

/**
 * Whether the caller acts as customs: a staff key (any role but submitter). In the feed it reads every
 * consignment's events whole, as it reads any consignment's `/events`; for signing keys it manages any
 * operator's. A submitter key, or open mode, acts for its own operator.
 */
const isCustomsStaff = (req: FastifyRequest): boolean => {
  const p = principalOf(req);
  return p.via !== 'open' && p.role !== null && p.role !== 'submitter';
};

/**
 * Audits a customs read of answers to requests for information (personal data, as in a consignment's
 * `/events`): one `personal-data.read` entry per consignment whose answer the page holds.
 */
function noteAnswersRead(req: FastifyRequest, events: readonly FeedEvent[]): void {
  const answered = new Set(
    events.filter((e) => e.type === informationProvidedEvent).map((e) => e.consignmentId),
  );
  for (const id of answered) noteAudit(req, { action: 'personal-data.read', subject: id });
}
const idParam = Type.Object({ id: Type.String() });
const strict = { additionalProperties: false } as const;

/** Registers /v1/feed, /v1/webhooks… and /v1/signing-keys…. */
export function registerNotifyRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/v1/feed',
    {
      schema: {
        tags: ['notifications'],
        summary:
          'Clearance events of consignments the caller is a party to (customs staff: of every consignment), after a cursor (polling alternative to webhooks)',
        description:
          'Events in seq order, the same bodies webhooks carry. Pass the returned `next` as `after` to continue; ' +
          'an empty page means nothing new yet. A cursor beyond the latest position is refused (409 feed.cursor-ahead, ' +
          'with `latest`); `after` that is not a whole number >= 0 is 400 feed.invalid-cursor, `limit` outside 1 to ' +
          `${maxFeedLimit} 400 feed.invalid-limit. A submitter reads the events of its own consignments in its view; ` +
          'officers, supervisors and auditors read every event whole (reads of answers to requests for information ' +
          'are audited). See docs/notifications.md.',
        querystring: Type.Object(
          {
            after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxFeedLimit, default: 100 })),
            stream: Type.Optional(
              Type.Union([Type.Literal('events'), Type.Literal(EXCHANGE_NOTICE_STREAM)], {
                default: 'events',
                description:
                  'events: the clearance event log; exchange-notices: three-document outcomes and customs-to-customs findings (own cursor)',
              }),
            ),
          },
          strict,
        ),
      },
      schemaErrorFormatter: feedQueryErrors,
    },
    async (req) => {
      const q = req.query as { after?: number; limit?: number; stream?: string };
      const after = q.after ?? 0;
      const viewer = submitterOf(req);
      if (q.stream === EXCHANGE_NOTICE_STREAM) {
        const notices = await exchangeOf(deps).noticesSince(viewer, after, q.limit ?? 100);
        if (notices.length === 0) await refuseCursorAhead(after, () => exchangeOf(deps).latestNoticeSeq());
        return {
          events: notices.map((n) => ({ ...(JSON.parse(n.body) as Record<string, unknown>), seq: n.seq })),
          next: notices[notices.length - 1]?.seq ?? after,
        };
      }
      const customs = isCustomsStaff(req);
      const events = await exchangeOf(deps).eventsSince(
        after,
        q.limit ?? 100,
        customs ? {} : { submitterId: viewer },
      );
      if (events.length === 0) await refuseCursorAhead(after, () => exchangeOf(deps).latestSeq());
      if (customs) noteAnswersRead(req, events);
      return {
        events: events.map((e) => (customs ? toNotification(e) : toNotification(e, viewer))),
        next: events[events.length - 1]?.seq ?? after,
      };
    },
  );

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Subscribe a URL to clearance events of your consignments (HMAC-SHA256 signed, retried)',
        description:
          'The answer carries the secret once; keep it to verify signatures (docs/notifications.md). ' +
          'The URL must lead to public addresses only: a host that is, or resolves to, a loopback, private, ' +
          'link-local or other non-public address is refused (400 webhook.destination-forbidden), as is one ' +
          'that does not resolve (400 webhook.destination-unresolvable), unless the server allows the range ' +
          '(--webhook-allow).',
        body: Type.Object(
          {
            url: Type.String({ maxLength: 2000 }),
            eventTypes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
            secret: Type.Optional(Type.String({ maxLength: 200 })),
            from: Type.Optional(
              Type.Union([Type.Literal('now'), Type.Literal('beginning'), Type.Integer({ minimum: 1 })]),
            ),
          },
          strict,
        ),
      },
    },
    async (req, reply) => {
      const body = req.body as {
        url: string;
        eventTypes?: string[];
        secret?: string;
        from?: 'now' | 'beginning' | number;
      };
      const sub = await createSubscription(
        exchangeOf(deps),
        { operatorId: submitterOf(req), ...body },
        deps.clock().toISOString(),
        deps.webhookDestinations,
      );
      noteAudit(req, { action: 'webhook.created', subject: sub.id, data: webhookAuditData.created(sub) });
      return reply.code(201).send(sub);
    },
  );

  app.get(
    '/v1/webhooks',
    { schema: { tags: ['notifications'], summary: 'Your webhook subscriptions' } },
    async (req) => ({
      subscriptions: (await exchangeOf(deps).listSubscriptions(submitterOf(req))).map(publicSubscription),
    }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['notifications'],
        summary: 'One subscription: cursor, retry state, last error',
        params: idParam,
      },
    },
    async (req) =>
      publicSubscription(
        await ownedSubscription(exchangeOf(deps), (req.params as { id: string }).id, submitterOf(req)),
      ),
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change a subscription: URL, event types, paused or active, signing secret (audited)',
        description:
          'Only the fields given change; the cursor does not, so pending events keep their position and ' +
          'the next delivery goes to the new URL (a new URL also clears the retry backoff). The URL is ' +
          'checked as at subscription (400 webhook.invalid-url, webhook.destination-forbidden, ' +
          'webhook.destination-unresolvable, issue at /url). `rotateSecret: true` replaces the signing secret ' +
          'with a new one, answered once like at subscription; deliveries from then on are signed with it. A bad ' +
          'field is a 400 problem naming it and changes nothing. See docs/notifications.md.',
        params: idParam,
        body: Type.Object(
          {
            url: Type.Optional(Type.String({ maxLength: 2000 })),
            eventTypes: Type.Optional(
              Type.Array(Type.String({ maxLength: 100 }), {
                maxItems: 50,
                description: 'event types to deliver; empty = all',
              }),
            ),
            active: Type.Optional(
              Type.Boolean({ description: 'false pauses deliveries, true resumes them' }),
            ),
            rotateSecret: Type.Optional(
              Type.Literal(true, { description: 'replace the signing secret with a generated one' }),
            ),
            secret: Type.Optional(
              Type.String({ maxLength: 200, description: 'replace the signing secret with this one' }),
            ),
          },
          { ...strict, minProperties: 1 },
        ),
      },
    },
    async (req) => {
      const ex = exchangeOf(deps);
      const sub = await ownedSubscription(ex, (req.params as { id: string }).id, submitterOf(req));
      const body = req.body as {
        url?: string;
        eventTypes?: string[];
        active?: boolean;
        rotateSecret?: true;
        secret?: string;
      };
      const r = await updateSubscription(ex, sub, body, deps.clock().toISOString(), deps.webhookDestinations);
      // The audit entry says what changed (and the new URL), never the secret.
      noteAudit(req, { action: 'webhook.updated', subject: sub.id, data: webhookAuditData.updated(r) });
      return r.subscription;
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    { schema: { tags: ['notifications'], summary: 'Stop deliveries to a subscription', params: idParam } },
    async (req) => {
      const ex = exchangeOf(deps);
      const sub = await ownedSubscription(ex, (req.params as { id: string }).id, submitterOf(req));
      await ex.setSubscriptionActive(sub.id, false, deps.clock().toISOString());
      return { id: sub.id, active: false };
    },
  );

  app.post(
    '/v1/webhooks/:id/replay',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Replay events from a seq on, or the dead letters (all or some seqs)',
        params: idParam,
        body: Type.Union([
          Type.Object({ fromSeq: Type.Integer({ minimum: 1 }) }, strict),
          Type.Object(
            {
              deadLetters: Type.Literal(true),
              seqs: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10000 })),
            },
            strict,
          ),
        ]),
      },
    },
    async (req) => {
      const ex = exchangeOf(deps);
      const sub = await ownedSubscription(ex, (req.params as { id: string }).id, submitterOf(req));
      const body = req.body as { fromSeq: number } | { deadLetters: true; seqs?: number[] };
      const r = await replay(ex, sub, body, deps.clock().toISOString());
      noteAudit(req, { action: 'webhook.replayed', subject: sub.id, data: webhookAuditData.replayed(r) });
      return r;
    },
  );

  app.get(
    '/v1/webhooks/:id/dead-letters',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Events given up on after the attempt limit',
        params: idParam,
      },
    },
    async (req) => {
      const ex = exchangeOf(deps);
      const sub = await ownedSubscription(ex, (req.params as { id: string }).id, submitterOf(req));
      return { deadLetters: await ex.deadLetters(sub.id) };
    },
  );

  app.post(
    '/v1/signing-keys',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Register an Ed25519 public key for an operator and the documents it may sign',
        description:
          'An administrator registers the key of the operator named by `operatorId` (signing keys are trust ' +
          'anchors, registered by the administration); in open mode the caller registers its own ' +
          '(`x-submitter-id`) unless it names one. See docs/three-documents.md.',
        body: Type.Object(
          {
            operatorId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' })),
            publicKey: Type.String({ maxLength: 1000, description: '32 raw bytes base64, or an SPKI PEM' }),
            purposes: Type.Array(Type.String({ maxLength: 30 }), { minItems: 1, maxItems: 6 }),
            keyId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
          },
          strict,
        ),
      },
    },
    async (req, reply) => {
      const { operatorId, ...body } = req.body as {
        operatorId?: string;
        publicKey: string;
        purposes: string[];
        keyId?: string;
      };
      const key = await registerSigningKey(
        exchangeOf(deps),
        { operatorId: signingKeyOperator(req, operatorId), ...body },
        deps.clock().toISOString(),
      );
      return reply.code(201).send(key);
    },
  );

  app.get(
    '/v1/signing-keys',
    {
      schema: {
        tags: ['notifications'],
        summary: "An operator's signing keys (staff name it with ?operator=)",
        querystring: Type.Object(
          { operator: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' })) },
          strict,
        ),
      },
    },
    async (req) => ({
      keys: await exchangeOf(deps).listSigningKeys(
        signingKeyOperator(req, (req.query as { operator?: string }).operator),
      ),
    }),
  );

  app.post(
    '/v1/signing-keys/:id/revoke',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Revoke a signing key: documents received from now on with it are refused',
        params: idParam,
      },
    },
    async (req) => {
      const ex = exchangeOf(deps);
      const id = (req.params as { id: string }).id;
      const key = await ex.getSigningKey(id);
      // Staff (the administration) revoke any operator's key; anyone else only its own.
      if (key === undefined || (!isCustomsStaff(req) && key.operatorId !== submitterOf(req)))
        throw new ParcelgateError('keys.not-found', `no signing key ${id}`, 404);
      await ex.revokeSigningKey(id, deps.clock().toISOString());
      return ex.getSigningKey(id);
    },
  );
}

/**
 * The operator a signing-key request is about: staff (an administrator registering, a supervisor or
 * auditor listing) must name it, since their own key belongs to no trading operator; anyone else acts
 * for its own operator id unless, in open mode, it names another.
 */
function signingKeyOperator(req: FastifyRequest, named: string | undefined): string {
  if (isCustomsStaff(req)) {
    if (named === undefined)
      throw new ParcelgateError(
        'keys.operator-required',
        `a ${String(principalOf(req).role)} manages the signing keys of an operator: name it (operatorId in the body, ?operator= in a list)`,
        400,
      );
    return named;
  }
  const own = submitterOf(req);
  if (named !== undefined && named !== own && principalOf(req).role === 'submitter')
    throw new ParcelgateError(
      'access.forbidden',
      `a submitter manages only its own signing keys (${own})`,
      403,
    );
  return named ?? own;
}
