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
 * `node dist/bench/run.js [e2e|http|rules|detection|quotes|pseudonyms|trust|postgres|screening|classify|console|kpi|dispatch|persons|memory]` runs one part.
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
const only = process.argv[2];

const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.log(line);
};

say(
  `parcelgate bench — node ${process.version}${process.execArgv.length > 0 ? ` ${process.execArgv.join(' ')}` : ''}, ${new Date().toISOString()}`,
);
if (!only || only === 'e2e') await benchEndToEnd(count, say);
if (!only || only === 'http') await benchHttp(Math.min(count, 50_000), say);
if (!only || only === 'rules') {
  say('');
  await benchRulesEngine(say);
}
if (!only || only === 'detection') {
  say('');
  benchDetection(Math.min(count, 60_000), say);
}
if (!only || only === 'quotes') {
  say('');
  benchQuotes(Number(process.env.BENCH_QUOTES ?? 20_000), say);
}
if (!only || only === 'pseudonyms') {
  say('');
  benchPseudonyms(Number(process.env.BENCH_PSEUDONYMS ?? 20_000), say);
}
if (!only || only === 'trust') {
  say('');
  benchTrust(Math.min(count, 20_000), say);
}
const pgUrl = process.env.PARCELGATE_BENCH_PG_URL ?? process.env.PARCELGATE_TEST_PG_URL;
if ((!only || only === 'postgres') && pgUrl) {
  say('');
  await benchPostgres(pgUrl, Math.min(count, 20_000), say);
}
if (!only || only === 'screening') {
  say('');
  await benchScreening(say);
}
if (!only || only === 'classify') {
  say('');
  benchClassify(Number(process.env.BENCH_CLASSIFY ?? 5_000), say);
}
if (!only || only === 'console') await benchConsoleQueue(Number(process.env.BENCH_QUEUE ?? 100_000), say);
if (!only || only === 'console' || only === 'kpi')
  await benchConsoleKpi(Number(process.env.BENCH_KPI ?? 100_000), say);
if (!only || only === 'dispatch') {
  say('');
  await benchDispatch(Math.min(count, 5_000), say);
}
if (!only || only === 'persons') await benchPersonView(Math.min(count, 20_000), say);
if ((!only || only === 'memory') && bigMb > 0) await benchMemory(bigMb, say);
