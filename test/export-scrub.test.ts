import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import ExcelJS from 'exceljs';
import { buildApp } from '../src/api/index.js';
import {
  csvField,
  exportConsignments,
  exportWorkbook,
  personalValues,
  scrubbedConsignment,
} from '../src/privacy/index.js';
import { packageRoot } from '../src/reference/paths.js';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 'test', submitterId: 'post-a', now: '2026-11-29T10:00:00.000Z' };

interface Person {
  name: string;
  street: string;
  id: string;
  phone: string;
  email: string;
}

const person = (i: number): Person => ({
  name: `Zofia Wiśniewska-${i}`,
  street: `Ulica Kwiatowa ${100 + i}`,
  id: `PL${90_000_000_000 + i}`,
  phone: `+48 600 700 ${String(i).padStart(3, '0')}`,
  email: `zofia.${i}@poczta.example`,
});

function parcel(i: number, p: Person, overrides: Partial<ConsignmentInput> = {}): ConsignmentInput {
  const base = postalItem({}, String(30_000_000 + i));
  return {
    ...base,
    consignee: {
      name: p.name,
      address: { street: p.street, city: 'Kraków', postcode: '30-001', country: 'PL' },
      phone: p.phone,
      email: p.email,
      id: { type: 'PERSONAL', value: p.id },
    },
    routing: { ...base.routing, destinationCountry: 'PL', officeOfEntry: 'PL301000' },
    ...overrides,
  };
}

async function filledStore(dir: string): Promise<{ store: ClearanceStore; people: Person[] }> {
  const store = openSqliteStore({ dataDir: dir });
  const people = Array.from({ length: 6 }, (_, i) => person(i));
  const records: ConsignmentInput[] = people.map((p, i) => parcel(i, p));
  // Parcel 0's carrier names the consignee differently: a consignee mismatch quotes both names.
  const base = records[0]!;
  records.push({
    ...base,
    source: 'carrier-waybill',
    consignee: { ...base.consignee!, name: 'Z. Wisniewska-Nowak' },
  });
  people.push({ ...people[0]!, name: 'Z. Wisniewska-Nowak' });
  await submitBatch(ctx, records, { store, snapshot: () => snapshot });
  return { store, people };
}

async function exported(
  store: ClearanceStore,
  format: 'ndjson' | 'csv',
  classes: ('identity' | 'contact' | 'party')[],
) {
  let text = '';
  const report = await exportConsignments(store, { format, classes }, (line) => {
    text += line;
  });
  return { text, report };
}

test('a scrubbed export (NDJSON and CSV) holds no identity number, name, street, phone or e-mail', async () => {
  const dir = scratchDir('pg-export-');
  const { store, people } = await filledStore(dir);
  try {
    const first = await store.list({ limit: 100 });
    const withMismatch = await Promise.all(first.items.map((s) => store.get(s.id)));
    assert.ok(
      withMismatch.some((c) => c?.mismatches.some((m) => m.field === 'consignee')),
      'the fixture has a consignee mismatch quoting both names',
    );
    for (const format of ['ndjson', 'csv'] as const) {
      const { text, report } = await exported(store, format, ['identity', 'contact', 'party']);
      assert.equal(report.consignments, 6);
      const lower = text.toLowerCase();
      for (const p of people) {
        for (const v of [p.name, p.street, p.id, p.phone, p.email]) {
          assert.ok(!lower.includes(v.toLowerCase()), `${format} export leaks ${v}`);
        }
      }
      // What is not personal stays: the consignment ids, city, postcode, country, goods.
      for (const s of first.items) assert.ok(text.includes(s.id));
      assert.ok(text.includes('Kraków') && text.includes('30-001') && text.includes('T-shirt'));
      assert.ok(text.includes('[redacted]'));
    }
    const ndjson = (await exported(store, 'ndjson', ['identity', 'contact', 'party'])).text;
    for (const line of ndjson.trim().split('\n')) JSON.parse(line);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scrubbing is per class: identity only keeps names and contacts, removes identity numbers', async () => {
  const dir = scratchDir('pg-export-');
  const { store, people } = await filledStore(dir);
  try {
    const { text, report } = await exported(store, 'ndjson', ['identity']);
    assert.deepEqual(report.scrubbed, ['identity']);
    for (const p of people.slice(1, 6)) {
      assert.ok(!text.includes(p.id), `identity ${p.id} leaks`);
      assert.ok(text.includes(p.name) && text.includes(p.email));
    }
    const whole = await exported(store, 'csv', []);
    assert.ok(whole.text.includes(people[2]!.id), 'an unscrubbed export is whole');
    assert.equal(whole.report.redactions, 0);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('property: no personal value of any party survives scrubbing, wherever else it is quoted', () => {
  const value = fc
    .string({ minLength: 3, maxLength: 30 })
    // A value inside the redaction marker itself ("[re") would be found in every redaction.
    .filter((s) => s.trim().length >= 3 && s.trim() === s && !'[redacted]'.includes(s.toLowerCase()));
  fc.assert(
    fc.property(value, value, value, fc.string(), (name, street, id, noise) => {
      const c = {
        id: 'c1',
        merged: {
          consignee: {
            name,
            address: { street, city: 'X', country: 'DE' },
            id: { type: 'PERSONAL', value: id },
          },
        },
        mismatches: [
          { field: 'consignee', values: [name, 'other'], message: `${noise}${name.toUpperCase()}${noise}` },
        ],
        note: `${noise} ${id} ${street}`,
      };
      const { doc } = scrubbedConsignment(c as never, [], ['identity', 'party']);
      const leaves: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') leaves.push(v.toLowerCase());
        else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(doc);
      for (const v of personalValues(c, ['identity', 'party'])) {
        const hit = leaves.find((l) => l.includes(v.toLowerCase()));
        assert.equal(hit, undefined, `${v} survives in ${String(hit)}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('CSV fields are quoted and formula-like cells defused', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(3), '3');
});

test('parcelgate export --scrub writes a file, refuses to overwrite, and is audited', () => {
  const tmp = scratchDir('pg-export-cli-');
  const bin = join(packageRoot, 'bin', 'parcelgate.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      cwd: tmp,
      env: { ...process.env, CI: 'true' },
    });
  try {
    const input = join(tmp, 'in.ndjson');
    writeFileSync(input, [0, 1, 2].map((i) => JSON.stringify(parcel(i, person(i)))).join('\n') + '\n');
    const dataDir = join(tmp, 'data');
    assert.equal(run('ingest', input, '--data-dir', dataDir).status, 0);
    const out = join(tmp, 'out.csv');
    const r = run('export', '--data-dir', dataDir, '--format', 'csv', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const csv = readFileSync(out, 'utf8');
    assert.equal(csv.trim().split('\n').length, 4);
    for (const i of [0, 1, 2]) assert.ok(!csv.includes(person(i).id) && !csv.includes(person(i).name));
    assert.notEqual(run('export', '--data-dir', dataDir, '--out', out).status, 0, 'never overwrites');
    assert.notEqual(run('export', '--data-dir', dataDir, '--scrub', 'names').status, 0, 'unknown class');
    const verify = run('audit', 'verify', '--data-dir', dataDir);
    assert.equal(verify.status, 0, verify.stderr);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** Every cell of every sheet of a workbook, as text. */
async function workbookText(buf: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells.join('\n');
}

test('a scrubbed xlsx export (library, API by default, CLI alias) holds no identity number, name, street, phone or e-mail', async () => {
  const dir = scratchDir('pg-export-xlsx-');
  const { store, people } = await filledStore(dir);
  const leaks = (text: string) =>
    people
      .flatMap((p) => [p.name, p.street, p.id, p.phone, p.email])
      .filter((v) => text.toLowerCase().includes(v.toLowerCase()));
  try {
    const lib = await exportWorkbook(store, { classes: ['identity', 'contact', 'party'] });
    assert.equal(lib.report.consignments, 6);
    assert.ok(lib.report.redactions > 0);
    const text = await workbookText(lib.workbook);
    assert.deepEqual(leaks(text), []);
    assert.ok(text.includes('Kraków') && text.includes('30-001'), 'city and postcode stay');
    // Without scrubbing the workbook is whole: the check above can fail.
    const whole = await workbookText((await exportWorkbook(store, { classes: [] })).workbook);
    assert.ok(whole.includes(people[3]!.id) && whole.includes(people[3]!.name));

    const app = await buildApp({ store, snapshot: () => snapshot });
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/exports/consignments.xlsx' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(leaks(await workbookText(res.rawPayload)), [], 'the API scrubs by default');
      const idOnly = await app.inject({ method: 'GET', url: '/v1/exports/consignments.xlsx?scrub=identity' });
      const idText = await workbookText(idOnly.rawPayload);
      assert.ok(!idText.includes(people[2]!.id) && idText.includes(people[2]!.name), 'per class');
      const bad = await app.inject({ method: 'GET', url: '/v1/exports/consignments.xlsx?scrub=names' });
      assert.equal(bad.statusCode, 400);
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
  const bin = join(packageRoot, 'bin', 'parcelgate.js');
  try {
    for (const args of [['export', '--format', 'xlsx'], ['export-xlsx']]) {
      const out = join(dir, `${args.length}.xlsx`);
      const r = spawnSync(process.execPath, [bin, ...args, '--data-dir', dir, '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /"format":"xlsx","scrubbed":\["identity","contact","party"\]/);
      assert.deepEqual(leaks(await workbookText(readFileSync(out))), [], `${args.join(' ')} scrubs`);
    }
    const verify = spawnSync(process.execPath, [bin, 'audit', 'verify', '--data-dir', dir], {
      encoding: 'utf8',
    });
    assert.equal(verify.status, 0, verify.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
