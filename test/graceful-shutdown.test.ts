import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
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

test('a request arriving while the server closes gets an ops.not-ready problem; /readyz says draining, /healthz stays 200', async () => {
  const store = openSqliteStore({ memory: true });
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  // Each request's first line is sent before the close starts (its connection is busy, so the close
  // waits for it) and its end after: it arrives while the app closes, as on a kept-alive connection.
  const started = ['/v1/consignments', '/readyz', '/healthz'].map((path) => {
    const socket = connect(port, '127.0.0.1');
    socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n`);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    const ended = once(socket, 'close').then(() => text);
    return { socket, ended };
  });
  await new Promise((r) => setTimeout(r, 100));
  const closing = app.close();
  await new Promise((r) => setTimeout(r, 100));
  for (const s of started) s.socket.write('\r\n');
  const [other, ready, health] = (await Promise.all(started.map((s) => s.ended))) as [string, string, string];
  await closing;
  await store.close();
  const parse = (raw: string) => {
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body };
  };
  const o = parse(other);
  assert.equal(o.status, 503, other);
  assert.match(o.head, /content-type: application\/problem\+json/);
  assert.match(o.head, /connection: close/);
  assert.equal(
    JSON.parse(o.body).code,
    'ops.not-ready',
    'a problem, not Fastify\'s {"error":"Service Unavailable"}',
  );
  const r = parse(ready);
  assert.equal(r.status, 503, ready);
  assert.equal(JSON.parse(r.body).code, 'ops.not-ready');
  assert.equal(JSON.parse(r.body).checks.process, 'draining');
  assert.equal(parse(health).status, 200, health);
});
