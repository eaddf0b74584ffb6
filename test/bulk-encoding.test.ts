/**
 * Bulk files in another encoding than UTF-8 (docs/formats/csv.md, ndjson.md): a record whose bytes
 * are not UTF-8 is refused with a specific error naming its line, never stored with U+FFFD in place of
 * the characters that were sent. Records of the file that are valid UTF-8 are read as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { readCsv, readNdjson } from '../src/intake/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const sample = (name: string) => readFileSync(join(packageRoot, 'docs', 'formats', 'samples', name), 'utf8');

/** The sample with its first consignee city written in Latin-1 (one byte 0xFC for "ü"). */
function latin1First(text: string): Buffer {
  const at = text.indexOf('Berlin');
  return Buffer.concat([
    Buffer.from(text.slice(0, at), 'utf8'),
    Buffer.from('Münster', 'latin1'),
    Buffer.from(text.slice(at + 'Berlin'.length), 'utf8'),
  ]);
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

test('NDJSON: a line that is not UTF-8 is refused with ndjson.encoding-invalid; a real U+FFFD is kept', async () => {
  const records = await collect(readNdjson(Readable.from([latin1First(sample('consignments.ndjson'))])));
  assert.equal(records[0]!.error?.code, 'ndjson.encoding-invalid', JSON.stringify(records[0]));
  assert.match(records[0]!.error!.message, /line 1/);
  assert.ok(records.slice(1).every((r) => r.value !== undefined));
  const legit = await collect(readNdjson(Readable.from([Buffer.from('{"x":"a\uFFFDb"}\n', 'utf8')])));
  assert.deepEqual(legit[0]!.value, { x: 'a\uFFFDb' });
});

test('CSV: a consignment whose rows are not UTF-8 is refused with csv.encoding-invalid; the others are read', async () => {
  const records = await collect(readCsv(Readable.from([latin1First(sample('consignments.csv'))])));
  assert.equal(records[0]!.error?.code, 'csv.encoding-invalid', JSON.stringify(records[0]));
  assert.ok(records.slice(1).every((r) => r.value !== undefined));
  // A U+FFFD sent in UTF-8 is data, and is kept.
  const legit = sample('consignments.csv').replaceAll('Berlin', 'Ber\uFFFDlin');
  const kept = await collect(readCsv(Readable.from([Buffer.from(legit, 'utf8')])));
  assert.match(JSON.stringify(kept[0]!.value), /Ber\uFFFDlin/);
});

test('POST /v1/bulk stores no record with U+FFFD where a Latin-1 file had its characters', async () => {
  for (const [name, type] of [
    ['consignments.csv', 'text/csv'],
    ['consignments.ndjson', 'application/x-ndjson'],
  ] as const) {
    const store = openSqliteStore({ memory: true });
    const app = await buildApp({
      store,
      snapshot: () => snapshot,
      clock: () => new Date('2026-11-24T10:00:00Z'),
    });
    try {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/bulk',
        payload: latin1First(sample(name)),
        headers: { 'content-type': type, 'x-submitter-id': 'opr_post' },
      });
      assert.equal(r.statusCode, 200, r.body);
      const results = r.json().results as { status: string; issues?: { code: string }[] }[];
      assert.equal(results[0]!.status, 'rejected', name);
      assert.match(results[0]!.issues![0]!.code, /\.encoding-invalid$/);
      const listed = (await app.inject({ url: '/v1/consignments?limit=100' })).json() as {
        items: { id: string }[];
      };
      for (const { id } of listed.items) {
        const c = await store.get(id);
        assert.doesNotMatch(JSON.stringify(c?.merged), /\uFFFD/, `${name}: ${id}`);
      }
    } finally {
      await app.close();
      await store.close();
    }
  }
});
