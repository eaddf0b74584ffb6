/**
 * The risk engine's live state around the pure pipeline: the current snapshot (rule-set activation
 * swaps it atomically, no restart), the consignee window for split shipments (filled from the risk
 * store at start, persisted after each commit), and inspection outcomes (learning, rules report).
 */
import { createHash } from 'node:crypto';
import { ParcelgateError, type ConsignmentInput } from '../domain/index.js';
import {
  BoundedConsigneeWindow,
  capacityLanes,
  createDocumentarySelector,
  type DocumentaryOptions,
  consigneeKey,
  createSelector,
  PartyBook,
  indicatorIds,
  isViolationFinding,
  loadRuleSet,
  rulesReport,
  sellerKey,
  type CompiledRuleSet,
  learnReferencePrices,
  type LearnPricesOptions,
  type PricedConsignment,
  type ReferencePriceTable,
  type RuleReport,
  type SelectorOptions,
  calibrateFromOutcomes,
  selectingHitIds,
  type CalibrationOptions,
  type WeightCalibration,
} from '../risk/index.js';
import type {
  ClearanceStore,
  ConsigneeParcelRow,
  FreshConsignment,
  RiskStore,
  RuleSetRecord,
  StoredConsignment,
} from '../store/index.js';
import type { RequestContext } from './context.js';
import { freshFacts } from './fresh-facts.js';
import type { ReferenceSnapshot } from './snapshot.js';
import type { OfficerDecision } from './transitions.js';

/** Options of openRiskRuntime. */
export interface RiskRuntimeOptions {
  store: RiskStore;
  /** The snapshot to start from (its rule set is used unless the store has an active version). */
  base: ReferenceSnapshot;
  /** The current instant. */
  now: string;
  /** Parcels of a consignee within this many hours count together (default 48). */
  windowHours?: number;
  /** Most consignees whose recent parcels are held in memory (default 20,000; the rest are read from the store). */
  maxConsignees?: number;
  /** Where failures of background writes go (default: stderr). */
  onError?: (err: unknown) => void;
  /**
   * Inspection capacity: with it, lanes are matched to capacity per office and day (the random rate is
   * the snapshot's, so the control sample agrees with the assessment's own draw).
   */
  selector?: Omit<SelectorOptions, 'randomRate'>;
  /** Documentary-check (yellow-lane) capacity: score-driven yellow over it is released to blue. */
  documentary?: DocumentaryOptions;
  /**
   * Weights calibrated by hit rate from the stored inspection outcomes (`calibrateFromOutcomes`): at
   * start, on activation and on every refresh. Absent: the weights as the rule set configures them.
   */
  calibration?: CalibrationOptions;
}

/** The live risk state the API and CLI shells use; the pipeline reads `snapshot()` once per batch. */
export interface RiskRuntime {
  readonly store: RiskStore;
  readonly history: BoundedConsigneeWindow;
  /** The snapshot in force: one reference, replaced whole on activation. */
  snapshot(): ReferenceSnapshot;
  /** After a commit: persists the committed consignments' parcels for the consignee history. */
  observe(consignments: readonly StoredConsignment[]): void;
  /**
   * `observe` for what a batch wrote as it was written (PipelineDeps.observeWrites): fresh consignments
   * are read from their texts, never materialised.
   */
  observeWrites(fresh: readonly FreshConsignment[], changed: readonly StoredConsignment[]): void;
  /** Waits for background writes (tests, shutdown). */
  flush(): Promise<void>;
  /** Validates and stores a rule-set version (not active yet). */
  loadRuleSet(
    document: unknown,
    by: string,
    now: string,
  ): Promise<{ status: 'created' | 'exists'; record: RuleSetRecord }>;
  ruleSets(): Promise<RuleSetRecord[]>;
  /** Compiles a stored version, records it as active and swaps the snapshot (atomically: a batch sees one rule set). */
  activate(id: string, version: number, by: string, now: string): Promise<RuleSetRecord>;
  /** Re-reads the active version and the parties' inspection history from the store (another process may have changed them). */
  refresh(): Promise<boolean>;
  /** Records an officer's inspection finding as an outcome (no finding: nothing to learn). */
  recordDecision(
    ctx: RequestContext,
    consignment: StoredConsignment,
    decision: OfficerDecision,
  ): Promise<void>;
  /**
   * Selections, hits and hit rate (precision) per rule and indicator, against the random sample's hit
   * rate; with calibration on, the weights learnt from the same outcomes.
   */
  report(): Promise<RuleReport & { calibration?: WeightCalibration }>;
  /** Replaces the reference tables in the snapshot (after a re-learn), atomically like a rule set. */
  useReferencePrices(table: ReferencePriceTable): void;
}

/**
 * Re-learns reference tables from stored consignments (learning from outcomes): every consignment in
 * the store, except those an inspection found violating (their declared values are not prices).
 */
export async function learnPricesFromStore(
  store: ClearanceStore,
  risk: RiskStore,
  opts: LearnPricesOptions = {},
): Promise<{ table: ReferencePriceTable; consignments: number; excluded: number }> {
  const found = new Set<string>();
  for (const o of await risk.outcomes()) if (isViolationFinding(o.finding)) found.add(o.consignmentId);
  const records: PricedConsignment[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list({ limit: 500, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) {
      const c = await store.get(s.id);
      if (c === undefined) continue;
      const r = c.assessment.revenue;
      records.push({
        ref: c.id,
        input: c.merged,
        intrinsicValueEur: r.currency === 'EUR' ? r.intrinsicValue : null,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  const table = learnReferencePrices(records, { ...opts, exclude: found });
  return {
    table,
    consignments: records.length,
    excluded: records.filter((r) => found.has(r.ref as string)).length,
  };
}

function compileOrThrow(document: unknown): CompiledRuleSet {
  const r = loadRuleSet(document);
  if (!r.ok)
    throw new ParcelgateError('rules.rejected', `the rule set has ${r.error.length} problem(s)`, 422, {
      issues: r.error,
    });
  return r.value;
}

/**
 * The snapshot with another rule set; the version names the new rule set (and its weights' calibration,
 * when calibrated) and keeps the rest.
 */
export function withRuleSet(snapshot: ReferenceSnapshot, ruleSet: CompiledRuleSet): ReferenceSnapshot {
  const rest = snapshot.version
    .split(';')
    .slice(1)
    .filter((p) => !p.startsWith('cal:'));
  const calibration = ruleSet.calibration === undefined ? [] : [ruleSet.calibration];
  return { ...snapshot, ruleSet, version: [ruleSet.key, ...rest, ...calibration].join(';') };
}

/** Adds the consignee-history row of a consignment when it has a consignee and a value in euros. */
function parcelRow(
  rows: ConsigneeParcelRow[],
  consignmentId: string,
  data: Pick<ConsignmentInput, 'consignee' | 'seller' | 'platform'>,
  currency: string,
  intrinsicValue: string,
  at: string,
): void {
  const input = data as ConsignmentInput;
  const key = consigneeKey(input);
  if (key === null || currency !== 'EUR') return;
  rows.push({
    consignmentId,
    consigneeKey: key,
    sellerKey: sellerKey(input) ?? null,
    valueEur: intrinsicValue,
    at,
  });
}

/** Opens the live risk state on a risk store. */
export async function openRiskRuntime(opts: RiskRuntimeOptions): Promise<RiskRuntime> {
  const { store } = opts;
  const windowHours = opts.windowHours ?? 48;
  // Bounded by consignees: a batch's consignees are loaded from the store before it is assessed
  // (submitBatch calls `prefetch`), so nothing is preloaded and memory does not grow with traffic.
  const history = new BoundedConsigneeWindow(store, {
    windowHours,
    ...(opts.maxConsignees === undefined ? {} : { maxConsignees: opts.maxConsignees }),
  });
  const parties = new PartyBook(await store.partyHistory());
  const active = await store.activeRuleSet();
  let activeKey = active ? `${active.id}@${active.version}` : null;
  // The rule set as configured; the snapshot holds it with calibrated weights when calibration is on.
  let configured = active ? compileOrThrow(active.document) : opts.base.ruleSet;
  const calibrated = async (ruleSet: CompiledRuleSet): Promise<CompiledRuleSet> =>
    opts.calibration === undefined
      ? ruleSet
      : calibrateFromOutcomes(ruleSet, await store.outcomes(), opts.calibration).ruleSet;
  const start = active || opts.calibration ? withRuleSet(opts.base, await calibrated(configured)) : opts.base;
  // Assessments that did not see this history (e.g. planned ahead on worker threads) must not be reused.
  const selection =
    opts.selector || opts.documentary
      ? capacityLanes(
          opts.selector && createSelector({ ...opts.selector, randomRate: start.randomRate }),
          start.randomSeed,
          opts.documentary && createDocumentarySelector(opts.documentary),
        )
      : undefined;
  let current: ReferenceSnapshot = {
    ...start,
    history,
    parties,
    ...(selection ? { selection } : {}),
    version: `${start.version};history${selection ? ';capacity' : ''}`,
  };
  const onError =
    opts.onError ?? ((e: unknown) => process.stderr.write(`risk store write failed: ${String(e)}\n`));
  let pending: Promise<void> = Promise.resolve();

  const record = (rows: ConsigneeParcelRow[]): void => {
    if (rows.length === 0) return;
    pending = pending
      .then(() => store.recordParcels(rows))
      .then(() => history.saved(rows.map((r) => r.consignmentId)))
      .catch(onError);
  };

  const swap = (ruleSet: CompiledRuleSet, weighed: CompiledRuleSet): void => {
    configured = ruleSet;
    current = withRuleSet(current, weighed);
  };
  // Bumped by every activation and every outcome recorded here: a refresh whose store read started
  // before one of them must not put back what it read (the older rule set, the older party history).
  let activations = 0;
  let outcomesRecorded = 0;

  return {
    store,
    history,
    snapshot: () => current,
    observe(consignments) {
      const rows: ConsigneeParcelRow[] = [];
      for (const c of consignments) {
        const r = c.assessment.revenue;
        parcelRow(rows, c.id, c.merged, r.currency, r.intrinsicValue, c.assessment.assessedAt);
      }
      record(rows);
    },
    observeWrites(fresh, changed) {
      const rows: ConsigneeParcelRow[] = [];
      for (const f of fresh) {
        // Parcels outside the euro are not kept: nothing of them is read.
        if (f.currency !== 'EUR') continue;
        const facts = freshFacts(f);
        parcelRow(rows, f.id, facts.parties, facts.currency, facts.intrinsicValue, facts.assessedAt);
      }
      for (const c of changed) {
        const r = c.assessment.revenue;
        parcelRow(rows, c.id, c.merged, r.currency, r.intrinsicValue, c.assessment.assessedAt);
      }
      record(rows);
    },
    flush: () => pending,
    async loadRuleSet(document, by, now) {
      const ruleSet = compileOrThrow(document);
      const status = await store.saveRuleSet({
        id: ruleSet.id,
        version: ruleSet.version,
        document,
        loadedAt: now,
        loadedBy: by,
      });
      if (status === 'conflict')
        throw new ParcelgateError(
          'rules.version-exists',
          `rule set ${ruleSet.key} is already stored with other content; load it under a new version`,
          409,
          { id: ruleSet.id, version: ruleSet.version },
        );
      const record = await store.ruleSet(ruleSet.id, ruleSet.version);
      return { status, record: record as RuleSetRecord };
    },
    ruleSets: () => store.ruleSets(),
    async activate(id, version, by, now) {
      const record = await store.ruleSet(id, version);
      if (record === undefined)
        throw new ParcelgateError('rules.not-found', `no stored rule set ${id}@${version}`, 404, {
          id,
          version,
        });
      const ruleSet = compileOrThrow(record.document);
      const weighed = await calibrated(ruleSet);
      await store.activateRuleSet(id, version, now, by);
      activations++;
      swap(ruleSet, weighed);
      activeKey = ruleSet.key;
      return (await store.ruleSet(id, version)) as RuleSetRecord;
    },
    async refresh() {
      const [seenActivations, seenOutcomes] = [activations, outcomesRecorded];
      const [a, history] = await Promise.all([store.activeRuleSet(), store.partyHistory()]);
      // Outcomes recorded by other processes (sharing the store) count here too.
      if (outcomesRecorded === seenOutcomes) parties.reset(history);
      // An activation in this process while the store was read wins over what was read.
      if (activations !== seenActivations) return false;
      if (a === undefined || `${a.id}@${a.version}` === activeKey) {
        // The same rule set: its weights follow the outcomes recorded since (here or by other processes).
        if (opts.calibration === undefined) return false;
        const weighed = await calibrated(configured);
        if (activations !== seenActivations || weighed.calibration === current.ruleSet.calibration)
          return false;
        current = withRuleSet(current, weighed);
        return true;
      }
      const ruleSet = compileOrThrow(a.document);
      const weighed = await calibrated(ruleSet);
      if (activations !== seenActivations) return false;
      swap(ruleSet, weighed);
      activeKey = `${a.id}@${a.version}`;
      return true;
    },
    async recordDecision(ctx, c, d) {
      if (d.finding === undefined) return;
      const ck = consigneeKey(c.merged);
      const sk = sellerKey(c.merged) ?? null;
      const previous = await store.recordOutcome({
        consignmentId: c.id,
        finding: d.finding,
        at: ctx.now,
        officer: ctx.actor,
        ruleIds: selectingHitIds(c.assessment.risk.hits),
        random: c.assessment.risk.randomSelected,
        consigneeKey: ck,
        sellerKey: sk,
      });
      outcomesRecorded++;
      // A corrected (or repeated) finding replaces the consignment's earlier outcome: it counts once.
      if (previous !== undefined)
        parties.record(previous.consigneeKey, previous.sellerKey, isViolationFinding(previous.finding), -1);
      parties.record(ck, sk, isViolationFinding(d.finding));
    },
    useReferencePrices(table) {
      const prices = `prices:${createHash('sha1').update(JSON.stringify(table)).digest('hex').slice(0, 12)}`;
      const rest = current.version.split(';').filter((p) => !p.startsWith('prices:'));
      current = { ...current, referencePrices: table, version: [...rest, prices].join(';') };
    },
    async report() {
      const outcomes = await store.outcomes();
      const known = [
        ...current.ruleSet.rules.map((r) => r.id),
        ...indicatorIds.filter((i) => current.ruleSet.indicators[i]),
      ];
      const report = rulesReport(outcomes, known);
      if (opts.calibration === undefined) return report;
      // Learnt from the outcomes just read, for the rule set as configured (what the next refresh applies).
      return {
        ...report,
        calibration: calibrateFromOutcomes(configured, outcomes, opts.calibration).calibration,
      };
    },
  };
}
