/**
 * Work-queue claims (docs/console.md "Claims"): an officer claims a held consignment before working on
 * it, renews the claim while working, releases it (a decision releases it too); "claim next" takes the
 * first unclaimed row of the queue under the officer's filters. Deciding on a consignment another
 * officer holds is refused unless a supervisor overrides with a reason.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { noteAudit, principalOf, requestIdentity } from '../access/index.js';
import type { ClaimCheck } from '../store/index.js';
import {
  queueFilterStates,
  queueSorts,
  type Claim,
  type ClaimResult,
  type ConsoleStore,
  type QueueItem,
  type QueueQuery,
} from '../store/console/port.js';

/** Minutes a claim lasts unless renewed (`parcelgate serve --claim-ttl`). */
export const defaultClaimTtlMinutes = 30;

const minReasonLength = 3;

type Deps = PipelineDeps & { clock: () => Date; claimTtlMs?: number };

const claimOf = (deps: Deps): ConsoleStore => {
  const c = deps.store.console;
  if (!c) throw new ParcelgateError('route.not-found', 'this store does not offer the work queue', 404);
  return c;
};

/** The principal id a claim is held under: the key's actor, or `x-actor` in open mode. */
export const officerOf = (req: FastifyRequest): string => requestIdentity(req, 'officer').actor;

/** Whether the caller may override another officer's claim: a supervisor, or anyone in open mode. */
const mayOverride = (req: FastifyRequest): boolean => {
  const role = principalOf(req).role;
  return role === null || role === 'supervisor';
};

const holderOf = (c: Claim) => ({ officerId: c.officerId, claimedAt: c.claimedAt, expiresAt: c.expiresAt });

function heldByOther(id: string, holder: Claim): ParcelgateError {
  return new ParcelgateError(
    'claim.held-by-other',
    `${holder.officerId} holds consignment ${id} until ${holder.expiresAt}`,
    409,
    { holder: holderOf(holder) },
  );
}

function overrideReason(req: FastifyRequest, reason: string | undefined, path: string): string {
  if (!mayOverride(req)) {
    throw new ParcelgateError(
      'claim.override-forbidden',
      `only a supervisor may override another officer's claim (role ${principalOf(req).role})`,
      403,
    );
  }
  if (reason === undefined || reason.trim().length < minReasonLength) {
    const message = `overriding another officer's claim needs a reason of at least ${minReasonLength} characters`;
    throw new ParcelgateError('claim.override-reason-required', message, 400, {
      issues: [{ code: 'claim.override-reason-required', path, message }],
    });
  }
  return reason;
}

/**
 * 404 `consignment.not-found` for an id no consignment has: a claim refused, or none held, on such an
 * id says so rather than that it is not queued or not held. Read only on those answers.
 */
async function refuseMissing(deps: Deps, id: string): Promise<void> {
  if ((await deps.store.get(id)) === undefined)
    throw new ParcelgateError('consignment.not-found', `no consignment ${id}`, 404);
}

/** Throws the problem of a refused claim, or returns the claim (auditing a takeover of an expired one). */
function claimedOrThrow(req: FastifyRequest, id: string, r: ClaimResult): Claim {
  if (r.ok) {
    if (r.previous !== null && r.previous.officerId !== r.claim.officerId) {
      noteAudit(req, {
        action: 'claim.taken-over',
        subject: id,
        data: { previous: holderOf(r.previous), expiresAt: r.claim.expiresAt },
      });
    }
    return r.claim;
  }
  if (r.reason === 'held-by-other') throw heldByOther(id, r.holder);
  if (r.reason === 'not-queued')
    throw new ParcelgateError('claim.not-queued', `consignment ${id} is not in the work queue`, 409);
  throw new ParcelgateError('claim.not-held', `you hold no claim on consignment ${id}`, 409);
}

/**
 * The claim check of an officer's decision on `id`, made by the store in the decision's transaction
 * (so no officer can take the claim between the check and the decision): another officer's live claim
 * refuses the decision (409 `claim.held-by-other`) unless the caller may override and gave a reason.
 * Undefined when the store keeps no claims.
 */
export function claimCheckFor(
  req: FastifyRequest,
  deps: Deps,
  id: string,
  override: string | undefined,
): ClaimCheck | undefined {
  if (!deps.store.console) return undefined;
  return {
    consignmentId: id,
    officerId: officerOf(req),
    now: deps.clock().toISOString(),
    mayOverride: override !== undefined && mayOverride(req) && override.trim().length >= minReasonLength,
  };
}

/**
 * The problem of a decision the claim check refused: with an override the caller may not give (or
 * without a reason), that one (403 `claim.override-forbidden`, 400 `claim.override-reason-required`);
 * otherwise the refusal as it is.
 */
export function claimRefusal(req: FastifyRequest, e: unknown, override: string | undefined): unknown {
  if (!(e instanceof ParcelgateError) || e.code !== 'claim.held-by-other' || override === undefined) return e;
  try {
    overrideReason(req, override, '/overrideClaim');
  } catch (specific) {
    return specific;
  }
  return e;
}

/** Audits what the decision's transaction did to the claim: an override (with its reason), the release. */
export function noteClaimOutcome(
  req: FastifyRequest,
  id: string,
  check: ClaimCheck | undefined,
  override: string | undefined,
): void {
  const outcome = check?.outcome;
  if (!outcome) return;
  if (outcome.overridden)
    noteAudit(req, {
      action: 'claim.overridden',
      subject: id,
      data: { holder: holderOf(outcome.overridden), reason: override ?? '' },
    });
  if (outcome.released)
    noteAudit(req, {
      action: 'claim.released',
      subject: id,
      data: { holder: holderOf(outcome.released), cause: 'decision' },
    });
}

const claimBody = Type.Object({
  consignmentId: Type.String(),
  officerId: Type.String({ description: "The holder's principal id" }),
  claimedAt: Type.String(),
  expiresAt: Type.String({ description: 'The claim is free from this instant unless renewed' }),
});
const idParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const literalUnion = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** A request without a body (none sent) counts as `{}`. */
const emptyBody = async (req: FastifyRequest) => {
  req.body ??= {};
};

/** Registers /v1/console/claims/* and /v1/console/queue/claim-next. */
export function registerClaimRoutes(app: FastifyInstance, deps: Deps): void {
  const ttlMs = deps.claimTtlMs ?? defaultClaimTtlMinutes * 60_000;
  const request = (req: FastifyRequest, renew = false) => ({
    consignmentId: (req.params as { id: string }).id,
    officerId: officerOf(req),
    now: deps.clock().toISOString(),
    ttlMs,
    renew,
  });

  app.get(
    '/v1/console/claims/:id',
    {
      schema: {
        tags: ['console'],
        summary: "Who holds a consignment's claim (a live one), or null",
        params: idParam,
        response: { 200: Type.Object({ claim: Type.Union([claimBody, Type.Null()]) }) },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = await claimOf(deps).claimOf(id);
      if (c === null) await refuseMissing(deps, id);
      return { claim: c !== null && c.expiresAt > deps.clock().toISOString() ? c : null };
    },
  );

  app.post(
    '/v1/console/claims/:id',
    {
      schema: {
        tags: ['console'],
        summary: 'Claim a queued consignment (yours again: renewed); refused while another officer holds it',
        description:
          `A claim lasts ${defaultClaimTtlMinutes} minutes unless renewed (\`serve --claim-ttl\`). An expired ` +
          'claim is free: taking it over is audited (`claim.taken-over`). Of two officers claiming at once, ' +
          'exactly one wins; the other gets 409 `claim.held-by-other`.',
        params: idParam,
        response: { 200: claimBody },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const r = await claimOf(deps).claim(request(req));
      if (!r.ok && r.reason !== 'held-by-other') await refuseMissing(deps, id);
      const claim = claimedOrThrow(req, id, r);
      if (r.ok && r.previous === null)
        noteAudit(req, {
          action: 'claim.taken',
          subject: claim.consignmentId,
          data: { expiresAt: claim.expiresAt },
        });
      return claim;
    },
  );

  app.post(
    '/v1/console/claims/:id/renew',
    {
      schema: {
        tags: ['console'],
        summary: 'Renew your claim for another time-to-live from now',
        params: idParam,
        response: { 200: claimBody },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const r = await claimOf(deps).claim(request(req, true));
      if (!r.ok && r.reason !== 'held-by-other') await refuseMissing(deps, id);
      return claimedOrThrow(req, id, r);
    },
  );

  app.post(
    '/v1/console/claims/:id/release',
    {
      schema: {
        tags: ['console'],
        summary: "Release your claim (a supervisor releases another officer's with a reason)",
        params: idParam,
        body: Type.Object(
          {
            reason: Type.Optional(
              Type.String({
                maxLength: 2000,
                description: "Required to release another officer's live claim (supervisors only)",
              }),
            ),
          },
          { additionalProperties: false, description: 'Optional: no body releases your own claim' },
        ),
        response: { 200: Type.Object({ released: claimBody }) },
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const store = claimOf(deps);
      const me = officerOf(req);
      const held = await store.claimOf(id);
      if (held === null) await refuseMissing(deps, id);
      const live = held !== null && held.expiresAt > deps.clock().toISOString();
      if (held === null || (!live && held.officerId !== me))
        throw new ParcelgateError('claim.not-held', `you hold no claim on consignment ${id}`, 409);
      if (held.officerId !== me) {
        const body = req.body as { reason?: string } | undefined;
        if (!mayOverride(req)) throw heldByOther(id, held);
        const reason = overrideReason(req, body?.reason, '/reason');
        noteAudit(req, { action: 'claim.overridden', subject: id, data: { holder: holderOf(held), reason } });
      }
      // Only the claim read above: one taken meanwhile by someone else stays.
      const released = await store.release(id, held.officerId);
      if (released === null)
        throw new ParcelgateError('claim.not-held', `the claim on consignment ${id} changed meanwhile`, 409);
      noteAudit(req, { action: 'claim.released', subject: id, data: { holder: holderOf(released) } });
      return { released };
    },
  );

  app.post(
    '/v1/console/queue/claim-next',
    {
      schema: {
        tags: ['console'],
        summary: 'Claim the first unclaimed consignment of the queue under these filters and order',
        description:
          'Takes the first row `GET /v1/console/queue?claim=unclaimed` shows with the same filters and sort ' +
          '(priority tier first, then the order): the highest-priority unclaimed item. A row claimed by ' +
          'another officer meanwhile is skipped. `item` is null when nothing is left to claim.',
        body: Type.Object(
          {
            state: Type.Optional(literalUnion(queueFilterStates)),
            lane: Type.Optional(literalUnion(['green', 'yellow', 'red', 'blue'])),
            office: Type.Optional(Type.String({ maxLength: 35 })),
            destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            reason: Type.Optional(Type.String({ maxLength: 120 })),
            answered: Type.Optional(Type.Boolean()),
            sort: Type.Optional(literalUnion(queueSorts)),
          },
          {
            additionalProperties: false,
            description: 'Optional: no body takes the unfiltered queue, newest first',
          },
        ),
      },
      preValidation: emptyBody,
    },
    async (req) => {
      const b = (req.body ?? {}) as Omit<QueueQuery, 'sort' | 'limit'> & { sort?: QueueQuery['sort'] };
      const store = claimOf(deps);
      const officerId = officerOf(req);
      let cursor: string | undefined;
      // A few pages at most: rows are skipped only when taken between the page read and the claim.
      for (let pages = 0; pages < 5; pages++) {
        const now = deps.clock().toISOString();
        const page: { items: QueueItem[]; nextCursor: string | null } = await store.queue({
          ...b,
          sort: b.sort ?? 'newest',
          claim: 'unclaimed',
          now,
          limit: 20,
          ...(cursor ? { cursor } : {}),
        });
        for (const item of page.items) {
          const r = await store.claim({ consignmentId: item.id, officerId, now, ttlMs });
          if (!r.ok) continue;
          claimedOrThrow(req, item.id, r);
          if (r.previous === null) {
            noteAudit(req, {
              action: 'claim.taken',
              subject: item.id,
              data: { expiresAt: r.claim.expiresAt, next: true },
            });
          }
          return { item: { ...item, claim: { officerId, expiresAt: r.claim.expiresAt } }, claim: r.claim };
        }
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      return { item: null, claim: null };
    },
  );
}
