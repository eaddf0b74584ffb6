/**
 * The .xlsx export round-trips with the xlsx import: a submitter's exported records read back as the
 * records it sent (and resubmitting them changes nothing); the responses sheet carries the outcome.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, standardRequest, submitBatch } from '../src/clearance/index.js';
import { consignmentsWorkbook } from '../src/exchange/index.js';
import { readXlsx, validateConsignment } from '../src/intake/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { exportCommand } from '../src/cli/commands-export.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-27T10:00:00.000Z';

async function readBack(buf: Buffer): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of readXlsx(Readable.from([buf]))) {
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const v = validateConsignment(r.value, snapshot.hs);
    assert.ok(v.ok, JSON.stringify(v));
    out.push(v.value);
  }
  return out;
}

test('export -> import gives back the records a submitter sent; resubmitting them is unchanged', async () => {
  const store = openSqliteStore({ memory: true });
  const deps = { store, snapshot: () => snapshot };
  const post = { actor: 'opr_post', submitterId: 'opr_post', now };
  const records = [
    postalItem({}, '40000001'),
    postalItem({ externalRef: undefined, category: 'gift' }, '40000002'),
    postalItem(
      {
        items: [
          postalItem().items[0]!,
          {
            ...postalItem().items[0]!,
            description: 'Cotton socks, knitted',
            hsCode: '611595',
            value: { amount: '3.10', currency: 'EUR' },
          },
        ],
      },
      '40000003',
    ),
  ];
  const results = await submitBatch(post, records, deps);
  // Another party's record linked to the first parcel must not leak into the post's sheet.
  await submitBatch(
    { ...post, actor: 'opr_mkt', submitterId: 'opr_mkt' },
    [postalItem({ source: 'platform-order', externalRef: 'MKT-1' }, '40000001')],
    deps,
  );
  const stored = await Promise.all(results.map((r) => store.get(r.consignmentId!)));
  const buf = await consignmentsWorkbook(
    stored.map((c) => c!),
    'opr_post',
  );
  const back = await readBack(buf);
  const expected = stored.map((c) => c!.sources.find((s) => s.submitterId === 'opr_post')!.data);
  assert.deepEqual(back[0], expected[0]);
  assert.deepEqual(back[2], expected[2]);
  assert.deepEqual(back[1], { ...expected[1], externalRef: stored[1]!.id }, 'no ref: the consignment id');
  const again = await submitBatch({ ...post, now: '2026-11-27T11:00:00.000Z' }, [back[0], back[2]], deps);
  assert.deepEqual(
    again.map((r) => r.status),
    ['unchanged', 'unchanged'],
  );

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const responses = wb.getWorksheet('responses')!;
  const header = (responses.getRow(1).values as unknown[]).slice(1);
  assert.deepEqual(header.slice(0, 3), ['consignmentId', 'ref', 'transportDocument']);
  const row = (responses.getRow(2).values as unknown[]).slice(1);
  assert.equal(row[0], stored[0]!.id);
  assert.equal(row[4], stored[0]!.state);
  assert.equal(row[7], stored[0]!.assessment.revenue.dueAtBorder, 'money as exact text');
  await store.close();
});

test('property: any exported set of valid records imports back unchanged', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          serial: fc.integer({ min: 10_000_000, max: 99_999_999 }),
          amount: fc.integer({ min: 1, max: 99_999 }),
          qty: fc.integer({ min: 1, max: 50 }),
          desc: fc.constantFrom(
            'Cotton T-shirt, knitted',
            'Wool scarf; "winter", 2 pcs',
            'Kids shoes, leather\nsoles',
          ),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      async (rows) => {
        const serials = [...new Set(rows.map((r) => r.serial))];
        const store = openSqliteStore({ memory: true });
        const recs = serials.map((serial) => {
          const r = rows.find((x) => x.serial === serial)!;
          const p = postalItem({}, String(serial));
          return {
            ...p,
            items: [
              {
                ...p.items[0]!,
                description: r.desc,
                quantity: r.qty,
                value: { amount: (r.amount / 100).toFixed(2), currency: 'EUR' },
              },
            ],
          };
        });
        const res = await submitBatch({ actor: 'p', submitterId: 'p', now }, recs, {
          store,
          snapshot: () => snapshot,
        });
        const cs = await Promise.all(res.map((r) => store.get(r.consignmentId!)));
        const back = await readBack(
          await consignmentsWorkbook(
            cs.map((c) => c!),
            'p',
          ),
        );
        assert.deepEqual(
          back,
          cs.map((c) => c!.sources[0]!.data),
        );
        await store.close();
      },
    ),
    { numRuns: 15 },
  );
});

test('API and CLI: a submitter exports its own consignments; the file carries both sheets', async () => {
  const dir = scratchDir('pg-xlsx-export-');
  const store = openSqliteStore({ dataDir: dir });
  try {
    const deps = { store, snapshot: () => snapshot };
    await submitBatch({ actor: 'opr_a', submitterId: 'opr_a', now }, [postalItem({}, '40000011')], deps);
    await submitBatch({ actor: 'opr_b', submitterId: 'opr_b', now }, [postalItem({}, '40000012')], deps);
    const app = await buildApp({ store, snapshot: () => snapshot });
    const res = await app.inject({
      method: 'GET',
      url: '/v1/exports/consignments.xlsx?submitter=opr_a&scrub=none',
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    const back = await readBack(res.rawPayload);
    assert.deepEqual(
      back.map((r) => (r as { externalRef: string }).externalRef),
      ['REF-40000011'],
    );
    await app.close();
    const out = path.join(dir, 'b.xlsx');
    await exportCommand({ format: 'xlsx', out, dataDir: dir, submitter: 'opr_b', withPersonalData: true });
    const cli = await readBack(fs.readFileSync(out));
    assert.deepEqual(
      cli.map((r) => (r as { externalRef: string }).externalRef),
      ['REF-40000012'],
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the responses sheet shows the open request for information: what, when, answered or not', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const post = { 'x-submitter-id': 'opr_post' };
  try {
    const held = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: post,
      payload: teaParcel('40000021'),
    });
    assert.equal(held.json().state, 'held-for-information', held.body);
    const id = held.json().consignmentId as string;
    const green = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: post,
      payload: postalItem({}, '40000022'),
    });
    const gid = green.json().consignmentId as string;
    const sheet = async () => {
      const res = await app.inject({ url: '/v1/exports/consignments.xlsx?submitter=opr_post&scrub=none' });
      assert.equal(res.statusCode, 200, res.body);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('responses')!;
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const rows = new Map<string, Record<string, unknown>>();
      for (let r = 2; r <= ws.rowCount; r++) {
        const values = (ws.getRow(r).values as unknown[]).slice(1);
        const row = Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
        rows.set(String(row.consignmentId), row);
      }
      return rows;
    };
    const info = (row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => k.startsWith('information')));
    let rows = await sheet();
    assert.equal(rows.get(id)!.response, 'REQUEST_INFO');
    assert.deepEqual(info(rows.get(id)!), {
      information: 'requested',
      informationRequestedAt: '2026-11-27T10:00:00.000Z',
      informationDocuments: standardRequest.documents.join('; '),
      informationMessage: standardRequest.message,
      informationAnswers: '0',
      informationLastAnsweredAt: '',
      informationAnswerWith: `POST /v1/consignments/${id}/information`,
    });
    assert.ok(
      Object.values(info(rows.get(gid)!)).every((v) => v === ''),
      'no request, empty cells',
    );

    const ask = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: { 'x-actor': 'officer:jdoe' },
      payload: {
        action: 'request-information',
        reason: 'seller unknown',
        request: { documents: ['invoice'], message: 'Send the seller invoice.' },
      },
    });
    assert.equal(ask.statusCode, 200, ask.body);
    const ok = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: post,
      payload: { explanation: 'Green tea for personal use.' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    rows = await sheet();
    const answered = info(rows.get(id)!);
    assert.equal(answered.information, 'answered');
    assert.equal(answered.informationDocuments, 'invoice');
    assert.equal(answered.informationMessage, 'Send the seller invoice.');
    assert.equal(answered.informationAnswers, '1');
    assert.equal(answered.informationLastAnsweredAt, '2026-11-27T10:00:00.000Z');
    assert.doesNotMatch(JSON.stringify(rows.get(id)), /seller unknown/, "never the officer's reason");
  } finally {
    await app.close();
    await store.close();
  }
});
