import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ParcelgateError } from '../domain/index.js';
import { scratchDir } from '../testing/scratch.js';
import { UsageError, dayOption, openRecords, portOption, usageErrorOf } from './io.js';

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

test('openRecords refuses a gzip-compressed input file whole as a usage error', () => {
  const dir = scratchDir('parcelgate-io-gzip-');
  for (const name of ['in.ndjson.gz', 'in.csv', 'in.ndjson']) {
    const file = join(dir, name);
    writeFileSync(file, gzipSync('{"source":"declaration"}\n'));
    assert.throws(
      () => openRecords(file),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message === `input file ${file} is gzip-compressed: decompress it first (gunzip)`,
    );
  }
  const plain = join(dir, 'plain.ndjson');
  writeFileSync(plain, '\x1f');
  assert.doesNotThrow(() => openRecords(plain).stream.destroy());
});
