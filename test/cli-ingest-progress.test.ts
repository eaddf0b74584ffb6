/**
 * The progress display of `ingest` on a terminal counts the bytes read once: it never shows more
 * megabytes read than the file holds, and ends at 100 % with the file's size and every record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const tmp = scratchDir('parcelgate-ingest-progress-');
const mainJs = pathToFileURL(join(packageRoot, 'dist', 'src', 'cli', 'main.js')).href;

test('ingest progress on a terminal: megabytes read never exceed the file size, and it ends at 100 %', () => {
  const sample = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'consignments.ndjson'), 'utf8');
  // About 1.3 MB in many batches of 50: the bar is drawn once per batch.
  const file = join(tmp, 'many.ndjson');
  writeFileSync(file, sample.repeat(250));
  const totalMb = (statSync(file).size / 1_048_576).toFixed(1);
  const env: NodeJS.ProcessEnv = { ...process.env, PARCELGATE_HEAP_CAPPED: '1' };
  delete env.CI;
  // The command draws its bar only on a terminal: the child takes its stderr for one.
  const script = `Object.defineProperty(process.stderr, 'isTTY', { value: true });
const { main } = await import(${JSON.stringify(mainJs)});
await main(['node', 'parcelgate', 'ingest', ${JSON.stringify(file)}, '--batch', '50', '--data-dir', ${JSON.stringify(join(tmp, 'data'))}]);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env,
    cwd: tmp,
  });
  assert.equal(r.status, 0, r.stderr);
  const shown = [...r.stderr.matchAll(/(\d+)% \| (\d+\.\d)\/(\d+\.\d) MB \| (\d+) records/g)].map((m) => ({
    percent: Number(m[1]),
    done: Number(m[2]),
    total: m[3],
    records: Number(m[4]),
  }));
  assert.ok(shown.length > 0, r.stderr);
  for (const s of shown) {
    assert.equal(s.total, totalMb);
    assert.ok(s.done <= Number(totalMb), `${s.done} MB read of ${totalMb} MB`);
  }
  const last = shown[shown.length - 1]!;
  assert.deepEqual([last.percent, last.done, last.records], [100, Number(totalMb), 1250]);
});
