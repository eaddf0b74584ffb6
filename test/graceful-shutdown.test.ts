import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { setDraining } from '../src/ops/index.js';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');

test('SIGTERM during a batch: the batch is committed and acknowledged, then the server exits 0', async () => {
  const dataDir = scratchDir('parcelgate-term-');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', LOG_LEVEL: 'info' },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => (err += d.toString())); // the JSON log lines
  for (let i = 0; i < 200 && !err.includes('parcelgate API on'); i++)
    await new Promise((r) => setTimeout(r, 100));
  assert.match(err, /parcelgate API on/);
  const records = [...generateFlood({ seed: 'term', count: 4000, day: '2026-11-27' })].map((r) => r.input);
  const answer = fetch(`http://127.0.0.1:${port}/v1/consignments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ consignments: records }),
  });
  // Signal once the server has the request (its log line), so the batch is surely in flight.
  for (
    let i = 0;
    i < 300 && !/"method":"POST"[^\n]*incoming request|incoming request[^\n]*"method":"POST"/.test(err);
    i++
  )
    await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  const res = await answer;
  assert.equal(res.status, 200);
  const body = (await res.json()) as { results: { consignmentId?: string; status: string }[] };
  assert.equal(body.results.length, records.length);
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, err);
  const store = openSqliteStore({ dataDir });
  for (const r of body.results.filter((x) => x.status !== 'rejected').slice(0, 200))
    assert.ok(await store.get(r.consignmentId!), `acknowledged ${r.consignmentId} is stored`);
  await store.close();
});

test('/readyz is 200 while serving and 503 once draining; /healthz stays 200', async () => {
  const store = openSqliteStore({ memory: true });
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot });
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).json().status, 'ready');
  setDraining(app);
  const draining = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(draining.statusCode, 503);
  assert.equal(draining.json().code, 'ops.not-ready');
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  await store.close();
  const failing = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(failing.statusCode, 503);
  assert.match(failing.json().checks.store, /failing/);
  await app.close();
});
