import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAgreements, parseDocument, selectFields, fieldsOutside } from '../src/exchange/index.js';
import { readCsv, readXlsx, validateConsignment } from '../src/intake/index.js';
import { loadHs2022, packageRoot } from '../src/reference/index.js';

const samples = join(packageRoot, 'docs', 'formats', 'samples');

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test('the three-document samples are valid documents of their kind', () => {
  for (const kind of ['order', 'payment', 'waybill', 'list'] as const) {
    const r = parseDocument(kind, readFileSync(join(samples, 'three-documents', `${kind}.json`), 'utf8'));
    assert.ok(r.ok, `${kind}: ${r.ok ? '' : JSON.stringify(r.issues)}`);
  }
});

test('the customs-to-customs samples: a valid agreement and a consignment whose agreed part stays inside it', () => {
  const [agreement] = parseAgreements(
    JSON.parse(readFileSync(join(samples, 'customs-to-customs', 'agreements.json'), 'utf8')),
  );
  const input = JSON.parse(
    readFileSync(join(samples, 'customs-to-customs', 'export-consignment.json'), 'utf8'),
  ) as Record<string, unknown>;
  assert.ok(agreement !== undefined);
  assert.ok(
    fieldsOutside(input, agreement.fields).length > 0,
    'the full record has fields the agreement does not share',
  );
  assert.deepEqual(fieldsOutside(selectFields(input, agreement.fields), agreement.fields), []);
});

test('the .xlsx sample reads to valid consignments, the same as the CSV sample', async () => {
  const x = await all(readXlsx(createReadStream(join(samples, 'consignments.xlsx'))));
  assert.equal(x.length, 2);
  for (const r of x) assert.ok(validateConsignment(r.value, loadHs2022()).ok, JSON.stringify(r));
  const csv = await all(readCsv(createReadStream(join(samples, 'consignments.csv'))));
  assert.ok(csv.length > 0);
});
