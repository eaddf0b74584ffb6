import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ParcelgateError } from '../domain/index.js';
import { packageRoot } from '../reference/index.js';
import { scratchDir } from '../testing/scratch.js';
import { UsageError, dayOption, openRecords, portOption, stopsFile, usageErrorOf } from './io.js';

test('usageErrorOf places each issue by its JSON path, or by its line and column, never as "undefined"', () => {
  const e = usageErrorOf(
    new ParcelgateError('revenue.tariff-invalid', 'my.csv has 3 problem(s)', 422, {
      issues: [
        { path: '/items/0/hsCode', message: 'unknown code' },
        { line: 2, column: 'prefix', code: 'tariff-csv.prefix', message: '"xx" is not an HS prefix' },
        { message: 'the file is empty' },
      ],
    }),
  );
  assert.ok(e instanceof UsageError);
  assert.equal(
    e.message,
    [
      'revenue.tariff-invalid: my.csv has 3 problem(s)',
      '  /items/0/hsCode: unknown code',
      '  line 2, prefix: "xx" is not an HS prefix',
      '  the file is empty',
    ].join('\n'),
  );
});

test('portOption takes 1 to 65535 and refuses anything else by name', () => {
  assert.equal(portOption(undefined), 8080);
  assert.equal(portOption('1'), 1);
  assert.equal(portOption('65535'), 65535);
  for (const bad of ['0', '65536', '99999', '-1', '80.5', 'http'])
    assert.throws(
      () => portOption(bad),
      (e: Error) => e instanceof UsageError && e.message.includes(`'${bad}'`),
    );
});

test('dayOption takes real calendar days only', () => {
  for (const ok of ['2026-11-01', '2024-02-29', '2026-12-31']) assert.equal(dayOption('from', ok), ok);
  for (const bad of ['2026-13-01', '2026-02-30', '2025-02-29', '2026-11-1', '20261101', 'today', ''])
    assert.throws(
      () => dayOption('from', bad),
      (e: Error) => e instanceof UsageError && e.message.startsWith('--from'),
    );
});

test('openRecords refuses an input file it may not read as a usage error, before reading anything', (t) => {
  if (process.getuid?.() === 0) return t.skip('root may read any file');
  const dir = scratchDir('parcelgate-io-unreadable-');
  for (const name of ['in.ndjson', 'in.csv', 'in.xlsx', 'in.xml']) {
    const file = join(dir, name);
    writeFileSync(file, '');
    chmodSync(file, 0o000);
    assert.throws(
      () => openRecords(file),
      (e: unknown) =>
        e instanceof UsageError && e.message === `cannot read input file ${file}: permission denied`,
    );
  }
});

test('openRecords reads a gzip-compressed file by its magic bytes, whatever its name, its format by the name before .gz', async () => {
  const dir = scratchDir('parcelgate-io-gzip-');
  const ndjson = '{"source":"declaration"}\n{"source":"transport"}\n';
  const csv = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'consignments.csv'));
  const cases: [string, Buffer, 'ndjson' | 'csv', number][] = [
    ['in.ndjson.gz', gzipSync(ndjson), 'ndjson', 2],
    ['in.ndjson', gzipSync(ndjson), 'ndjson', 2],
    ['in.gz', gzipSync(ndjson), 'ndjson', 2],
    ['in.csv.gz', gzipSync(csv), 'csv', 5],
    ['in.CSV.GZ', gzipSync(csv), 'csv', 5],
  ];
  for (const [name, bytes, format, count] of cases) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const opened = openRecords(file);
    assert.equal(opened.format, format, name);
    assert.equal(opened.bytes, bytes.length, `${name}: progress counts the compressed bytes`);
    const records = [];
    for await (const r of opened.records) records.push(r);
    assert.equal(records.length, count, name);
    assert.ok(
      records.every((r) => r.value !== undefined),
      `${name}: ${JSON.stringify(records)}`,
    );
  }
  const plain = join(dir, 'plain.ndjson');
  writeFileSync(plain, '\x1f');
  assert.doesNotThrow(() => openRecords(plain).stream.destroy());
});

test('openRecords stops a truncated gzip file with one gzip.invalid file stop after the records before it', async () => {
  const dir = scratchDir('parcelgate-io-gzip-cut-');
  const lines = Array.from({ length: 2000 }, (_, i) => `{"source":"declaration","externalRef":"R-${i}"}\n`);
  const whole = gzipSync(lines.join(''));
  const file = join(dir, 'cut.ndjson.gz');
  writeFileSync(file, whole.subarray(0, whole.length - 12));
  const records = [];
  for await (const r of openRecords(file).records) records.push(r);
  const last = records.pop()!;
  assert.equal(last.error?.code, 'gzip.invalid');
  assert.ok(stopsFile('gzip.invalid'));
  assert.match(last.error.message, /corrupt or truncated/);
  assert.ok(records.length > 0 && records.length < lines.length, String(records.length));
  assert.ok(records.every((r) => r.value !== undefined));
});
