import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { postalItem } from '../testing/consignments.js';
import { readCsv, writeCsv } from './csv.js';
import type { RawRecord } from './ndjson.js';
import { readXlsx, writeXlsx } from './xlsx.js';

async function all(it: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const records = [
  postalItem({}, '11111111'),
  postalItem(
    {
      items: [
        postalItem().items[0]!,
        { ...postalItem().items[0]!, description: 'Cotton socks', hsCode: '611595' },
      ],
    },
    '22222222',
  ),
];

test('an .xlsx bulk file reads to the same records as the CSV template with the same rows', async () => {
  const fromCsv = await all(readCsv(Readable.from([writeCsv(records)])));
  const fromXlsx = await all(readXlsx(Readable.from([await writeXlsx(records)])));
  assert.equal(fromXlsx.length, 2);
  assert.deepEqual(fromXlsx, fromCsv);
});

test('number, date, formula and rich-text cells are read as the text the CSV would hold', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['ref', 'source', 'category', 'item_value', 'item_currency', 'accepted_at', 'item_description']);
  ws.addRow([
    'R1',
    'declaration',
    'sale',
    24.5,
    'EUR',
    new Date('2026-11-24T08:00:00Z'),
    { richText: [{ text: 'Cotton ' }, { text: 'shirt' }] },
  ]);
  ws.addRow(['R2', 'declaration', 'sale', { formula: '10+2.25', result: 12.25 }, 'EUR', '', 'Socks']);
  const [a, b] = await all(readXlsx(Readable.from([Buffer.from(await wb.xlsx.writeBuffer())])));
  const av = a?.value as {
    items: { value: unknown; description: unknown }[];
    dates?: { accepted?: unknown };
  };
  assert.deepEqual(av.items[0]?.value, { amount: '24.5', currency: 'EUR' });
  assert.equal(av.items[0]?.description, 'Cotton shirt');
  assert.equal(av.dates?.accepted, '2026-11-24T08:00:00Z');
  assert.deepEqual((b?.value as { items: { value: unknown }[] }).items[0]?.value, {
    amount: '12.25',
    currency: 'EUR',
  });
});

test('an unknown column stops the read with the column named, as for CSV', async () => {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('x').addRow(['ref', 'colour']);
  const out = await all(readXlsx(Readable.from([Buffer.from(await wb.xlsx.writeBuffer())])));
  assert.equal(out.length, 1);
  assert.equal(out[0]?.error?.code, 'csv.unknown-column');
  assert.match(out[0]?.error?.message ?? '', /colour/);
});

test('random, truncated and oversized bytes give one clear error and never throw', async () => {
  const good = await writeXlsx(records);
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 2000 }),
      fc.nat({ max: good.length - 1 }),
      async (junk, cut) => {
        for (const bytes of [Buffer.from(junk), good.subarray(0, cut)]) {
          const out = await all(readXlsx(Readable.from([bytes])));
          const errors = out.filter((r) => r.error !== undefined);
          assert.ok(errors.length <= 1 || out.every((r) => r.error?.code !== 'xlsx.unreadable'));
          for (const r of out) if (r.error) assert.match(r.error.code, /^(xlsx|csv)\./);
        }
      },
    ),
    { numRuns: 40 },
  );
  const capped = await all(readXlsx(Readable.from([good]), { maxBytes: 100 }));
  assert.equal(capped[capped.length - 1]?.error?.code, 'xlsx.unreadable');
  assert.match(capped[capped.length - 1]?.error?.message ?? '', /larger than 100 bytes/);
});
