/**
 * Postal ITMATT-style items through the API and the CLI: an item the reader finds fault with (a value
 * it cannot read, a repeated or unknown element) is rejected whole, with the element named, never
 * stored without the faulty field; intake's issues name the element too. A document-level fault (an
 * element the format does not define at root level) refuses the whole document, by both alike
 * (docs/formats/postal.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import type { ValidationIssue } from '../src/domain/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const sample = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'postal-itmatt.xml'), 'utf8');

/** Runs `body` against an API on a fresh in-memory store, closed after. */
async function withApi<T>(body: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2025-03-03T10:00:00Z'),
  });
  try {
    return await body(app);
  } finally {
    await app.close();
    await store.close();
  }
}

/** POST /v1/postal/items with `xml` from a postal operator. */
const postItems = (app: Awaited<ReturnType<typeof buildApp>>, xml: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/postal/items',
    payload: xml,
    headers: { 'content-type': 'application/xml', 'x-submitter-id': 'opr_post' },
  });

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
  test(`POST /v1/postal/items: ${f.name} rejects the item, named by element; the others are stored`, () =>
    withApi(async (app) => {
      const r = await postItems(app, f.xml);
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
    }));

test('POST /v1/postal/items: an item with a reader issue also gets every intake issue, each named by element', () =>
  withApi(async (app) => {
    const xml = faults[0]!.xml.replace('<HSCode>610910</HSCode>', '<HSCode>6109</HSCode>');
    const r = await postItems(app, xml);
    const first = (r.json().results as { status: string; issues: { code: string; path: string }[] }[])[0]!;
    assert.equal(first.status, 'rejected');
    assert.deepEqual(
      first.issues.map((i) => `${i.code} ${i.path}`),
      [
        'postal.boolean /ITMATT/Item[0]/TransportIncludedInPrice',
        'schema.pattern /ITMATT/Item[0]/Content[0]/HSCode',
      ],
    );
  }));

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

/** The sample with its first item broken in seven ways, by the reader and by intake. */
const broken = (() => {
  const end = sample.indexOf('</Item>');
  const first = sample
    .slice(0, end)
    .replace('RR123456785CN', 'RR123456784CN')
    .replace('<Category>SALE_OF_GOODS</Category>', '<Foo>x</Foo><Category>SALE_GOODS</Category>')
    .replace('<Quantity unit="pcs">2</Quantity>', '<Quantity unit="pcs">two</Quantity>')
    .replace('<NetWeight>0.300</NetWeight>', '<NetWeight>-0.3</NetWeight>')
    .replace('<Value currency="EUR">12.99</Value>', '<Value currency="EUR">-12.99</Value>')
    .replace('<OrderDate>2025-03-01T09:10:00Z</OrderDate>', '<OrderDate>2025-13-01</OrderDate>');
  return first + sample.slice(end);
})();

/** Only issues of the canonical record (no reader issue): a bad date and a negative value. */
const modelOnly = sample
  .replace('<OrderDate>2025-03-01T09:10:00Z</OrderDate>', '<OrderDate>2025-13-01</OrderDate>')
  .replace('<Value currency="EUR">25.90</Value>', '<Value currency="EUR">-25.90</Value>');

const apiIssues = (xml: string): Promise<string[]> =>
  withApi(async (app) => {
    const r = await postItems(app, xml);
    const first = (r.json().results as { status: string; issues: ValidationIssue[] }[])[0]!;
    assert.equal(first.status, 'rejected');
    return first.issues.map(shown);
  });

const shown = (i: ValidationIssue) => `${i.code} at ${i.path}: ${i.message}`;

function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(packageRoot, 'bin', 'parcelgate.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: dir,
  });
}

for (const [name, xml, count] of [
  ['reader and intake issues', broken, 7],
  ['only intake issues', modelOnly, 2],
] as const)
  test(`parcelgate ingest and assess list every issue of a postal item named by element, as the API does (${name})`, async () => {
    const expected = await apiIssues(xml);
    assert.equal(expected.length, count, expected.join('\n'));
    for (const i of expected) assert.match(i, / at \/ITMATT\/Item\[0\]\//);
    const dir = scratchDir('parcelgate-postal-issues-');
    const file = join(dir, 'pbad.xml');
    writeFileSync(file, xml);

    const ingest = cli(dir, 'ingest', file, '--data-dir', join(dir, 'data'));
    assert.equal(ingest.status, 0, ingest.stderr);
    const summary = JSON.parse(ingest.stdout) as { records: number; created: number; rejected: number };
    assert.deepEqual([summary.records, summary.created, summary.rejected], [2, 1, 1]);
    const printed = ingest.stderr
      .split('\n')
      .filter((l) => l.startsWith('line 1: '))
      .map((l) => l.slice('line 1: '.length));
    assert.deepEqual(printed, expected);

    const out = join(dir, 'assessed.ndjson');
    const assessed = cli(dir, 'assess', file, '--out', out, '--now', '2025-03-03T10:00:00Z');
    assert.equal(assessed.status, 0, assessed.stderr);
    const [first, second] = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; rejected?: boolean; issues?: ValidationIssue[] });
    assert.equal(first!.line, 1);
    assert.equal(first!.rejected, true);
    assert.deepEqual(first!.issues!.map(shown), expected);
    assert.equal(second!.rejected, undefined);
  });

test('a document with an element the format does not define at root level is refused whole by the API and the CLI, the element named', async () => {
  const xml = sample.replace('<Item>', '<Batch>7</Batch><Item>');
  const api = await withApi(async (app) => {
    const r = await postItems(app, xml);
    const listed = (await app.inject({ url: '/v1/consignments' })).json() as { items: unknown[] };
    return { status: r.statusCode, body: r.json() as { code: string; issues: ValidationIssue[] }, listed };
  });
  assert.equal(api.status, 422);
  assert.equal(api.body.code, 'consignment.rejected');
  assert.deepEqual(
    api.body.issues.map((i) => `${i.code} ${i.path}`),
    ['postal.unexpected-element /ITMATT/Batch'],
  );
  assert.equal(api.listed.items.length, 0, 'nothing stored');

  const dir = scratchDir('parcelgate-postal-root-');
  const file = join(dir, 'items.xml');
  writeFileSync(file, xml);
  const refusal = [
    `parcelgate: consignment.rejected: ${file}: the XML document is not acceptable`,
    `  /ITMATT/Batch: ${api.body.issues[0]!.message}`,
  ];
  const ingest = cli(dir, 'ingest', file, '--data-dir', join(dir, 'data'));
  assert.equal(ingest.status, 2, ingest.stdout + ingest.stderr);
  assert.equal(ingest.stdout, '', 'no item read');
  assert.deepEqual(ingest.stderr.trimEnd().split('\n'), refusal);
  assert.equal(existsSync(join(dir, 'data')), false, 'no store created');
  const out = join(dir, 'assessed.ndjson');
  const assessed = cli(dir, 'assess', file, '--out', out, '--now', '2025-03-03T10:00:00Z');
  assert.equal(assessed.status, 2, assessed.stdout + assessed.stderr);
  assert.deepEqual(assessed.stderr.trimEnd().split('\n'), refusal);
  assert.equal(existsSync(out), false, 'no assessment written');
});
