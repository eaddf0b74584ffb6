/** The `parcelgate` command line. */
import { Command, CommanderError } from 'commander';
import { forecastCommand } from './commands-analytics.js';
import { kpiCommand } from './commands-kpi.js';
import { classifyCommand } from './commands-classify.js';
import { screenCategories, screenCommand } from './commands-screen.js';
import {
  evaluateCommand,
  rulesActivateCommand,
  rulesListCommand,
  rulesLoadCommand,
  rulesLearnPricesCommand,
  rulesReportCommand,
  rulesTestCommand,
} from './commands-risk.js';
import { assessCommand, generateCommand, quoteCommand } from './commands-data.js';
import { tariffImportCommand } from './commands-tariff.js';
import { iossReportCommand, simulateCommand } from './commands-simulate.js';
import {
  defaultDataDir,
  demoCommand,
  ingestCommand,
  migrateCommand,
  serveCommand,
} from './commands-store.js';
import { UsageError, exitCodes, forceHelp, usageErrorOf } from './io.js';
import { usePseudonymKeyFromEnv } from './commands-pseudonyms.js';
import { ParcelgateError } from '../domain/errors.js';
import { isStoreUnavailable } from '../store/error-codes.js';
import { registerSecurityCommands } from './security-program.js';
import { registerExchangeCommands } from './register-exchange.js';
import { registerTrustCommands } from './commands-trust.js';
import { registerRevenueCommands } from './commands-revenue.js';

const TARIFF_HELP =
  "an administration's tariff schedule (CSV or schedule JSON from `tariff-import`) for a profile, e.g. eu=my-tariff.csv; repeatable";
const collect = (v: string, all: string[] = []) => [...all, v];

const WATCHLIST_HELP =
  'watchlist file (JSON {"consignees", "sellers", "declarants", "addresses"}: lists of names or {name, reason}) instead of the demo list; see docs/reference-data.md';

const FX_HELP =
  "a jurisdiction's prescribed exchange-rate feed, e.g. ecb=eurofxref-hist.csv (CSV: date,currency,rate,base or the ECB layout); repeatable";

/** Builds the CLI program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('parcelgate')
    .description('Customs clearance engine for cross-border e-commerce')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  program
    .command('demo')
    .description('Generate a realistic day of parcels, clear them all, print a summary, then serve the API')
    .option('--count <n>', 'parcels to generate', '100000')
    .option('--seed <s>', 'generator seed', '2026')
    .option('--day <date>', 'arrival day (YYYY-MM-DD), default today')
    .option(
      '--data-dir <dir>',
      "data directory (default ./.parcelgate/demo); the demo's own database in it is replaced on every run",
    )
    .option('--replace', 'discard a database in --data-dir that the demo did not create (refused otherwise)')
    .option('--port <n>', 'API port', '8080')
    .option('--host <h>', 'API host', '127.0.0.1')
    .option('--no-serve', 'exit after the summary')
    .option('--auth <mode>', 'auto (open on loopback), keys or open', 'auto')
    .option('--tariff <profile=file>', TARIFF_HELP, collect)
    .action(async (o) => demoCommand(o));
  program
    .command('serve')
    .description('Serve the HTTP API on the embedded SQLite store (or PostgreSQL with --postgres)')
    .option('--port <n>', 'port', '8080')
    .option('--host <h>', 'host', '127.0.0.1')
    .option('--data-dir <dir>', 'data directory (default $PARCELGATE_DATA_DIR or ./.parcelgate)')
    .option('--postgres <url>', 'use PostgreSQL at this URL instead of the embedded SQLite store')
    .option('--auth <mode>', 'auto (keys if any exist, else open on loopback only), keys or open', 'auto')
    .option('--dispatch', 'also deliver webhooks from this process (see `parcelgate dispatch`)')
    .option(
      '--webhook-allow <cidrs>',
      'also allow these non-public ranges as webhook destinations, e.g. 10.20.0.0/16 (default $PARCELGATE_WEBHOOK_ALLOW; see docs/notifications.md)',
    )
    .option(
      '--inspections-per-day <n>',
      'inspection capacity per office and day: red lanes are matched to it',
    )
    .option(
      '--documentary-checks-per-day <n>',
      'documentary-check capacity per office and day: yellow lanes are matched to it (the rest go blue)',
    )
    .option(
      '--calibrate-weights',
      'calibrate rule and indicator weights by their hit rates in the recorded inspection outcomes (see `rules report`)',
    )
    .option('--agreements <file>', 'customs-to-customs data-sharing agreements (JSON array)')
    .option('--administration <id>', 'this administration operator id (with --agreements)')
    .option('--findings-key <pem>', 'private key signing customs-to-customs findings')
    .option('--findings-key-id <id>', 'registered id of the findings key')
    .option('--reference-prices <file>', 'reference table (JSON, e.g. from `rules learn-prices`)')
    .option('--fx <name=file>', FX_HELP, (v: string, all: string[] = []) => [...all, v])
    .option('--tariff <profile=file>', TARIFF_HELP, collect)
    .option(
      '--facilitation-policy <file>',
      'facilitation by status (JSON over the defaults: levels, compliance, enforcement, intake data sets)',
    )
    .option('--claim-ttl <minutes>', 'minutes a work-queue claim lasts unless renewed', '30')
    .option('--watchlist <file>', WATCHLIST_HELP)
    .action(async (o) => serveCommand(o));
  program
    .command('migrate')
    .description('Apply the PostgreSQL schema migrations')
    .requiredOption('--postgres <url>', 'PostgreSQL connection URL')
    .action(async (o) => migrateCommand(o));
  program
    .command('generate')
    .description('Write synthetic consignments as NDJSON to stdout, ground-truth labels to a file')
    .option('--count <n>', 'parcels (about a third also arrive as a platform-order record)', '1000')
    .option('--seed <s>', 'seed', '1')
    .option('--day <date>', 'arrival day (YYYY-MM-DD)')
    .option('--labels <file>', 'write labels (NDJSON) here (an existing file only with --force)')
    .option('--force', forceHelp)
    .action(async (o) => generateCommand(o));
  program
    .command('ingest <file>')
    .description('Ingest an NDJSON, CSV, xlsx or postal XML file into the store (streamed, bounded memory)')
    .option('--data-dir <dir>', 'data directory')
    .option('--format <f>', 'ndjson, csv, postal-xml or xlsx (default from the extension)')
    .option('--batch <n>', 'records per transaction', '2000')
    .option('--submitter <id>', 'submitter id recorded on the consignments', 'cli')
    .option('--strict', 'exit with code 1 when any record is rejected')
    .option('--tariff <profile=file>', TARIFF_HELP, collect)
    .option('--watchlist <file>', WATCHLIST_HELP)
    .action(async (file, o) => {
      process.exitCode = await ingestCommand(file, o);
    });
  program
    .command('assess <file>')
    .description('Assess every record of a file offline: one NDJSON assessment per input record, in order')
    .option('--out <file>', 'output file (default stdout; an existing file only with --force)')
    .option('--force', forceHelp)
    .option('--format <f>', 'ndjson or csv')
    .option(
      '--now <iso>',
      'assessment time, taken as the lodging time: the tax point is never earlier (default now)',
    )
    .option('--tariff <profile=file>', TARIFF_HELP, collect)
    .option(
      '--rules <file>',
      'assess with this rule-set file instead of the shipped one (a draft before `rules load`)',
    )
    .option('--watchlist <file>', WATCHLIST_HELP)
    .action(async (file, o) => {
      process.exitCode = await assessCommand(file, o);
    });
  program
    .command('quote <file>')
    .description("Duty and VAT for one consignment JSON file ('-' for stdin); stores nothing")
    .option('--date <iso>', 'quote as if lodged on this date: the tax point is never earlier (default now)')
    .option('--fx <name=file>', FX_HELP, (v: string, all: string[] = []) => [...all, v])
    .option(
      '--tariff <profile=file>',
      'use this tariff schedule (CSV or JSON) for a profile, e.g. eu=my-tariff.csv; repeatable',
      (v: string, all: string[] = []) => [...all, v],
    )
    .action(async (file, o) => {
      process.exitCode = await quoteCommand(file, o);
    });
  program
    .command('tariff-import <csv>')
    .description("Check an administration's CSV tariff schedule and write it as schedule JSON")
    .option('--profile <id>', 'jurisdiction profile whose currency the schedule uses (e.g. eu)')
    .option('--currency <c>', 'schedule currency (default the profile currency)')
    .option('--schedule-version <v>', 'schedule version, recorded in every assessment')
    .option('--default-rate <r>', 'ad valorem rate for codes no line matches, e.g. 0.04')
    .option('--source <text>', 'provenance of the schedule')
    .option('--out <file>', 'output file (default stdout; an existing file only with --force)')
    .option('--force', forceHelp)
    .action(async (file, o) => {
      process.exitCode = await tariffImportCommand(file, o);
    });
  program
    .command('simulate')
    .description(
      'Re-assess traffic under a proposed revenue policy: revenue and border workload per day, before and after',
    )
    .option(
      '--set <setting>',
      'profile edit <profile>:<json-pointer>=<json> (null removes), repeatable',
      (v: string, a: string[]) => [...a, v],
      [],
    )
    .option(
      '--input <file>',
      'traffic: consignment records (NDJSON, CSV, xlsx or postal XML), linked into consignments',
    )
    .option(
      '--data-dir <dir>',
      'traffic: the consignments stored in this data directory, as of their assessment time',
    )
    .option('--generate <n>', 'traffic: n synthetic parcels (the default source, 5000 parcels)')
    .option('--day <date>', 'day of the synthetic traffic')
    .option('--at <iso>', 'assessment time for --input and --generate records')
    .option('--chart <file>', 'write an SVG chart of revenue per day')
    .option('--currency <c>', 'currency of the chart (default the first in the report)')
    .option('--json', 'print the report as JSON')
    .action(async (o) => {
      process.exitCode = await simulateCommand(o);
    });
  registerRevenueCommands(program, defaultDataDir, FX_HELP);
  program
    .command('ioss-report')
    .description('Value and VAT per IOSS number and member state for a month, from the stored consignments')
    .option('--month <yyyy-mm>', 'month (default the current one)')
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print the report as JSON')
    .action(async (o) => {
      process.exitCode = await iossReportCommand({ ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  program
    .command('classify <file>')
    .description('Suggest HS 2022 codes for a CSV with a description column (one NDJSON line per row)')
    .option('--eval', 'the CSV has description,hs6: print top-1/top-3 accuracy and calibration')
    .option('--out <file>', 'output file (default stdout; an existing file only with --force)')
    .option('--force', forceHelp)
    .option('--top <n>', 'alternatives per line', '3')
    .option('--explain', 'add the words that drove each suggestion (field explanation)')
    .action(async (file, o) => {
      process.exitCode = await classifyCommand(file, o);
    });
  program
    .command('screen [images...]')
    .description(`Screen X-ray images (PNG/JPEG) offline for ${screenCategories}: one NDJSON line per image`)
    .option(
      '--model <file>',
      'model description JSON (default $PARCELGATE_SCREENING_MODEL or the shipped baseline)',
    )
    .option('--min-score <s>', 'report candidates from this score instead of the model thresholds')
    .option('--evaluate', 'print precision and recall on a held-out generated set')
    .option('--count <n>', 'images for --evaluate (default 400) or --generate (default 20)')
    .option('--seed <s>', 'seed of the generated images')
    .option('--generate <dir>', 'write generated parcel images and their truth.json to a directory')
    .option(
      '--export-labels <dir>',
      "write officers' reviewed images as a training set for train.py --reviewed",
    )
    .option('--data-dir <dir>', 'data directory for --export-labels')
    .option('--postgres <url>', 'PostgreSQL instead of the SQLite data directory, for --export-labels')
    .action(async (images, o) => {
      process.exitCode = await screenCommand(images, { ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  program
    .command('evaluate <flood> <labels>')
    .description('Precision and recall per violation type at an inspection rate, against ground-truth labels')
    .option('--rate <r>', 'inspection rate', '0.05')
    .option(
      '--rules <file>',
      'measure this rule-set file instead of the shipped one (a draft before `rules load`)',
    )
    .option('--reference-prices <file>', 'reference price table (JSON) learnt from other traffic')
    .option('--now <iso>', 'assessment time')
    .option(
      '--errors <n>',
      'also list the false positives and missed violations by type and signature, with n examples of each',
    )
    .option(
      '--outcomes <file>',
      'inspection outcomes of another day (NDJSON, e.g. from --write-outcomes): weights calibrated by their hit rates',
    )
    .option(
      '--write-outcomes <file>',
      'write what the inspections of this selection would have found (NDJSON), for --outcomes on a later day',
    )
    .option('--force', 'overwrite the --write-outcomes file')
    .option('--watchlist <file>', WATCHLIST_HELP)
    .action(async (flood, labels, o) => {
      process.exitCode = await evaluateCommand(flood, labels, o);
    });
  const rules = program.command('rules').description('Targeting rules: scenario tests and hit-rate report');
  rules
    .command('test <file>')
    .description(
      'Run a scenario file ({"scenarios": [...]}, docs/rules-language.md) against the shipped rule set or --rules',
    )
    .option('--rules <file>', 'a rule-set file to test instead of the shipped one (e.g. before `rules load`)')
    .action((file, o) => {
      process.exitCode = rulesTestCommand(file, o);
    });
  rules
    .command('load <file>')
    .description('Validate a rule-set file and store it as a new version (every problem is printed)')
    .option('--data-dir <dir>', 'data directory')
    .option('--postgres <url>', 'PostgreSQL instead of the SQLite data directory')
    .option('--activate', 'make it the active version at once')
    .action(async (file, o) => {
      process.exitCode = await rulesLoadCommand(file, { ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  rules
    .command('list')
    .description('Stored rule-set versions; * marks the active one')
    .option('--data-dir <dir>', 'data directory')
    .option('--postgres <url>', 'PostgreSQL instead of the SQLite data directory')
    .action(async (o) => {
      process.exitCode = await rulesListCommand({ ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  rules
    .command('activate <id> <version>')
    .description(
      'Activate a stored version; running servers pick it up within 10 s (at once through the API)',
    )
    .option('--data-dir <dir>', 'data directory')
    .option('--postgres <url>', 'PostgreSQL instead of the SQLite data directory')
    .action(async (id, version, o) => {
      process.exitCode = await rulesActivateCommand(id, version, {
        ...o,
        dataDir: o.dataDir ?? defaultDataDir(),
      });
    });
  rules
    .command('learn-prices')
    .description(
      'Re-learn reference prices from stored consignments, leaving out those inspections found violating',
    )
    .requiredOption(
      '--out <file>',
      'where to write the reference table (JSON; an existing file only with --force)',
    )
    .option('--force', forceHelp)
    .option('--data-dir <dir>', 'data directory')
    .action(async (o) => {
      process.exitCode = await rulesLearnPricesCommand({
        out: o.out,
        force: o.force,
        dataDir: o.dataDir ?? defaultDataDir(),
      });
    });
  rules
    .command('report')
    .description("Each rule's selections, hits and hit rate from recorded inspection findings")
    .option('--data-dir <dir>', 'data directory')
    .option('--postgres <url>', 'PostgreSQL instead of the SQLite data directory')
    .action(async (o) => {
      process.exitCode = await rulesReportCommand({ ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  program
    .command('forecast')
    .description('Forecast a date,count series (daily, weekly or monthly) with intervals and a backtest')
    .requiredOption('--series <file>', 'CSV with a date and a count column')
    .option('--horizon <n>', 'periods to forecast', '28')
    .option('--origins <n>', 'rolling-origin backtest points', '6')
    .option('--chart <file>', 'write an SVG chart of history, forecast and intervals')
    .option(
      '--selection-rate <r>',
      'expected inspection selection rate for staffing (default: the inspected column of a long-format file, else 0.02)',
    )
    .option('--inspections-per-officer <n>', 'inspections one officer completes a day', '40')
    .option('--no-events', 'leave out the shopping-event calendar')
    .option('--office <id>', 'long-format file (date,office,lane,count[,inspected]): this office only')
    .option('--lane <lane>', 'long-format file: this lane only (green, yellow, red, blue)')
    .option('--by-lane', "long-format file: forecast each lane, staff from the lanes' selection rates")
    .action((o) => {
      process.exitCode = forecastCommand(o);
    });
  registerSecurityCommands(program);
  program
    .command('kpi')
    .description(
      'Clearance KPIs from the event log: times to decision and release, release before arrival, hit rates, revenue',
    )
    .option('--data-dir <dir>', 'data directory (default $PARCELGATE_DATA_DIR or ./.parcelgate)')
    .option('--postgres <url>', 'read a PostgreSQL store instead')
    .option('--from <when>', 'data received from this day (YYYY-MM-DD) or instant')
    .option('--to <when>', 'up to this day (included) or instant (excluded)')
    .option('--json', 'print the full report as JSON (by day and office too)')
    .action(async (o) => {
      process.exitCode = await kpiCommand({ ...o, dataDir: o.dataDir ?? defaultDataDir() });
    });
  registerExchangeCommands(program);
  registerTrustCommands(program, defaultDataDir);
  return program;
}

/** Runs the CLI with process.argv; maps usage errors to exit code 2 with a one-line message. */
let quietOnClosedPipe = false;

/** `parcelgate … | head`: when the reader closes the pipe, stop quietly (exit 0) instead of a stack trace. */
function endOnClosedPipe(): void {
  if (quietOnClosedPipe) return;
  quietOnClosedPipe = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(exitCodes.ok);
  });
}

export async function main(argv = process.argv): Promise<void> {
  endOnClosedPipe();
  try {
    // Every command computes person and party pseudonyms under the deployment's key (docs/security.md).
    usePseudonymKeyFromEnv();
    const badUrl = badPostgresUrl(argv);
    if (badUrl !== undefined) throw new UsageError(badUrl);
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : exitCodes.usage;
      return;
    }
    if (
      e instanceof UsageError ||
      (e instanceof ParcelgateError && (e.code === 'fx-feed.invalid' || e.code === 'revenue.tariff-invalid'))
    ) {
      process.stderr.write(`parcelgate: ${e.message}\n`);
      process.exitCode = exitCodes.usage;
      return;
    }
    // Any other product error a command let through (e.g. `webhooks add` with an ftp:// URL): its
    // code, message and issues on stderr, never a stack trace.
    if (e instanceof ParcelgateError) {
      process.stderr.write(`parcelgate: ${(usageErrorOf(e) as UsageError).message}\n`);
      process.exitCode = exitCodes.usage;
      return;
    }
    const unreachable = postgresUnreachable(e, argv);
    if (unreachable !== undefined) {
      process.stderr.write(
        `parcelgate: cannot use the PostgreSQL database given by --postgres: ${unreachable}\n`,
      );
      process.exitCode = exitCodes.usage;
      return;
    }
    throw e;
  }
}

/**
 * Why a `--postgres` value cannot name a database, if it cannot: it must be a `postgres://` or
 * `postgresql://` URL (or a `socket:` URL or a socket directory path, which the driver also reads).
 * Anything else would be read as a host name and fail later as "getaddrinfo ENOTFOUND base".
 */
export function badPostgresUrl(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = a === '--postgres' ? argv[i + 1] : a.startsWith('--postgres=') ? a.slice(11) : undefined;
    if (value === undefined || value.startsWith('/')) continue;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol === 'postgres:' || protocol === 'postgresql:' || protocol === 'socket:') continue;
    return `--postgres must be a PostgreSQL URL such as postgres://user:password@host:5432/database (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

/**
 * The reason, when a command given `--postgres URL` failed because that database cannot be reached or
 * refuses the role (a wrong host, port, password or database name): a one-line error, not a stack trace.
 */
function postgresUnreachable(e: unknown, argv: readonly string[]): string | undefined {
  if (!argv.some((a) => a === '--postgres' || a.startsWith('--postgres='))) return undefined;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  // Not reached (the store's own test, as the API answers 503), or refused: SQLSTATE invalid
  // authorization, invalid password, no such database, too many connections.
  const refused = ['28000', '28P01', '3D000', '53300'];
  if (!isStoreUnavailable(e) && !(typeof code === 'string' && refused.includes(code))) return undefined;
  const why = typeof message === 'string' && message !== '' ? message : 'connection failed';
  return typeof code === 'string' ? `${why} (${code})` : why;
}
