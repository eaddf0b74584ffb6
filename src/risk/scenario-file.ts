/**
 * Scenario files (`parcelgate rules test`, `POST /v1/rules/test`): what an analyst writes to check a rule
 * set before activating it. Besides the consignment and what must (not) fire, a file can give the live
 * context the indicators read, so every indicator can be tested, not only the rules:
 *
 * - `base` (file) and `patch` (scenario): a scenario's input is the base with the patch merged in
 *   (JSON Merge Patch, RFC 7386: objects merge, anything else, arrays included, replaces; null deletes);
 * - `context.watchlist` (file): names and one-line addresses on the consignee, seller, declarant and
 *   address lists;
 * - `context.referencePrices` (file): a reference table as `rules learn-prices` writes it;
 * - `history` (scenario): earlier parcels of the same consignee (split shipments);
 * - `party` (scenario): earlier inspections and findings of the consignee and seller (repeat offender,
 *   operator trust);
 * - `prepaid` (scenario): the tax revenue computes as collected at checkout (prepaid tax).
 */
import { ParcelgateError, type ConsignmentInput } from '../domain/index.js';
import { checkStructure, isRfc3339DateTime } from '../intake/schema-check.js';
import type { CompiledRuleSet } from './compile-rules.js';
import { checkReferencePriceTable } from './reference-table-check.js';
import type { PrepaidComputed } from './prepaid-tax.js';
import { PartyBook, type PartyStats } from './party-history.js';
import type { ReferencePriceTable } from './reference-prices.js';
import { scenarioTest, type Scenario, type ScenarioResult } from './rules-report.js';
import { consigneeKey, inMemoryHistory, sellerKey } from './split-shipment.js';
import { buildWatchlist, emptyWatchlist } from './watchlist.js';
import { checkWatchlistDocument } from './watchlist-file.js';
import { isDecimalString } from './values.js';

/** The live context a scenario file may give. */
export interface ScenarioFileContext {
  watchlist?: { consignees?: string[]; sellers?: string[]; declarants?: string[]; addresses?: string[] };
  referencePrices?: ReferencePriceTable;
}

/** One scenario as written in a file: `input`, or `patch` over the file's `base`. */
export interface ScenarioSpec extends Omit<Scenario, 'input'> {
  input?: ConsignmentInput;
  patch?: Record<string, unknown>;
  /** Earlier parcels of the same consignee: EUR value, instant, and whether from the same seller (default). */
  history?: { valueEur: string; at: string; sameSeller?: boolean }[];
  /** Earlier inspections of this consignee and seller. */
  party?: { consignee?: PartyStats; seller?: PartyStats };
  prepaid?: PrepaidComputed;
  /** Assessment instant (default 2026-01-01T00:00:00Z). */
  now?: string;
}

/** A scenario file. */
export interface ScenarioFile {
  ruleSet?: string;
  base?: ConsignmentInput;
  context?: ScenarioFileContext;
  scenarios: ScenarioSpec[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Merge Patch (RFC 7386). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function bad(message: string, path: string, issues?: unknown[]): never {
  throw new ParcelgateError('rules.bad-scenarios', message, 422, { path, ...(issues ? { issues } : {}) });
}

const LANES = ['green', 'blue', 'yellow', 'red'];
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The file's `context`: a misspelt key ("watchlst", "consigness") would leave the list empty and the
 * scenarios pass or fail for the wrong reason; a list that is not a list of names crashed the runner.
 */
function checkContext(context: unknown): void {
  if (context === undefined) return;
  if (!isObject(context))
    bad('context must be an object with "watchlist" and/or "referencePrices"', '/context');
  for (const k of Object.keys(context))
    if (k !== 'watchlist' && k !== 'referencePrices')
      bad(`context.${k} is not known: expected "watchlist" or "referencePrices"`, `/context/${k}`);
  if (context.watchlist === undefined) return;
  // The lists as `--watchlist` files give them (one check for both), names only here.
  const checked = checkWatchlistDocument(context.watchlist, { base: '/context/watchlist', namesOnly: true });
  if (!checked.ok) {
    const first = checked.error[0] as { path: string; message: string };
    bad(
      `context.watchlist at ${first.path}: ${first.message}${checked.error.length > 1 ? ` (and ${checked.error.length - 1} more)` : ''}`,
      first.path,
      checked.error,
    );
  }
}

/** A scenario's `history` and `party`: checked here rather than crashing (or silently ignored) when assessed. */
function checkScenarioContext(s: Record<string, unknown>, i: number): void {
  const at = `/scenarios/${i}`;
  if (s.history !== undefined) {
    if (!Array.isArray(s.history))
      bad(`scenario "${String(s.name)}": history must be a list of earlier parcels`, `${at}/history`);
    s.history.forEach((h: unknown, j: number) => {
      const p = `${at}/history/${j}`;
      if (!isObject(h)) bad(`scenario "${String(s.name)}": history[${j}] must be an object`, p);
      if (typeof h.valueEur !== 'string' || !isDecimalString(h.valueEur))
        bad(
          `scenario "${String(s.name)}": history[${j}].valueEur must be a decimal text such as "110.00"`,
          `${p}/valueEur`,
        );
      if (typeof h.at !== 'string' || !isRfc3339DateTime(h.at))
        bad(
          `scenario "${String(s.name)}": history[${j}].at must be an RFC 3339 instant with its offset`,
          `${p}/at`,
        );
      if (h.sameSeller !== undefined && typeof h.sameSeller !== 'boolean')
        bad(
          `scenario "${String(s.name)}": history[${j}].sameSeller must be true or false`,
          `${p}/sameSeller`,
        );
    });
  }
  if (s.party !== undefined) {
    if (!isObject(s.party))
      bad(
        `scenario "${String(s.name)}": party must be an object with consignee and/or seller`,
        `${at}/party`,
      );
    for (const [k, stats] of Object.entries(s.party)) {
      const p = `${at}/party/${k}`;
      if (k !== 'consignee' && k !== 'seller')
        bad(`scenario "${String(s.name)}": party.${k} is not known: expected consignee or seller`, p);
      if (!isObject(stats))
        bad(`scenario "${String(s.name)}": party.${k} must be { inspections, findings }`, p);
      for (const f of ['inspections', 'findings'])
        if (!Number.isInteger(stats[f]) || (stats[f] as number) < 0)
          bad(`scenario "${String(s.name)}": party.${k}.${f} must be a whole number, 0 or more`, `${p}/${f}`);
    }
  }
}

/** The consignment a scenario assesses: its `input`, or the file's `base` with its `patch` merged in. */
const scenarioInput = (base: unknown, s: Record<string, unknown>): unknown =>
  s.input ?? mergePatch(base, s.patch ?? {});

/** Checks a parsed scenario file's shape (not the consignments: assessment reads what it is given). */
export function parseScenarioFile(doc: unknown): ScenarioFile {
  if (!isObject(doc) || !Array.isArray(doc.scenarios))
    bad('a scenario file must be an object with a "scenarios" array', '/scenarios');
  const context = (doc as { context?: unknown }).context;
  checkContext(context);
  const prices = isObject(context) ? context.referencePrices : undefined;
  if (prices !== undefined) {
    const checked = checkReferencePriceTable(prices);
    if (!checked.ok) {
      const first = checked.error[0] as { path: string; message: string };
      bad(
        `context.referencePrices: ${first.message}${checked.error.length > 1 ? ` (and ${checked.error.length - 1} more)` : ''}`,
        `/context/referencePrices${first.path}`,
        checked.error,
      );
    }
  }
  doc.scenarios.forEach((s: unknown, i: number) => {
    if (!isObject(s)) bad('a scenario must be an object', `/scenarios/${i}`);
    if (typeof s.name !== 'string' || s.name === '') bad('a scenario needs a name', `/scenarios/${i}/name`);
    if (!isObject(s.expect)) bad(`scenario "${s.name}" needs an "expect" object`, `/scenarios/${i}/expect`);
    if (s.input === undefined && (s.patch === undefined || doc.base === undefined))
      bad(`scenario "${s.name}" needs an "input", or a "patch" over the file's "base"`, `/scenarios/${i}`);
    const e = s.expect;
    if (e.lane !== undefined && !LANES.includes(e.lane as string))
      bad(
        `scenario "${s.name}": expect.lane must be one of ${LANES.join(', ')}`,
        `/scenarios/${i}/expect/lane`,
      );
    for (const k of ['fires', 'notFires'] as const)
      if (e[k] !== undefined && !isStrings(e[k]))
        bad(
          `scenario "${s.name}": expect.${k} must be a list of rule or indicator ids`,
          `/scenarios/${i}/expect/${k}`,
        );
    if (e.lane === undefined && e.fires === undefined && e.notFires === undefined)
      bad(
        `scenario "${s.name}" expects nothing: give expect.lane, expect.fires or expect.notFires`,
        `/scenarios/${i}/expect`,
      );
    checkScenarioContext(s, i);
    // The consignment is checked like a submitted one: a misspelt field ("categroy") would otherwise make
    // a rule silently not fire (and a notFires pass), and a missing one crash the assessment.
    const issues = checkStructure(scenarioInput(doc.base, s));
    if (issues.length > 0) {
      const where = s.input !== undefined ? 'input' : 'patch';
      const first = issues[0] as { path: string; message: string };
      bad(
        `scenario "${s.name}": its consignment (${where === 'input' ? 'input' : 'base with patch'}) is not valid: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
        `/scenarios/${i}/${where}${where === 'input' ? first.path : ''}`,
        issues,
      );
    }
  });
  return doc as unknown as ScenarioFile;
}

/** Runs a scenario file against a rule set: each scenario with its own history, party record and prepaid tax. */
export function runScenarioFile(ruleSet: CompiledRuleSet, doc: unknown): ScenarioResult[] {
  const file = parseScenarioFile(doc);
  const w = file.context?.watchlist;
  const watchlist =
    w === undefined
      ? emptyWatchlist()
      : buildWatchlist({
          consignees: (w.consignees ?? []).map((name) => ({ name })),
          sellers: (w.sellers ?? []).map((name) => ({ name })),
          declarants: (w.declarants ?? []).map((name) => ({ name })),
          addresses: (w.addresses ?? []).map((name) => ({ name })),
        });
  const referencePrices = file.context?.referencePrices;
  return file.scenarios.flatMap((s) => {
    const input = scenarioInput(file.base, s as unknown as Record<string, unknown>) as ConsignmentInput;
    const key = consigneeKey(input);
    const seller = sellerKey(input);
    const history =
      s.history === undefined || key === null
        ? undefined
        : inMemoryHistory(
            s.history.map((h, i) => ({
              key,
              parcel: {
                value: h.valueEur,
                at: h.at,
                ref: `${s.name}#${i}`,
                ...(h.sameSeller === false ? { seller: `other-${i}` } : seller ? { seller } : {}),
              },
            })),
          );
    const parties =
      s.party === undefined
        ? undefined
        : new PartyBook({
            consignees: new Map(key !== null && s.party.consignee ? [[key, s.party.consignee]] : []),
            sellers: new Map(seller !== undefined && s.party.seller ? [[seller, s.party.seller]] : []),
          });
    const scenario: Scenario = {
      name: s.name,
      input,
      expect: s.expect,
      ...(s.intrinsicValueEur !== undefined ? { intrinsicValueEur: s.intrinsicValueEur } : {}),
      ...(s.mismatches ? { mismatches: s.mismatches } : {}),
      ...(s.sourceKinds ? { sourceKinds: s.sourceKinds } : {}),
      ...(s.prepaid ? { prepaid: s.prepaid } : {}),
    };
    return scenarioTest(ruleSet, [scenario], {
      watchlist,
      ...(s.now ? { now: s.now } : {}),
      ...(referencePrices ? { referencePrices } : {}),
      ...(history ? { history } : {}),
      ...(parties ? { parties } : {}),
    });
  });
}
