/**
 * Identity and access for the HTTP API: bearer API keys and signed sessions, the role table enforced
 * on every route, submitters confined to their own consignments, per-key rate limits, and audit
 * entries for decisions and personal-data reads. Installed by buildApp before any route.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { AuditLog } from '../audit/index.js';
import { ParcelgateError } from '../domain/index.js';
import type { SecurityStore } from '../secstore/index.js';
import type { ClearanceStore } from '../store/index.js';
import { keyActive, parseKey, secretMatches } from './api-keys.js';
import { accessErrorCodes } from './error-codes.js';
import { auditNotesOf, principalOf, readPersonalData, setPrincipal } from './principal.js';
import { allows, ruleFor, smallBodyLimitBytes, type RouteRule } from './permissions.js';
import { isRole, type Principal } from './roles.js';
import { newSessionId, signSession, verifySession } from './sessions.js';
import {
  consoleRequestHeader,
  readCookie,
  sessionCookie,
  sessionCookieName,
  unsafeMethod,
} from './session-cookie.js';

/** Configuration of identity and access: the `access` field of AppDeps. */
export interface AccessConfig {
  /**
   * `keys`: every route not marked public needs `Authorization: Bearer <key or session>`.
   * `open`: no authentication; identity comes from `x-submitter-id` / `x-actor` as without access
   * configuration, but decisions and personal-data reads are still audited.
   */
  mode: 'open' | 'keys';
  store: SecurityStore;
  /** Requests per key (per client address without a key) per window. Default in keys mode 1,200 a minute; off in open mode. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** Session lifetime in seconds (default 8 hours). */
  sessionTtlSeconds?: number;
  /** Seconds a looked-up key is cached; a revocation takes effect within this (default 5). */
  keyCacheSeconds?: number;
}

/** One registered route, as collected by the onRoute hook. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on the app (HEAD routes included), for the role-table test. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

function refuse(reply: FastifyReply, status: number, code: string, detail: string, url: string) {
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
  return reply
    .code(status)
    .headers(headers)
    .type('application/problem+json')
    .send({
      type: `urn:parcelgate:problem:${code}`,
      title: accessErrorCodes[code] ?? code,
      status,
      code,
      detail,
      instance: url,
    });
}

const actorOf = (role: string, operatorId: string): string =>
  role === 'submitter' ? operatorId : `${role}:${operatorId}`;

/** What installAccess returns: the audit log (when configured) and the mode in force. */
export interface AccessRuntime {
  mode: 'open' | 'keys';
  audit?: AuditLog;
}

/** Collects every route registered from now on (call first, before any plugin registers routes). */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) routes.push({ method: m, url: r.url });
    // Only bulk intake routes take large bodies; the rest are capped small (abuse limit).
    const rule = ruleFor(methods[0]!, r.url);
    if (!rule?.bulk && r.bodyLimit === undefined) r.bodyLimit = smallBodyLimitBytes;
  });
}

/**
 * Installs the access hooks and the identity routes (/v1/whoami always; /v1/sessions and /v1/audit
 * when configured). Must run before the API's routes are registered.
 */
export async function installAccess(
  app: FastifyInstance,
  opts: { config?: AccessConfig | undefined; store: ClearanceStore; clock: () => Date },
): Promise<AccessRuntime> {
  const config = opts.config;
  const mode = config?.mode ?? 'open';

  // Before any route: the limiter attaches itself to routes as they are registered, as a route-level
  // onRequest hook. Route-level hooks run after the app's, so the key is known (the access hook below
  // sets it), and the limiter counts a request before its body is parsed and before the ownership
  // check, whose 404 would otherwise end the request uncounted (ids could be probed without limit).
  const limit =
    config?.rateLimit === undefined
      ? mode === 'keys'
        ? { max: 1200, timeWindowMs: 60_000 }
        : false
      : config.rateLimit;
  if (limit) {
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      keyGenerator: (req) => principalOf(req).keyId ?? `ip:${req.ip}`,
      errorResponseBuilder: (_req, ctx) =>
        new ParcelgateError(
          'access.rate-limited',
          `more than ${ctx.max} requests in ${ctx.after}; retry after ${ctx.after}`,
          429,
          { retryAfter: ctx.after },
        ),
    });
  }

  app.get(
    '/v1/whoami',
    {
      schema: {
        tags: ['system'],
        summary: 'Who the request acts as: auth mode, actor, role, operator id',
        response: {
          200: Type.Object({
            authMode: Type.Union([Type.Literal('open'), Type.Literal('keys')]),
            actor: Type.String(),
            role: Type.Union([Type.String(), Type.Null()]),
            operatorId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return { authMode: mode, actor: p.actor, role: p.role, operatorId: p.operatorId };
    },
  );
  if (!config) return { mode };

  const store = config.store;
  const audit = new AuditLog(store, opts.clock);
  const cacheMs = (config.keyCacheSeconds ?? 5) * 1000;
  const cache = new Map<string, { key: Awaited<ReturnType<SecurityStore['getKey']>>; until: number }>();
  const lookup = async (id: string) => {
    const hit = cache.get(id);
    const now = Date.now();
    if (hit && hit.until > now) return hit.key;
    const key = await store.getKey(id);
    if (cache.size > 10_000) cache.clear();
    cache.set(id, { key, until: now + cacheMs });
    return key;
  };
  const sessionSecret = Buffer.from(
    await store.initSetting('session.secret', randomBytes(32).toString('hex')),
    'hex',
  );
  const sessionTtl = config.sessionTtlSeconds ?? 8 * 3600;
  // Sessions ended by signing out: `session.ended.<sid>` settings (shared by every process), cached
  // like keys; this process knows its own sign-outs at once.
  const ended = new Set<string>();
  const endedCache = new Map<string, { ended: boolean; until: number }>();
  const sessionEnded = async (sid: string): Promise<boolean> => {
    if (ended.has(sid)) return true;
    const hit = endedCache.get(sid);
    const now = Date.now();
    if (hit && hit.until > now) return hit.ended;
    const isEnded = (await store.getSetting(`session.ended.${sid}`)) !== undefined;
    if (endedCache.size > 10_000) endedCache.clear();
    endedCache.set(sid, { ended: isEnded, until: now + cacheMs });
    return isEnded;
  };

  /** The principal of a bearer credential, or undefined when it is not valid now. */
  const authenticate = async (token: string, sessionOnly = false): Promise<Principal | undefined> => {
    const now = opts.clock();
    let keyId: string;
    let via: Principal['via'] = 'key';
    const parsed = parseKey(token);
    if (parsed && sessionOnly) return undefined;
    if (parsed) keyId = parsed.id;
    else {
      const claims = verifySession(token, sessionSecret, now.getTime());
      if (!claims || (await sessionEnded(claims.sid))) return undefined;
      keyId = claims.keyId;
      via = 'session';
    }
    const key = await lookup(keyId);
    if (!key || !keyActive(key, now.toISOString()) || !isRole(key.role)) return undefined;
    if (parsed && !secretMatches(parsed.secret, key.secretHash)) return undefined;
    return {
      actor: actorOf(key.role, key.operatorId),
      role: key.role,
      operatorId: key.operatorId,
      keyId,
      via,
    };
  };

  const rules = new WeakMap<FastifyRequest, RouteRule>();

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // no such route: the not-found handler answers
    const rule = ruleFor(req.method, url);
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const principal = m ? await authenticate(m[1]!) : undefined;
      if (!principal && mode === 'keys')
        return refuse(reply, 401, 'access.invalid-key', 'the API key or session is not valid', req.url);
      if (principal) setPrincipal(req, principal);
    } else {
      // The console's session cookie (HttpOnly, SameSite=Strict): a session token, never a key.
      const cookie = readCookie(req.headers.cookie, sessionCookieName);
      if (cookie !== undefined && cookie !== '') {
        const principal = await authenticate(cookie, true);
        if (!principal && mode === 'keys' && rule?.allow !== 'public') {
          reply.header('set-cookie', sessionCookie('', 0, req.protocol === 'https'));
          return refuse(
            reply,
            401,
            'access.invalid-key',
            'the session has expired, was ended or is not valid: sign in again',
            req.url,
          );
        }
        if (principal) {
          if (
            unsafeMethod(req.method) &&
            req.headers[consoleRequestHeader] !== '1' &&
            rule?.allow !== 'public'
          )
            return refuse(
              reply,
              403,
              'access.console-header',
              `a change made with the session cookie must carry the ${consoleRequestHeader}: 1 header`,
              req.url,
            );
          setPrincipal(req, principal);
        }
      }
    }
    if (mode === 'open') {
      if (rule) rules.set(req, rule);
      return;
    }
    if (!rule)
      return refuse(reply, 403, 'access.unmapped-route', `${req.method} ${url} has no access rule`, req.url);
    rules.set(req, rule);
    if (rule.allow === 'public') return;
    const p = principalOf(req);
    if (p.via === 'open')
      return refuse(reply, 401, 'access.unauthenticated', 'send Authorization: Bearer <api key>', req.url);
    if (!allows(rule, p.role))
      return refuse(
        reply,
        403,
        'access.forbidden',
        `role ${p.role} may not call ${req.method} ${url}`,
        req.url,
      );
  });

  // Submitters see only their own consignments: a foreign or missing id is the same 404.
  app.addHook('preHandler', async (req) => {
    const rule = rules.get(req);
    const p = principalOf(req);
    if (!rule?.own || p.role !== 'submitter' || p.operatorId === null) return;
    const params = req.params as { id?: string } | undefined;
    if (params?.id !== undefined) {
      const c = await opts.store.get(params.id);
      const owns =
        c !== undefined &&
        (c.submitterId === p.operatorId || c.sources.some((s) => s.submitterId === p.operatorId));
      if (!owns) throw new ParcelgateError('consignment.not-found', `no consignment ${params.id}`, 404);
    } else if (req.method === 'GET') {
      (req.query as Record<string, unknown>).submitter = p.operatorId;
    }
  });

  // Audit before the answer leaves: officer decisions and reads of personal data.
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode >= 300) return payload;
    const rule = rules.get(req);
    const url = req.routeOptions.url;
    const notes = auditNotesOf(req);
    for (const note of notes) {
      await audit.record({
        actor: principalOf(req).actor,
        action: note.action,
        subject: note.subject,
        data: { ...note.data, route: `${req.method} ${url}`, requestId: req.id },
      });
    }
    let id = (req.params as { id?: string } | undefined)?.id;
    if (rule?.audit !== undefined) {
      const body = req.body as { id?: unknown } | undefined;
      id ??= typeof body?.id === 'string' ? body.id : undefined;
      // A route that wrote its rule's entry itself, with what changed, gets no second, bare one.
      if (!notes.some((n) => n.action === rule.audit))
        await audit.record({
          actor: principalOf(req).actor,
          action: rule.audit,
          subject: id ?? url ?? '',
          data: { route: `${req.method} ${url}`, requestId: req.id },
        });
      return payload;
    }
    // A personal-data route without an id (an export) is audited under its route, with its query
    // (what was exported, and which data classes were scrubbed).
    const exported = id === undefined && rule?.personalData === true;
    if (exported) id = `${req.method} ${url}`;
    if (id === undefined || !rule) return payload;
    const actor = principalOf(req).actor;
    if (url === '/v1/consignments/:id/decisions') {
      const b = req.body as { action?: string; reason?: string; finding?: string };
      await audit.record({
        actor,
        action: 'decision.recorded',
        subject: id,
        data: {
          action: b.action,
          reason: b.reason,
          ...(b.finding ? { finding: b.finding } : {}),
          requestId: req.id,
        },
      });
    } else if (rule.personalData || readPersonalData(req)) {
      await audit.record({
        actor,
        action: 'personal-data.read',
        subject: id,
        data: {
          route: `${req.method} ${url}`,
          requestId: req.id,
          ...(exported ? { query: req.query as Record<string, unknown> } : {}),
        },
      });
    }
    return payload;
  });

  app.post(
    '/v1/sessions',
    {
      schema: {
        tags: ['system'],
        summary: 'Exchange an API key for a signed console session, valid for hours',
        description:
          'Answers a session token to send as `Authorization: Bearer <token>`; with `{"cookie": true}` it ' +
          `sets it instead as the ${sessionCookieName} cookie (HttpOnly, SameSite=Strict, Path=/v1) and ` +
          'leaves it out of the answer, so that page scripts never hold it (the console signs in this way).',
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (!p.keyId || p.via !== 'key')
        return refuse(reply, 401, 'access.unauthenticated', 'a session is opened with an API key', req.url);
      const exp = Math.floor(opts.clock().getTime() / 1000) + sessionTtl;
      const token = signSession({ keyId: p.keyId, exp, sid: newSessionId() }, sessionSecret);
      const expiresAt = new Date(exp * 1000).toISOString();
      // Body `{"cookie": true}` (optional: without a body the token is answered).
      if ((req.body as { cookie?: unknown } | null | undefined)?.cookie === true) {
        reply.header('set-cookie', sessionCookie(token, sessionTtl, req.protocol === 'https'));
        return reply.code(201).send({ expiresAt, cookie: true });
      }
      return reply.code(201).send({ token, expiresAt });
    },
  );

  app.delete(
    '/v1/sessions',
    {
      schema: {
        tags: ['system'],
        summary: 'Sign out: end the session presented (cookie or Bearer token) and clear the cookie',
        description:
          'The session is refused from then on by every process sharing the security store (within the ' +
          'key cache time). Answers 204 whether or not a valid session was presented.',
      },
    },
    async (req, reply) => {
      const bearer = /^Bearer\s+(pgs\.\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? readCookie(req.headers.cookie, sessionCookieName);
      const claims = token ? verifySession(token, sessionSecret, opts.clock().getTime()) : undefined;
      if (claims) {
        if (ended.size >= 10_000) ended.clear(); // the settings rows still hold them
        ended.add(claims.sid);
        await store.initSetting(`session.ended.${claims.sid}`, new Date(claims.exp * 1000).toISOString());
      }
      reply.header('set-cookie', sessionCookie('', 0, req.protocol === 'https'));
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['system'],
        summary: 'Audit log entries in chain order (auditors)',
        querystring: Type.Object({
          after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as { after?: number; limit?: number };
      return { entries: await store.readAudit(q.after ?? 0, q.limit ?? 100) };
    },
  );
  app.get(
    '/v1/audit/verify',
    {
      schema: {
        tags: ['system'],
        summary: 'Verify the audit chain and the sealed clearance events (auditors)',
      },
    },
    async () => audit.verify(),
  );
  return { mode, audit };
}
