/**
 * A parcel that will never be delivered (seized, returned, abandoned) has nothing to pay at the border:
 * every response form (JSON, postal CUSRSP XML, the xlsx responses sheet) says zero due and the same
 * settlement: border tax cancelled, or repayable when it was paid on delivery; tax prepaid at checkout
 * refunded by the seller.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { XMLParser } from 'fast-xml-parser';
import { Decimal } from 'decimal.js';
import {
  loadSnapshot,
  recordCarrierEvent,
  recordOfficerDecision,
  responseWithInformation,
  submitBatch,
  type CustomsResponse,
  type PipelineDeps,
} from '../src/clearance/index.js';
import { toCustomsResponseXml } from '../src/exchange/index.js';
import { exportWorkbook } from '../src/privacy/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-27T10:00:00.000Z';
const ctx = { actor: 'post-de', submitterId: 'post-de', now };
const officer = { ...ctx, actor: 'officer:1' };
const IOSS = 'IM2760000742';

async function arrived(d: PipelineDeps, serial: string, ioss = false): Promise<string> {
  const rec = postalItem(ioss ? { taxCollection: { scheme: 'IOSS', number: IOSS } } : {}, serial);
  const [a] = await submitBatch(ctx, [rec], d);
  const id = a!.consignmentId!;
  if (a?.state !== 'released-before-arrival')
    await recordOfficerDecision(officer, d.store, id, { action: 'release', reason: 'checked' });
  await recordCarrierEvent(ctx, d.store, id, { type: 'arrived' });
  return id;
}

/** The response of `id` in the three forms, as JSON-like records. */
async function forms(d: PipelineDeps, id: string) {
  const c = (await d.store.get(id))!;
  const json = await responseWithInformation(d.store, c);
  const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(
    toCustomsResponseXml([json]),
  ) as { CUSRSP: { Response: Record<string, unknown> } };
  const { workbook } = await exportWorkbook(d.store, { filter: {}, classes: [] });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.read(Readable.from([workbook]));
  const sheet = wb.getWorksheet('responses')!;
  const head = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  let row: Record<string, string> | undefined;
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    const vals = (r.values as unknown[])
      .slice(1)
      .map((v) => (v === undefined || v === null ? '' : String(v)));
    const rec = Object.fromEntries(head.map((h, i) => [h, vals[i] ?? '']));
    if (rec['consignmentId'] === id) row = rec;
  });
  return { json, xml: xml.CUSRSP.Response, row: row! };
}

const text = (v: unknown): string => (v as { '#text': string })['#text'];

function assertAgree(f: Awaited<ReturnType<typeof forms>>): CustomsResponse['settlement'] {
  const s = f.json.settlement;
  assert.ok(s, 'a settlement is stated');
  assert.ok(new Decimal(f.json.dueAtBorder).isZero(), `nothing due, got ${f.json.dueAtBorder}`);
  // Same places as the assessment (2 for EUR).
  assert.equal(f.json.dueAtBorder.split('.')[1]?.length, s.assessedDueAtBorder.split('.')[1]?.length);
  assert.equal(text(f.xml['AmountDue']), f.json.dueAtBorder);
  const x = f.xml['Settlement'] as Record<string, unknown>;
  assert.equal(text(x['AssessedDueAtBorder']), s.assessedDueAtBorder);
  assert.equal(text(x['CollectedAtBorder']), s.collectedAtBorder);
  assert.equal(text(x['SellerRefunds']), s.sellerRefunds);
  assert.equal(text(x['NotDue']), s.notDue);
  assert.equal(f.row['dueAtBorder'], f.json.dueAtBorder);
  assert.equal(f.row['assessedDueAtBorder'], s.assessedDueAtBorder);
  assert.equal(f.row['collectedAtBorder'], s.collectedAtBorder);
  assert.equal(f.row['sellerRefunds'], s.sellerRefunds);
  assert.equal(f.row['notDue'], s.notDue);
  return s;
}

for (const [name, end] of [
  [
    'seized',
    (d: PipelineDeps, id: string) =>
      recordOfficerDecision(officer, d.store, id, { action: 'seize', reason: 'counterfeit' }),
  ],
  [
    'abandoned',
    (d: PipelineDeps, id: string) =>
      recordOfficerDecision(officer, d.store, id, { action: 'abandon', reason: 'consignee gave up' }),
  ],
  ['returned', (d: PipelineDeps, id: string) => recordCarrierEvent(ctx, d.store, id, { type: 'refused' })],
] as const) {
  test(`a ${name} parcel owes nothing at the border and every response form says so; its border tax is cancelled`, async () => {
    const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
    const id = await arrived(d, '71000001');
    const due = (await d.store.get(id))!.assessment.revenue.dueAtBorder;
    assert.ok(new Decimal(due).gt(0), 'the parcel was assessed with something due');
    await end(d, id);
    const s = assertAgree(await forms(d, id))!;
    assert.equal(s.assessedDueAtBorder, due);
    assert.ok(new Decimal(s.collectedAtBorder).isZero());
    assert.equal(s.notDue, due, 'what was assessed at the border is cancelled');
    await d.store.close();
  });
}

test('a parcel returned after delivery: the border tax it paid is repayable, nothing more is due', async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const id = await arrived(d, '71000002');
  await recordCarrierEvent(ctx, d.store, id, { type: 'delivered' });
  const due = (await d.store.get(id))!.assessment.revenue.dueAtBorder;
  await recordCarrierEvent(ctx, d.store, id, { type: 'returned' });
  const f = await forms(d, id);
  const s = assertAgree(f)!;
  assert.equal(s.collectedAtBorder, due);
  assert.ok(new Decimal(s.notDue).isZero());
  assert.match(s.explanation, /repayable/);
  await d.store.close();
});

test('a seized IOSS parcel: the tax prepaid at checkout is for the seller to refund, none is due at the border', async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const id = await arrived(d, '71000003', true);
  const rev = (await d.store.get(id))!.assessment.revenue;
  assert.equal(rev.collectionModel, 'vendor');
  const vendor = rev.lines
    .filter((l) => l.collectedBy === 'vendor')
    .reduce((a, l) => a.plus(l.amount), new Decimal(0));
  assert.ok(vendor.gt(0));
  await recordOfficerDecision(officer, d.store, id, { action: 'seize', reason: 'counterfeit' });
  const s = assertAgree(await forms(d, id))!;
  assert.equal(s.sellerRefunds, vendor.toFixed(2));
  assert.match(s.explanation, /seller or platform/);
  await d.store.close();
});

test('a released parcel keeps its amount due and has no settlement', async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const id = await arrived(d, '71000004');
  const c = (await d.store.get(id))!;
  const r = await responseWithInformation(d.store, c);
  assert.equal(r.dueAtBorder, c.assessment.revenue.dueAtBorder);
  assert.equal(r.settlement, undefined);
  await d.store.close();
});
