/** Exchange and assistance endpoints: postal XML in and out, EU/US datasets, HS classification. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { responseWithInformation, submitBatch, type PipelineDeps } from '../clearance/index.js';
import { classifyBatch, loadClassifier } from '../classify/index.js';
import { requestIdentity } from '../access/index.js';
import { ParcelgateError } from '../domain/index.js';
import type { ExchangeStore } from '../store/index.js';
import {
  parsePostalItemXml,
  postalItemIssues,
  toCustomsResponseXml,
  toEntryType86,
  toH7,
  toPlaci,
  validateH7,
  validatePlaci,
  validateT86,
} from '../exchange/index.js';
import { problem, sendProblem } from './problem.js';
import { registerFormatRoutes } from './routes-formats.js';
import { submittedFor, viewFor } from './submitter-view.js';

type Deps = PipelineDeps & { clock: () => Date; exchange?: ExchangeStore };

const idParam = Type.Object({ id: Type.String() });

/** Registers /v1/postal/items, /v1/consignments/:id/datasets/:format, /v1/consignments/:id/response.xml, /v1/classify. */
export function registerExchangeRoutes(app: FastifyInstance, deps: Deps): void {
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/postal/items',
    {
      schema: {
        tags: ['exchange'],
        summary: 'Submit postal item data (ITMATT/CUSITM-style XML, CN22/CN23 content)',
        description:
          'Each item is validated and submitted like a consignment record; see docs/formats/postal.md.',
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string') {
        return sendProblem(reply, problem(415, 'request.unsupported-media-type', 'send application/xml'));
      }
      // Checked by intake here too, so a rejected item lists every issue, each named by element.
      const parsed = parsePostalItemXml(req.body, { hs: deps.snapshot().hs });
      if (parsed.issues.length > 0) {
        return sendProblem(
          reply,
          problem(422, 'consignment.rejected', 'the XML document is not acceptable', {
            issues: parsed.issues,
          }),
        );
      }
      const { actor, submitterId } = requestIdentity(req, 'submitter');
      const ctx = {
        actor,
        submitterId,
        now: deps.clock().toISOString(),
        requestId: req.id,
      };
      // An item the reader found fault with (a value it cannot read, a repeated or unknown element) is
      // rejected whole: never stored without the faulty field. The others are submitted, and what
      // submission finds wrong is named by element too.
      const clean = parsed.records.filter((r) => r.issues === undefined && r.value !== undefined);
      const submitted = await submitBatch(
        ctx,
        clean.map((r) => r.value),
        deps,
      );
      const shown = submittedFor(submitted);
      const byItem = new Map(clean.map((r, i) => [r.index, shown[i]!]));
      return {
        results: parsed.records.map((r) => {
          const s = byItem.get(r.index);
          if (s === undefined) return { index: r.index, status: 'rejected', issues: r.issues ?? [] };
          const issues = s.issues === undefined ? undefined : postalItemIssues(r.index, s.issues);
          return { ...s, index: r.index, ...(issues === undefined ? {} : { issues }) };
        }),
      };
    },
  );

  app.get(
    '/v1/consignments/:id/response.xml',
    { schema: { tags: ['exchange'], summary: 'The customs response as CUSRSP-style XML', params: idParam } },
    async (req, reply) => {
      const c = await deps.store.get((req.params as { id: string }).id);
      if (!c) throw new ParcelgateError('consignment.not-found', 'no such consignment', 404);
      // The item id from the reader's own records, as its JSON view (viewFor) shows them.
      const itemId = viewFor(req, c).merged.transportDocument?.id ?? c.id;
      reply.type('application/xml');
      // With the open request for information (what is wanted, where to answer) when there is one.
      const response = await responseWithInformation(deps.store, c);
      return toCustomsResponseXml([response], { itemIds: { [c.id]: itemId } });
    },
  );

  app.get(
    '/v1/consignments/:id/datasets/:format',
    {
      schema: {
        tags: ['exchange'],
        summary:
          'The consignment as an EU H7 declaration, an ICS2 PLACI house filing or a US Entry Type 86, with validation',
        params: Type.Object({
          id: Type.String(),
          format: Type.Union([Type.Literal('h7'), Type.Literal('placi'), Type.Literal('t86')]),
        }),
      },
    },
    async (req) => {
      const { id, format } = req.params as { id: string; format: 'h7' | 'placi' | 't86' };
      const c = await deps.store.get(id);
      if (!c) throw new ParcelgateError('consignment.not-found', 'no such consignment', 404);
      // A submitter's dataset is made of its own records (submitter-view.ts).
      const merged = viewFor(req, c).merged;
      if (format === 'h7') {
        const h7 = toH7(merged, c.assessment.revenue);
        return { format, dataset: h7, issues: validateH7(h7) };
      }
      if (format === 'placi') {
        const p = toPlaci(merged);
        return { format, dataset: p, issues: validatePlaci(p) };
      }
      const t = toEntryType86(merged);
      return { format, dataset: t, issues: validateT86(t, { on: deps.clock().toISOString().slice(0, 10) }) };
    },
  );

  registerFormatRoutes(app, deps);

  app.post(
    '/v1/classify',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Suggest HS 2022 codes for goods descriptions (batch of up to 1,000)',
        body: Type.Object(
          { descriptions: Type.Array(Type.String({ maxLength: 1000 }), { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { descriptions } = req.body as { descriptions: string[] };
      return { results: classifyBatch(loadClassifier(), descriptions) };
    },
  );
}
