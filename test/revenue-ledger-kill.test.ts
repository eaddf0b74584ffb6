/**
 * SIGKILL between a batch's commit and its revenue ledger write: the next start catches the ledger
 * up from the clearance event log, so every acknowledged consignment is in it, once.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteRevenue } from '../src/clearance/testing/sqlite-revenue.js';
import { openSqliteStore } from '../src/store/index.js';
import { killedExit, spawnLines } from './helpers/child-lines.js';
import { scratchDir } from '../src/testing/scratch.js';
import { identityPersonKey } from '../src/revenue/person-key.js';

const writer = fileURLToPath(new URL('../src/clearance/testing/revenue-crash-writer.js', import.meta.url));
const dataDir = scratchDir('parcelgate-ledger-kill-');
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the writer until `batches` acks, SIGKILLs it right after the last ack; returns the acked ids. */
async function runAndKill(batches: number): Promise<string[]> {
  const acked: string[] = [];
  let acks = 0;
  const run = spawnLines(writer, [dataDir], (line) => {
    if (!line.startsWith('ack ')) return;
    acked.push(...line.slice(4).split(','));
    if (++acks === batches) run.kill();
  });
  await killedExit(run);
  return acked;
}

test('a kill between commit and ledger write is repaired on restart: every acknowledged parcel counted once', async () => {
  const everAcked: string[] = [];
  for (const batches of [1, 2]) everAcked.push(...(await runAndKill(batches)));
  const base = loadSnapshot({ classifier: false });
  const store = openSqliteStore({ dataDir });
  const { rt, ledger, feed } = await openSqliteRevenue(dataDir, store, base);
  try {
    assert.equal(await ledger.cursor(), (await store.stats()).events);
    for (const id of everAcked) {
      const trail = await ledger.trail(id);
      assert.deepEqual(
        trail.map((t) => [t.kind, t.collectedBy]),
        [['assessed', 'platform']],
        `ledger trail of acknowledged ${id}`,
      );
    }
    // Every stored order counts once toward its buyer's year: 100.00 CNY each, 20 buyers (as the next
    // batch naming them reads them: loaded from the ledger).
    const stored = (await store.stats()).consignments;
    const buyers = Array.from({ length: 20 }, (_, b) => identityPersonKey(`PERSONAL:BUYER-${b}`));
    const release = await rt.history.hold(buyers);
    let sum = 0;
    for (const key of buyers) sum += Number(rt.history.totals(key, 'CN', '2026-03-02', 'CNY', 2).yearToDate);
    release();
    assert.equal(sum, stored * 100);
    assert.ok(stored >= everAcked.length);
  } finally {
    ledger.close();
    await feed.close();
    await store.close();
  }
});
