/**
 * The blue lane (release, then post-release audit) is targeting: a submitter told its parcel was picked
 * for audit learns what the profile looks for (issue #4 item 6). So everything a submitter reads of a
 * blue consignment — the submit answer, list rows and lane filters, the document, its history, events,
 * response (JSON and postal XML), data sets, postal events, the feed, webhook deliveries and the workbook
 * export — must be what it reads of a green one, field by field, but for ids, times and amounts.
 * Officers and analysts still read blue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { bearer, keysApp } from '../src/access/testing.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { WebhookDispatcher } from '../src/exchange/index.js';
import { publicNames } from '../src/exchange/webhooks/testing/destinations.js';
import { redactForSubmitter } from '../src/risk/index.js';
import { openSqliteExchangeStore } from '../src/store/index.js';
import { postalItem, s10 } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0, classifier: false });

/** A T-shirt parcel of `value` EUR: 145 sits just below the EUR 150 threshold (a blue-lane rule). */
const parcel = (serial: string, value: string) => {
  const p = postalItem({}, serial);
  p.items[0]!.value = { amount: value, currency: 'EUR' };
  p.items[0]!.quantity = 1;
  return p;
};

async function workbookRows(body: Buffer): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  wb.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell) => cells.push(String(cell.text)));
      rows.push(cells);
    });
    out[sheet.name] = rows;
  });
  return out;
}

/** What may differ between two parcels: their ids and references, content hashes, times, amounts, positions. */
function normaliser(idsOf: Record<'blue' | 'green', string[]>) {
  return (which: 'blue' | 'green', text: string): string => {
    let t = text;
    for (const id of [...idsOf[which]].sort((a, b) => b.length - a.length)) t = t.split(id).join('<ID>');
    return t
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?/g, '<TIME>')
      .replace(/\b[0-9a-f]{64}\b/g, '<HASH>')
      .replace(/evt_\d+/g, 'evt_<N>')
      .replace(/"(seq|next|cursor)":\d+/g, '"$1":0')
      .replace(/\d+\.\d+/g, '0.0');
  };
}

test('a submitter reads a blue consignment exactly as a green one; officers still read blue', async () => {
  const k = await keysApp({}, { snapshot, exchange: true, webhookDestinations: publicNames });
  const exchange = openSqliteExchangeStore({ dataDir: k.dir });
  try {
    const key = bearer(k.keyOf.submitter);
    const hook = await k.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: key,
      payload: { url: 'https://receiver.example/hook', from: 'beginning' },
    });
    assert.equal(hook.statusCode, 201, hook.body);

    const serials = { blue: '51000001', green: '52000002' } as const;
    const made = {
      blue: await k.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: key,
        payload: parcel(serials.blue, '145.00'),
      }),
      green: await k.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: key,
        payload: parcel(serials.green, '135.00'),
      }),
    };
    const ids = {} as Record<'blue' | 'green', string>;
    for (const lane of ['blue', 'green'] as const) {
      assert.equal(made[lane].statusCode, 201, made[lane].body);
      ids[lane] = made[lane].json().consignmentId as string;
      // Staff read the lane as assessed.
      for (const role of ['officer', 'analyst'] as const) {
        const seen = await k.app.inject({
          url: role === 'officer' ? `/v1/consignments/${ids[lane]}` : `/v1/consignments?lane=${lane}`,
          headers: bearer(k.keyOf[role]),
        });
        assert.equal(seen.statusCode, 200, seen.body);
        const body = seen.json();
        if (role === 'officer') assert.equal(body.assessment.risk.lane, lane, `${lane}: officer view`);
        else
          assert.deepEqual(
            body.items.map((i: { id: string }) => i.id),
            [ids[lane]],
            `${lane}: analyst filter`,
          );
      }
    }
    const refs = (lane: 'blue' | 'green') => [
      ids[lane],
      made[lane].json().declarationId as string,
      s10(serials[lane]),
      serials[lane],
    ];
    const norm = normaliser({ blue: refs('blue'), green: refs('green') });
    const same = (what: string, blue: unknown, green: unknown) => {
      const b = norm('blue', typeof blue === 'string' ? blue : JSON.stringify(blue));
      const g = norm('green', typeof green === 'string' ? green : JSON.stringify(green));
      if (b.startsWith('{') || b.startsWith('['))
        assert.deepEqual(JSON.parse(b), JSON.parse(g), `${what}: blue and green differ for the submitter`);
      else assert.equal(b, g, `${what}: blue and green differ for the submitter`);
      assert.doesNotMatch(
        b,
        /blue|post-release|reviewed after release|audit/i,
        `${what} names the blue lane`,
      );
    };

    same('the submit answer', made.blue.json(), made.green.json());
    for (const type of ['arrived', 'delivered']) {
      const report = (lane: 'blue' | 'green') =>
        k.app.inject({
          method: 'POST',
          url: `/v1/consignments/${ids[lane]}/carrier-events`,
          headers: key,
          payload: { type },
        });
      const [b, g] = [await report('blue'), await report('green')];
      assert.equal(b.statusCode, 200, b.body);
      assert.equal(g.statusCode, 200, g.body);
      same(`the answer to a carrier event ${type}`, b.json(), g.json());
    }

    for (const path of [
      '',
      '/history',
      '/events',
      '/response',
      '/response.xml',
      '/events.xml',
      '/information',
      '/datasets/h7',
      '/datasets/t86',
    ]) {
      const get = (lane: 'blue' | 'green') =>
        k.app.inject({ url: `/v1/consignments/${ids[lane]}${path}`, headers: key });
      const [b, g] = [await get('blue'), await get('green')];
      assert.equal(b.statusCode, g.statusCode, `${path}: status`);
      same(`GET …${path} (${b.statusCode})`, b.body, g.body);
    }

    // List rows, and lane filters: blue is neither a filter value of its own nor missing from green.
    const list = (await k.app.inject({ url: '/v1/consignments', headers: key })).json();
    const row = (lane: 'blue' | 'green') => list.items.find((i: { id: string }) => i.id === ids[lane]);
    same('the list row', row('blue'), row('green'));
    const filtered = async (lane: string) =>
      (
        (await k.app.inject({ url: `/v1/consignments?lane=${lane}`, headers: key })).json().items as {
          id: string;
        }[]
      )
        .map((i) => i.id)
        .sort();
    assert.deepEqual(await filtered('green'), [ids.blue, ids.green].sort(), 'lane=green lists both');
    assert.deepEqual(await filtered('blue'), [], 'lane=blue lists neither');

    // The feed and webhook deliveries: the same events with the same bodies.
    const feed = (await k.app.inject({ url: '/v1/feed', headers: key })).json().events as {
      consignmentId: string;
    }[];
    const of = (events: { consignmentId: string }[], lane: 'blue' | 'green') =>
      events.filter((e) => e.consignmentId === ids[lane]);
    assert.ok(of(feed, 'blue').length > 0);
    same('the feed', of(feed, 'blue'), of(feed, 'green'));
    const delivered: { consignmentId: string }[] = [];
    const d = new WebhookDispatcher(exchange, {
      post: (_url, body) => {
        delivered.push(JSON.parse(body) as { consignmentId: string });
        return Promise.resolve({ ok: true });
      },
    });
    await d.tick();
    assert.ok(of(delivered, 'blue').length > 0);
    same('webhook deliveries', of(delivered, 'blue'), of(delivered, 'green'));

    // Postal events (XML) and the workbook export: the entries of each parcel.
    const postal = (await k.app.inject({ url: '/v1/postal/events.xml', headers: key })).body;
    const entries = (lane: 'blue' | 'green') =>
      [...postal.matchAll(/<Event>[\s\S]*?<\/Event>/g)]
        .map((m) => m[0])
        .filter((e) => e.includes(s10(serials[lane])) || e.includes(ids[lane]));
    assert.ok(entries('blue').length > 0, postal.slice(0, 400));
    same('postal events', entries('blue').join('\n'), entries('green').join('\n'));
    const xlsx = await k.app.inject({ url: '/v1/exports/consignments.xlsx?scrub=none', headers: key });
    assert.equal(xlsx.statusCode, 200);
    const sheets = await workbookRows(xlsx.rawPayload);
    let picked = 0;
    for (const [name, rows] of Object.entries(sheets)) {
      const pick = (lane: 'blue' | 'green') =>
        rows.filter((r) => r.some((c) => c.includes(ids[lane]) || c.includes(s10(serials[lane]))));
      picked += pick('blue').length;
      same(`workbook sheet ${name}`, pick('blue'), pick('green'));
    }
    assert.ok(picked >= 2, 'the workbook holds the parcel on each sheet');
  } finally {
    await exchange.close();
    await k.close();
  }
});

test('the redacted risk of every lane a submitter can be told: blue reads as green', () => {
  const risk = (lane: 'green' | 'blue') => ({
    score: lane === 'blue' ? 25 : 0,
    lane,
    security: 'assessment-complete' as const,
    hits: [],
    randomSelected: false,
    ruleSetVersion: 'x@1',
  });
  assert.deepEqual(redactForSubmitter(risk('blue')), redactForSubmitter(risk('green')));
  assert.equal(redactForSubmitter(risk('blue')).lane, 'green');
});
