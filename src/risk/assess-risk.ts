/** assessRisk: indicators, effective rules, score, lane, security track and random control. Pure. */
import { ParcelgateError } from '../domain/index.js';
import type {
  ConsignmentInput,
  Item,
  Lane,
  Mismatch,
  RiskAssessment,
  RiskHit,
  SecurityOutcome,
  SourceKind,
} from '../domain/index.js';
import { assessBrandPrice } from './brand-price.js';
import { assessGrossWeight } from './gross-weight.js';
import type { CompiledRule, CompiledRuleSet } from './compile-rules.js';
import { createEnv, type ComputedValues, type EvalEnv } from './eval-env.js';
import { assessHsUsage, type DescriptionClassifier } from './hs-usage.js';
import { assessHsDescriptionConsistency } from './hs-description-consistency.js';
import type { IndicatorResult } from './indicator-result.js';
import { assessOperatorTrust, assessRepeatOffender, type PartyHistory } from './party-history.js';
import { assessPrepaidTax, type PrepaidComputed } from './prepaid-tax.js';
import { assessSourceMismatch } from './source-mismatch.js';
import { assessThresholdHugging } from './threshold-hugging.js';
import { isRandomlySelected } from './random-control.js';
import { assessUndervaluation, type ReferencePriceTable } from './reference-prices.js';
import { consigneeKey, sellerKey, splitShipmentIndicator, type ConsigneeHistory } from './split-shipment.js';
import { TokenCache } from './text-normalise.js';
import { assessVagueDescription } from './vague-description.js';
import { assessWatchlist, type Watchlist } from './watchlist.js';

/** What risk assessment looks at for one consignment. */
export interface RiskInput {
  consignmentId: string;
  input: ConsignmentInput;
  mismatches: Mismatch[];
  sourceKinds: SourceKind[];
  /** Intrinsic value in EUR from the revenue assessment, or null when not known in EUR. */
  intrinsicValueEur: string | null;
  /** Tax revenue computes as collected at checkout (vendor / IOSS model), for the prepaid-tax indicator. */
  prepaid?: PrepaidComputed;
}

/** The immutable snapshot and the draws the shell passes in (no clock or randomness inside). */
export interface RiskContext {
  ruleSet: CompiledRuleSet;
  watchlist: Watchlist;
  /** Share of consignments (0..1) drawn for random control. */
  randomRate: number;
  randomSeed: string;
  /** The assessment instant, ISO 8601; selects the rules in force. */
  now: string;
  /** Reference unit prices per HS6 for the undervaluation indicator (absent: indicator stays quiet). */
  referencePrices?: ReferencePriceTable;
  /** Recent parcels per consignee for the split-shipment indicator (absent: indicator stays quiet). */
  history?: ConsigneeHistory;
  /** Inspection history of consignees and sellers (repeat offenders, operator trust; absent: both quiet). */
  parties?: PartyHistory;
  /** HS classifier consulted for items whose words are rarely declared under their chapter (absent: no second opinion). */
  classifier?: DescriptionClassifier;
}

/** Rule count above which assessRisk uses the rule index instead of a full scan. */
export const INDEX_FROM = 64;

const LANE_RANK: Readonly<Record<Lane, number>> = { green: 0, blue: 1, yellow: 2, red: 3 };

/** The more severe of two lanes. */
export const severer = (a: Lane, b: Lane): Lane => (LANE_RANK[b] > LANE_RANK[a] ? b : a);

/** Runs every indicator once. */
export function computeIndicators(
  input: RiskInput,
  ctx: RiskContext,
  cache: TokenCache = new TokenCache(),
): {
  results: IndicatorResult[];
  computed: ComputedValues;
} {
  const c = input.input;
  const words = (s: string): readonly string[] => cache.get(s);
  const watch = assessWatchlist(c, ctx.watchlist);
  const vague = assessVagueDescription(c.items, words);
  const hs = assessHsDescriptionConsistency(c.items, ctx.ruleSet.hsVocabulary(), words, ctx.referencePrices);
  const brand = assessBrandPrice(c, input.intrinsicValueEur, ctx.ruleSet.brands, words, input.sourceKinds);
  const mismatch = assessSourceMismatch(input.mismatches);
  const under = assessUndervaluation(c, input.intrinsicValueEur, ctx.referencePrices, input.mismatches);
  const split =
    ctx.history === undefined
      ? splitShipmentIndicator({ key: null, valueEur: null, at: ctx.now }, undefined)
      : splitShipmentIndicator(
          {
            key: consigneeKey(c),
            ref: input.consignmentId,
            valueEur: input.intrinsicValueEur,
            at: ctx.now,
            seller: sellerKey(c),
          },
          ctx.history,
        );
  const usage = assessHsUsage(c.items, ctx.referencePrices, ctx.classifier);
  const prepaid = assessPrepaidTax(c, input.prepaid);
  const offender = assessRepeatOffender(c, ctx.parties);
  const trust = assessOperatorTrust(c, ctx.parties);
  const hugging = assessThresholdHugging(c, input.intrinsicValueEur, ctx.referencePrices);
  const weight = assessGrossWeight(c);
  const results = [
    vague,
    hs,
    watch.result,
    brand,
    mismatch,
    under,
    split,
    usage,
    prepaid,
    offender,
    trust,
    hugging,
    weight,
  ];
  // One literal in indicatorIds order: a fixed object shape instead of dynamic insertions.
  const indicators: Record<string, number> = {
    'vague-description': vague.score,
    'hs-description-consistency': hs.score,
    watchlist: watch.result.score,
    'brand-price': brand.score,
    'source-mismatch': mismatch.score,
    undervaluation: under.score,
    'split-shipment': split.score,
    'hs-usage': usage.score,
    'prepaid-tax': prepaid.score,
    'repeat-offender': offender.score,
    'operator-trust': trust.score,
    'threshold-hugging': hugging.score,
    'gross-weight': weight.score,
  };
  return {
    results,
    computed: {
      intrinsicValueEur: input.intrinsicValueEur,
      sourceCount: input.sourceKinds.length < 2 ? input.sourceKinds.length : new Set(input.sourceKinds).size,
      mismatchCount: input.mismatches.length,
      mismatchFields: fieldSet(input.mismatches),
      indicators,
      listed: watch.listed,
      now: ctx.now,
    },
  };
}

function fieldSet(mismatches: readonly Mismatch[]): Set<string> {
  const fields = new Set<string>();
  for (const m of mismatches) fields.add(m.field);
  return fields;
}

function ruleInputs(rule: CompiledRule, env: EvalEnv): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const matched = env.matched >= 0 ? (env.items[env.matched] as Item) : null;
  for (const ref of rule.refs) {
    if (ref.itemScoped) {
      if (!matched) continue;
      env.item = matched;
      inputs[`items[${env.matched}].${ref.key}`] = ref.fn(env);
      env.item = null;
    } else inputs[ref.key] = ref.fn(env);
  }
  return inputs;
}

function ruleReason(rule: CompiledRule, env: EvalEnv): string {
  env.item = env.matched >= 0 ? (env.items[env.matched] as Item) : null;
  const text = rule.reason(env);
  env.item = null;
  return text;
}

// A batch shares one `now`: remember the last parse (a pure memo, it never changes an answer).
let lastNow = '';
let lastNowMs = NaN;
function parseNow(now: string): number {
  if (now !== lastNow) {
    const ms = Date.parse(now);
    // An unparsable instant would silently switch every rule off: fail loudly instead.
    if (Number.isNaN(ms))
      throw new ParcelgateError('rules.bad-now', `risk context "now" is not an ISO instant: ${now}`, 500);
    lastNowMs = ms;
    lastNow = now;
  }
  return lastNowMs;
}

/** Assesses one consignment against the rule set in force at ctx.now. Same input, same answer. */
export function assessRisk(input: RiskInput, ctx: RiskContext): RiskAssessment {
  const { ruleSet } = ctx;
  const nowMs = parseNow(ctx.now);
  const cache = new TokenCache();
  const { results, computed } = computeIndicators(input, ctx, cache);
  const env = createEnv(input.input, computed, cache);
  const hits: RiskHit[] = [];
  let score = 0;
  let directLane: Lane = 'green';
  let security: SecurityOutcome = 'assessment-complete';

  for (const r of results) {
    const setting = ruleSet.indicators[r.id];
    if (setting && r.score === 0 && r.note !== undefined) {
      // The explanation says why an indicator that would have fired did not (0 points).
      hits.push({
        id: r.id,
        version: r.version,
        kind: 'indicator',
        score: 0,
        reason: r.note,
        inputs: r.inputs,
      });
      continue;
    }
    if (!setting || r.score <= 0 || r.score < setting.threshold) continue;
    const contribution = Math.round(setting.weight * r.score);
    score += contribution;
    hits.push({
      id: r.id,
      version: r.version,
      kind: 'indicator',
      score: contribution,
      reason: r.reason,
      inputs: { score: r.score, ...r.inputs },
    });
  }

  const all = ruleSet.rules;
  // Small sets are scanned; large ones evaluate only the rules whose required condition the parcel meets.
  const picked =
    ruleSet.index && all.length > INDEX_FROM ? ruleSet.index.candidates(input.input, computed) : null;
  const n = picked === null ? all.length : picked.length;
  for (let k = 0; k < n; k++) {
    const rule = all[picked === null ? k : (picked[k] as number)] as CompiledRule;
    if (!(nowMs >= rule.fromMs && nowMs < rule.toMs)) continue;
    env.matched = -1;
    env.item = null;
    if (rule.when(env) !== true) continue;
    score += rule.weight;
    const hit: RiskHit = {
      id: rule.id,
      version: rule.version,
      kind: 'rule',
      score: rule.weight,
      reason: ruleReason(rule, env),
      inputs: ruleInputs(rule, env),
    };
    if (rule.lane) {
      hit.lane = rule.lane;
      directLane = severer(directLane, rule.lane);
    }
    if (rule.security) {
      hit.security = rule.security;
      if (rule.security === 'do-not-load' || security === 'assessment-complete') security = rule.security;
    }
    hits.push(hit);
  }

  // Trust (a negative weight) lowers the score but never below 0.
  score = Math.max(0, Math.min(100, score));
  const t = ruleSet.thresholds;
  const scoreLane: Lane =
    score >= t.red ? 'red' : score >= t.yellow ? 'yellow' : score >= t.blue ? 'blue' : 'green';
  let lane = severer(directLane, scoreLane);
  const randomSelected = isRandomlySelected(ctx.randomSeed, input.consignmentId, ctx.randomRate);
  if (randomSelected) {
    hits.push({
      id: 'random-control',
      version: 1,
      kind: 'random',
      score: 0,
      lane: 'red',
      reason: 'random control sample',
      // What the parcel would have had without the draw (capacity selection falls back to it).
      inputs: { laneWithoutDraw: lane },
    });
    lane = 'red';
  }
  return { score, lane, security, hits, randomSelected, ruleSetVersion: ruleSet.key };
}
