/**
 * The role x endpoint table: the single source of truth for who may call what. Every route the app
 * registers must have an entry (a route without one is refused in keys mode, and a test fails).
 */
import type { Role } from './roles.js';

/** One route's rule: `public`, or the roles allowed; `own` limits submitters to their own consignments. */
export interface RouteRule {
  allow: 'public' | readonly Role[];
  /** For `submitter`: only consignments it submitted (path `:id`) or, for lists, its own. */
  own?: boolean;
  /** The route reads personal data of a consignment: each access is written to the audit log. */
  personalData?: boolean;
  /** Bulk intake: the app's full body limit applies; every other route gets `smallBodyLimitBytes`. */
  bulk?: boolean;
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
  'POST /v1/quote': { allow: ['submitter', ...staff, 'analyst'] },
  // exchange and assistance
  'POST /v1/postal/items': { allow: ['submitter'], bulk: true },
  'GET /v1/consignments/:id/response.xml': { allow: ['submitter', ...staff, 'auditor'], own: true },
  'GET /v1/consignments/:id/datasets/:format': {
    allow: ['submitter', ...staff, 'auditor'],
    own: true,
    personalData: true,
  },
  'POST /v1/classify': { allow: ['submitter', ...staff, 'analyst'] },
  // identity, audit
  'GET /v1/whoami': { allow: [...everyone] },
  'POST /v1/sessions': { allow: [...consoleRoles] },
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
      ]
        .filter(Boolean)
        .join('; ');
      return `| \`${key}\` | ${cells.join(' | ')} | ${notes} |`;
    });
  return [head, sep, ...rows].join('\n');
}
