/** Customs-to-customs: signed export data in, signed findings back. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { receiveExportData, type DataSharingAgreement } from '../exchange/index.js';
import type { ExchangeStore } from '../store/index.js';
import { exchangeOf } from './routes-notify.js';

/** This administration's agreements and identity (its findings key is optional). */
export interface C2cSettings {
  agreements: readonly DataSharingAgreement[];
  administration: { operatorId: string; keyId?: string; privateKeyPem?: string };
}

type Deps = PipelineDeps & { exchange?: ExchangeStore; clock: () => Date; c2c?: C2cSettings };

/** Registers POST /v1/customs/export-data. */
export function registerC2cRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/v1/customs/export-data',
    {
      schema: {
        tags: ['customs-to-customs'],
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
      const submitter = String(req.headers['x-submitter-id'] ?? 'anonymous');
      return receiveExportData(
        { exchange: exchangeOf(deps), pipeline: deps, ...deps.c2c },
        req.body as { keyId: string; payload: string; signature: string },
        { actor: submitter, submitterId: submitter, now: deps.clock().toISOString(), requestId: req.id },
      );
    },
  );
}
