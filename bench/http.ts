/** (b) HTTP batch ingest through the API vs a bare Fastify handler that only parses the same bodies. */
import Fastify from 'fastify';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, watchlistFromNames } from '../src/clearance/index.js';
import { demoWatchlist } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { chunks, fmt, records, tempDir } from './util.js';

async function post(url: string, bodies: string[], concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - t0) / 1000;
}

/** Runs benchmark (b). */
export async function benchHttp(count: number, say: (s: string) => void): Promise<void> {
  const batchSize = 5000;
  const bodies = chunks(records(count, 'http'), batchSize).map((b) => JSON.stringify({ consignments: b }));
  const bytes = bodies.reduce((n, b) => n + b.length, 0);

  const bare = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  bare.post('/v1/consignments', async (req) => ({
    n: (req.body as { consignments: unknown[] }).consignments.length,
  }));
  const bareUrl = (await bare.listen({ port: 0, host: '127.0.0.1' })) + '/v1/consignments';
  await post(bareUrl, bodies.slice(0, 1), 1);
  const bareSecs = await post(bareUrl, bodies, 2);
  await bare.close();

  const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
  // The API on a store that commits in the request's thread, then on one with a writer thread (serve's default).
  const api = async (writerThread: boolean): Promise<number> => {
    const store = openSqliteStore({ dataDir: tempDir('http'), writerThread });
    const app = await buildApp({ store, snapshot: () => snapshot });
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })) + '/v1/consignments';
    const secs = await post(url, bodies, 2);
    await app.close();
    await store.close();
    return secs;
  };
  const inThreadSecs = await api(false);
  const apiSecs = await api(true);

  say('');
  say(
    `(b) HTTP batch ingest, ${fmt(count)} consignments in ${bodies.length} requests of ${fmt(batchSize)} (${fmt(bytes / 1e6)} MB), 2 client connections`,
  );
  say(
    `    parcelgate API (parse + validate + match + assess + commit): ${fmt(count / apiSecs)} consignments/s`,
  );
  say(
    `    same, committing in the request's thread:                  ${fmt(count / inThreadSecs)} consignments/s`,
  );
  say(
    `    bare Fastify handler that only parses the bodies:          ${fmt(count / bareSecs)} consignments/s`,
  );
  say(`    ratio API / bare parse: ${(bareSecs / apiSecs).toFixed(2)}  (absolute floor 10,000/s)`);
}
