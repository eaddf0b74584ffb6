/** buildApp(deps): the Fastify server, built without listening so tests can inject requests. */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { installAccess, trackRoutes, type AccessConfig } from '../access/index.js';
import { ParcelgateError } from '../domain/index.js';
import { installDrainGate, registerReadiness } from '../ops/readiness.js';
import type { PipelineDeps } from '../clearance/index.js';
import { createMetrics } from './metrics.js';
import { registerQueueMetrics, trackIngestInFlight } from './queue-metrics.js';
import { installJsonBodyParser } from './json-body.js';
import { problem, sendProblem } from './problem.js';
import { problemTitle } from './error-titles.js';
import {
  maxListedIssues,
  problemCodeOf,
  validationIssues,
  type AjvError,
  type CodedValidationError,
} from './validation-issues.js';
import { installStrictRequests, takeControlCharacterIssues } from './strict-requests.js';
import { problemComponent, withDocumentedResponses } from './openapi-responses.js';
import { registerConsignmentRoutes } from './routes-consignments.js';
import { registerExchangeRoutes } from './routes-exchange.js';
import { registerRuleRoutes } from './routes-rules.js';
import { registerSystemRoutes } from './routes-system.js';
import { registerConsoleRoutes } from './routes-console.js';
import { registerClaimRoutes } from './routes-claims.js';
import { registerNotifyRoutes } from './routes-notify.js';
import { registerThreeDocRoutes } from './routes-three-docs.js';
import { registerC2cRoutes, type C2cSettings } from './routes-c2c.js';
import { registerBulkRoutes } from './routes-bulk.js';
import { registerExportRoutes } from './routes-exports.js';
import type { ExchangeStore } from '../store/index.js';
import { isStoreUnavailable } from '../store/error-codes.js';
import type { DestinationPolicy, Tolerances } from '../exchange/index.js';
import { registerOperatorRoutes } from './routes-operators.js';
import { registerPartnershipRoutes } from './routes-partnership.js';
import { registerReturnAndQualityRoutes } from './routes-returns.js';
import { registerRevenueRoutes } from './routes-revenue.js';
import { registerSelfRoutes } from './routes-self.js';
import { registerKeyRoutes } from './routes-keys.js';
import type { RegistryServices } from './registry-services.js';
import { rejectionRecorder } from '../quality/index.js';
import { registerScreeningRoutes, type ScreeningDeps } from '../screening/index.js';

/** What the API needs: the pipeline's store and snapshot, a clock, and options. */
export interface AppDeps extends PipelineDeps {
  clock?: () => Date;
  logger?: boolean | object;
  bodyLimitBytes?: number;
  /** Identity, access and audit (docs/security.md). Absent: open mode, identity from headers. */
  access?: AccessConfig;
  exchange?: ExchangeStore;
  /** Where webhook subscriptions may point (default: public addresses only; docs/notifications.md). */
  webhookDestinations?: DestinationPolicy;
  tolerances?: Partial<Tolerances>;
  threeDocTimeoutMinutes?: number;
  /** Minutes a work-queue claim lasts unless renewed (default 30; `serve --claim-ttl`). */
  claimTtlMinutes?: number;
  c2c?: C2cSettings;
  registry?: RegistryServices;
  screening?: ScreeningDeps;
}

/** Seconds a request may take to arrive in full before the server drops it (slow-client limit). */
export const requestTimeoutSeconds = 120;

/** Builds the HTTP API. Call `.listen()` on the result to serve, or `.inject()` to test. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimitBytes ?? 64 * 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestTimeout: requestTimeoutSeconds * 1000,
    // A request arriving while the app closes gets a problem (installDrainGate), not Fastify's own 503.
    return503OnClosing: false,
    genReqId: () => `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    // `verbose`: each error carries the value at fault, which a problem's issue repeats (secrets masked).
    ajv: { customOptions: { allErrors: true, removeAdditional: false, verbose: true } },
    // Errors the router raises before any route is found: problems like every other error.
    frameworkErrors: (err, req, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      return sendProblem(
        reply,
        tooLong
          ? problem(414, 'request.uri-too-long', 'a path segment is longer than 100 characters', {
              instance: req.url,
            })
          : problem(400, 'request.bad-url', 'the URL is not valid (malformed percent-encoding)', {
              instance: req.url,
            }),
      );
    },
  });
  installDrainGate(app);
  // JSON endpoints take JSON only: a text/plain body is 415, not a string handed to the handler.
  app.removeContentTypeParser('text/plain');
  installJsonBodyParser(app);
  trackRoutes(app);
  installStrictRequests(app);
  const metrics = createMetrics();
  registerQueueMetrics(metrics.registry, { console: deps.store.console, exchange: deps.exchange });
  const ingestInFlight = trackIngestInFlight(app, metrics.registry);
  const clock = deps.clock ?? (() => new Date());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'parcelgate API',
        version: '1',
        description:
          'Customs clearance for cross-border e-commerce: submit advance electronic data, get decisions, duty and VAT.',
      },
      tags: [
        { name: 'consignments', description: 'Submit and read consignments' },
        { name: 'clearance', description: 'Carrier events and officer decisions' },
        { name: 'revenue', description: 'Duty and VAT quotes' },
        { name: 'exchange', description: 'Postal XML, EU H7 / ICS2 PLACI and US Type 86 datasets' },
        { name: 'assistance', description: 'HS classification of goods descriptions' },
        { name: 'notifications', description: 'Event feed, signed webhooks with replay, signing keys' },
        {
          name: 'three-documents',
          description: 'Order, payment and waybill matching for cross-border retail',
        },
        {
          name: 'customs-to-customs',
          description: 'Signed export data from origin administrations, findings back',
        },
        { name: 'rules', description: 'Targeting rule-set versions and the rules report' },
        { name: 'screening', description: 'X-ray scanner images, detections and officer reviews' },
        { name: 'system', description: 'Health and metrics' },
        {
          name: 'operators',
          description: 'Operator registry, AEO and credit status, compliance scores, facilitation',
        },
        {
          name: 'partnership',
          description: 'Rights holders, protected brands, counterfeit cases, platform notices',
        },
        { name: 'returns', description: 'Returned and refused parcels, re-export, refunds' },
        { name: 'quality', description: 'Data-quality scorecards per submitter' },
      ],
      // Keys mode (docs/security.md): `Authorization: Bearer <api key or session token>`.
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: problemComponent,
      },
      security: [{ bearer: [] }],
    },
    // Statuses and problems each route really answers (documentation only).
    transform: withDocumentedResponses,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration
      .labels(req.method, req.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ParcelgateError) {
      return sendProblem(
        reply,
        problem(err.status, err.code, err.message, {
          title: problemTitle(err.code),
          instance: req.url,
          ...err.details,
        }),
      );
    }
    const e = err as {
      code?: string;
      statusCode?: number;
      validation?: AjvError[];
      validationContext?: string;
      message: string;
    };
    if (e.validation) {
      // A route's own codes for some fields (schemaErrorFormatter), and the control characters found
      // before validation: every problem of the request in one answer.
      const coded = (err as Partial<CodedValidationError>).issues;
      const all = [...(coded ?? validationIssues(e.validation)), ...takeControlCharacterIssues(req)];
      // A hostile body (thousands of unknown keys) would otherwise get an answer many times its size.
      const issues = all.slice(0, maxListedIssues);
      const omittedIssues = all.length - issues.length;
      const more = omittedIssues > 0 ? `; and ${omittedIssues} more` : '';
      const detail = `${e.validationContext ?? 'request'}: ${issues.map((i) => i.message).join('; ')}${more}`;
      const code = problemCodeOf(all);
      return sendProblem(
        reply,
        problem(400, code, detail, {
          title: problemTitle(code),
          instance: req.url,
          issues,
          ...(omittedIssues > 0 ? { omittedIssues } : {}),
        }),
      );
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit;
      const detail = `the request body is larger than this endpoint's limit of ${limit} bytes`;
      return sendProblem(reply, problem(413, 'request.too-large', detail, { instance: req.url, limit }));
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendProblem(
        reply,
        problem(415, 'request.unsupported-media-type', e.message, { instance: req.url }),
      );
    }
    if (e.statusCode === 400 || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      return sendProblem(reply, problem(400, 'request.malformed-json', e.message, { instance: req.url }));
    }
    if (isStoreUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      const detail =
        'the database could not be reached or ended the connection during the request; retry it (resubmitting the same data changes nothing if it was committed)';
      reply.header('retry-after', '1');
      return sendProblem(
        reply,
        problem(503, 'store.unavailable', detail, { instance: req.url, requestId: req.id }),
      );
    }
    req.log.error({ err }, 'unexpected error');
    return sendProblem(
      reply,
      problem(500, 'internal.error', 'unexpected error', { instance: req.url, requestId: req.id }),
    );
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      problem(404, 'route.not-found', `no route ${req.method} ${req.url}`, { instance: req.url }),
    ),
  );

  await installAccess(app, { config: deps.access, store: deps.store, clock });
  registerReadiness(app, { store: deps.store, security: deps.access?.store });
  // Operator trust (AEO status, compliance) adjusts assessments when the registry is present.
  // Records intake rejects count in the data-quality scorecards (only their issue codes are kept).
  const pipeline = deps.registry
    ? {
        ...deps,
        snapshot: deps.registry.snapshot(deps.snapshot),
        onRejected:
          deps.onRejected ?? rejectionRecorder(deps.registry.store, (e) => app.log.error({ err: e })),
      }
    : deps;
  const claimTtlMs = deps.claimTtlMinutes === undefined ? undefined : deps.claimTtlMinutes * 60_000;
  registerConsignmentRoutes(app, { ...pipeline, clock, metrics });
  registerExchangeRoutes(app, { ...pipeline, clock });
  registerSystemRoutes(app, { ...pipeline, metrics });
  registerConsoleRoutes(app, { ...pipeline, clock, ingestBusy: () => ingestInFlight() > 0 });
  registerClaimRoutes(app, { ...pipeline, clock, ...(claimTtlMs === undefined ? {} : { claimTtlMs }) });
  registerNotifyRoutes(app, { ...pipeline, clock });
  registerThreeDocRoutes(app, { ...pipeline, clock });
  registerC2cRoutes(app, { ...pipeline, clock });
  registerBulkRoutes(app, { ...pipeline, clock });
  registerOperatorRoutes(app, { ...pipeline, clock });
  registerPartnershipRoutes(app, { ...pipeline, clock });
  registerReturnAndQualityRoutes(app, { ...pipeline, clock });
  registerSelfRoutes(app, { ...pipeline, clock });
  registerKeyRoutes(app, { access: deps.access, registry: deps.registry, clock });
  registerRuleRoutes(app, { ...pipeline, clock });
  registerScreeningRoutes(app, { ...pipeline, clock });
  registerExportRoutes(app, pipeline);
  registerRevenueRoutes(app, pipeline);
  return app;
}
