/**
 * API-key management over the API (admins): create, list, rotate and revoke, as the `keys` CLI does.
 * The plaintext key is in the answer to create and rotate only; the store keeps its SHA-256. Every
 * change is an audit entry (`key.created`, `key.rotated`, `key.revoked`) naming the acting admin.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { KeyManager, checkKeyExpiry, principalOf, roles, type AccessConfig } from '../access/index.js';
import { AuditLog } from '../audit/index.js';
import { ParcelgateError } from '../domain/index.js';
import type { ApiKeyRecord } from '../secstore/index.js';
import type { RegistryServices } from './registry-services.js';
import { optionalStrings } from './query-schemas.js';

const tags = ['system'];
const idParam = Type.Object({ id: Type.String({ pattern: '^key_[a-z0-9]{16}$' }) });
const keyListQuery = Type.Object({
  ...optionalStrings('operator', 'role'),
  status: Type.Optional(
    Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
  ),
});

/** A stored key as the API shows it: never the secret's hash; with its status now. */
export function keyView(k: ApiKeyRecord, now: string) {
  const { secretHash: _hash, ...rest } = k;
  const status = k.revokedAt ? 'revoked' : k.expiresAt !== null && k.expiresAt <= now ? 'expired' : 'active';
  return { ...rest, status };
}

/** Registers /v1/api-keys… (only when access is configured: keys live in its security store). */
export function registerKeyRoutes(
  app: FastifyInstance,
  deps: { access?: AccessConfig | undefined; registry?: RegistryServices | undefined; clock: () => Date },
): void {
  if (!deps.access) return;
  const store = deps.access.store;
  const audit = new AuditLog(store, deps.clock);
  const keys = new KeyManager(
    store,
    async (action, subject, actor, data) => {
      await audit.record({ actor, action, subject, data });
    },
    deps.clock,
  );
  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags,
        summary:
          'Issue an API key for an operator (submitters: a registered operator id) or a staff user; the key is shown once',
        body: Type.Object(
          {
            role: Type.Union(roles.map((r) => Type.Literal(r))),
            operatorId: Type.String({ pattern: '^[A-Za-z0-9:._@-]{1,80}$' }),
            label: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const b = req.body as { role: string; operatorId: string; label?: string; expiresAt?: string };
      checkKeyExpiry(b.expiresAt, deps.clock());
      // A submitter key acts for an operator of the registry: it must exist (when the server has one).
      if (b.role === 'submitter' && deps.registry) {
        try {
          await deps.registry.operators.get(b.operatorId);
        } catch (e) {
          if (e instanceof ParcelgateError && e.code === 'operator.not-found') {
            // 422, not 404: the endpoint exists; a field of the request names an unknown operator.
            const message = `no operator ${b.operatorId}: register it before issuing it a key`;
            throw new ParcelgateError('operator.not-found', message, 422, {
              issues: [{ code: 'operator.not-found', path: '/operatorId', message }],
            });
          }
          throw e;
        }
      }
      const { record, plaintext } = await keys.create({
        role: b.role,
        operatorId: b.operatorId,
        actor: principalOf(req).actor,
        ...(b.label ? { label: b.label } : {}),
        ...(b.expiresAt ? { expiresAt: new Date(b.expiresAt).toISOString() } : {}),
      });
      return reply.code(201).send({ ...keyView(record, deps.clock().toISOString()), key: plaintext });
    },
  );
  app.get(
    '/v1/api-keys',
    {
      schema: {
        tags,
        summary: 'API keys with role, operator, label and status (never the secret)',
        querystring: keyListQuery,
      },
    },
    async (req) => {
      const q = req.query as Static<typeof keyListQuery>;
      const now = deps.clock().toISOString();
      const items = (await keys.list())
        .map((k) => keyView(k, now))
        .filter(
          (k) =>
            (q.operator === undefined || k.operatorId === q.operator) &&
            (q.role === undefined || k.role === q.role) &&
            (q.status === undefined || k.status === q.status),
        );
      return { items };
    },
  );
  app.post(
    '/v1/api-keys/:id/rotate',
    {
      schema: {
        tags,
        summary:
          'Replace a key by a new one (same role and operator, shown once); the old one keeps working for the overlap',
        params: idParam,
        querystring: Type.Object({
          overlapHours: Type.Number({
            minimum: 0,
            maximum: 720,
            default: 24,
            description: 'Hours the old key keeps working',
          }),
        }),
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const hours = (req.query as { overlapHours: number }).overlapHours;
      const r = await keys.rotate(id, principalOf(req).actor, Math.round(hours * 3600));
      return reply.code(201).send({
        ...keyView(r.record, deps.clock().toISOString()),
        key: r.plaintext,
        replaces: id,
        oldKeyExpiresAt: r.oldExpiresAt,
      });
    },
  );
  app.post(
    '/v1/api-keys/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a key at once (servers drop their cached copy within the key cache time)',
        params: idParam,
        querystring: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (req) => {
      const reason = (req.query as { reason?: string }).reason;
      const k = await keys.revoke((req.params as { id: string }).id, principalOf(req).actor, reason);
      return keyView(k, deps.clock().toISOString());
    },
  );
}
