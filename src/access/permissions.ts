/**
 * The role x endpoint table: the single source of truth for who may call what. Every route the app
 * registers must have an entry (a route without one is refused in keys mode, and a test fails).
 */
import type { Role } from './roles.js';

/** One route's rule: `public`, or the roles allowed; `own` limits submitters to their own consignments. */
export interface RouteRule {
  allow: 'public' | readonly Role[];
  /** For `submitter`: only consignments it created or contributed a record to (path `:id` and lists). */
  own?: boolean;
  /** The route reads personal data of a consignment: each access is written to the audit log. */
  personalData?: boolean;
  /** Bulk intake: the app's full body limit applies; every other route gets `smallBodyLimitBytes`. */
  bulk?: boolean;
  /** A change worth an audit entry: each successful call is written to the audit log under this action. */
  audit?: string;
}

/** Body limit of every route not marked `bulk` (1 MiB): small bodies are cheap to check in full. */
export const smallBodyLimitBytes = 1024 * 1024;

const staff = ['officer', 'supervisor'] as const;
const everyone = ['submitter', 'officer', 'supervisor', 'analyst', 'auditor', 'admin'] as const;
const consoleRoles = ['officer', 'supervisor', 'analyst', 'auditor', 'admin'] as const;

/** `METHOD url` (HEAD routes use their GET entry) -> rule. */
export const routeTable: Readonly<Record<string, RouteRule>> = {
  // consignments
  'POST /v1/consignments': { allow: ['submitter'], bulk: true },
  'GET /v1/consignments': { allow: ['submitter', ...staff, 'analyst', 'auditor'], own: true },
  'GET /v1/consignments/:id': { allow: ['submitter', ...staff, 'auditor'], own: true, personalData: true },
  'GET /v1/consignments/:id/events': { allow: ['submitter', ...staff, 'analyst', 'auditor'], own: true },
  'GET /v1/consignments/:id/history': {
    allow: ['submitter', ...staff, 'auditor'],
    own: true,
    personalData: true,
  },
  'GET /v1/consignments/:id/response': { allow: ['submitter', ...staff, 'auditor'], own: true },
  'POST /v1/consignments/:id/carrier-events': { allow: ['submitter', ...staff], own: true },
  'POST /v1/consignments/:id/decisions': { allow: [...staff] },
  // requests for information: the submitter answers its own consignment's request (the answer is in
  // the event log, sealed by the audit chain; the audit entry names who answered which consignment,
  // not the text)
  'GET /v1/consignments/:id/information': {
    allow: ['submitter', ...staff, 'auditor'],
    own: true,
    personalData: true,
  },
  'POST /v1/consignments/:id/information': {
    allow: ['submitter'],
    own: true,
    audit: 'information.provided',
  },
  'POST /v1/quote': { allow: ['submitter', ...staff, 'analyst'] },
  'GET /v1/consignments/:id/revenue/replay': { allow: [...staff, 'analyst', 'auditor'] },
  // exchange and assistance
  'POST /v1/postal/items': { allow: ['submitter'], bulk: true },
  'GET /v1/consignments/:id/response.xml': { allow: ['submitter', ...staff, 'auditor'], own: true },
  'GET /v1/consignments/:id/datasets/:format': {
    allow: ['submitter', ...staff, 'auditor'],
    own: true,
    personalData: true,
  },
  'GET /v1/consignments/:id/events.xml': { allow: ['submitter', ...staff, 'auditor'], own: true },
  'GET /v1/postal/events.xml': { allow: ['submitter'] },
  'POST /v1/datasets/h7': { allow: ['submitter'], bulk: true },
  'POST /v1/datasets/t86': { allow: ['submitter'], bulk: true },
  'POST /v1/datasets/placi': { allow: ['submitter', ...staff] },
  'POST /v1/classify': { allow: ['submitter', ...staff, 'analyst'] },
  'GET /v1/exports/consignments.xlsx': {
    allow: ['submitter', ...staff, 'auditor'],
    own: true,
    personalData: true,
  },
  // officer console and analytics (the pages themselves are public; their data needs a key)
  'GET /console': { allow: 'public' },
  'GET /console/*': { allow: 'public' },
  'GET /v1/console/queue': { allow: [...consoleRoles] },
  'GET /v1/console/queue/counts': { allow: [...consoleRoles] },
  // work-queue claims (docs/console.md "Claims"): officers and supervisors work the queue; the holder's
  // id is read by those who read consignment documents
  'GET /v1/console/claims/:id': { allow: [...staff, 'auditor'] },
  'POST /v1/console/claims/:id': { allow: [...staff] },
  'POST /v1/console/claims/:id/renew': { allow: [...staff] },
  'POST /v1/console/claims/:id/release': { allow: [...staff] },
  'POST /v1/console/queue/claim-next': { allow: [...staff] },
  'GET /v1/console/volume': { allow: [...consoleRoles] },
  'GET /v1/kpi': { allow: [...consoleRoles] },
  'GET /v1/forecast': { allow: [...consoleRoles] },
  'GET /v1/forecast/lanes': { allow: [...consoleRoles] },
  // notifications: each operator manages its own subscriptions (scoped by the key's operator)
  'GET /v1/feed': { allow: ['submitter', ...staff, 'auditor'] },
  'POST /v1/webhooks': { allow: ['submitter', 'admin'], audit: 'webhook.created' },
  'GET /v1/webhooks': { allow: ['submitter', 'admin', 'auditor'] },
  'GET /v1/webhooks/:id': { allow: ['submitter', 'admin', 'auditor'] },
  'PATCH /v1/webhooks/:id': { allow: ['submitter', 'admin'], audit: 'webhook.updated' },
  'DELETE /v1/webhooks/:id': { allow: ['submitter', 'admin'], audit: 'webhook.deleted' },
  'POST /v1/webhooks/:id/replay': { allow: ['submitter', 'admin'], audit: 'webhook.replayed' },
  'GET /v1/webhooks/:id/dead-letters': { allow: ['submitter', 'admin', 'auditor'] },
  // signing keys and three-document matching
  'POST /v1/signing-keys': { allow: ['admin'] },
  'GET /v1/signing-keys': { allow: ['admin', 'supervisor', 'auditor'] },
  'POST /v1/signing-keys/:id/revoke': { allow: ['admin'] },
  'POST /v1/three-documents/lists': { allow: ['submitter'] },
  'POST /v1/three-documents/:kind': { allow: ['submitter'] },
  'GET /v1/three-documents/orders/:orderNo': { allow: ['submitter', ...staff, 'auditor'] },
  'GET /v1/three-documents/reports': { allow: [...staff, 'analyst', 'auditor'] },
  'POST /v1/three-documents/overdue': { allow: ['supervisor', 'admin'] },
  // customs-to-customs: the origin administration submits with its own key
  'POST /v1/bulk': { allow: ['submitter'], bulk: true },
  'POST /v1/customs/export-data': { allow: ['submitter', 'supervisor', 'admin'] },
  // data-sharing agreements: managed by supervisors and admins (audited); an administration's key
  // (submitter) reads only the agreements it is a party to
  'POST /v1/customs/agreements': { allow: ['supervisor', 'admin'], audit: 'c2c.agreement-created' },
  'GET /v1/customs/agreements': { allow: ['submitter', ...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/customs/agreements/:id': { allow: ['submitter', ...staff, 'analyst', 'auditor', 'admin'] },
  'PUT /v1/customs/agreements/:id': { allow: ['supervisor', 'admin'], audit: 'c2c.agreement-replaced' },
  'DELETE /v1/customs/agreements/:id': { allow: ['supervisor', 'admin'], audit: 'c2c.agreement-removed' },
  // operator registry, trust and compliance
  'POST /v1/operators': { allow: ['supervisor', 'admin'] },
  'GET /v1/operators': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/operators/resolve': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/operators/:id': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'PUT /v1/operators/:id': { allow: ['supervisor', 'admin'] },
  'POST /v1/operators/:id/statuses': { allow: ['supervisor', 'admin'] },
  'GET /v1/operators/:id/statuses': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'POST /v1/statuses/:id/actions': { allow: ['supervisor', 'admin'] },
  'GET /v1/operators/:id/facilitation': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'POST /v1/operators/:id/ratings': { allow: ['supervisor', 'admin'] },
  'GET /v1/operators/:id/compliance': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/operators/:id/compliance/history': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'POST /v1/compliance/recompute': { allow: ['supervisor', 'admin'] },
  'GET /v1/operators/:id/enforcement': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  // an operator reads its own record, score, facilitation and scorecard (always the key's operator)
  'GET /v1/me/operator': { allow: ['submitter'] },
  'GET /v1/me/compliance': { allow: ['submitter'] },
  'GET /v1/me/compliance/history': { allow: ['submitter'] },
  'GET /v1/me/facilitation': { allow: ['submitter'] },
  'GET /v1/me/quality': { allow: ['submitter'] },
  'GET /v1/me/account': { allow: ['submitter'] },
  'GET /v1/operators/:id/account': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/me/guarantee': { allow: ['submitter'] },
  'GET /v1/operators/:id/guarantee': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'PUT /v1/operators/:id/guarantee': { allow: ['supervisor', 'admin'], audit: 'guarantee.set' },
  'POST /v1/operators/:id/account/settlements': {
    allow: ['supervisor', 'admin'],
    audit: 'account.settled',
  },
  // platform partnership against counterfeits
  'POST /v1/rights-holders': { allow: ['supervisor', 'admin'] },
  'POST /v1/rights-holders/:id/brands': { allow: ['supervisor', 'admin'] },
  'GET /v1/brands': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'POST /v1/cases': { allow: [...staff] },
  'GET /v1/cases': { allow: [...staff, 'analyst', 'auditor'] },
  'GET /v1/cases/:id': { allow: [...staff, 'analyst', 'auditor'] },
  'POST /v1/cases/:id/evidence': { allow: [...staff] },
  'POST /v1/cases/:id/actions': { allow: [...staff] },
  'GET /v1/platform-notices': { allow: ['submitter', ...staff, 'auditor'] },
  'POST /v1/platform-notices/:id/answer': { allow: ['submitter'] },
  // returns and data quality
  'POST /v1/returns': { allow: ['submitter', ...staff] },
  'GET /v1/returns': { allow: [...staff, 'analyst', 'auditor'] },
  'GET /v1/returns/stats': { allow: [...staff, 'analyst', 'auditor'] },
  'GET /v1/returns/:id': { allow: [...staff, 'analyst', 'auditor'] },
  'POST /v1/returns/:id/actions': { allow: [...staff] },
  'GET /v1/quality/scorecards': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  // targeting rules
  'POST /v1/rule-sets': { allow: ['analyst', 'supervisor', 'admin'] },
  'GET /v1/rule-sets': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/rule-sets/:id/:version': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'POST /v1/rule-sets/:id/:version/activate': { allow: ['supervisor', 'admin'] },
  'POST /v1/rule-sets/check': { allow: [...staff, 'analyst', 'admin'] },
  'GET /v1/rule-sets/:id/scenarios': { allow: [...staff, 'analyst', 'auditor', 'admin'] },
  'GET /v1/rules/report': { allow: ['supervisor', 'analyst', 'auditor'] },
  'POST /v1/rules/test': { allow: ['analyst', 'supervisor', 'admin'] },
  // X-ray screening
  'POST /v1/consignments/:id/images': { allow: [...staff] },
  'GET /v1/consignments/:id/images': { allow: [...staff, 'auditor'] },
  'GET /v1/screening/images/:imageId': { allow: [...staff, 'auditor'] },
  'GET /v1/screening/images/:imageId/content': { allow: [...staff, 'auditor'] },
  'POST /v1/screening/images/:imageId/reviews': { allow: [...staff] },
  'GET /v1/screening/queue': { allow: [...staff] },
  'GET /v1/screening/labels': { allow: ['supervisor', 'analyst', 'admin'] },
  'GET /v1/screening/model': { allow: [...consoleRoles] },
  // API keys (each change is an audit entry: key.created, key.rotated, key.revoked)
  'POST /v1/api-keys': { allow: ['admin'] },
  'GET /v1/api-keys': { allow: ['admin'] },
  'POST /v1/api-keys/:id/rotate': { allow: ['admin'] },
  'POST /v1/api-keys/:id/revoke': { allow: ['admin'] },
  // identity, audit
  'GET /v1/whoami': { allow: [...everyone] },
  'POST /v1/sessions': { allow: [...consoleRoles] },
  'DELETE /v1/sessions': { allow: 'public' },
  'GET /v1/audit': { allow: ['auditor'] },
  'GET /v1/audit/verify': { allow: ['auditor'] },
  // system
  'GET /healthz': { allow: 'public' },
  'GET /readyz': { allow: 'public' },
  'GET /metrics': { allow: ['supervisor', 'analyst', 'admin'] },
  'GET /openapi.json': { allow: 'public' },
  'GET /docs': { allow: 'public' },
  'GET /docs/': { allow: 'public' },
  'GET /docs/static/index.html': { allow: 'public' },
  'GET /docs/static/swagger-initializer.js': { allow: 'public' },
  'GET /docs/json': { allow: 'public' },
  'GET /docs/yaml': { allow: 'public' },
  'GET /docs/static/*': { allow: 'public' },
};

/** The table key of a route: HEAD uses GET's entry. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/** The rule of a route, or undefined when the table has no entry. */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  return routeTable[routeKey(method, url)];
}

/** Whether `role` may call the route under `rule` (public routes: everyone, also unauthenticated). */
export function allows(rule: RouteRule, role: Role | null): boolean {
  if (rule.allow === 'public') return true;
  return role !== null && rule.allow.includes(role);
}

/** The role table as Markdown (docs/security.md embeds it; a test keeps the two equal). */
export function roleTableMarkdown(all: readonly Role[]): string {
  const head = `| endpoint | ${all.join(' | ')} | notes |`;
  const sep = `|---|${all.map(() => ':-:').join('|')}|---|`;
  const rows = Object.entries(routeTable)
    .filter(([key]) => !key.startsWith('GET /docs/'))
    .map(([key, rule]) => {
      const cells = all.map((r) => (rule.allow === 'public' || rule.allow.includes(r) ? 'yes' : '—'));
      const notes = [
        rule.allow === 'public' ? 'public, no key needed' : '',
        rule.own ? 'submitter: own consignments only' : '',
        rule.personalData ? 'personal data: each read audited' : '',
        rule.bulk ? 'bulk body limit' : '',
        rule.audit ? `each change audited (${rule.audit})` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `| \`${key}\` | ${cells.join(' | ')} | ${notes} |`;
    });
  return [head, sep, ...rows].join('\n');
}
