/** `evaluate`, `rules test` and `rules report`: detection quality and rule maintenance. */
import { readFileSync } from 'node:fs';
import {
  evaluateParcels,
  groupParcels,
  loadSnapshot,
  watchlistFromNames,
  type LabelledRecord,
} from '../clearance/index.js';
import {
  learnReferencePrices,
  loadDefaultRuleSet,
  renderDetectionReport,
  renderRulesReport,
  renderScenarioResults,
  rulesReport,
  scenarioTest,
  type ReferencePriceTable,
  type Scenario,
} from '../risk/index.js';
import { demoWatchlist } from '../sim/index.js';
import { openSqliteStore } from '../store/index.js';
import { UsageError, openRecords } from './io.js';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read JSON from ${file}: ${(e as Error).message}`);
  }
}

/** Precision and recall per violation type at an inspection rate, against the generator's labels. */
export async function evaluateCommand(
  flood: string,
  labelsFile: string,
  opts: { rate?: string; referencePrices?: string; now?: string },
): Promise<number> {
  const rate = Number(opts.rate ?? '0.05');
  if (!(rate > 0 && rate <= 1)) throw new UsageError(`--rate must be in (0, 1], got '${opts.rate}'`);
  const { records } = openRecords(flood, 'ndjson');
  const labels = openRecords(labelsFile, 'ndjson').records;
  const labelled: LabelledRecord[] = [];
  const labelIterator = labels[Symbol.asyncIterator]();
  for await (const rec of records) {
    const l = await labelIterator.next();
    if (l.done) throw new UsageError(`${labelsFile} has fewer lines than ${flood}`);
    if (rec.error || l.value.error) continue;
    labelled.push({
      input: rec.value as LabelledRecord['input'],
      label: l.value.value as LabelledRecord['label'],
    });
  }
  const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
  const now = opts.now ?? new Date().toISOString();
  const parcels = groupParcels(labelled, snapshot, now);
  let referencePrices: ReferencePriceTable;
  if (opts.referencePrices) referencePrices = readJson(opts.referencePrices) as ReferencePriceTable;
  else {
    referencePrices = learnReferencePrices(
      parcels.map((p) => ({ input: p.merged, intrinsicValueEur: p.valueEur })),
    );
    process.stderr.write(
      'note: reference prices learnt from the evaluated flood itself (in-sample); pass --reference-prices for an independent table\n',
    );
  }
  const report = evaluateParcels(parcels, snapshot, { now, inspectionRate: rate, referencePrices });
  process.stdout.write(renderDetectionReport(report) + '\n');
  return 0;
}

/** Runs a scenario file against the shipped rule set; exit 1 when any scenario fails. */
export function rulesTestCommand(file: string): number {
  const doc = readJson(file) as { scenarios?: Scenario[] };
  if (!Array.isArray(doc.scenarios)) throw new UsageError(`${file} must hold {"scenarios": [...]}`);
  const results = scenarioTest(loadDefaultRuleSet(), doc.scenarios);
  process.stdout.write(renderScenarioResults(results) + '\n');
  return results.every((r) => r.passed) ? 0 : 1;
}

/** Each rule's selections, hits and hit rate from the officers' recorded inspection findings. */
export async function rulesReportCommand(opts: { dataDir: string }): Promise<number> {
  const store = openSqliteStore({ dataDir: opts.dataDir });
  const outcomes: { ruleIds: string[]; finding: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const summary of page.items) {
      const events = await store.events(summary.id);
      const findings = events.flatMap((e) => (typeof e.data?.finding === 'string' ? [e.data.finding] : []));
      if (findings.length === 0) continue;
      const c = await store.get(summary.id);
      if (!c) continue;
      outcomes.push({ ruleIds: c.assessment.risk.hits.map((h) => h.id), finding: findings.at(-1)! });
    }
    cursor = page.nextCursor;
  } while (cursor);
  await store.close();
  const known = loadDefaultRuleSet().rules.map((r) => r.id);
  process.stdout.write(renderRulesReport(rulesReport(outcomes, known)) + '\n');
  return 0;
}
