/** Format endpoints: EMSEVT-style item events out, EU H7 declarations and ICS2 PLACI filings in. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { principalOf, requestIdentity } from '../access/index.js';
import {
  importH7,
  importPlaci,
  importT86,
  itemEventsOfConsignment,
  itemEventsOfFeed,
  itemIdOf,
  toItemEventsXml,
} from '../exchange/index.js';
import type { ExchangeStore } from '../store/index.js';
import { problem, sendProblem } from './problem.js';
import { exchangeOf } from './routes-notify.js';
import { feedQueryErrors, maxFeedLimit, refuseCursorAhead } from './feed-cursor.js';
import { asSubmitter, submittedFor, submitterEvents, submitterView, viewFor } from './submitter-view.js';

type Deps = PipelineDeps & { exchange?: ExchangeStore; clock: () => Date };

const tags = ['exchange'];

/** Registers /v1/consignments/:id/events.xml, /v1/postal/events.xml, /v1/datasets/h7, /v1/datasets/placi and /v1/datasets/t86. */
export function registerFormatRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/v1/consignments/:id/events.xml',
    {
      schema: {
        tags,
        summary: 'The clearance events of a consignment as EMSEVT-style item events',
        description: 'Internal events without an EMSEVT code are left out; see docs/formats/postal.md.',
        params: Type.Object({ id: Type.String() }),
      },
    },
    async (req, reply) => {
      const c = await deps.store.get((req.params as { id: string }).id);
      if (!c) throw new ParcelgateError('consignment.not-found', 'no such consignment', 404);
      const events = await deps.store.events(c.id);
      // A submitter reads the events as in GET …/events (a linked party: no officer reason).
      const shown = asSubmitter(req) ? submitterEvents(events, c, principalOf(req).operatorId) : events;
      reply.type('application/xml');
      // The item id from the reader's own records, as its JSON view (viewFor) shows them.
      return toItemEventsXml(itemEventsOfConsignment(viewFor(req, c), shown));
    },
  );

  app.get(
    '/v1/postal/events.xml',
    {
      schema: {
        tags,
        summary: "EMSEVT-style item events of the caller's consignments after a feed cursor",
        description:
          'Same cursor as /v1/feed: pass the `parcelgate-next-after` response header as `after` to continue.',
        querystring: Type.Object(
          {
            after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxFeedLimit, default: 100 })),
          },
          { additionalProperties: false },
        ),
      },
      // The feed's codes for a bad `after` or `limit` (feed.invalid-cursor, feed.invalid-limit).
      schemaErrorFormatter: feedQueryErrors,
    },
    async (req, reply) => {
      const q = req.query as { after?: number; limit?: number };
      const viewer = requestIdentity(req, 'submitter').submitterId;
      const after = q.after ?? 0;
      const events = await exchangeOf(deps).eventsSince(after, q.limit ?? 100, { submitterId: viewer });
      if (events.length === 0) await refuseCursorAhead(after, () => exchangeOf(deps).latestSeq());
      const items = await itemEventsOfFeed(deps.store, events, viewer, (c) =>
        itemIdOf(submitterView(c, viewer)),
      );
      reply.header('parcelgate-next-after', String(events[events.length - 1]?.seq ?? after));
      reply.type('application/xml');
      return toItemEventsXml(items);
    },
  );

  app.post(
    '/v1/datasets/h7',
    {
      schema: {
        tags,
        summary: 'Import EU H7 declarations (JSON, one or an array): all or none',
        description:
          'Each declaration becomes a declaration record. A file with any issue is refused whole (422), each ' +
          'issue naming the data element (`DE 18 09[2]`, `[3] DE 13 16` for the fourth document). ' +
          'See docs/formats/eu-us-datasets.md.',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      const { actor, submitterId } = requestIdentity(req, 'submitter');
      const ctx = { actor, submitterId, now: deps.clock().toISOString(), requestId: req.id };
      const out = await importH7(req.body, deps, ctx);
      if (!out.ok)
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', 'the H7 file is not acceptable; nothing was imported', {
            issues: out.issues,
          }),
        );
      return { results: submittedFor(out.results) };
    },
  );

  app.post(
    '/v1/datasets/t86',
    {
      schema: {
        tags,
        summary: 'Import US Entry Type 86 entries (JSON, one or an array): all or none',
        description:
          'Each entry becomes a declaration record. A file with any issue is refused whole (422), each issue ' +
          'naming the element (`/T86/Line[0]/HTSNumber`, `[2] /T86/BillOfLading` for the third entry). ' +
          'See docs/formats/eu-us-datasets.md.',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      const { actor, submitterId } = requestIdentity(req, 'submitter');
      const ctx = { actor, submitterId, now: deps.clock().toISOString(), requestId: req.id };
      const out = await importT86(req.body, deps, ctx);
      if (!out.ok)
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', 'the Type 86 file is not acceptable; nothing was imported', {
            issues: out.issues,
          }),
        );
      return { results: submittedFor(out.results) };
    },
  );

  app.post(
    '/v1/datasets/placi',
    {
      schema: {
        tags,
        summary: 'Read ICS2 PLACI house filings (JSON, one or an array) into the canonical fields they carry',
        description:
          'Checks each filing (issues name the PLACI element) and answers the canonical fields; PLACI has no ' +
          'values or quantities, so nothing is stored. See docs/formats/eu-us-datasets.md.',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      const out = importPlaci(req.body);
      if (!out.ok)
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', 'the PLACI file is not acceptable', { issues: out.issues }),
        );
      return { records: out.results };
    },
  );
}
