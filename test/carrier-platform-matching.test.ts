/**
 * An express carrier's house waybills under one master, the platform's orders for the same parcels, and
 * the postal events the carrier then reads: a platform that labels the carrier's number OTHER joins the
 * carrier's parcel, an order split over two waybills is refused with the parcels named, and a delivery is
 * a delivery milestone in the EMSEVT export, not a release by customs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsignmentInput } from '../src/domain/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openExchangeApp } from './helpers/exchange-app.js';

const snapshot = loadSnapshot({ randomRate: 0 });

function parcel(
  source: ConsignmentInput['source'],
  orderId: string,
  doc?: ConsignmentInput['transportDocument'],
) {
  return {
    source,
    category: 'sale',
    ...(doc === undefined ? {} : { transportDocument: doc }),
    ...(source === 'carrier-waybill' ? { masterReference: '02044112305' } : {}),
    seller: {
      name: 'Yiwu Toys',
      address: { street: '1 Rd', city: 'Yiwu', postcode: '322000', country: 'CN' },
    },
    consignee: {
      name: 'Anna Schmidt',
      address: { street: 'Hauptstr 5', city: 'Berlin', postcode: '10115', country: 'DE' },
    },
    platform: { id: 'shopx', orderId },
    items: [
      {
        description: 'Plastic toy car',
        hsCode: '950300',
        quantity: 1,
        netWeightGrams: 300,
        value: { amount: '20.00', currency: 'EUR' },
        origin: 'CN',
      },
    ],
    routing: { dispatchCountry: 'CN', destinationCountry: 'DE' },
    dates: { accepted: '2026-11-28T08:00:00Z' },
  };
}

interface Result {
  status: string;
  consignmentId?: string;
  issues?: { code: string; path: string; message: string }[];
}

test('a platform order labelling the carrier house waybill OTHER joins the carrier parcel; a split order asks for the transport document without naming the carrier parcels', async () => {
  const t = await openExchangeApp({ prefix: 'pg-carrier-match-', snapshot, now: '2026-11-29T10:00:00Z' });
  try {
    const send = async (who: string, consignments: object[]): Promise<Result[]> => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: { 'x-submitter-id': who },
        payload: { consignments },
      });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json() as { results: Result[] }).results;
    };
    const waybills = await send('opr_carrier', [
      parcel('carrier-waybill', 'ORD-4', { type: 'HAWB', id: 'H100004' }),
      parcel('carrier-waybill', 'ORD-9', { type: 'HAWB', id: 'H100009' }),
      parcel('carrier-waybill', 'ORD-9', { type: 'HAWB', id: 'H100010' }),
    ]);
    assert.deepEqual(
      waybills.map((r) => r.status),
      ['created', 'created', 'created'],
    );

    const orders = await send('opr_platform', [
      parcel('platform-order', 'ORD-4', { type: 'OTHER', id: 'h100004' }),
      parcel('platform-order', 'ORD-9'),
    ]);
    assert.equal(orders[0]?.status, 'linked');
    assert.equal(orders[0]?.consignmentId, waybills[0]?.consignmentId);
    assert.equal((await t.store.list({ limit: 10 })).items.length, 3, 'no second consignment for H100004');

    assert.equal(orders[1]?.status, 'rejected');
    const issue = orders[1]?.issues?.[0];
    assert.equal(issue?.code, 'match.ambiguous');
    // The parcels are the carrier's: their ids are not told to the platform.
    for (const r of waybills.slice(1)) assert.ok(!issue?.message.includes(r.consignmentId!), issue?.message);
    assert.match(issue?.message ?? '', /links 2 different consignments/);
    assert.match(issue?.message ?? '', /transport document/);
  } finally {
    await t.close();
  }
});

test("the carrier's delivery reads as a delivery (EMI) in its EMSEVT events, not as a customs release", async () => {
  const t = await openExchangeApp({ prefix: 'pg-carrier-events-', snapshot, now: '2026-11-29T10:00:00Z' });
  try {
    const as = { 'x-submitter-id': 'opr_carrier' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: as,
      payload: parcel('carrier-waybill', 'ORD-1', { type: 'HAWB', id: 'H200001' }),
    });
    const id = (created.json() as Result).consignmentId!;
    for (const type of ['arrived', 'delivered']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/carrier-events`,
        headers: as,
        payload: { type },
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    const xml = (await t.app.inject({ method: 'GET', url: `/v1/consignments/${id}/events.xml`, headers: as }))
      .body;
    const codes = [
      ...xml.matchAll(
        /<EventCode>(\w+)<\/EventCode>\s*<EventDateTime>[^<]*<\/EventDateTime>(?:\s*<Location>[^<]*<\/Location>)?\s*<ParcelgateEvent>([^<]+)</g,
      ),
    ].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(codes.slice(-2), ['consignment.arrived EMD', 'consignment.released EMI']);
  } finally {
    await t.close();
  }
});
