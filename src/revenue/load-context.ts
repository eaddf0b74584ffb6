/** Reads the revenue reference data (profiles, VAT rates, tariffs, FX) from data/ once per process. */
import { readFileSync } from 'node:fs';
import { dataPath } from '../reference/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import { ParcelgateError } from '../domain/errors.js';
import { parseHmrcMonthlyCsv, type FxRateProvider } from './fx.js';
import { parseFxFeedCsv, type FxFeed } from './fx-feed.js';
import {
  compileGenericProfile,
  parseGenericProfile,
  parseTariffSchedule,
  type CompiledGenericProfile,
} from './generic-profile.js';
import { parseIbericodeRates, parseKdeldyckeRates, withHistory } from './vat-rates.js';

const readJson = (...parts: string[]): unknown => JSON.parse(readFileSync(dataPath(...parts), 'utf8'));

/** Options for loading: replace the FX strategy (e.g. an ECB or admin feed). */
export interface LoadRevenueOptions {
  fx?: FxRateProvider;
  /** Prescribed rate feeds by name (see parseFxFeedCsv); profiles name theirs in fx.prescribed.feed. */
  feeds?: ReadonlyMap<string, FxRateProvider>;
}

/** The feed names the shipped profiles prescribe (`fx.prescribed.feed`), sorted: the names `--fx` takes. */
export function knownFxFeeds(): string[] {
  const names = loadRevenueProfiles().flatMap((p) => (p.raw.fx.prescribed ? [p.raw.fx.prescribed.feed] : []));
  return [...new Set(names)].sort();
}

/**
 * Reads `NAME=FILE.csv` feed specs (the `--fx` option) into named feeds; a bad spec, a name no profile
 * prescribes (`known`, default knownFxFeeds()), an unreadable file or invalid CSV throws before
 * anything is used (ParcelgateError fx-feed.invalid names the feed, line and field).
 */
export function loadFxFeeds(
  specs: readonly string[],
  known: readonly string[] = knownFxFeeds(),
): Map<string, FxFeed> {
  const feeds = new Map<string, FxFeed>();
  for (const spec of specs) {
    const m = /^([a-z0-9][a-z0-9-]*)=(.+)$/.exec(spec);
    if (m === null)
      throw new ParcelgateError(
        'fx-feed.invalid',
        `--fx expects NAME=FILE.csv (e.g. ecb=eurofxref-hist.csv; NAME one of ${known.join(', ')}), got '${spec}'`,
      );
    const [, name, file] = m as unknown as [string, string, string];
    // A mistyped name (ecbb) would otherwise be loaded and never used: every quote a silent stand-in.
    if (!known.includes(name))
      throw new ParcelgateError(
        'fx-feed.invalid',
        `--fx ${name}: no jurisdiction profile prescribes a feed of this name; known feeds: ${known.join(', ')}`,
      );
    if (feeds.has(name)) throw new ParcelgateError('fx-feed.invalid', `--fx ${name} is given twice`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ParcelgateError(
        'fx-feed.invalid',
        `fx feed ${name}: cannot read ${file}: ${(e as Error).message}`,
      );
    }
    feeds.set(name, parseFxFeedCsv(name, text));
  }
  return feeds;
}

let cachedFx: FxRateProvider | undefined;
let cachedProfiles: CompiledGenericProfile[] | undefined;

/** The default FX provider: HMRC monthly rates shipped in data/fx (read once). */
export function loadHmrcFxProvider(): FxRateProvider {
  cachedFx ??= parseHmrcMonthlyCsv(readFileSync(dataPath('fx', 'hmrc-all_rates.csv'), 'utf8'));
  return cachedFx;
}

/** Reads a profile file as JSON (data/jurisdictions/<name>), unvalidated: the edit hook for what-if runs. */
export function readProfileJson(name: string): unknown {
  return readJson('jurisdictions', name);
}

/** Validates and compiles one profile JSON, reading its tariff schedule and rate table from data/. */
export function compileProfileJson(json: unknown, what: string): CompiledGenericProfile {
  const profile = parseGenericProfile(json, what);
  const schedule = parseTariffSchedule(readJson('jurisdictions', profile.tariff), profile.tariff);
  const src = profile.countryTaxRates;
  const main =
    src === undefined ? undefined : parseIbericodeRates(readJson(...src.file.split('/')), src.version);
  const before = src?.before;
  const rates =
    main === undefined || before === undefined
      ? main
      : withHistory(
          main,
          parseKdeldyckeRates(readFileSync(dataPath(...before.file.split('/')), 'utf8'), before.version),
        );
  return compileGenericProfile(profile, schedule, rates);
}

/** The profile files listed in data/jurisdictions/index.json. */
export function profileNames(): string[] {
  const index = readJson('jurisdictions', 'index.json') as { profiles?: unknown };
  if (!Array.isArray(index.profiles))
    throw new TypeError('data/jurisdictions/index.json has no profiles list');
  return index.profiles.map(String);
}

/** Reads and compiles every profile listed in data/jurisdictions/index.json (once per process). */
export function loadRevenueProfiles(): CompiledGenericProfile[] {
  cachedProfiles ??= profileNames().map((name) =>
    compileProfileJson(readJson('jurisdictions', name), `data/jurisdictions/${name}`),
  );
  return cachedProfiles;
}

/** Loads the revenue context: profiles, VAT rates, tariffs and (unless given) the HMRC FX provider. */
export function loadRevenueContext(options: LoadRevenueOptions = {}): RevenueContext {
  const fx = options.fx ?? loadHmrcFxProvider();
  return createRevenueContext(loadRevenueProfiles(), fx, options.feeds);
}
