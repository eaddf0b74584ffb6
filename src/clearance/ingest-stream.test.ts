/**
 * `ingestRecords` reports every issue a reader found in a record, and names the issues submission
 * finds by the record's place in the file when the reader says how (a postal item's elements).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ValidationIssue } from '../domain/index.js';
import { openSqliteStore } from '../store/index.js';
import { postalItem } from '../testing/consignments.js';
import { ingestRecords, type RawFileRecord } from './ingest-stream.js';
import { loadSnapshot } from './load-snapshot.js';

const snapshot = loadSnapshot({ classifier: false, randomRate: 0 });
const NOW = '2025-03-03T10:00:00.000Z';

async function rejections(records: RawFileRecord[]): Promise<[number, string[]][]> {
  const store = openSqliteStore({ memory: true });
  const seen: [number, string[]][] = [];
  async function* source(): AsyncIterable<RawFileRecord> {
    yield* records;
  }
  try {
    await ingestRecords(
      () => ({ actor: 'test', submitterId: 'test', now: NOW }),
      source(),
      { store, snapshot: () => snapshot },
      { onRejected: (line, issues) => seen.push([line, issues.map((i) => `${i.code} ${i.path}`)]) },
    );
  } finally {
    await store.close();
  }
  return seen;
}

test('a record the reader refused is reported with every issue the reader found, not only the first', async () => {
  const issues: ValidationIssue[] = [
    { code: 'postal.code', path: '/ITMATT/Item[0]/Category', message: 'bad category' },
    { code: 'postal.number', path: '/ITMATT/Item[0]/Content[0]/Quantity', message: 'bad quantity' },
  ];
  assert.deepEqual(await rejections([{ line: 1, error: issues[0], issues }]), [
    [1, ['postal.code /ITMATT/Item[0]/Category', 'postal.number /ITMATT/Item[0]/Content[0]/Quantity']],
  ]);
});

test('issues submission finds in a record are named by its place in the file when the reader says how', async () => {
  const bad = { ...postalItem(), dates: { ordered: 'yesterday' } };
  const place = (found: readonly ValidationIssue[]) =>
    found.map((i) => ({ ...i, path: `/Doc/Item[4]${i.path}` }));
  const seen = await rejections([
    { line: 5, value: bad, placeIssues: place },
    { line: 6, value: bad },
  ]);
  assert.deepEqual(seen, [
    [5, ['schema.format /Doc/Item[4]/dates/ordered']],
    [6, ['schema.format /dates/ordered']],
  ]);
});
