/** (b) HTTP batch ingest through the API vs a bare Fastify handler that only parses the same bodies. */
import Fastify from 'fastify';
import { buildApp, installJsonBodyParser } from '../src/api/index.js';
import { loadSnapshot, watchlistFromNames } from '../src/clearance/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { Worker } from 'node:worker_threads';
import type { ClientResult, ClientRun } from './http-client.js';
import { chunks, cpuPerItem, fmt, records, tempDir, threadCpuSeconds } from './util.js';

/**
 * The client, in a worker thread with its own event loop (bench/http-client.ts), as a real submitter
 * is another process: the server's main thread then spends its time on the server's work only.
 */
function startClient(bodies: string[]) {
  const encoded = bodies.map((b) => new TextEncoder().encode(b));
  const byteSize = encoded.reduce((n, b) => n + b.byteLength, 0);
  const worker = new Worker(new URL('./http-client.js', import.meta.url), {
    workerData: { bodies: encoded },
    transferList: encoded.map((b) => b.buffer as ArrayBuffer),
  });
  const post = (url: string, from: number, to: number, concurrency: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const failed = (e: Error) => reject(e);
      worker.once('error', failed);
      worker.once('message', (r: ClientResult) => {
        worker.off('error', failed);
        if ('secs' in r) resolve(r.secs);
        else reject(new Error(r.error));
      });
      worker.postMessage({ url, from, to, concurrency } satisfies ClientRun);
    });
  // The bodies' text is not kept in the server's heap: the worker holds their bytes.
  return { post, close: () => worker.terminate(), requests: encoded.length, bytes: byteSize };
}

/** Server main-thread CPU per record (µs) around `run`: the client's thread is not counted. */
async function timed(
  count: number,
  run: () => Promise<number>,
): Promise<{ secs: number; mainUs: number | null }> {
  const before = threadCpuSeconds();
  const secs = await run();
  return { secs, mainUs: cpuPerItem(before, threadCpuSeconds(), count)?.main ?? null };
}

/** Runs benchmark (b). */
export async function benchHttp(count: number, say: (s: string) => void): Promise<void> {
  const batchSize = 5000;
  const client = startClient(
    chunks(records(count, 'http'), batchSize).map((b) => JSON.stringify({ consignments: b })),
  );
  const { requests: all, bytes } = client;

  // The bare handler with Fastify's own JSON parser, then with the API's (hostile-JSON checks, bytes).
  const bareHandler = async (apiParser: boolean) => {
    const bare = Fastify({ bodyLimit: 64 * 1024 * 1024 });
    if (apiParser) installJsonBodyParser(bare);
    bare.post('/v1/consignments', async (req) => ({
      n: (req.body as { consignments: unknown[] }).consignments.length,
    }));
    const bareUrl = (await bare.listen({ port: 0, host: '127.0.0.1' })) + '/v1/consignments';
    await client.post(bareUrl, 0, 1, 1);
    const run = await timed(count, () => client.post(bareUrl, 0, all, 2));
    await bare.close();
    return run;
  };
  const bareRun = await bareHandler(false);
  const apiParseRun = await bareHandler(true);

  const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
  // The API on a store that commits in the request's thread, then on one with a writer thread (serve's default).
  const api = async (writerThread: boolean) => {
    const store = openSqliteStore({ dataDir: tempDir('http'), writerThread });
    const app = await buildApp({ store, snapshot: () => snapshot });
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })) + '/v1/consignments';
    const run = await timed(count, () => client.post(url, 0, all, 2));
    await app.close();
    await store.close();
    return run;
  };
  const inThread = await api(false);
  const apiRun = await api(true);
  await client.close();
  const us = (r: { mainUs: number | null }) =>
    r.mainUs === null ? '' : `, server main thread ${fmt(r.mainUs)} µs CPU per record`;

  say('');
  say(
    `(b) HTTP batch ingest, ${fmt(count)} consignments in ${all} requests of ${fmt(batchSize)} (${fmt(bytes / 1e6)} MB), 2 client connections from a worker thread`,
  );
  say(
    `    parcelgate API (parse + validate + match + assess + commit): ${fmt(count / apiRun.secs)} consignments/s${us(apiRun)}`,
  );
  say(
    `    same, committing in the request's thread:                  ${fmt(count / inThread.secs)} consignments/s${us(inThread)}`,
  );
  say(
    `    bare Fastify handler that only parses the bodies:          ${fmt(count / bareRun.secs)} consignments/s${us(bareRun)}`,
  );
  say(
    `    same, with the API's JSON parser (hostile-JSON checks):      ${fmt(count / apiParseRun.secs)} consignments/s${us(apiParseRun)}`,
  );
  say(`    ratio API / bare parse: ${(bareRun.secs / apiRun.secs).toFixed(2)}  (absolute floor 10,000/s)`);
}
