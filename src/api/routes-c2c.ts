/** Customs-to-customs: signed export data in, findings back; the data-sharing agreements behind them. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import {
  AgreementBook,
  DataSharingAgreement,
  receiveExportData,
  type StoredAgreement,
} from '../exchange/index.js';
import type { ExchangeStore } from '../store/index.js';
import { exchangeOf } from './routes-notify.js';
import { principalOf, requestIdentity } from '../access/index.js';
import type { RegistryServices } from './registry-services.js';

/** This administration's agreements (from a file; stored ones come first) and identity (its findings key is optional). */
export interface C2cSettings {
  agreements: readonly DataSharingAgreement[];
  administration: { operatorId: string; keyId?: string; privateKeyPem?: string };
}

type Deps = PipelineDeps & {
  exchange?: ExchangeStore;
  clock: () => Date;
  c2c?: C2cSettings;
  registry?: RegistryServices;
};

const tags = ['customs-to-customs'];
const idParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const versionQuery = Type.Object(
  { expectVersion: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

function bookOf(deps: Deps): AgreementBook {
  if (deps.registry === undefined)
    throw new ParcelgateError('registry.unavailable', 'this server runs without the registry store', 503);
  return new AgreementBook(deps.registry.store);
}

/** A submitter (an administration's key) sees only agreements it is a party to; staff see all. */
function partyOf(req: FastifyRequest): string | undefined {
  const p = principalOf(req);
  return p.role === 'submitter' ? (p.operatorId ?? p.actor) : undefined;
}

/** The agreements in force for receiving: stored ones, then file ones whose id is not stored. */
async function agreementsOf(deps: Deps, settings: C2cSettings): Promise<DataSharingAgreement[]> {
  const stored = deps.registry ? await new AgreementBook(deps.registry.store).agreements() : [];
  const ids = new Set(stored.map((a) => a.id));
  return [...stored, ...settings.agreements.filter((a) => !ids.has(a.id))];
}

/** Registers POST /v1/customs/export-data and /v1/customs/agreements…. */
export function registerC2cRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/v1/customs/export-data',
    {
      schema: {
        tags,
        summary: "Receive an origin administration's signed export data; answers the findings (signed)",
        description:
          'The sender (x-submitter-id) is the origin administration; its key must be registered for export-data and ' +
          'an agreement must be in force. See docs/formats/customs-to-customs.md.',
        body: Type.Object(
          {
            keyId: Type.String({ maxLength: 100 }),
            payload: Type.String({ maxLength: 2_000_000 }),
            signature: Type.String({ maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      if (deps.c2c === undefined)
        throw new ParcelgateError(
          'c2c.unavailable',
          'no data-sharing agreements are configured on this server',
          503,
        );
      const submitter = requestIdentity(req, 'submitter').submitterId;
      return receiveExportData(
        {
          exchange: exchangeOf(deps),
          pipeline: deps,
          agreements: await agreementsOf(deps, deps.c2c),
          administration: deps.c2c.administration,
        },
        req.body as { keyId: string; payload: string; signature: string },
        { actor: submitter, submitterId: submitter, now: deps.clock().toISOString(), requestId: req.id },
      );
    },
  );

  app.post(
    '/v1/customs/agreements',
    {
      schema: {
        tags,
        summary: 'Register a data-sharing agreement (validated; the change is audited)',
        description:
          'Fields are JSON Pointer prefixes of the consignment. See docs/formats/customs-to-customs.md.',
        body: Type.Unknown(),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req).actor;
      const stored = await bookOf(deps).create(req.body, actor, deps.clock().toISOString());
      return reply.code(201).send(stored);
    },
  );

  app.get(
    '/v1/customs/agreements',
    {
      schema: {
        tags,
        summary: 'Data-sharing agreements (an administration key sees those it is a party to)',
      },
    },
    async (req) => ({ agreements: await bookOf(deps).list(partyOf(req)) }),
  );

  const visible = async (req: FastifyRequest): Promise<StoredAgreement> => {
    const id = (req.params as { id: string }).id;
    const s = await bookOf(deps).get(id);
    const party = partyOf(req);
    if (
      s === undefined ||
      (party !== undefined && s.agreement.origin !== party && s.agreement.destination !== party)
    )
      throw new ParcelgateError('c2c.agreement-not-found', `no data-sharing agreement ${id}`, 404);
    return s;
  };

  app.get(
    '/v1/customs/agreements/:id',
    {
      schema: {
        tags,
        summary: 'One data-sharing agreement with its version and change history',
        params: idParam,
      },
    },
    async (req) => visible(req),
  );

  app.put(
    '/v1/customs/agreements/:id',
    {
      schema: {
        tags,
        summary: 'Replace a data-sharing agreement (validated; optimistic with expectVersion; audited)',
        params: idParam,
        querystring: versionQuery,
        body: Type.Unknown(),
      },
    },
    async (req) => {
      const { expectVersion } = req.query as { expectVersion?: number };
      return bookOf(deps).replace(
        (req.params as { id: string }).id,
        req.body,
        principalOf(req).actor,
        deps.clock().toISOString(),
        expectVersion,
      );
    },
  );

  app.delete(
    '/v1/customs/agreements/:id',
    {
      schema: {
        tags,
        summary: 'Remove a data-sharing agreement: export data quoting it is refused from now on (audited)',
        params: idParam,
        querystring: versionQuery,
      },
    },
    async (req) => {
      const { expectVersion } = req.query as { expectVersion?: number };
      const removed = await bookOf(deps).remove((req.params as { id: string }).id, expectVersion);
      return { removed: removed.agreement.id, version: removed.version };
    },
  );
}
