import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import {
  csvColumns,
  intakeErrorCodes,
  maxCsvRowSize,
  readCsv,
  validateConsignment,
  writeCsv,
  type RawRecord,
} from './index.js';
import { join } from 'node:path';
import { packageRoot } from '../reference/index.js';
import { hs, samplePath } from './fixtures.js';

async function read(text: string | string[]): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readCsv(Readable.from(Array.isArray(text) ? text : [text]))) out.push(r);
  return out;
}

const HEADER =
  'ref,source,category,dispatch_country,destination_country,item_description,item_quantity,item_net_weight_g,item_value,item_currency,item_origin,item_hs_code';

describe('readCsv', () => {
  it('groups consecutive rows with the same ref into one consignment and omits empty cells', async () => {
    const got = await read(
      [
        HEADER,
        'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,6109.10',
        'A1,declaration,sale,CN,DE,Socks,5,200,12.99,EUR,CN,',
        'B2,platform-order,gift,US,NO,"Scarf, wool",1,150,40.00,USD,US,611710',
      ].join('\n'),
    );
    assert.equal(got.length, 2);
    assert.deepEqual(got[0], {
      line: 2,
      value: {
        externalRef: 'A1',
        source: 'declaration',
        category: 'sale',
        routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
        items: [
          {
            description: 'T-shirt',
            quantity: 2,
            netWeightGrams: 300,
            value: { amount: '25.90', currency: 'EUR' },
            origin: 'CN',
            hsCode: '6109.10',
          },
          {
            description: 'Socks',
            quantity: 5,
            netWeightGrams: 200,
            value: { amount: '12.99', currency: 'EUR' },
            origin: 'CN',
          },
        ],
      },
    });
    assert.equal(got[1]!.line, 4);
    assert.equal((got[1]!.value as ConsignmentInput).items[0]!.description, 'Scarf, wool');
  });

  it('treats rows without a ref as separate consignments', async () => {
    const got = await read(
      [HEADER, ',declaration,sale,CN,DE,A,1,1,1,EUR,CN,', ',declaration,sale,CN,DE,B,1,1,1,EUR,CN,'].join(
        '\n',
      ),
    );
    assert.equal(got.length, 2);
    assert.deepEqual(
      got.map((r) => r.line),
      [2, 3],
    );
  });

  it('keeps non-numeric numbers as text so validation reports the exact field', async () => {
    const [rec] = await read([HEADER, 'A1,declaration,sale,CN,DE,T-shirt,two,300,25.90,EUR,CN,'].join('\n'));
    const v = validateConsignment(rec!.value, hs);
    assert.equal(v.ok, false);
    if (!v.ok) assert.ok(v.error.some((i) => i.code === 'schema.type' && i.path === '/items/0/quantity'));
  });

  it('rejects an unknown or repeated header column with one error and reads nothing else', async () => {
    const got = await read('ref,source,colour,source\nA1,declaration,red,declaration\n');
    assert.equal(got.length, 1);
    assert.equal(got[0]!.line, 1);
    assert.equal(got[0]!.error?.code, 'csv.unknown-column');
    assert.equal(got[0]!.error?.path, '');
    assert.match(got[0]!.error?.message ?? '', /colour/);
    assert.match(got[0]!.error?.message ?? '', /repeated column\(s\) source/);
  });

  it('flags rows of one consignment that disagree on a consignment-level column', async () => {
    const got = await read(
      [
        HEADER,
        'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,',
        'A1,declaration,sale,CN,FR,Socks,5,200,1,EUR,CN,',
      ].join('\n'),
    );
    assert.equal(got.length, 1);
    assert.equal(got[0]!.error?.code, 'csv.inconsistent-rows');
    assert.match(got[0]!.error?.message ?? '', /destination_country/);
  });

  it('names every column rows disagree on, each at its field and with the line that differs', async () => {
    const got = await read(
      [
        HEADER,
        'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,',
        'A1,declaration,gift,CN,DE,Socks,5,200,1,EUR,CN,',
        'A1,declaration,sale,CN,FR,Cap,1,100,2,USD,CN,',
      ].join('\n'),
    );
    assert.equal(got.length, 1);
    const issues = (got[0] as RawRecord & { issues?: unknown[] }).issues;
    assert.deepEqual(issues, [
      {
        code: 'csv.inconsistent-rows',
        path: '/category',
        message: 'rows of consignment "A1" disagree on column category: line 3 differs from line 2',
      },
      {
        code: 'csv.inconsistent-rows',
        path: '/routing/destinationCountry',
        message:
          'rows of consignment "A1" disagree on column destination_country: line 4 differs from line 2',
      },
    ]);
    assert.deepEqual(got[0]!.error, issues?.[0]);
  });

  it('skips rows of empty cells only, as spreadsheets write them after the data (as .xlsx empty rows)', async () => {
    const empty = ',,,,,,,,,,,';
    const got = await read(
      [
        HEADER,
        'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,',
        empty,
        'A1,declaration,sale,CN,DE,Socks,5,200,12.99,EUR,CN,',
        'B2,declaration,sale,CN,DE,Cap,1,100,2.00,EUR,CN,',
        empty,
        ' , ,,,,,,,,,,',
        '',
      ].join('\r\n'),
    );
    assert.deepEqual(
      got.map((r) => [r.line, r.error?.code ?? (r.value as ConsignmentInput).items.length]),
      [
        [2, 2],
        [5, 1],
      ],
    );
  });

  it('names header columns without a name by position, and a file separated by ";" or tabs', async () => {
    const unnamed = await read(
      [`${HEADER},,`, 'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,,,'].join('\n'),
    );
    assert.deepEqual(
      unnamed.map((r) => r.error?.code),
      ['csv.unknown-column'],
    );
    assert.match(
      unnamed[0]!.error?.message ?? '',
      /column\(s\) without a name \(column 13, 14; delete them\)/,
    );
    assert.doesNotMatch(unnamed[0]!.error?.message ?? '', /unknown column|repeated column/);
    for (const [sep, named] of [
      [';', '";"'],
      ['\t', 'tabs'],
    ] as const) {
      const got = await read([HEADER.replaceAll(',', sep), 'A1'].join('\n'));
      assert.equal(got[0]!.error?.code, 'csv.unknown-column');
      assert.ok(
        got[0]!.error?.message.includes(`the file seems separated by ${named}`),
        got[0]!.error?.message,
      );
    }
  });

  it('stops with a coded error on malformed CSV, never passing on a possibly incomplete consignment', async () => {
    const got = await read(
      [
        HEADER,
        'A1,declaration,sale,CN,DE,T-shirt,2,300,25.90,EUR,CN,',
        'B2,declaration,sale,CN,DE,Socks,2,300,5.00,EUR,CN,',
        'B2,"unclosed',
      ].join('\n'),
    );
    assert.deepEqual(
      got.map((r) => r.error?.code ?? (r.value as ConsignmentInput).externalRef),
      ['A1', 'csv.syntax'],
    );
    assert.equal(got[1]!.line, 3);
    assert.match(got[1]!.error?.message ?? '', /"B2" from line 3 was not read/);
    async function* runaway(): AsyncIterable<string> {
      yield `${HEADER}\nA1,"`;
      for (let k = 0; k < 4; k++) yield 'x'.repeat(1024 * 1024);
    }
    const huge: RawRecord[] = [];
    for await (const r of readCsv(runaway())) huge.push(r);
    assert.deepEqual(
      huge.map((r) => r.error?.code),
      ['csv.syntax'],
    );
    const short = await read([HEADER, 'A1,declaration'].join('\n'));
    assert.deepEqual(
      short.map((r) => r.error?.code),
      ['csv.syntax'],
    );
    for (const code of ['csv.syntax', 'csv.unknown-column', 'csv.inconsistent-rows'])
      assert.ok(code in intakeErrorCodes);
  });

  it('reads the sample CSV into the same consignments as the sample NDJSON, all valid', async () => {
    const got: RawRecord[] = [];
    for await (const r of readCsv(createReadStream(samplePath('consignments.csv')))) got.push(r);
    const ndjson = readFileSync(samplePath('consignments.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
    assert.equal(got.length, ndjson.length);
    got.forEach((r, k) => {
      const fromCsv = validateConsignment(r.value, hs);
      const fromJson = validateConsignment(ndjson[k], hs);
      assert.equal(fromCsv.ok, true, JSON.stringify(fromCsv));
      assert.equal(fromJson.ok, true, JSON.stringify(fromJson));
      if (fromCsv.ok && fromJson.ok) assert.deepEqual(fromCsv.value, fromJson.value);
    });
  });
});

const text = fc
  .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
  .map((s) => s.trim())
  .filter((s) => s !== '');
const country = fc.constantFrom('CN', 'DE', 'US', 'GB', 'AU', 'NO');
const amount = fc.tuple(fc.nat(99999), fc.nat(99)).map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`);
const money = (currency: string) => amount.map((a) => ({ amount: a, currency }));
const party = fc.record(
  {
    name: text,
    address: fc.record({ country, city: text, street: text }, { requiredKeys: ['country'] }),
    phone: text,
  },
  { requiredKeys: ['name', 'address'] },
);

const consignment = fc.constantFrom('EUR', 'USD', 'NOK').chain((cur) =>
  fc.record(
    {
      source: fc.constantFrom(
        'declaration',
        'platform-order',
        'payment',
        'carrier-waybill',
        'postal-item' as const,
      ),
      category: fc.constantFrom('sale', 'gift', 'documents' as const),
      transportDocument: fc.record({ type: fc.constantFrom('S10', 'AWB', 'HAWB' as const), id: text }),
      masterReference: text,
      seller: party,
      consignee: party,
      platform: fc.record({ id: text, orderId: text }, { requiredKeys: ['id'] }),
      payment: fc.record({ reference: text, amount: money(cur) }, { requiredKeys: ['reference'] }),
      taxCollection: fc.record(
        { scheme: fc.constantFrom('IOSS', 'VOEC' as const), number: text, taxPaid: money(cur) },
        { requiredKeys: ['scheme', 'number'] },
      ),
      additionalProcedureCodes: fc.subarray(['F48', 'F49', 'C07'] as const, { minLength: 1 }),
      items: fc.array(
        fc.record(
          {
            description: text,
            hsCode: fc.constantFrom('610910', '85183000', '9503000010'),
            quantity: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
            unit: fc.constantFrom('pcs', 'kg' as const),
            netWeightGrams: fc.nat(100000),
            value: money(cur),
            origin: country,
            brand: text,
          },
          { requiredKeys: ['description', 'quantity', 'unit', 'netWeightGrams', 'value', 'origin'] },
        ),
        { minLength: 1, maxLength: 4 },
      ),
      totals: fc.record(
        {
          transport: money(cur),
          insurance: money(cur),
          grossWeightGrams: fc.nat(),
          transportIncludedInPrice: fc.boolean(),
        },
        { requiredKeys: ['grossWeightGrams'] },
      ),
      dates: fc.record({ accepted: fc.constant('2025-03-02T08:00:00Z') }),
      routing: fc.record(
        {
          dispatchCountry: country,
          destinationCountry: country,
          countries: fc.array(country, { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ['dispatchCountry', 'destinationCountry'] },
      ),
    },
    { requiredKeys: ['source', 'category', 'items', 'routing'] },
  ),
);

describe('writeCsv and readCsv', () => {
  it('round-trip generated consignments exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(consignment, { minLength: 1, maxLength: 4 }), async (list) => {
        const inputs = JSON.parse(
          JSON.stringify(list.map((c, k) => ({ externalRef: `REF-${k}`, ...c }))),
        ) as ConsignmentInput[];
        const got = await read(writeCsv(inputs));
        assert.deepEqual(
          got.map((r) => r.value),
          inputs,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('writes the full template header, or only the used columns on request', () => {
    const header = writeCsv([]).trimEnd();
    assert.equal(header, csvColumns.map((c) => c.name).join(','));
    const sample = readFileSync(samplePath('consignments.ndjson'), 'utf8').split('\n')[0]!;
    const compact = writeCsv([JSON.parse(sample) as ConsignmentInput], { onlyUsedColumns: true });
    assert.ok(!compact.split('\n')[0]!.includes('item_sku'));
    assert.ok(compact.split('\n')[0]!.startsWith('ref,source,category'));
  });
});

describe('docs/formats/csv.md', () => {
  const doc = readFileSync(join(packageRoot, 'docs', 'formats', 'csv.md'), 'utf8');

  it('documents every template column', () => {
    for (const col of csvColumns)
      assert.ok(doc.includes(`| \`${col.name}\` |`), `column ${col.name} is undocumented`);
  });

  it('states the limit on the size of a row, which stops the file with csv.syntax beyond it', async () => {
    assert.equal(maxCsvRowSize, 1_048_576);
    assert.match(doc, /1 MiB/);
    assert.ok(doc.includes('1,048,576'), 'the limit is stated exactly');
    const row = (description: string): string =>
      [HEADER, `A1,declaration,sale,CN,DE,${description},2,300,25.90,EUR,CN,`].join('\n');
    const within = await read(row('x'.repeat(maxCsvRowSize - 100)));
    assert.deepEqual(
      within.map((r) => r.error?.code ?? (r.value as ConsignmentInput).externalRef),
      ['A1'],
    );
    const beyond = await read(row('x'.repeat(maxCsvRowSize + 1)));
    assert.deepEqual(
      beyond.map((r) => r.error?.code),
      ['csv.syntax'],
    );
  });

  it('shows an example that reads to valid consignments', async () => {
    const example = /```csv\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example);
    const got = await read(example);
    assert.equal(got.length, 1);
    assert.equal((got[0]!.value as ConsignmentInput).items.length, 2);
    const v = validateConsignment(got[0]!.value, hs);
    assert.equal(v.ok, true, JSON.stringify(v));
  });
});
