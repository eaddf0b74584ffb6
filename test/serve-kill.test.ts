import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');

async function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true', LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // Start-up waits for the condition, not a fixed time: a loaded machine can take many seconds.
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    if (err.includes('parcelgate API on')) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${err}`);
}

test('killing the server mid-flood loses no acknowledged consignment and leaves nothing half-written', async () => {
  const dataDir = scratchDir('parcelgate-kill-');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = await startServer(dataDir, port);
  const acked = new Set<string>();
  const records = [...generateFlood({ seed: 'kill', count: 6000, day: '2026-11-27' })].map((r) => r.input);
  const batches: unknown[][] = [];
  for (let i = 0; i < records.length; i += 500) batches.push(records.slice(i, i + 500));
  let sent = 0;
  const killAfter = 4 + Math.floor(Math.random() * 4);
  const inflight: Promise<void>[] = [];
  for (const batch of batches) {
    const p = fetch(`http://127.0.0.1:${port}/v1/consignments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consignments: batch }),
    })
      .then(async (res) => {
        const body = (await res.json()) as { results: { consignmentId?: string; status: string }[] };
        for (const r of body.results)
          if (r.consignmentId && r.status !== 'rejected') acked.add(r.consignmentId);
      })
      .catch(() => undefined);
    inflight.push(p);
    if (++sent === killAfter) {
      await new Promise((r) => setTimeout(r, 30));
      child.kill('SIGKILL');
      break;
    }
    if (sent % 2 === 0) await p;
  }
  await once(child, 'exit');
  await Promise.all(inflight);
  assert.ok(acked.size > 0, 'some batches were acknowledged before the kill');

  const store = openSqliteStore({ dataDir });
  for (const id of acked) {
    const c = await store.get(id);
    assert.ok(c, `acknowledged ${id} survives`);
    const events = await store.events(id);
    assert.ok(events.length >= 3, `${id} has its events`);
  }
  const stats = await store.stats();
  // every stored consignment has at least its three creation events: no half-written batch
  assert.ok(stats.events >= stats.consignments * 3);
  await store.close();
});
