/** Builders for risk tests: a clean consignment and inputs that tests modify. Not exported from index.ts. */
import type { ConsignmentInput, Item, Mismatch, SourceKind } from '../domain/index.js';
import type { RiskContext, RiskInput } from './assess-risk.js';
import type { CompiledRuleSet } from './compile-rules.js';
import { loadRuleSet } from './compile-rules.js';
import type { RuleSpec } from './rule-set-schema.js';
import { emptyWatchlist } from './watchlist.js';

/** A specific, consistent, low-risk item. */
export function cleanItem(overrides: Partial<Item> = {}): Item {
  return {
    description: 'Cotton T-shirt',
    hsCode: '610910',
    quantity: 1,
    unit: 'pcs',
    netWeightGrams: 200,
    value: { amount: '25.00', currency: 'EUR' },
    origin: 'CN',
    ...overrides,
  };
}

/** A clean platform sale from China to Germany. */
export function cleanConsignment(overrides: Partial<ConsignmentInput> = {}): ConsignmentInput {
  return {
    source: 'platform-order',
    category: 'sale',
    platform: { id: 'shop-1', orderId: 'o-1', sellerId: 'seller-1' },
    seller: {
      name: 'Shenzhen Bright Trading Co',
      address: { country: 'CN' },
      id: { type: 'OTHER', value: 'S-1' },
    },
    consignee: { name: 'Hans Becker', address: { country: 'DE', city: 'Berlin' } },
    items: [cleanItem()],
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
    ...overrides,
  };
}

/** A RiskInput around a consignment. */
export function riskInput(
  c: ConsignmentInput = cleanConsignment(),
  extra: {
    mismatches?: Mismatch[];
    sourceKinds?: SourceKind[];
    intrinsicValueEur?: string | null;
    id?: string;
  } = {},
): RiskInput {
  return {
    consignmentId: extra.id ?? 'csg_01TEST',
    input: c,
    mismatches: extra.mismatches ?? [],
    sourceKinds: extra.sourceKinds ?? ['platform-order', 'carrier-waybill'],
    intrinsicValueEur: extra.intrinsicValueEur === undefined ? '25.00' : extra.intrinsicValueEur,
  };
}

/** A context with no random control, no watchlist, at a fixed instant. */
export function riskContext(ruleSet: CompiledRuleSet, overrides: Partial<RiskContext> = {}): RiskContext {
  return {
    ruleSet,
    watchlist: emptyWatchlist(),
    randomRate: 0,
    randomSeed: 'seed',
    now: '2024-06-01T12:00:00Z',
    ...overrides,
  };
}

/** A rule with sensible defaults. */
export function rule(overrides: Partial<RuleSpec> & { id: string; when: string }): RuleSpec {
  return {
    version: 1,
    title: `rule ${overrides.id}`,
    author: 'test',
    effectiveFrom: '2021-07-01',
    reason: `reason ${overrides.id}`,
    weight: 10,
    ...overrides,
  };
}

/** A rule-set document with thresholds 70/40/20 and the given rules. */
export function ruleSetDoc(rules: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'test', version: 3, thresholds: { red: 70, yellow: 40, blue: 20 }, rules, ...extra };
}

/** Compiles a rule-set document or throws with the issues (tests only). */
export function compiled(rules: unknown[], extra: Record<string, unknown> = {}): CompiledRuleSet {
  const r = loadRuleSet(ruleSetDoc(rules, extra));
  if (!r.ok) throw new Error(JSON.stringify(r.error, null, 2));
  return r.value;
}
