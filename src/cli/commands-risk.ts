/** `evaluate`, `rules test` and `rules report`: detection quality and rule maintenance. */
import { readFileSync, writeFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  evaluateParcelsWithErrors,
  groupParcels,
  learnPricesFromStore,
  loadSnapshot,
  openRiskRuntime,
  watchlistFromNames,
  withRuleSet,
  type LabelledRecord,
  type PipelineDeps,
} from '../clearance/index.js';
import {
  calibrateFromOutcomes,
  checkReferencePriceTable,
  renderCalibration,
  learnReferencePrices,
  loadDefaultRuleSet,
  renderDetectionErrors,
  renderDetectionReport,
  renderRulesReport,
  renderScenarioResults,
  indicatorIds,
  loadRuleSet,
  rulesReport,
  runScenarioFile,
  selectingHitIds,
  type CompiledRuleSet,
  type InspectionOutcome,
  checkWatchlistDocument,
  type ReferencePriceTable,
  type WatchlistLists,
} from '../risk/index.js';
import { ParcelgateError } from '../domain/index.js';
import { checkStructure, isRfc3339DateTime } from '../intake/index.js';
import type { RawFileRecord } from '../clearance/index.js';
import { demoWatchlist } from '../sim/index.js';
import {
  openPostgresRiskStore,
  openSqliteRiskStore,
  openSqliteStore,
  type RiskStore,
  type RuleSetRecord,
} from '../store/index.js';
import { UsageError, openRecords, outputFile, requireDatabase } from './io.js';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JSON from ${file}: ${(e as Error).message}`);
  }
}

/** Reads a reference table (JSON) written by `rules learn-prices` or `learnReferencePrices`. */
export function readReferencePrices(file: string): ReferencePriceTable {
  const checked = checkReferencePriceTable(readJson(file));
  if (checked.ok) return checked.value;
  const shown = checked.error.slice(0, 10).map((i) => `  ${i.code} at ${i.path || '/'}: ${i.message}`);
  const more = checked.error.length > 10 ? [`  ... and ${checked.error.length - 10} more`] : [];
  throw new UsageError(
    `${file} is not a usable reference price table (nothing of it is used):\n${[...shown, ...more].join('\n')}`,
  );
}

/**
 * An administration's watchlist file (`--watchlist FILE`, docs/reference-data.md), checked whole before
 * anything runs: every problem is one usage error, each on a line with its JSON path.
 */
export function readWatchlistFile(file: string): WatchlistLists {
  const checked = checkWatchlistDocument(readJson(file));
  if (checked.ok) return checked.value;
  throw new UsageError(
    `${file} is not a usable watchlist (nothing of it is used): ${checked.error.length} problem(s)\n${checked.error.map((i) => `  ${i.code} at ${i.path || '/'}: ${i.message}`).join('\n')}`,
  );
}

/**
 * One flood line with its label line, checked: both parse, the record has a consignment's structure, the
 * label is `{ref, violations}`, and the label names the record (`ref` = the record's `externalRef`, as
 * the generator writes them), so labels of another flood or in another order are refused.
 */
function labelledRecord(
  flood: string,
  rec: RawFileRecord,
  labelsFile: string,
  l: RawFileRecord,
): LabelledRecord {
  if (rec.error) throw new UsageError(`${flood} line ${rec.line}: ${rec.error.message}`);
  if (l.error) throw new UsageError(`${labelsFile} line ${l.line}: ${l.error.message}`);
  const issues = checkStructure(rec.value);
  if (issues.length > 0) {
    const first = issues[0] as { path: string; message: string };
    throw new UsageError(
      `${flood} line ${rec.line}: not a consignment record: ${first.path} ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    );
  }
  const label = l.value as Partial<LabelledRecord['label']> | null;
  if (
    typeof label !== 'object' ||
    label === null ||
    typeof label.ref !== 'string' ||
    !Array.isArray(label.violations) ||
    !label.violations.every((v) => typeof v === 'string')
  )
    throw new UsageError(
      `${labelsFile} line ${l.line}: a label must be {"ref": "<parcel ref>", "violations": ["<type>", ...]}`,
    );
  const input = rec.value as LabelledRecord['input'];
  if (input.externalRef !== undefined && input.externalRef !== label.ref)
    throw new UsageError(
      `${labelsFile} line ${l.line}: label ref "${label.ref}" is not the record's externalRef "${input.externalRef}" (${flood} line ${rec.line}): labels of another flood, or in another order`,
    );
  return { input, label: label as LabelledRecord['label'] };
}

const outcomeCheck = TypeCompiler.Compile(
  Type.Object({
    ruleIds: Type.Array(Type.String()),
    finding: Type.String(),
    random: Type.Optional(Type.Boolean()),
    consignmentId: Type.Optional(Type.String()),
  }),
);

/**
 * Reads inspection outcomes (NDJSON, one `{ruleIds, finding, random?, consignmentId?}` a line, as
 * `evaluate --write-outcomes` writes them); a line of another shape is refused with its number.
 */
export function readOutcomes(file: string): InspectionOutcome[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read outcomes from ${file}: ${(e as Error).message}`);
  }
  const out: InspectionOutcome[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${file} line ${i + 1}: not JSON: ${(e as Error).message}`);
    }
    if (!outcomeCheck.Check(o))
      throw new UsageError(
        `${file} line ${i + 1}: an outcome must be {"ruleIds": ["<rule or indicator id>", ...], "finding": "<finding>", "random"?: true|false, "consignmentId"?: "<id>"}`,
      );
    out.push(o as InspectionOutcome);
  });
  return out;
}

/** Precision and recall per violation type at an inspection rate, against the generator's labels. */
export async function evaluateCommand(
  flood: string,
  labelsFile: string,
  opts: {
    rate?: string;
    referencePrices?: string;
    now?: string;
    errors?: string;
    outcomes?: string;
    writeOutcomes?: string;
    force?: boolean;
    rules?: string;
    watchlist?: string;
  },
): Promise<number> {
  const draft = opts.rules === undefined ? undefined : readRuleSetFile(opts.rules);
  const lists = opts.watchlist === undefined ? demoWatchlist() : readWatchlistFile(opts.watchlist);
  const rate = Number(opts.rate ?? '0.05');
  if (!(rate > 0 && rate <= 1)) throw new UsageError(`--rate must be in (0, 1], got '${opts.rate}'`);
  const examples = opts.errors === undefined ? undefined : Number(opts.errors);
  if (examples !== undefined && !(Number.isInteger(examples) && examples >= 0))
    throw new UsageError(`--errors must be a whole number of examples, got '${opts.errors}'`);
  if (opts.now !== undefined && !isRfc3339DateTime(opts.now))
    throw new UsageError(
      `--now must be an ISO 8601 instant with its offset (e.g. 2026-11-27T18:00:00Z), got '${opts.now}'`,
    );
  const write =
    opts.writeOutcomes === undefined
      ? undefined
      : outputFile('--write-outcomes', opts.writeOutcomes, {
          force: opts.force,
          inputs: [flood, labelsFile, ...(opts.outcomes === undefined ? [] : [opts.outcomes])],
        });
  // Outcomes of another day (e.g. `--write-outcomes` of an earlier flood): the weights learn their hit rates.
  const learnt = opts.outcomes === undefined ? undefined : readOutcomes(opts.outcomes);
  const { records } = openRecords(flood, 'ndjson');
  const labels = openRecords(labelsFile, 'ndjson').records;
  const labelled: LabelledRecord[] = [];
  const labelIterator = labels[Symbol.asyncIterator]();
  // A skipped or misaligned line would change the figures without a word: every line must pair up.
  for await (const rec of records) {
    const l = await labelIterator.next();
    if (l.done) throw new UsageError(`${labelsFile} has fewer lines than ${flood}`);
    labelled.push(labelledRecord(flood, rec, labelsFile, l.value));
  }
  if (!(await labelIterator.next()).done) throw new UsageError(`${labelsFile} has more lines than ${flood}`);
  const shipped = loadSnapshot({ watchlist: watchlistFromNames(lists) });
  const configured = draft === undefined ? shipped : withRuleSet(shipped, draft);
  const calibrated = learnt && calibrateFromOutcomes(configured.ruleSet, learnt);
  const snapshot = calibrated ? withRuleSet(configured, calibrated.ruleSet) : configured;
  const now = opts.now ?? new Date().toISOString();
  const parcels = groupParcels(labelled, snapshot, now);
  let referencePrices: ReferencePriceTable;
  if (opts.referencePrices) referencePrices = readReferencePrices(opts.referencePrices);
  else {
    referencePrices = learnReferencePrices(
      parcels.map((p) => ({ input: p.merged, intrinsicValueEur: p.valueEur })),
    );
    process.stderr.write(
      'note: reference prices learnt from the evaluated flood itself (in-sample); pass --reference-prices for an independent table\n',
    );
  }
  const { report, errors, outcomes } = evaluateParcelsWithErrors(parcels, snapshot, {
    now,
    inspectionRate: rate,
    referencePrices,
  });
  process.stdout.write(renderDetectionReport(report) + '\n');
  if (calibrated) process.stdout.write('\n' + renderCalibration(calibrated.calibration) + '\n');
  if (write && opts.writeOutcomes !== undefined)
    writeFileSync(opts.writeOutcomes, outcomes.map((o) => JSON.stringify(o) + '\n').join(''), {
      flag: write.flags,
    });
  if (examples !== undefined) process.stdout.write('\n' + renderDetectionErrors(errors, examples) + '\n');
  return 0;
}

/** Runs a scenario file against the shipped rule set, or a rule-set file (`--rules`); exit 1 when any scenario fails. */
/**
 * A rule-set file (the document `rules load` takes) compiled, for commands that assess offline with a
 * draft (`assess --rules`, `evaluate --rules`); every problem is a usage error with its path.
 */
export function readRuleSetFile(path: string): CompiledRuleSet {
  const loaded = loadRuleSet(readJson(path));
  if (!loaded.ok)
    throw new UsageError(
      `${path}: the rule set has ${loaded.error.length} problem(s)\n${loaded.error.map((i) => `  ${i.code} at ${i.path}: ${i.message}`).join('\n')}`,
    );
  return loaded.value;
}

export function rulesTestCommand(file: string, opts: { rules?: string } = {}): number {
  let ruleSet = loadDefaultRuleSet();
  if (opts.rules !== undefined) {
    const loaded = loadRuleSet(readJson(opts.rules));
    if (!loaded.ok) {
      for (const i of loaded.error)
        process.stderr.write(`${opts.rules}: ${i.code} at ${i.path}: ${i.message}\n`);
      return 1;
    }
    ruleSet = loaded.value;
  }
  let results;
  try {
    results = runScenarioFile(ruleSet, readJson(file));
  } catch (e) {
    if (e instanceof ParcelgateError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  process.stdout.write(renderScenarioResults(results) + '\n');
  return results.every((r) => r.passed) ? 0 : 1;
}

/** The risk store of a data directory, or of a PostgreSQL database. */
export async function openRiskStoreFor(opts: { dataDir: string; postgres?: string }): Promise<RiskStore> {
  return opts.postgres
    ? openPostgresRiskStore({ url: opts.postgres })
    : openSqliteRiskStore({ dataDir: opts.dataDir });
}

/**
 * The rule set activated in the store (`rules load --activate`, `rules activate`, the API), compiled;
 * undefined when none is (the shipped one applies). A version that does not compile here is a usage
 * error, never a silent fallback to the shipped rules.
 */
export async function activeRuleSetOf(target: {
  dataDir: string;
  postgres?: string;
}): Promise<CompiledRuleSet | undefined> {
  const store = await openRiskStoreFor(target);
  try {
    const active = await store.activeRuleSet();
    if (active === undefined) return undefined;
    const r = loadRuleSet(active.document);
    if (!r.ok)
      throw new UsageError(
        `the active rule set ${active.id}@${active.version} does not compile here: ${r.error.map((i) => `${i.code} at ${i.path}: ${i.message}`).join('; ')}`,
      );
    return r.value;
  } finally {
    await store.close();
  }
}

/**
 * Puts the live risk state around pipeline deps: the active rule set from the store (activation through
 * the API swaps it without restart; other processes pick it up within `refreshSeconds`), the consignee
 * history window, and outcome recording.
 */
export async function withRiskRuntime<D extends PipelineDeps & { close: () => Promise<void> }>(
  deps: D,
  store: RiskStore,
  opts: {
    refreshSeconds?: number;
    inspectionsPerOfficeDay?: number;
    documentaryChecksPerOfficeDay?: number;
    /** Weights calibrated by the rules' hit rates in the stored outcomes (`serve --calibrate-weights`). */
    calibrateWeights?: boolean;
  } = {},
): Promise<D> {
  const refreshSeconds = opts.refreshSeconds ?? 10;
  const capacity = opts.inspectionsPerOfficeDay;
  const documentary = opts.documentaryChecksPerOfficeDay;
  const risk = await openRiskRuntime({
    store,
    base: deps.snapshot(),
    now: new Date().toISOString(),
    ...(capacity === undefined
      ? {}
      : { selector: { capacityPerOfficeDay: capacity, explorationRate: 0.005 } }),
    ...(documentary === undefined ? {} : { documentary: { capacityPerOfficeDay: documentary } }),
    ...(opts.calibrateWeights === true ? { calibration: {} } : {}),
  });
  const previous = deps.observe;
  const previousWrites = deps.observeWrites;
  // A version another process activated that does not compile here is said once, not silently skipped.
  let lastRefreshError = '';
  const timer = setInterval(
    () =>
      void risk.refresh().catch((e: unknown) => {
        const m = e instanceof Error ? e.message : String(e);
        if (m !== lastRefreshError)
          process.stderr.write(`risk: the active rule set was not taken up: ${m}\n`);
        lastRefreshError = m;
      }),
    refreshSeconds * 1000,
  );
  timer.unref();
  return {
    ...deps,
    risk,
    snapshot: () => risk.snapshot(),
    // The consignee history reads fresh consignments from their texts; other observers still get objects.
    observeWrites: (fresh, changed) => {
      risk.observeWrites(fresh, changed);
      previousWrites?.(fresh, changed);
    },
    ...(previous ? { observe: previous } : {}),
    close: async () => {
      clearInterval(timer);
      await risk.flush();
      await store.close();
      await deps.close();
    },
  };
}

/** The number of rules of a stored document (as GET /v1/rule-sets counts them). */
const ruleCount = (r: RuleSetRecord): number => {
  const rules = (r.document as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) ? rules.length : 0;
};

const ruleSetLine = (r: RuleSetRecord): string => {
  const n = ruleCount(r);
  return `${r.active ? '*' : ' '} ${r.id}@${r.version}  ${n} rule${n === 1 ? '' : 's'}  loaded ${r.loadedAt} by ${r.loadedBy}${r.activatedAt ? `, activated ${r.activatedAt}` : ''}`;
};

/**
 * The rule-set problems of a rejected `rules load`: the count first, then each problem indented under
 * it with its code and JSON path (the format of `--rules` drafts, docs/rules-language.md).
 */
export function renderRuleSetProblems(
  message: string,
  issues: readonly { code: string; path: string; message: string }[],
): string {
  return [`parcelgate: ${message}`, ...issues.map((i) => `  ${i.code} at ${i.path || '/'}: ${i.message}`)]
    .map((l) => l + '\n')
    .join('');
}

/** Loads a rule-set file into the risk store (validated; every problem printed); optionally activates it. */
export async function rulesLoadCommand(
  file: string,
  opts: { dataDir: string; postgres?: string; activate?: boolean; actor?: string },
): Promise<number> {
  const doc = readJson(file);
  const store = await openRiskStoreFor(opts);
  try {
    const risk = await openRiskRuntime({
      store,
      base: loadSnapshot({ classifier: false }),
      now: new Date().toISOString(),
    });
    const by = opts.actor ?? 'cli';
    const now = new Date().toISOString();
    let loaded;
    try {
      loaded = await risk.loadRuleSet(doc, by, now);
    } catch (e) {
      const details = (e as { details?: { issues?: { code: string; path: string; message: string }[] } })
        .details;
      process.stderr.write(renderRuleSetProblems((e as Error).message, details?.issues ?? []));
      return 1;
    }
    const r = opts.activate
      ? await risk.activate(loaded.record.id, loaded.record.version, by, now)
      : loaded.record;
    process.stdout.write(`${loaded.status}: ${ruleSetLine(r)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Lists the stored rule-set versions (the active one starred). */
export async function rulesListCommand(opts: { dataDir: string; postgres?: string }): Promise<number> {
  if (!opts.postgres) requireDatabase(opts.dataDir);
  const store = await openRiskStoreFor(opts);
  try {
    const list = await store.ruleSets();
    // The key the pipeline assesses with: the active stored version, else the shipped rule set.
    const active = list.find((r) => r.active);
    const inForce = active ? `${active.id}@${active.version}` : `${loadDefaultRuleSet().key} (shipped)`;
    process.stdout.write(
      (list.length === 0
        ? 'no stored rule sets\n'
        : `${list.length} stored rule set version${list.length === 1 ? '' : 's'}, newest first:\n` +
          list.map(ruleSetLine).join('\n') +
          '\n') + `in force: ${inForce}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** Activates a stored rule-set version (running servers pick it up within seconds). */
export async function rulesActivateCommand(
  id: string,
  version: string,
  opts: { dataDir: string; postgres?: string; actor?: string },
): Promise<number> {
  const v = Number(version);
  if (!Number.isInteger(v) || v < 1)
    throw new UsageError(`version must be a positive integer, got '${version}'`);
  const store = await openRiskStoreFor(opts);
  try {
    const r = await store.ruleSet(id, v);
    if (r === undefined) {
      process.stderr.write(`parcelgate: no stored rule set ${id}@${v}\n`);
      return 1;
    }
    const risk = await openRiskRuntime({
      store,
      base: loadSnapshot({ classifier: false }),
      now: new Date().toISOString(),
    });
    process.stdout.write(
      `activated: ${ruleSetLine(await risk.activate(id, v, opts.actor ?? 'cli', new Date().toISOString()))}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** Re-learns reference tables from the stored consignments, leaving out those inspections found violating. */
export async function rulesLearnPricesCommand(opts: {
  dataDir: string;
  out: string;
  force?: boolean;
}): Promise<number> {
  const { flags } = outputFile('--out', opts.out, { force: opts.force });
  requireDatabase(opts.dataDir);
  const store = openSqliteStore({ dataDir: opts.dataDir });
  const risk = openSqliteRiskStore({ dataDir: opts.dataDir });
  try {
    const r = await learnPricesFromStore(store, risk);
    writeFileSync(opts.out, JSON.stringify(r.table) + '\n', { flag: flags });
    process.stdout.write(
      `${Object.keys(r.table.prices).length} HS6 prices from ${r.consignments} consignments (${r.excluded} left out: inspection findings) -> ${opts.out}\n`,
    );
    return 0;
  } finally {
    await risk.close();
    await store.close();
  }
}

/** Each rule's selections, hits and hit rate from the officers' recorded inspection findings. */
export async function rulesReportCommand(opts: { dataDir: string; postgres?: string }): Promise<number> {
  if (!opts.postgres) requireDatabase(opts.dataDir);
  const riskStore = await openRiskStoreFor(opts);
  const recorded = await riskStore.outcomes();
  const active = await riskStore.activeRuleSet();
  await riskStore.close();
  // The same rows as GET /v1/rules/report: the rules and weighed indicators of the rule set in force.
  const loaded = active ? loadRuleSet(active.document) : undefined;
  const ruleSet = loaded?.ok ? loaded.value : loadDefaultRuleSet();
  const known = [...ruleSet.rules.map((r) => r.id), ...indicatorIds.filter((i) => ruleSet.indicators[i])];
  // What `serve --calibrate-weights` learns from the same outcomes.
  const calibration = (outcomes: readonly InspectionOutcome[]): string =>
    '\n' + renderCalibration(calibrateFromOutcomes(ruleSet, outcomes).calibration) + '\n';
  if (recorded.length > 0 || opts.postgres) {
    process.stdout.write(renderRulesReport(rulesReport(recorded, known)) + '\n' + calibration(recorded));
    return 0;
  }
  // Without recorded outcomes (older data), read the findings from the officers' decision events.
  const store = openSqliteStore({ dataDir: opts.dataDir });
  const outcomes: InspectionOutcome[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const summary of page.items) {
      const events = await store.events(summary.id);
      const findings = events.flatMap((e) => (typeof e.data?.finding === 'string' ? [e.data.finding] : []));
      if (findings.length === 0) continue;
      const c = await store.get(summary.id);
      if (!c) continue;
      outcomes.push({
        consignmentId: c.id,
        ruleIds: selectingHitIds(c.assessment.risk.hits),
        random: c.assessment.risk.randomSelected,
        finding: findings.at(-1)!,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  await store.close();
  process.stdout.write(renderRulesReport(rulesReport(outcomes, known)) + '\n' + calibration(outcomes));
  return 0;
}
