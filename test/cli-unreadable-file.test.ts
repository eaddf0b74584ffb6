/**
 * A file the CLI cannot read to its end (a CSV with an unknown column or broken quoting, an unreadable
 * spreadsheet) is an input error: `ingest` and `assess` say so on stderr and exit with code 2, after
 * handling what was read before the break. Rejected records alone keep exit code 0 (1 with --strict).
 * A gzip-compressed file is read as the file it holds; a corrupt or truncated one is such a break.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood, toNdjsonLine } from '../src/sim/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-cli-unreadable-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

const sample = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'consignments.csv'), 'utf8');
const [header, ...rows] = sample.trim().split('\n');

const files = {
  'unknown-column.csv': sample.replace('item_origin', 'item_orgin'),
  'broken-quote.csv': [header, rows[0], rows[1], rows[2], `"${rows[3]}`].join('\n') + '\n',
  'not-a-workbook.xlsx': 'this is not a zip file',
};

for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(tmp, name), text);
  test(`ingest ${name}: exit code 2 and a line that says the file was not read to its end`, () => {
    const r = run('ingest', name, '--data-dir', join(tmp, `data-${name}`));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`parcelgate: ${name.replace('.', '\\.')} could not be read`));
  });
  test(`assess ${name}: exit code 2 and a line that says the file was not read to its end`, () => {
    const r = run('assess', name, '--now', '2026-11-27T10:00:00Z');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`parcelgate: ${name.replace('.', '\\.')} could not be read`));
  });
}

test('the records before a break are still ingested', () => {
  const r = run('ingest', 'broken-quote.csv', '--data-dir', join(tmp, 'data-partial'));
  assert.equal(r.status, 2, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { created?: number };
  assert.equal(summary.created, 1, r.stdout);
});

test('rejected records alone keep exit code 0 (1 with --strict)', () => {
  const bad = [header, rows[0]!.replace(',610910,', ',999999,')].join('\n') + '\n';
  writeFileSync(join(tmp, 'rejected.csv'), bad);
  assert.equal(run('ingest', 'rejected.csv', '--data-dir', join(tmp, 'data-rej')).status, 0);
  assert.equal(run('ingest', 'rejected.csv', '--strict', '--data-dir', join(tmp, 'data-rej2')).status, 1);
  assert.equal(run('assess', 'rejected.csv').status, 0);
});

test('quote of a batch file exits with code 2 and says it takes one consignment', () => {
  writeFileSync(join(tmp, 'batch.json'), JSON.stringify({ consignments: [{}, {}] }));
  const r = run('quote', 'batch.json');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /holds a batch; quote takes one consignment/);
});

const ndjsonSample = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'consignments.ndjson'));

test('ingest and assess read a gzip-compressed file by its magic bytes, whatever its name', () => {
  const cases: [string, Buffer][] = [
    ['parcels.csv.gz', gzipSync(sample)],
    ['parcels.ndjson.gz', gzipSync(ndjsonSample)],
    ['parcels-gz.ndjson', gzipSync(ndjsonSample)],
  ];
  for (const [name, bytes] of cases) {
    writeFileSync(join(tmp, name), bytes);
    const r = run('ingest', name, '--data-dir', join(tmp, `data-${name}`));
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { created?: number; rejected?: number };
    assert.ok((summary.created ?? 0) > 0, `${name}: ${r.stdout}`);
    assert.equal(summary.rejected, undefined, `${name}: ${r.stderr}`);
    const a = run('assess', name, '--now', '2026-11-27T10:00:00Z');
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stderr, /\(0 rejected\)/);
  }
});

test('ingest and assess of a truncated gzip file: exit code 2 naming the file, the records before the damage handled', () => {
  // Many records, so the damage falls after whole records were read.
  const many = [...generateFlood({ seed: 'cli-gzip', count: 1200, day: '2026-11-27' })]
    .map((f) => toNdjsonLine(f.input))
    .join('');
  const whole = gzipSync(many);
  writeFileSync(join(tmp, 'cut.ndjson.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  const r = run('ingest', 'cut.ndjson.gz', '--batch', '200', '--data-dir', join(tmp, 'data-cut'));
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /parcelgate: cut\.ndjson\.gz could not be read to its end: the gzip data is corrupt or truncated/,
  );
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    records: number;
    created?: number;
    linked?: number;
    rejected?: number;
  };
  assert.ok(summary.records > 1, r.stdout);
  // Batches before the damage and the records read after the last one are all handled; only the stop is rejected.
  assert.ok(summary.records > 400, r.stdout);
  assert.equal((summary.created ?? 0) + (summary.linked ?? 0), summary.records - 1, r.stdout);
  assert.equal(summary.rejected, 1, r.stdout);
  const a = run('assess', 'cut.ndjson.gz', '--now', '2026-11-27T10:00:00Z', '--out', 'cut-assessed.ndjson');
  assert.equal(a.status, 2, a.stderr);
  assert.match(a.stderr, /parcelgate: cut\.ndjson\.gz could not be read to its end/);
});
