/**
 * A submitter's list is what it may read: the consignments it created and those its records joined
 * (a carrier's waybill linked to a platform's order), newest first with the same cursors, without the
 * other party's id; for officers `?submitter=` still means the creator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { bearer, keysApp } from '../src/access/testing.js';
import { postalItem } from '../src/testing/consignments.js';

test("a carrier lists the platform's consignment its waybill linked to, pages through it with its own, and sees nothing else", async () => {
  const k = await keysApp();
  try {
    const carrier = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-carrier', actor: 'admin:test' })
    ).plaintext;
    const third = (await k.keys.create({ role: 'submitter', operatorId: 'op-third', actor: 'admin:test' }))
      .plaintext;
    const post = async (key: string, at: string, body: ReturnType<typeof postalItem>) => {
      k.setNow(at);
      const r = await k.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: bearer(key),
        payload: body,
      });
      assert.ok(r.statusCode === 200 || r.statusCode === 201, r.body);
      return r.json() as { consignmentId: string; status: string };
    };
    const platform = k.keyOf.submitter;
    const order = await post(
      platform,
      '2026-11-27T10:00:00Z',
      postalItem({ source: 'platform-order' }, '10000001'),
    );
    const ownEarly = await post(
      carrier,
      '2026-11-27T10:01:00Z',
      postalItem({ source: 'carrier-waybill' }, '10000002'),
    );
    const notCarried = await post(
      platform,
      '2026-11-27T10:02:00Z',
      postalItem({ source: 'platform-order' }, '10000003'),
    );
    const ownLate = await post(
      carrier,
      '2026-11-27T10:03:00Z',
      postalItem({ source: 'carrier-waybill' }, '10000004'),
    );
    const thirds = await post(
      third,
      '2026-11-27T10:04:00Z',
      postalItem({ source: 'postal-item' }, '10000005'),
    );
    const linked = await post(
      carrier,
      '2026-11-27T10:05:00Z',
      postalItem({ source: 'carrier-waybill' }, '10000001'),
    );
    assert.equal(linked.status, 'linked');
    assert.equal(linked.consignmentId, order.consignmentId);

    const list = async (key: string, query: string) => {
      const ids: string[] = [];
      const rows: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/consignments?limit=1${query}${cursor === null ? '' : `&cursor=${cursor}`}`;
        const r: { statusCode: number; body: string; json: () => unknown } = await k.app.inject({
          method: 'GET',
          url,
          headers: bearer(key),
        });
        assert.equal(r.statusCode, 200, r.body);
        const page = r.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
        rows.push(...page.items);
        ids.push(...page.items.map((i) => i.id as string));
        cursor = page.nextCursor;
      } while (cursor !== null);
      return { ids, rows };
    };
    // Newest first by creation: the linked order was created first, by the platform.
    const mine = await list(carrier, '');
    assert.deepEqual(mine.ids, [ownLate.consignmentId, ownEarly.consignmentId, order.consignmentId]);
    const shown = mine.rows.find((r) => r.id === order.consignmentId)!;
    assert.equal(shown.submitterId, undefined, "the platform's id is not shown to the carrier");
    assert.equal(shown.riskScore, undefined);
    assert.equal(mine.rows.find((r) => r.id === ownLate.consignmentId)!.submitterId, 'op-carrier');
    // A submitter cannot widen its list with the filter: the key decides.
    assert.deepEqual((await list(carrier, '&submitter=op-submitter')).ids, mine.ids);
    assert.deepEqual((await list(carrier, '&state=seized')).ids, []);
    // The platform lists its own two; the third party only its own.
    assert.deepEqual((await list(platform, '')).ids, [notCarried.consignmentId, order.consignmentId]);
    assert.deepEqual((await list(third, '')).ids, [thirds.consignmentId]);
    // Every listed consignment reads; the others are not found, as before.
    for (const id of mine.ids) {
      const r = await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}`,
        headers: bearer(carrier),
      });
      assert.equal(r.statusCode, 200, id);
    }
    for (const id of [notCarried.consignmentId, thirds.consignmentId]) {
      const r = await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}`,
        headers: bearer(carrier),
      });
      assert.equal(r.statusCode, 404, id);
    }
    // The carrier's workbook export holds the same consignments, each with the carrier's own record.
    const xlsx = await k.app.inject({
      method: 'GET',
      url: '/v1/exports/consignments.xlsx',
      headers: bearer(carrier),
    });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const exported: string[] = [];
    wb.getWorksheet('responses')!.eachRow((row, n) => {
      if (n > 1) exported.push(String(row.getCell(1).value));
    });
    assert.deepEqual(exported, mine.ids);
    // For officers, `submitter` is the creator.
    assert.deepEqual((await list(k.keyOf.officer, '&submitter=op-carrier')).ids, [
      ownLate.consignmentId,
      ownEarly.consignmentId,
    ]);
  } finally {
    await k.close();
  }
});

test("POST /v1/bulk records the key's operator as submitter: it lists what it sent, and x-submitter-id cannot name another", async () => {
  const k = await keysApp();
  try {
    const carrier = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-carrier', actor: 'admin:test' })
    ).plaintext;
    const platform = k.keyOf.submitter;
    const bulk = async (
      key: string,
      body: ReturnType<typeof postalItem>,
      extra: Record<string, string> = {},
    ) => {
      const r = await k.app.inject({
        method: 'POST',
        url: '/v1/bulk',
        headers: { ...bearer(key), 'content-type': 'application/x-ndjson', ...extra },
        payload: `${JSON.stringify(body)}\n`,
      });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json() as { results: { status: string; consignmentId: string }[] }).results[0]!;
    };
    const own = await bulk(carrier, postalItem({ source: 'carrier-waybill' }, '10000011'));
    assert.equal(own.status, 'created');
    // A header naming another operator changes nothing in keys mode.
    const spoofed = await bulk(carrier, postalItem({ source: 'carrier-waybill' }, '10000012'), {
      'x-submitter-id': 'op-submitter',
    });
    assert.equal(spoofed.status, 'created');
    const list = async (key: string) =>
      (
        (await k.app.inject({ method: 'GET', url: '/v1/consignments', headers: bearer(key) })).json() as {
          items: { id: string; submitterId?: string }[];
        }
      ).items;
    const mine = await list(carrier);
    assert.deepEqual(
      mine.map((i) => [i.id, i.submitterId]),
      [
        [spoofed.consignmentId, 'op-carrier'],
        [own.consignmentId, 'op-carrier'],
      ],
    );
    assert.deepEqual(await list(platform), []);
    const read = await k.app.inject({
      method: 'GET',
      url: `/v1/consignments/${own.consignmentId}/response`,
      headers: bearer(carrier),
    });
    assert.equal(read.statusCode, 200, read.body);
  } finally {
    await k.close();
  }
});

test('the same record from a second operator links it as a party; only its own resubmission is unchanged', async () => {
  const k = await keysApp();
  try {
    const other = (await k.keys.create({ role: 'submitter', operatorId: 'op-other', actor: 'admin:test' }))
      .plaintext;
    const post = async (key: string) => {
      const r = await k.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: bearer(key),
        payload: postalItem({ source: 'carrier-waybill' }, '10000077'),
      });
      assert.ok(r.statusCode === 200 || r.statusCode === 201, r.body);
      return r.json() as { consignmentId: string; status: string };
    };
    const first = await post(k.keyOf.submitter);
    assert.equal(first.status, 'created');
    assert.equal((await post(k.keyOf.submitter)).status, 'unchanged');
    // Before, the other operator got 'unchanged' with the first one's id, state and amount due, and
    // then a 404 on that id: answered with a consignment it could not read.
    const second = await post(other);
    assert.equal(second.status, 'linked');
    assert.equal(second.consignmentId, first.consignmentId);
    const read = await k.app.inject({
      method: 'GET',
      url: `/v1/consignments/${first.consignmentId}`,
      headers: bearer(other),
    });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal((await post(other)).status, 'unchanged');
  } finally {
    await k.close();
  }
});
