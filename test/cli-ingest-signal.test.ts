import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { packageRoot } from '../src/reference/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-ingest-signal-');

function committed(dataDir: string): number {
  const file = join(dataDir, 'parcelgate.db');
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'consignments'").get();
    return hasTable ? (db.prepare('SELECT count(*) FROM consignments').pluck().get() as number) : 0;
  } catch {
    return 0; // still migrating
  } finally {
    db.close();
  }
}

// `parcelgate ingest` runs the work in a child with a capped heap: a signal sent to the process the
// user started (`kill PID`, a service manager) must stop the ingest as documented (docs/operations.md
// "Graceful shutdown"), not kill the wrapper and leave the child ingesting on its own.
test('SIGTERM to `parcelgate ingest` commits the batch in hand, reports stoppedBySignal and exits 0', async () => {
  const dataDir = join(tmp, 'data');
  const child = spawn(process.execPath, [bin, 'ingest', '-', '--batch', '10', '--data-dir', dataDir], {
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Records written after the ingest stopped reading (or after it exited) are dropped: no EPIPE here.
  child.stdin.on('error', () => {});
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (code, signal) => resolve([code, signal])),
  );
  let next = 60_000_000;
  const send = (n: number) => {
    for (let i = 0; i < n; i++) child.stdin.write(JSON.stringify(postalItem({}, String(next++))) + '\n');
  };
  send(25);
  // Wait until the ingest is under way (two batches committed), then signal the process we started.
  while (committed(dataDir) < 20) await sleep(50);
  child.kill('SIGTERM');
  // Keep records coming, as a long file would, until the ingest stops on its own.
  let done = false;
  void exited.then(() => (done = true));
  while (!done && next < 60_100_000) {
    send(1);
    await sleep(20);
  }
  const [code, signal] = await exited;
  assert.equal(signal, null, `the wrapper was killed by ${String(signal)}: ${stderr}`);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    records: number;
    stoppedBySignal?: boolean;
  };
  assert.equal(report.stoppedBySignal, true);
  assert.equal(committed(dataDir), report.records, 'every record it reports is committed');
});
