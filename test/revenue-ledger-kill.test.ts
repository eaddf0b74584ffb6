/**
 * SIGKILL between a batch's commit and its revenue ledger write: the next start catches the ledger
 * up from the clearance event log, so every acknowledged consignment is in it, once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { loadSnapshot, openRevenueRuntime } from '../src/clearance/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../src/store/index.js';
import { openSqliteRevenueLedger } from '../src/store/sqlite/revenue-ledger-sqlite.js';

const writer = fileURLToPath(new URL('../src/clearance/testing/revenue-crash-writer.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcelgate-ledger-kill-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the writer until `batches` acks, SIGKILLs it right after the last ack; returns the acked ids. */
function runAndKill(batches: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let acks = 0;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('ack ')) continue;
        acked.push(...line.slice(4).split(','));
        if (++acks === batches) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${String(code)}: ${stderr}`));
    });
  });
}

test('a kill between commit and ledger write is repaired on restart: every acknowledged parcel counted once', async () => {
  const everAcked: string[] = [];
  for (const batches of [1, 2]) everAcked.push(...(await runAndKill(batches)));
  const base = loadSnapshot({ classifier: false });
  const store = openSqliteStore({ dataDir });
  const ledger = openSqliteRevenueLedger({ dataDir });
  const feed = openSqliteExchangeStore({ dataDir });
  try {
    const rt = await openRevenueRuntime({
      ledger,
      feed,
      store,
      revenue: base.revenue,
      now: '2026-03-02T08:00:00Z',
    });
    assert.equal(await ledger.cursor(), (await store.stats()).events);
    for (const id of everAcked) {
      const trail = await ledger.trail(id);
      assert.deepEqual(
        trail.map((t) => [t.kind, t.collectedBy]),
        [['assessed', 'platform']],
        `ledger trail of acknowledged ${id}`,
      );
    }
    // Every stored order counts once toward its buyer's year: 100.00 CNY each, 20 buyers.
    const stored = (await store.stats()).consignments;
    let sum = 0;
    for (let b = 0; b < 20; b++)
      sum += Number(rt.history.totals(`PERSONAL:BUYER-${b}`, 'CN', '2026-03-02', 'CNY', 2).yearToDate);
    assert.equal(sum, stored * 100);
    assert.ok(stored >= everAcked.length);
  } finally {
    ledger.close();
    await feed.close();
    await store.close();
  }
});
