/**
 * `npm run bench`: throughput and memory, each as a ratio against a baseline measured in the same run.
 *   (a) end-to-end validate+match+assess+store vs a raw better-sqlite3 insert of the same rows, same indexes
 *   (b) HTTP batch ingest vs a bare Fastify handler that only parses the same bodies
 *   (c) peak RSS while ingesting NDJSON files of growing size (flat memory)
 *   then the risk engine (rule language vs json-rules-engine, 100 vs 10,000 rules, detection) and,
 *   when PARCELGATE_BENCH_PG_URL (or PARCELGATE_TEST_PG_URL) is set, PostgreSQL vs raw inserts.
 * Environment: BENCH_COUNT (default 60000), BENCH_BIG_MB (default 2048; 0 skips (c)).
 *   and quote throughput for a mixed 13-profile workload (floor 50,000 quotes/s on one core),
 *   operator trust (facilitation) cost, X-ray screening inference, and the console's work queue (a page on 100,000 held consignments
 *   vs the raw indexed SELECT), and webhook dispatch and feed reads vs bare POSTs and raw SELECTs.
 *   HS classification per description vs the tokeniser alone, and the console's KPI report.
 *   And the cost of keyed pseudonyms against the unkeyed SHA-256 they replaced.
 * `node dist/bench/run.js PART[,PART...]` runs the parts named (see `known`).
 */
import { benchClassify } from './classify.js';
import { benchConsoleKpi } from './console-kpi.js';
import { benchConsoleQueue } from './console-queue.js';
import { benchEndToEnd } from './end-to-end.js';
import { benchHttp } from './http.js';
import { benchMemory } from './memory.js';
import { benchPersonView } from './person-view.js';
import { benchQuotes } from './quotes.js';
import { benchDetection, benchRulesEngine } from './rules-engine.js';
import { benchPostgres } from '../src/store/postgres/bench-postgres.js';
import { benchScreening } from './screening.js';
import { benchTrust } from './trust.js';
import { benchDispatch } from './dispatch.js';
import { benchPseudonyms } from './pseudonyms.js';

const count = Number(process.env.BENCH_COUNT ?? 60_000);
const bigMb = Number(process.env.BENCH_BIG_MB ?? 2048);
const known = [
  'e2e',
  'http',
  'rules',
  'detection',
  'quotes',
  'pseudonyms',
  'trust',
  'postgres',
  'screening',
  'classify',
  'console',
  'kpi',
  'dispatch',
  'persons',
  'memory',
];
/** The parts named on the command line (comma-separated), or every part. */
const parts = process.argv[2]?.split(',');
const unknown = parts?.filter((p) => !known.includes(p)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown bench part(s): ${unknown.join(', ')}; parts are ${known.join(', ')}`);
  process.exit(2);
}
const run = (part: string): boolean => parts === undefined || parts.includes(part);

const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.log(line);
};

say(
  `parcelgate bench — node ${process.version}${process.execArgv.length > 0 ? ` ${process.execArgv.join(' ')}` : ''}, ${new Date().toISOString()}`,
);
if (run('e2e')) await benchEndToEnd(count, say);
if (run('http')) await benchHttp(Math.min(count, 50_000), say);
if (run('rules')) {
  say('');
  await benchRulesEngine(say);
}
if (run('detection')) {
  say('');
  benchDetection(Math.min(count, 60_000), say);
}
if (run('quotes')) {
  say('');
  benchQuotes(Number(process.env.BENCH_QUOTES ?? 20_000), say);
}
if (run('pseudonyms')) {
  say('');
  benchPseudonyms(Number(process.env.BENCH_PSEUDONYMS ?? 20_000), say);
}
if (run('trust')) {
  say('');
  benchTrust(Math.min(count, 20_000), say);
}
const pgUrl = process.env.PARCELGATE_BENCH_PG_URL ?? process.env.PARCELGATE_TEST_PG_URL;
if (run('postgres') && pgUrl) {
  say('');
  await benchPostgres(pgUrl, Math.min(count, 20_000), say);
}
if (run('screening')) {
  say('');
  await benchScreening(say);
}
if (run('classify')) {
  say('');
  benchClassify(Number(process.env.BENCH_CLASSIFY ?? 5_000), say);
}
if (run('console')) await benchConsoleQueue(Number(process.env.BENCH_QUEUE ?? 100_000), say);
if (run('console') || run('kpi')) await benchConsoleKpi(Number(process.env.BENCH_KPI ?? 100_000), say);
if (run('dispatch')) {
  say('');
  await benchDispatch(Math.min(count, 5_000), say);
}
if (run('persons')) await benchPersonView(Math.min(count, 20_000), say);
if (run('memory') && bigMb > 0) await benchMemory(bigMb, say);
