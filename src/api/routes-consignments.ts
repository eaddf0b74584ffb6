/** Consignment endpoints: batch submit, read, list, events, response, carrier events, decisions, quote. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  carrierEventDateProblem,
  carrierEventTypes,
  checkInformationAnswer,
  InformationAnswer,
  InformationAsk,
  assertAnswerable,
  isAnswerable,
  informationForSubmitter,
  informationProvidedEvent,
  informationRequest,
  recordInformationAnswer,
  responseWithInformation,
  maxBatchSize,
  minReasonLength,
  officerActions,
  prepareArrival,
  recordCarrierEvent,
  recordOfficerDecision,
  deferralCheckOf,
  refreshLapsedAccount,
  submitBatch,
  type PipelineDeps,
  type RequestContext,
  type CarrierEventType,
  type OfficerAction,
} from '../clearance/index.js';
import { notePersonalDataRead, principalOf, requestIdentity } from '../access/index.js';
import {
  ConsignmentInput,
  ParcelgateError,
  clearanceStates,
  controlCharacterIssues,
  describeValue,
  dueAtBorderIn,
} from '../domain/index.js';
import { dateOutOfRange, isRfc3339DateTime, validateConsignment } from '../intake/index.js';
import { assessRevenue } from '../revenue/index.js';
import { loadClassifier, suggestMissingCodes } from '../classify/index.js';
import type { ClearanceEvent, StoredConsignment } from '../store/index.js';
import { linkedPartyData } from '../exchange/webhooks/payload.js';
import { escapePointerToken } from '../match/index.js';
import type { ApiMetrics } from './metrics.js';
import {
  asSubmitter,
  listedFor,
  submittedFor,
  submitterEvents,
  submitterVersions,
  viewFor,
  withRequestNotice,
} from './submitter-view.js';
import { problem, sendProblem } from './problem.js';
import { fieldCodes } from './validation-issues.js';
import { claimCheckFor, claimRefusal, noteClaimOutcome } from './routes-claims.js';

type Deps = PipelineDeps & { clock: () => Date; metrics: ApiMetrics };

const { $id: _id, ...consignmentBody } = ConsignmentInput;
const noValidation = () => () => true;
const idParam = Type.Object({ id: Type.String({ description: 'Consignment id (csg_…)' }) });
const literalUnion = (values: readonly string[], options: { description?: string } = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );

function context(req: FastifyRequest, deps: Deps, role: 'submitter' | 'officer'): RequestContext {
  // Keys mode: the key's operator; open mode: x-submitter-id / x-actor as before.
  const { actor, submitterId } = requestIdentity(req, role);
  return { actor, submitterId, now: deps.clock().toISOString(), requestId: req.id };
}

async function loadOr404(deps: Deps, id: string) {
  const c = await deps.store.get(id);
  if (!c) throw new ParcelgateError('consignment.not-found', `no consignment ${id}`, 404);
  return c;
}

/** Intake assistance on request (?suggest=hs): codes for items that have none, next to each result. */
function withHsSuggestions(results: object[], records: readonly unknown[]): void {
  const classifier = loadClassifier();
  results.forEach((r, i) => {
    const s = suggestMissingCodes(classifier, records[i]);
    if (s.length > 0) (r as { hsSuggestions?: unknown }).hsSuggestions = s;
  });
}

/** The customs response, with the open request for information when there is one. */
const responseOf = (deps: Pick<Deps, 'store'>, c: StoredConsignment) =>
  responseWithInformation(deps.store, c);

/**
 * In which capacity an answer's actor speaks for the consignment: `creator` (submitter of its first
 * record), `contributor` (submitter of a record linked to it later), `other` (neither: open mode).
 */
export function answeringParty(
  c: Pick<StoredConsignment, 'submitterId' | 'sources'>,
  actor: string,
): 'creator' | 'contributor' | 'other' {
  if (actor === c.submitterId) return 'creator';
  return c.sources.some((s) => s.submitterId === actor) ? 'contributor' : 'other';
}

/**
 * A consignment's events as staff read them: whole, but an answer to a request for information keeps
 * only its trigger for analysts (no personal data), and for the others the read is audited.
 */
function staffEvents(req: FastifyRequest, events: ClearanceEvent[]): ClearanceEvent[] {
  const withNotices = events.map((e) => withRequestNotice(e, e));
  if (!events.some((e) => e.type === informationProvidedEvent)) return withNotices;
  if (principalOf(req).role !== 'analyst') {
    notePersonalDataRead(req);
    return withNotices;
  }
  return withNotices.map((e) =>
    e.type === informationProvidedEvent && e.data !== undefined ? { ...e, data: linkedPartyData(e.data) } : e,
  );
}

/** An ISO calendar date (YYYY-MM-DD) or RFC 3339 date-time that names a real day. */
function isIsoDateOrDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? isRfc3339DateTime(`${s}T00:00:00Z`) : isRfc3339DateTime(s);
}

/** Registers /v1/consignments… and /v1/quote. */
export function registerConsignmentRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/v1/consignments',
    {
      validatorCompiler: noValidation,
      schema: {
        tags: ['consignments'],
        summary: 'Submit one consignment record, or a batch of up to 10,000 as {"consignments": [...]}',
        description:
          'Each record is validated on its own: a rejected record gets all its issues and nothing of it is stored. ' +
          'Accepted records are acknowledged only after they are committed. A single record answers 201 (created), ' +
          '200 (linked, amended or unchanged) or a problem; a batch answers 200 with one result per record, in order.',
        body: Type.Union([
          consignmentBody,
          Type.Object(
            { consignments: Type.Array(consignmentBody, { maxItems: maxBatchSize }) },
            { additionalProperties: false },
          ),
        ]),
        querystring: Type.Object({
          suggest: Type.Optional(
            Type.Literal('hs', {
              description:
                "suggest=hs: each result also lists, for items without an HS code, the classifier's suggestion (hsSuggestions)",
            }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const body = req.body as unknown;
      const isBatch =
        typeof body === 'object' &&
        body !== null &&
        Array.isArray((body as { consignments?: unknown }).consignments);
      if (Array.isArray(body)) {
        // A bare array is a batch sent the wrong way, not one record that is not an object.
        const message =
          'the body is a JSON array: send one consignment as an object, or a batch as {"consignments": [...]}';
        return sendBodyShapeProblem(reply, req.url, message);
      }
      // The batch envelope holds `consignments` only: another field is refused, not ignored.
      const extra = isBatch ? Object.keys(body as object).filter((k) => k !== 'consignments') : [];
      if (extra.length > 0) return sendUnknownFieldsProblem(reply, req.url, extra);
      const records = isBatch ? (body as { consignments: unknown[] }).consignments : [body];
      if (records.length === 0)
        return sendProblem(
          reply,
          problem(400, 'batch.empty', 'the batch holds no consignments', { instance: req.url }),
        );
      if (records.length > maxBatchSize) {
        return sendProblem(
          reply,
          problem(
            413,
            'batch.too-large',
            `a batch holds at most ${maxBatchSize} consignments, got ${records.length}`,
            { instance: req.url },
          ),
        );
      }
      const results = await submitBatch(context(req, deps, 'submitter'), records, deps);
      if ((req.query as { suggest?: string }).suggest === 'hs') withHsSuggestions(results, records);
      deps.metrics.batchSize.observe(records.length);
      const counts: Record<string, number> = {};
      const decided: Record<string, number> = {};
      for (const r of results) {
        counts[r.status] = (counts[r.status] ?? 0) + 1;
        if (r.decision && (r.status === 'created' || r.status === 'amended' || r.status === 'linked')) {
          decided[r.decision] = (decided[r.decision] ?? 0) + 1;
        }
      }
      // One counter update per label, not per record.
      for (const [status, n] of Object.entries(counts)) deps.metrics.records.labels(status).inc(n);
      for (const [decision, n] of Object.entries(decided)) deps.metrics.decisions.labels(decision).inc(n);
      if (isBatch)
        return reply.code(200).send({
          accepted: records.length - (counts.rejected ?? 0),
          counts,
          results: submittedFor(results),
        });
      const only = submittedFor(results)[0]!;
      if (only.status === 'rejected') {
        const code = only.issues?.[0]?.code ?? '';
        if (code === 'amendment.after-release' || code === 'match.ambiguous') {
          return sendProblem(
            reply,
            problem(409, code, only.issues?.[0]?.message ?? '', {
              instance: req.url,
              issues: only.issues ?? [],
            }),
          );
        }
        // ?suggest=hs: a record rejected for want of a code is where a suggestion helps most.
        const { hsSuggestions } = only as { hsSuggestions?: unknown };
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', `${only.issues?.length ?? 0} problem(s) in the consignment`, {
            instance: req.url,
            issues: only.issues ?? [],
            ...(hsSuggestions !== undefined ? { hsSuggestions } : {}),
          }),
        );
      }
      return reply.code(only.status === 'created' ? 201 : 200).send(only);
    },
  );

  app.get(
    '/v1/consignments',
    {
      schema: {
        tags: ['consignments'],
        summary: 'List consignments with filters and cursor paging (newest first)',
        querystring: Type.Object(
          {
            state: Type.Optional(literalUnion(clearanceStates)),
            lane: Type.Optional(
              literalUnion(['green', 'yellow', 'red', 'blue'], {
                description: 'for a submitter key, the lane as shown to it: blue reads green',
              }),
            ),
            decision: Type.Optional(
              literalUnion(['release', 'hold-for-information', 'inspect', 'do-not-load']),
            ),
            destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            office: Type.Optional(Type.String()),
            submitter: Type.Optional(Type.String()),
            cursor: Type.Optional(Type.String()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          },
          // A misspelt filter (`lanes=red`) is an error, not a silently unfiltered list.
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | number | undefined>;
      const page = await deps.store.list({
        ...(q.state ? { state: q.state as never } : {}),
        // A submitter filters on the lane it is shown (blue reads green, so `blue` finds nothing).
        ...(q.lane ? { [asSubmitter(req) ? 'shownLane' : 'lane']: q.lane as never } : {}),
        ...(q.decision ? { decision: q.decision as never } : {}),
        ...(q.destination ? { destination: String(q.destination) } : {}),
        ...(q.office ? { office: String(q.office) } : {}),
        // A submitter's list (the access hook sets `submitter` to its operator) is what it may read:
        // what it created and what it contributed a record to. For staff, `submitter` is the creator.
        ...(q.submitter ? { [asSubmitter(req) ? 'partyId' : 'submitterId']: String(q.submitter) } : {}),
        ...(q.cursor ? { cursor: String(q.cursor) } : {}),
        limit: Number(q.limit ?? 100),
      });
      return asSubmitter(req) ? { ...page, items: page.items.map((i) => listedFor(i, q.submitter)) } : page;
    },
  );

  app.get(
    '/v1/consignments/:id',
    {
      schema: {
        tags: ['consignments'],
        summary: 'A consignment with its sources, merged data and assessment',
        params: idParam,
      },
    },
    async (req) => {
      const c = await loadOr404(deps, (req.params as { id: string }).id);
      // What is due now, as the response states it; the assessment keeps what was assessed (docs/returns.md).
      return { ...viewFor(req, c), dueAtBorder: dueAtBorderIn(c.state, c.assessment.revenue.dueAtBorder) };
    },
  );
  app.get(
    '/v1/consignments/:id/events',
    {
      schema: {
        tags: ['consignments'],
        summary: 'The append-only event log of a consignment',
        params: idParam,
      },
    },
    async (req) => {
      const c = await loadOr404(deps, (req.params as { id: string }).id);
      const events = await deps.store.events(c.id);
      if (asSubmitter(req))
        return { consignmentId: c.id, events: submitterEvents(events, c, principalOf(req).operatorId) };
      // The text of answers to requests for information is personal data: analysts do not read it,
      // and a staff read of it is audited as GET …/information is.
      return { consignmentId: c.id, events: staffEvents(req, events) };
    },
  );
  app.get(
    '/v1/consignments/:id/history',
    {
      schema: {
        tags: ['consignments'],
        summary: 'Earlier versions of an amended consignment',
        params: idParam,
      },
    },
    async (req) => {
      const c = await loadOr404(deps, (req.params as { id: string }).id);
      const versions = await deps.store.history(c.id);
      return {
        consignmentId: c.id,
        current: c.version,
        versions: asSubmitter(req) ? submitterVersions(versions, principalOf(req).operatorId) : versions,
      };
    },
  );
  app.get(
    '/v1/consignments/:id/response',
    {
      schema: {
        tags: ['consignments'],
        summary: 'The customs response for the submitter: decision, reasons, amounts due',
        params: idParam,
      },
    },
    async (req) => responseOf(deps, await loadOr404(deps, (req.params as { id: string }).id)),
  );

  app.get(
    '/v1/consignments/:id/information',
    {
      schema: {
        tags: ['clearance'],
        summary: 'The open request for information: what is wanted, how to answer, the answers given',
        description:
          'Only while a request is open: held for information, or arrived with the request still open ' +
          '(otherwise 409 information.not-requested). ' +
          'Officers, supervisors and auditors read the answers themselves; a submitter reads what is ' +
          'requested and how many answers customs has (docs/information-requests.md).',
        params: idParam,
      },
    },
    async (req) => {
      const c = await loadOr404(deps, (req.params as { id: string }).id);
      assertAnswerable(c);
      const request = informationRequest(c, await deps.store.events(c.id));
      if (!request)
        throw new ParcelgateError(
          'information.not-requested',
          `consignment ${c.id} has no open request for information`,
          409,
          { state: c.state },
        );
      if (asSubmitter(req)) return { consignmentId: c.id, ...informationForSubmitter(request) };
      // Who answered: the consignment's first submitter, or a contributor (its record linked later).
      const answers = request.answers.map((a) => ({ ...a, party: answeringParty(c, a.actor) }));
      return { consignmentId: c.id, ...request, answers };
    },
  );

  app.post(
    '/v1/consignments/:id/information',
    {
      validatorCompiler: noValidation,
      schema: {
        tags: ['clearance'],
        summary: 'Answer a request for information: an explanation and references to documents',
        description:
          'By the submitter, for a consignment held for information. The answer is recorded as an event ' +
          '(consignment.information-provided) attributed to the caller; the parcel stays held for ' +
          'information, marked answered, until an officer decides. Every problem of the body is listed ' +
          'at once (information.invalid, with a JSON Pointer per issue). Documents are references ' +
          '(numbers, https links), not uploads. See docs/information-requests.md.',
        params: idParam,
        body: InformationAnswer,
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const checked = checkInformationAnswer(req.body);
      // Its texts hold no control characters (the route reads its body itself, see strict-requests.ts).
      const text = controlCharacterIssues(req.body);
      if (!checked.ok || text.length > 0) {
        const issues = [...(checked.ok ? [] : checked.issues), ...text];
        return sendProblem(
          reply,
          problem(400, 'information.invalid', `${issues.length} problem(s) in the answer`, {
            instance: req.url,
            issues,
          }),
        );
      }
      const c = await loadOr404(deps, id);
      assertAnswerable(c);
      const ctx = context(req, deps, 'submitter');
      // Marks the consignment for the queue's "answered" filter first: the mark is confirmed from the
      // event log, so an answer refused below leaves nothing behind.
      await deps.store.console?.noteAnswer?.(id, ctx.now);
      const r = await recordInformationAnswer(ctx, deps.store, id, checked.value);
      return reply.code(200).send({ event: r.event, response: await responseOf(deps, r.consignment) });
    },
  );

  app.post(
    '/v1/consignments/:id/carrier-events',
    {
      schema: {
        tags: ['clearance'],
        summary: 'Report arrival, delivery, refusal or return of a parcel',
        params: idParam,
        body: Type.Object(
          {
            type: literalUnion(carrierEventTypes),
            at: Type.Optional(Type.String({ format: 'date-time' })),
            location: Type.Optional(Type.String({ maxLength: 35 })),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const b = req.body as { type: CarrierEventType; at?: string; location?: string; reason?: string };
      // Outside the years of record dates, or after the clock: refused before any work (the bound
      // before the declaration is checked with the consignment, in recordCarrierEvent).
      const dateProblem = b.at === undefined ? undefined : carrierEventDateProblem(b.at, deps.clock());
      if (dateProblem !== undefined) throw dateProblem;
      const ctx = context(req, deps, 'submitter');
      const id = (req.params as { id: string }).id;
      // An arrival fixes the tax point: the revenue follows the actual date (docs/revenue.md).
      const arrival =
        b.type === 'arrived'
          ? await prepareArrival(deps.store, deps.snapshot(), id, b.at ?? ctx.now, ctx.now)
          : undefined;
      let r: Awaited<ReturnType<typeof recordCarrierEvent>>;
      try {
        r = await recordCarrierEvent(
          ctx,
          deps.store,
          id,
          b,
          arrival?.revise,
          deferralCheckOf(deps.snapshot()),
        );
      } finally {
        arrival?.release();
      }
      await refreshLapsedAccount(deps.snapshot(), r.consignment);
      // A delivery or return that ends an open request leaves its queue candidate (if any) behind:
      // harmless, as the mark is confirmed from the queue and the log, and no write is added to a
      // carrier's path.
      // A delivery already recorded is answered as a repeat: nothing written, the recorded event.
      return {
        event: r.event,
        ...(r.repeated ? { repeated: true } : {}),
        response: await responseOf(deps, r.consignment),
      };
    },
  );

  app.post(
    '/v1/consignments/:id/decisions',
    {
      schema: {
        tags: ['clearance'],
        summary: "Record an officer's decision (a reason is required)",
        params: idParam,
        body: Type.Object(
          {
            action: literalUnion(officerActions),
            reason: Type.String({
              minLength: minReasonLength,
              maxLength: 2000,
              // At least 3 characters from the first to the last that is not a space (trimmed length).
              pattern: '\\S[\\s\\S]+\\S',
            }),
            finding: Type.Optional(
              Type.String({
                maxLength: 60,
                pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
                description:
                  'An inspection finding code in lower case with hyphens, e.g. nothing-found, undervalued, ' +
                  'counterfeit: anything but a clean finding (nothing-found, none, clean, no-finding, ' +
                  'compliant) counts as a hit in the KPIs and rule hit rates',
              }),
            ),
            unchangedSince: Type.Optional(
              Type.String({
                format: 'date-time',
                description:
                  "The consignment's `updatedAt` as the officer read it: refused with 409 `decision.stale` " +
                  'when it changed since (another officer decided first, an answer or a carrier event came)',
              }),
            ),
            overrideClaim: Type.Optional(
              Type.String({
                maxLength: 2000,
                description:
                  "A supervisor's reason to decide on a consignment another officer has claimed (without it, " +
                  'such a decision is refused with 409 `claim.held-by-other`; docs/console.md "Claims")',
              }),
            ),
            request: Type.Optional({
              ...InformationAsk,
              description:
                'With request-information: the documents wanted and a message to the submitter (shown in ' +
                'its response); without it the standard request applies (docs/information-requests.md)',
            }),
          },
          { additionalProperties: false },
        ),
      },
      // A missing, short or blank reason is `decision.reason-required` at /reason, listed with every
      // other problem of the decision (alone, it names the problem).
      schemaErrorFormatter: fieldCodes({
        '/reason': {
          code: 'decision.reason-required',
          message: `an officer decision needs a reason of at least ${minReasonLength} characters`,
        },
      }),
    },
    async (req) => {
      const b = req.body as {
        action: OfficerAction;
        reason: string;
        finding?: string;
        request?: { documents?: string[]; message?: string };
        unchangedSince?: string;
        overrideClaim?: string;
      };
      if (b.request !== undefined && b.action !== 'request-information') {
        const message = `only a request-information decision says what is requested, not ${b.action}`;
        throw new ParcelgateError('decision.request-not-allowed', message, 400, {
          issues: [{ code: 'decision.request-not-allowed', path: '/request', message }],
        });
      }
      const ctx = context(req, deps, 'officer');
      const id = (req.params as { id: string }).id;
      const { overrideClaim: override, ...decision } = b;
      // The claim is checked and released in the decision's own transaction (docs/console.md "Claims").
      const claimCheck = claimCheckFor(req, deps, id, override);
      const r = await recordOfficerDecision(
        ctx,
        deps.store,
        id,
        decision,
        claimCheck,
        deferralCheckOf(deps.snapshot()),
      ).catch((e: unknown) => {
        throw claimRefusal(req, e, override);
      });
      noteClaimOutcome(req, id, claimCheck, override);
      await refreshLapsedAccount(deps.snapshot(), r.consignment);
      // Learning from outcomes: the finding feeds rule hit rates and the parties' history.
      await deps.risk?.recordDecision(ctx, r.consignment, b);
      // The parcel no longer waits for an answer: its queue candidate goes (a later answer notes it again).
      if (!isAnswerable(r.consignment)) await deps.store.console?.forgetAnswer?.(r.consignment.id);
      return { event: r.event, response: await responseOf(deps, r.consignment) };
    },
  );

  app.post(
    '/v1/quote',
    {
      validatorCompiler: noValidation,
      schema: {
        tags: ['revenue'],
        summary: 'Duty and VAT for a consignment, line by line; stores nothing',
        body: consignmentBody,
        querystring: Type.Object({
          date: Type.Optional(
            Type.String({
              description:
                'Quote as if the data were lodged at this ISO date or datetime (default now): rules, rates and FX of the tax point, this date or a later declared expected arrival (docs/revenue.md)',
            }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const asOf = (req.query as { date?: string }).date;
      if (asOf !== undefined && !isIsoDateOrDateTime(asOf)) {
        const message = `date must be an ISO date or datetime such as "2025-03-01" (got ${describeValue(asOf)})`;
        return sendProblem(
          reply,
          problem(400, 'request.invalid', message, {
            instance: req.url,
            issues: [{ code: 'request.invalid', path: '/date', message }],
          }),
        );
      }
      // As for a record's dates: year 0000 or 9999 is a typing error, not a quote under no regime.
      const outOfRange = asOf === undefined ? undefined : dateOutOfRange(asOf);
      if (outOfRange !== undefined)
        return sendProblem(
          reply,
          problem(400, 'request.invalid', `date ${outOfRange}`, {
            instance: req.url,
            issues: [{ code: 'dates.out-of-range', path: '/date', message: outOfRange }],
          }),
        );
      const body = req.body as unknown;
      if (
        Array.isArray(body) ||
        (typeof body === 'object' &&
          body !== null &&
          Array.isArray((body as { consignments?: unknown }).consignments))
      ) {
        // A batch would otherwise be read as one record, with an issue for every record in it.
        const message =
          'a quote takes one consignment as a JSON object, not a batch; quote each one on its own';
        return sendBodyShapeProblem(reply, req.url, message);
      }
      const snapshot = deps.snapshot();
      const v = validateConsignment(body, snapshot.hs);
      if (!v.ok) {
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', `${v.error.length} problem(s) in the consignment`, {
            instance: req.url,
            issues: v.error,
          }),
        );
      }
      return assessRevenue(v.value, snapshot.revenue, asOf ?? deps.clock().toISOString());
    },
  );
}

/** A 400 for fields of the request body that the endpoint does not define (`keys`, at the top level). */
function sendUnknownFieldsProblem(reply: FastifyReply, url: string, keys: readonly string[]): FastifyReply {
  const issues = keys.map((k) => ({
    code: 'schema.additional-property',
    path: `/${escapePointerToken(k)}`,
    message: `${k} is not a field of this request`,
  }));
  return sendProblem(
    reply,
    problem(400, 'request.invalid', `body: ${issues.map((i) => i.message).join('; ')}`, {
      instance: url,
      issues,
    }),
  );
}

/** A 400 for a body of the wrong shape (an array, or a batch where one record is expected). */
function sendBodyShapeProblem(reply: FastifyReply, url: string, message: string): FastifyReply {
  return sendProblem(
    reply,
    problem(400, 'request.invalid', message, {
      instance: url,
      issues: [{ code: 'request.invalid', path: '', message }],
    }),
  );
}
