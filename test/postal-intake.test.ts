/**
 * Postal ITMATT-style items through the API and the CLI: an item the reader finds fault with (a value
 * it cannot read, a repeated or unknown element) is rejected whole, with the element named, never
 * stored without the faulty field; intake's issues name the element too (docs/formats/postal.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const sample = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'postal-itmatt.xml'), 'utf8');

/** The sample with its first item changed as each case says, and what the first item's issue must be. */
const faults: { name: string; xml: string; code: string; path: string }[] = [
  {
    name: 'a boolean it cannot read',
    xml: sample.replace(
      '<TransportCost',
      '<TransportIncludedInPrice>yes</TransportIncludedInPrice><TransportCost',
    ),
    code: 'postal.boolean',
    path: '/ITMATT/Item[0]/TransportIncludedInPrice',
  },
  {
    name: 'a repeated element',
    xml: sample.replace(
      '<InvoiceNumber>INV-2025-0001</InvoiceNumber>',
      '<InvoiceNumber>INV-A</InvoiceNumber><InvoiceNumber>INV-B</InvoiceNumber>',
    ),
    code: 'postal.repeated-element',
    path: '/ITMATT/Item[0]/InvoiceNumber',
  },
  {
    name: 'an element the format does not define',
    xml: sample.replace('<InvoiceNumber>', '<Colour>red</Colour><InvoiceNumber>'),
    code: 'postal.unexpected-element',
    path: '/ITMATT/Item[0]/Colour',
  },
  {
    name: 'a missing description (an intake issue)',
    xml: sample.replace('<Description>Men&apos;s cotton T-shirt, knitted</Description>', ''),
    code: 'schema.required',
    path: '/ITMATT/Item[0]/Content[0]/Description',
  },
];

for (const f of faults)
  test(`POST /v1/postal/items: ${f.name} rejects the item, named by element; the others are stored`, async () => {
    const store = openSqliteStore({ memory: true });
    const app = await buildApp({
      store,
      snapshot: () => snapshot,
      clock: () => new Date('2025-03-03T10:00:00Z'),
    });
    try {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/postal/items',
        payload: f.xml,
        headers: { 'content-type': 'application/xml', 'x-submitter-id': 'opr_post' },
      });
      assert.equal(r.statusCode, 200, r.body);
      const [first, second] = r.json().results as {
        index: number;
        status: string;
        consignmentId?: string;
        issues?: { code: string; path: string }[];
      }[];
      assert.equal(first!.index, 0);
      assert.equal(first!.status, 'rejected', JSON.stringify(first));
      assert.equal(first!.consignmentId, undefined);
      assert.deepEqual(
        first!.issues!.map((i) => `${i.code} ${i.path}`),
        [`${f.code} ${f.path}`],
      );
      assert.equal(second!.index, 1);
      assert.equal(second!.status, 'created', JSON.stringify(second));
      const listed = (await app.inject({ url: '/v1/consignments' })).json() as { items: unknown[] };
      assert.equal(listed.items.length, 1, 'only the good item is stored');
    } finally {
      await app.close();
      await store.close();
    }
  });

test('POST /v1/postal/items: an item with a reader issue also gets every intake issue, each named by element', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2025-03-03T10:00:00Z'),
  });
  try {
    const xml = faults[0]!.xml.replace('<HSCode>610910</HSCode>', '<HSCode>6109</HSCode>');
    const r = await app.inject({
      method: 'POST',
      url: '/v1/postal/items',
      payload: xml,
      headers: { 'content-type': 'application/xml', 'x-submitter-id': 'opr_post' },
    });
    const first = (r.json().results as { status: string; issues: { code: string; path: string }[] }[])[0]!;
    assert.equal(first.status, 'rejected');
    assert.deepEqual(
      first.issues.map((i) => `${i.code} ${i.path}`),
      [
        'postal.boolean /ITMATT/Item[0]/TransportIncludedInPrice',
        'schema.pattern /ITMATT/Item[0]/Content[0]/HSCode',
      ],
    );
  } finally {
    await app.close();
    await store.close();
  }
});

test('parcelgate ingest items.xml: an item with a postal fault is rejected, not stored without the field', () => {
  const dir = scratchDir('parcelgate-postal-ingest-');
  const file = join(dir, 'items.xml');
  writeFileSync(file, faults[0]!.xml);
  const r = spawnSync(
    process.execPath,
    [join(packageRoot, 'bin', 'parcelgate.js'), 'ingest', file, '--data-dir', join(dir, 'data')],
    { encoding: 'utf8', env: { ...process.env, CI: 'true' }, cwd: dir },
  );
  const summary = JSON.parse(r.stdout) as { records: number; created: number; rejected?: number };
  assert.equal(summary.records, 2, r.stdout);
  assert.equal(summary.created, 1, r.stdout);
  assert.equal(summary.rejected, 1, r.stdout);
  assert.match(r.stderr, /TransportIncludedInPrice/);
});
