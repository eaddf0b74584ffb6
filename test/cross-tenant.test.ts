/**
 * Cross-submitter linking (docs/security.md "What a submitter reads"): a submitter that knows another
 * party's tracking number can link its own record to that consignment and so becomes a contributor.
 * It must never read the other party's data through any route, and the answers to a request for
 * information are read by customs and by the party that gave each, with the officer told in which
 * capacity each answer was given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { bearer, keysApp } from '../src/access/testing.js';
import { registeredRoutes } from '../src/access/plugin.js';
import { routeKey, routeTable } from '../src/access/permissions.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { toNotification } from '../src/exchange/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { openExchangeApp } from './helpers/exchange-app.js';

/** Loose tea (held for information by its lane) for a consignee whose data must not leak. */
const teaFor = (serial: string, consignee: NonNullable<ReturnType<typeof postalItem>['consignee']>) =>
  teaParcel(serial, { consignee });

const victim = {
  name: 'Victoria Privatperson',
  address: { street: 'Geheimweg 77', city: 'Berlin', postcode: '10115', country: 'DE' },
  email: 'victoria.private@example.org',
  phone: '+49 30 9998887',
};
const ownerAnswer = {
  explanation: 'Bought by the consignee for her own use, order OWNERSECRET-1',
  documents: [{ kind: 'invoice', reference: 'INV-OWNERSECRET', url: 'https://shop.example/inv/ownersecret' }],
};
const intruderAnswer = { explanation: 'Harmless samples, release please: INTRUDERTEXT-7' };

/** What of the creator must not reach the contributor. */
const creatorSecrets = [
  'Victoria',
  'Privatperson',
  'Geheimweg',
  'victoria.private',
  '9998887',
  'OWNERSECRET',
  'op-submitter',
];

const found = (text: string, secrets: readonly string[]) => secrets.filter((s) => text.includes(s));

async function xlsxText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value)))));
  return cells.join('\n');
}

test("a contributor that linked by tracking number reads none of the creator's data, on any route it may call", async () => {
  const k = await keysApp();
  try {
    const intruder = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-intruder', actor: 'admin:test' })
    ).plaintext;
    const tea = teaFor('30000001', victim);
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: tea,
    });
    assert.equal(made.json().state, 'held-for-information', made.body);
    const id = made.json().consignmentId as string;
    // The creator amends its record (an earlier version is kept) and answers the request.
    const amended = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: { ...tea, items: [{ ...tea.items[0]!, description: 'Green tea leaves, loose, organic' }] },
    });
    assert.equal(amended.json().status, 'amended', amended.body);
    const answered = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: bearer(k.keyOf.submitter),
      payload: ownerAnswer,
    });
    assert.equal(answered.statusCode, 200, answered.body);
    // The intruder knows only the tracking number; its waybill names another consignee.
    const waybill = postalItem(
      {
        source: 'carrier-waybill',
        consignee: {
          name: 'Mallory',
          address: { street: 'Weg 1', city: 'Berlin', postcode: '10115', country: 'DE' },
        },
      },
      '30000001',
    );
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(intruder),
      payload: waybill,
    });
    assert.equal(linked.json().status, 'linked', linked.body);
    assert.equal(linked.json().consignmentId, id);
    // An officer asks again, with a reason of the officer's own: no linked party reads it.
    const asked = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: bearer(k.keyOf.officer),
      payload: { action: 'request-information', reason: 'OFFICERSECRET-9: tip-off about the seller' },
    });
    assert.equal(asked.statusCode, 200, asked.body);

    // Every GET route a submitter may call on its own consignments, as the app registers them.
    const urls = registeredRoutes(k.app)
      .filter((r) => r.method === 'GET')
      .filter((r) => {
        const rule = routeTable[routeKey(r.method, r.url)]!;
        return rule.allow !== 'public' && rule.allow.includes('submitter') && rule.own === true;
      })
      .flatMap((r) =>
        r.url.includes(':format') ? ['h7', 'placi', 't86'].map((f) => r.url.replace(':format', f)) : [r.url],
      )
      .map((u) => u.replace(':id', id));
    assert.ok(urls.includes(`/v1/consignments/${id}/history`), 'the route list was collected');
    assert.ok(urls.includes('/v1/exports/consignments.xlsx'));
    for (const url of urls) {
      const r = await k.app.inject({
        method: 'GET',
        url: url.endsWith('.xlsx') ? `${url}?scrub=none` : url,
        headers: bearer(intruder),
      });
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
      const text = url.endsWith('.xlsx') ? await xlsxText(r.rawPayload) : r.body;
      assert.deepEqual(found(text, creatorSecrets), [], `${url} shows the creator's data to a contributor`);
      assert.deepEqual(
        found(text, ['OFFICERSECRET']),
        [],
        `${url} shows an officer's reason to a contributor`,
      );
    }
    // Its history holds the versions its record is in, not the creator's version before the link.
    const history = (
      await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}/history`, headers: bearer(intruder) })
    ).json() as { versions: { sources: { submitterId: string }[] }[] };
    for (const v of history.versions) assert.ok(v.sources.every((s) => s.submitterId === 'op-intruder'));
    // The creator still reads its own earlier versions.
    const own = (
      await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}/history`,
        headers: bearer(k.keyOf.submitter),
      })
    ).json() as { versions: unknown[] };
    assert.ok(own.versions.length >= 1);
    assert.match(JSON.stringify(own.versions), /Geheimweg/);
  } finally {
    await k.close();
  }
});

test('answers to a request for information: a contributor may answer, the officer sees in which capacity, and neither party reads the other’s text', async () => {
  const k = await keysApp();
  try {
    const intruder = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-intruder', actor: 'admin:test' })
    ).plaintext;
    const elsewhere = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-elsewhere', actor: 'admin:test' })
    ).plaintext;
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: teaFor('30000002', victim),
    });
    const id = made.json().consignmentId as string;
    const url = `/v1/consignments/${id}/information`;
    // A contributor of another consignment is a stranger here.
    await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(elsewhere),
      payload: postalItem({ source: 'carrier-waybill' }, '30000003'),
    });
    const stranger = await k.app.inject({
      method: 'POST',
      url,
      headers: bearer(elsewhere),
      payload: intruderAnswer,
    });
    assert.equal(stranger.statusCode, 404);
    // Linking by the tracking number makes the intruder a contributor, which may answer.
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(intruder),
      payload: postalItem({ source: 'carrier-waybill' }, '30000002'),
    });
    assert.equal(linked.json().status, 'linked', linked.body);
    for (const [key, body] of [
      [k.keyOf.submitter, ownerAnswer],
      [intruder, intruderAnswer],
    ] as const) {
      const r = await k.app.inject({ method: 'POST', url, headers: bearer(key), payload: body });
      assert.equal(r.statusCode, 200, r.body);
    }
    // The officer reads both answers, who gave each and in which capacity.
    const officer = (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf.officer) })).json() as {
      answers: { actor: string; party: string; explanation: string }[];
    };
    assert.deepEqual(
      officer.answers.map((a) => [a.actor, a.party]),
      [
        ['op-submitter', 'creator'],
        ['op-intruder', 'contributor'],
      ],
    );
    assert.equal(officer.answers[1]!.explanation, intruderAnswer.explanation);
    // Each party reads its own answer's text in its events, never the other's.
    const eventsOf = async (key: string) =>
      (await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}/events`, headers: bearer(key) }))
        .body;
    const ownerEvents = await eventsOf(k.keyOf.submitter);
    assert.match(ownerEvents, /OWNERSECRET/);
    assert.doesNotMatch(ownerEvents, /INTRUDERTEXT/, "the owner does not read a contributor's answer");
    const intruderEvents = await eventsOf(intruder);
    assert.match(intruderEvents, /INTRUDERTEXT/, 'a contributor reads its own answer');
    assert.doesNotMatch(intruderEvents, /OWNERSECRET/);
    // Both read that two answers were given, nothing of their text.
    for (const key of [k.keyOf.submitter, intruder]) {
      const mine = await k.app.inject({ method: 'GET', url, headers: bearer(key) });
      assert.equal(mine.json().answers, 2);
      assert.deepEqual(found(mine.body, ['OWNERSECRET', 'INTRUDERTEXT']), []);
    }
  } finally {
    await k.close();
  }
});

test('feed and webhooks: the owner does not receive a contributor’s answer text, the contributor receives its own', async () => {
  const snapshot = loadSnapshot({ randomRate: 0 });
  const t = await openExchangeApp({ prefix: 'parcelgate-xtenant-', snapshot, now: '2026-11-27T10:00:00Z' });
  try {
    const owner = { 'x-submitter-id': 'opr_owner' };
    const contributor = { 'x-submitter-id': 'opr_contrib' };
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: owner,
      payload: teaFor('30000004', victim),
    });
    const id = made.json().consignmentId as string;
    const linked = await t.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: contributor,
      payload: postalItem({ source: 'carrier-waybill' }, '30000004'),
    });
    assert.equal(linked.json().consignmentId, id, linked.body);
    for (const [headers, payload] of [
      [owner, ownerAnswer],
      [contributor, intruderAnswer],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/information`,
        headers,
        payload,
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    const feed = async (headers: Record<string, string>) =>
      (await t.app.inject({ url: '/v1/feed?after=0', headers })).json() as {
        events: { type: string; actor: string; data?: Record<string, unknown> }[];
      };
    const answersIn = (f: Awaited<ReturnType<typeof feed>>) =>
      f.events.filter((e) => e.type === 'consignment.information-provided');
    const ownerSees = answersIn(await feed(owner));
    assert.equal(ownerSees.length, 2);
    assert.equal(ownerSees[0]!.data?.explanation, ownerAnswer.explanation);
    assert.deepEqual(ownerSees[1]!.data, { trigger: 'submitter.information-provided' });
    const contributorSees = answersIn(await feed(contributor));
    assert.deepEqual(contributorSees[0]!.data, { trigger: 'submitter.information-provided' });
    assert.equal(contributorSees[1]!.data?.explanation, intruderAnswer.explanation);
    // Webhook bodies are built by the same function, per subscriber's operator.
    const stored = await t.exchange.eventsSince(0, 100);
    const intruders = stored.find(
      (e) => e.type === 'consignment.information-provided' && e.actor === 'opr_contrib',
    )!;
    assert.doesNotMatch(JSON.stringify(toNotification(intruders, 'opr_owner')), /INTRUDERTEXT/);
    assert.match(JSON.stringify(toNotification(intruders, 'opr_contrib')), /INTRUDERTEXT/);
    assert.match(JSON.stringify(toNotification(intruders)), /INTRUDERTEXT/, 'customs reads it whole');
  } finally {
    await t.close();
  }
});

test("staff reading a consignment's events: analysts get no answer text, officers' reads of it are audited", async () => {
  const k = await keysApp();
  try {
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: teaFor('30000005', victim),
    });
    const id = made.json().consignmentId as string;
    const events = `/v1/consignments/${id}/events`;
    const readsOfEvents = async () =>
      (await k.security.readAudit(0, 1000)).filter(
        (e) =>
          e.action === 'personal-data.read' &&
          (e.data as { route?: string }).route === 'GET /v1/consignments/:id/events',
      );
    // No answer yet: an ordinary read of events, not audited.
    assert.equal((await k.app.inject({ url: events, headers: bearer(k.keyOf.officer) })).statusCode, 200);
    assert.equal((await readsOfEvents()).length, 0);
    const r = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: bearer(k.keyOf.submitter),
      payload: ownerAnswer,
    });
    assert.equal(r.statusCode, 200, r.body);
    const analyst = await k.app.inject({ url: events, headers: bearer(k.keyOf.analyst) });
    assert.equal(analyst.statusCode, 200);
    assert.doesNotMatch(analyst.body, /OWNERSECRET/, 'analysts read no personal data');
    assert.match(analyst.body, /submitter\.information-provided/, 'they see that an answer was given');
    const officer = await k.app.inject({ url: events, headers: bearer(k.keyOf.officer) });
    assert.match(officer.body, /OWNERSECRET/);
    const audited = await readsOfEvents();
    assert.deepEqual(
      audited.map((e) => [e.actor, e.subject]),
      [['officer:op-officer', id]],
      "the officer's read of the answer text is audited",
    );
  } finally {
    await k.close();
  }
});

test("a party that linked by order id does not read the post's tracking number in the postal XML exports", async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const post = postalItem({ platform: { id: 'shopmall', orderId: 'SM-777' } }, '20000041');
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: post,
    });
    const id = made.json().consignmentId as string;
    const s10 = post.transportDocument!.id;
    const platform = bearer(
      (await k.keys.create({ role: 'submitter', operatorId: 'op-platform', actor: 'admin:test' })).plaintext,
    );
    const { transportDocument: _s10, ...order } = post;
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: platform,
      payload: { ...order, source: 'platform-order' },
    });
    assert.equal(linked.json().status, 'linked', linked.body);
    assert.equal(linked.json().consignmentId, id);
    for (const url of [
      `/v1/consignments/${id}`,
      `/v1/consignments/${id}/response.xml`,
      `/v1/consignments/${id}/events.xml`,
      '/v1/postal/events.xml?after=0',
    ]) {
      const r = await k.app.inject({ url, headers: platform });
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      assert.doesNotMatch(r.body, new RegExp(s10), url);
    }
    // The post reads its own item id.
    const own = await k.app.inject({
      url: `/v1/consignments/${id}/response.xml`,
      headers: bearer(k.keyOf.submitter),
    });
    assert.match(own.body, new RegExp(`<ItemId>${s10}</ItemId>`));
  } finally {
    await k.close();
  }
});
