/** Rule sets over the API: load a version (validated), list versions, activate one without restart; rules report. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { PipelineDeps, RiskRuntime } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import type { RuleSetRecord } from '../store/index.js';
import { checkRuleSet, compileOrReject, shippedRuleSet, shippedScenarios, testRules } from './rules-check.js';
import { requestIdentity } from '../access/index.js';

type Deps = PipelineDeps & { clock: () => Date };

const versionParams = Type.Object({
  id: Type.String({ description: 'Rule-set id' }),
  version: Type.Integer({ minimum: 1, description: 'Rule-set version' }),
});

function runtime(deps: Deps): RiskRuntime {
  if (deps.risk === undefined)
    throw new ParcelgateError(
      'rules.not-configured',
      'this server has no risk store; rule sets are read-only',
      503,
    );
  return deps.risk;
}

const actor = (req: FastifyRequest): string => requestIdentity(req, 'officer').actor;

// The list view: everything but the document, plus how many rules it holds.
function summary(r: RuleSetRecord) {
  const rules = (r.document as { rules?: unknown[] }).rules;
  return {
    id: r.id,
    version: r.version,
    active: r.active,
    loadedAt: r.loadedAt,
    loadedBy: r.loadedBy,
    activatedAt: r.activatedAt,
    rules: Array.isArray(rules) ? rules.length : 0,
  };
}

/** Registers /v1/rule-sets…, /v1/rules/report and /v1/rules/test. */
export function registerRuleRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/v1/rules/test',
    {
      schema: {
        tags: ['rules'],
        summary:
          'Run a scenario file against the rule set in force, or against a rule-set document given inline',
        description:
          'The body is a scenario file (docs/rules-language.md, "Scenario files"), optionally with `ruleSet`: a ' +
          'rule-set document to test before loading it (`rules.rejected` with every issue when it does not ' +
          'compile). Same results as `parcelgate rules test`; `passed` is false when any scenario failed. A malformed ' +
          'file is `rules.bad-scenarios` (422); a scenario that cannot be assessed is `request.invalid` (400).',
        body: Type.Object({}, { additionalProperties: true }),
      },
    },
    async (req) => {
      const body = req.body as Record<string, unknown>;
      const ruleSet = body.ruleSet === undefined ? deps.snapshot().ruleSet : compileOrReject(body.ruleSet);
      return testRules(ruleSet, body);
    },
  );

  app.post(
    '/v1/rule-sets',
    {
      schema: {
        tags: ['rules'],
        summary: 'Load a rule-set version (validated and compiled; stored inactive)',
        description:
          'The body is a rule-set document (docs/rules-language.md). Every problem is reported at once as ' +
          '`rules.rejected` with `issues` (code, JSON path, rule id, position). Loading the same id and version ' +
          'again with the same content is a no-op (200); with other content it is `rules.version-exists` (409).',
        body: Type.Object({}, { additionalProperties: true }),
      },
    },
    async (req, reply) => {
      const r = await runtime(deps).loadRuleSet(req.body, actor(req), deps.clock().toISOString());
      reply.code(r.status === 'created' ? 201 : 200);
      return { status: r.status, ruleSet: summary(r.record) };
    },
  );

  app.get(
    '/v1/rule-sets',
    { schema: { tags: ['rules'], summary: 'Stored rule-set versions, newest first' } },
    async () => {
      // Without a risk store nothing is stored: the shipped set in force is all there is.
      const list = deps.risk === undefined ? [] : await deps.risk.ruleSets();
      return {
        items: list.map(summary),
        inForce: deps.snapshot().ruleSet.key,
        editable: deps.risk !== undefined,
      };
    },
  );

  app.get(
    '/v1/rule-sets/:id/:version',
    {
      schema: {
        tags: ['rules'],
        summary: 'One stored rule-set version with its document',
        params: versionParams,
      },
    },
    async (req) => {
      const { id, version } = req.params as { id: string; version: number };
      const r = deps.risk === undefined ? undefined : await deps.risk.store.ruleSet(id, version);
      if (r === undefined) {
        // The shipped set is in force until a stored version is activated: it can be read too.
        const shipped = shippedRuleSet(id, version);
        if (shipped !== undefined) {
          const inForce = deps.snapshot().ruleSet.key === `${id}@${version}`;
          return { ...shipped, active: inForce };
        }
        throw new ParcelgateError('rules.not-found', `no stored rule set ${id}@${version}`, 404);
      }
      return { ...summary(r), document: r.document };
    },
  );

  app.post(
    '/v1/rule-sets/check',
    {
      schema: {
        tags: ['rules'],
        summary: 'Check a rule-set document without storing it: every validator issue, then the scenarios',
        description:
          'Validates and compiles `document` as loading would, and answers 200 either way: `valid`, and ' +
          '`issues` (code, JSON path, rule id, position in the expression) when it is not. A valid document ' +
          'is run against `scenarios` (default: the scenarios shipped for its id, rules/<id>.scenarios.json); ' +
          'each result says whether the expected lane and rules held. The scenarios run through the runner of ' +
          '`POST /v1/rules/test`, with the same results and errors.',
        body: Type.Object({
          document: Type.Unknown({ description: 'A rule-set document (docs/rules-language.md)' }),
          scenarios: Type.Optional(
            Type.Union([
              Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 500 }),
              Type.Object(
                { scenarios: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: 500 }) },
                { additionalProperties: true, description: 'A scenario file: base, context, scenarios' },
              ),
            ]),
          ),
        }),
      },
    },
    async (req) => {
      const body = req.body as { document: unknown; scenarios?: unknown };
      return checkRuleSet(body.document, body.scenarios);
    },
  );

  app.get(
    '/v1/rule-sets/:id/scenarios',
    {
      schema: {
        tags: ['rules'],
        summary: 'The scenario tests shipped for a rule-set id (rules/<id>.scenarios.json)',
        params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const file = shippedScenarios(id);
      if (file === undefined)
        throw new ParcelgateError('rules.not-found', `no scenarios are shipped for rule set ${id}`, 404);
      return { ruleSet: id, scenarios: file.scenarios, file };
    },
  );

  app.post(
    '/v1/rule-sets/:id/:version/activate',
    {
      schema: {
        tags: ['rules'],
        summary: 'Activate a stored version: the running pipeline assesses every following batch with it',
        params: versionParams,
      },
    },
    async (req) => {
      const { id, version } = req.params as { id: string; version: number };
      const r = await runtime(deps).activate(id, version, actor(req), deps.clock().toISOString());
      return { ruleSet: summary(r), snapshot: deps.snapshot().version };
    },
  );

  app.get(
    '/v1/rules/report',
    {
      schema: {
        tags: ['rules'],
        summary:
          "Each rule's selections, hits, precision and lift over the random sample, from inspection outcomes",
      },
    },
    async () => runtime(deps).report(),
  );
}
