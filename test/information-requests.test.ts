/**
 * Requests for information (docs/information-requests.md) through the API, on SQLite and PostgreSQL:
 * the response says what is requested and how to answer; the submitter answers; the parcel stays held
 * for information, marked answered in the work queue, until an officer decides; refusals are specific.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, standardRequest } from '../src/clearance/index.js';
import {
  openPostgresStore,
  openSqliteStore,
  sqliteFileName,
  type ClearanceStore,
} from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';
import { clearanceStoreTests, postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { withPgClient } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { raiseScreeningAlert } from '../src/screening/alert.js';
import { queueSql } from '../src/store/console/queue-sql.js';
import { bearer, keysApp } from '../src/access/testing.js';
import { openExchangeApp } from './helpers/exchange-app.js';

const snapshot = loadSnapshot({ randomRate: 0 });

const post = { 'x-submitter-id': 'opr_post' };
const officer = { 'x-actor': 'officer:jdoe' };

const answer = {
  explanation: 'Loose green tea bought for personal use; invoice and shop page attached.',
  documents: [
    { kind: 'invoice', reference: 'INV-2026-0042', url: 'https://shop.example/invoices/42' },
    { kind: 'product-link', reference: 'SKU-TEA-1', url: 'https://shop.example/p/tea', note: 'shop page' },
  ],
};

/** Answers the request for information on `id` as `headers` (the postal operator by default). */
function answerRequest(
  app: FastifyInstance,
  id: string,
  payload: object = answer,
  headers: Record<string, string> = post,
) {
  return app.inject({ method: 'POST', url: `/v1/consignments/${id}/information`, headers, payload });
}

/** Records an officer decision on `id` as `headers` (the officer by default). */
function postDecision(
  app: FastifyInstance,
  id: string,
  payload: object,
  headers: Record<string, string> = officer,
) {
  return app.inject({ method: 'POST', url: `/v1/consignments/${id}/decisions`, headers, payload });
}

async function submit(app: FastifyInstance, serial: string) {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: teaParcel(serial),
    headers: post,
  });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().state, 'held-for-information');
  return r.json().consignmentId as string;
}

/** The reason a submitter reads while an arrived parcel's request for information is open. */
const arrivedWithRequestText =
  'The parcel has arrived and is held: customs requests additional documents or information.';

const queue = async (app: FastifyInstance, query: string) =>
  (await app.inject({ method: 'GET', url: `/v1/console/queue?${query}` })).json() as {
    items: { id: string; information?: string }[];
    nextCursor: string | null;
  };

/** The scenario every store must pass. */
async function scenario(store: ClearanceStore): Promise<void> {
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  try {
    const id = await submit(app, '20000001');
    const other = await submit(app, '20000002');

    // The response says information is requested, what, and where to answer; no targeting inside.
    const response = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/response` })).json();
    assert.equal(response.response, 'REQUEST_INFO');
    assert.equal(response.information.status, 'requested');
    assert.deepEqual(response.information.documents, [
      'invoice',
      'proof-of-payment',
      'order-confirmation',
      'product-link',
    ]);
    assert.deepEqual(response.information.answerWith, {
      method: 'POST',
      path: `/v1/consignments/${id}/information`,
    });
    assert.doesNotMatch(JSON.stringify(response), /R-SPS|phytosanitary|riskScore|"score"/);

    // Nothing is answered yet: the queue's filter finds nothing, every row is marked requested.
    assert.deepEqual((await queue(app, 'answered=true')).items, []);
    assert.deepEqual(
      (await queue(app, 'state=held-for-information')).items.map((i) => i.information),
      ['requested', 'requested'],
    );

    // A bad answer is refused with every problem and its path; nothing is recorded.
    const bad = await answerRequest(app, id, {
      explanation: 'x'.repeat(2001),
      documents: [
        { kind: 'receipt', reference: 'R1' },
        { kind: 'invoice', reference: '   ', url: 'http://shop.example/i' },
        { kind: 'invoice', reference: 'INV-1' },
        { kind: 'invoice', reference: 'INV-1', colour: 'red' },
      ],
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().code, 'information.invalid');
    assert.deepEqual(
      bad.json().issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`),
      [
        'schema.max-length /explanation',
        'schema.enum /documents/0/kind',
        'information.blank /documents/1/reference',
        'information.url-not-https /documents/1/url',
        'schema.additional-property /documents/3/colour',
        'information.duplicate-document /documents/3/reference',
      ],
    );
    const noBody = await answerRequest(app, id, {});
    assert.deepEqual(
      noBody.json().issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`),
      ['schema.required /explanation'],
    );
    assert.equal((await store.events(id)).length, 3, 'a refused answer writes no event');

    // The answer is recorded as an event attributed to the submitter; the parcel stays held.
    const ok = await answerRequest(app, id);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().event.type, 'consignment.information-provided');
    assert.equal(ok.json().event.actor, 'opr_post');
    assert.equal(ok.json().event.from, 'held-for-information');
    assert.equal(ok.json().event.to, 'held-for-information');
    assert.equal(ok.json().response.state, 'held-for-information');
    assert.equal(ok.json().response.information.status, 'answered');
    assert.equal(ok.json().response.information.answers, 1);
    assert.equal((await store.get(id))?.state, 'held-for-information');

    // A candidate whose answer never committed (noted, then refused) is not answered, and is in the rest.
    await store.console!.noteAnswer!(other, '2026-11-27T10:00:00Z');
    // Officers find it: the answered filter, the row marker, the counts, and the answer itself.
    assert.deepEqual(
      (await queue(app, 'answered=true')).items.map((i) => [i.id, i.information]),
      [[id, 'answered']],
    );
    assert.deepEqual(
      (await queue(app, 'answered=false')).items.map((i) => i.id),
      [other],
    );
    const counts = (await app.inject({ method: 'GET', url: '/v1/console/queue/counts' })).json();
    assert.equal(counts.answered, 1);
    const info = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/information` })).json();
    assert.equal(info.status, 'answered');
    assert.equal(info.requestedBy, 'assessment');
    assert.equal(info.answers.length, 1);
    assert.equal(info.answers[0].explanation, answer.explanation);
    assert.deepEqual(info.answers[0].documents, answer.documents);

    // A second answer before review adds to the record.
    const second = await answerRequest(app, id, {
      explanation: 'Proof of payment added.',
      documents: [{ kind: 'proof-of-payment', reference: 'PAY-9' }],
    });
    assert.equal(second.statusCode, 200, second.body);
    const both = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/information` })).json();
    assert.deepEqual(
      both.answers.map((a: { explanation: string }) => a.explanation),
      [answer.explanation, 'Proof of payment added.'],
    );

    // An officer keeps asking, naming what is wanted: the mark goes, the response says what is wanted.
    const ask = await postDecision(app, id, {
      action: 'request-information',
      reason: 'invoice does not name the seller',
      request: { documents: ['invoice'], message: 'Send the invoice issued by the seller.' },
    });
    assert.equal(ask.statusCode, 200, ask.body);
    assert.equal(ask.json().response.information.status, 'requested');
    assert.deepEqual(ask.json().response.information.documents, ['invoice']);
    assert.equal(ask.json().response.information.message, 'Send the invoice issued by the seller.');
    assert.equal(ask.json().response.information.answers, 0);
    assert.doesNotMatch(JSON.stringify(ask.json().response), /does not name the seller/);
    assert.deepEqual((await queue(app, 'answered=true')).items, []);
    const misplaced = await postDecision(app, other, {
      action: 'inspect',
      reason: 'look at it',
      request: { documents: ['invoice'] },
    });
    assert.equal(misplaced.statusCode, 400);
    assert.equal(misplaced.json().code, 'decision.request-not-allowed');
    assert.equal(misplaced.json().issues[0].path, '/request');

    // Answered again, then released by an officer with a reason: it leaves the queue.
    await answerRequest(app, id, {
      explanation: 'Seller invoice attached.',
      documents: [{ kind: 'invoice', reference: 'S-1' }],
    });
    assert.deepEqual(
      (await queue(app, 'answered=true')).items.map((i) => i.id),
      [id],
    );
    const release = await postDecision(app, id, {
      action: 'release',
      reason: 'invoice and payment match the declared value',
    });
    assert.equal(release.statusCode, 200, release.body);
    assert.equal(release.json().response.state, 'released-before-arrival');
    assert.equal(release.json().response.information, undefined);
    assert.deepEqual((await queue(app, 'answered=true')).items, []);
    const events = (await store.events(id)).map((e) => e.type);
    assert.deepEqual(events.slice(3), [
      'consignment.information-provided',
      'consignment.information-provided',
      'consignment.request-information',
      'consignment.information-provided',
      'consignment.released-before-arrival',
    ]);

    // Not held for information any more: a clear refusal, and nothing written.
    const late = await answerRequest(app, id);
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().code, 'information.not-requested');
    assert.equal(
      (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/information` })).statusCode,
      409,
    );
    assert.equal((await store.events(id)).length, events.length);

    // Paging the answered filter: the same consignments, in the same order, as the marked rows of
    // the whole queue, across cursors of every order.
    const more: string[] = [];
    for (let i = 0; i < 7; i++) more.push(await submit(app, `2100000${i}`));
    for (const m of more.filter((_, i) => i % 2 === 0))
      await app.inject({
        method: 'POST',
        url: `/v1/consignments/${m}/information`,
        headers: post,
        payload: answer,
      });
    for (const sort of ['newest', 'oldest', 'risk']) {
      const walk = async (filter: string) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await queue(app, `sort=${sort}&limit=2${filter}${cursor ? `&cursor=${cursor}` : ''}`);
          ids.push(...page.items.map((i) => `${i.id} ${i.information}`));
          cursor = page.nextCursor;
        } while (cursor);
        return ids;
      };
      const all = await walk('');
      const answeredIds = await walk('&answered=true');
      assert.equal(answeredIds.length, 4, sort);
      assert.deepEqual(
        answeredIds,
        all.filter((i) => i.endsWith(' answered')),
        sort,
      );
      assert.deepEqual(
        await walk('&answered=false'),
        all.filter((i) => !i.endsWith(' answered')),
        sort,
      );
    }
  } finally {
    await app.close();
  }
}

type QueueRow = { id: string; state: string; information?: string };

/**
 * A parcel held for information that arrives keeps its open request (docs/information-requests.md §3):
 * the response shows it, the submitter answers it, the queue marks and filters it, until an officer
 * decides. An officer can also ask after arrival; an inspection, a release or a delivery closes it.
 */
async function arrivalScenario(store: ClearanceStore): Promise<void> {
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const inject = (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = post,
  ) => app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const answerIt = (id: string) => inject('POST', `/v1/consignments/${id}/information`, answer);
  const decide = (id: string, action: string, request?: object) =>
    inject(
      'POST',
      `/v1/consignments/${id}/decisions`,
      { action, reason: 'officer review', request },
      officer,
    );
  const arrive = (id: string) =>
    inject('POST', `/v1/consignments/${id}/carrier-events`, { type: 'arrived', at: '2026-11-27T09:00:00Z' });
  const rows = async (query = '') =>
    ((await queue(app, query)) as unknown as { items: QueueRow[] }).items.map(
      (i) => `${i.id} ${i.state} ${i.information ?? '-'}`,
    );
  try {
    const id = await submit(app, '22000001');
    const arrived = await arrive(id);
    assert.equal(arrived.statusCode, 200, arrived.body);
    assert.equal(arrived.json().response.state, 'arrived');
    assert.equal(arrived.json().response.information.status, 'requested', 'the arrival keeps the request');
    const response = (await inject('GET', `/v1/consignments/${id}/response`)).json();
    assert.equal(response.information.status, 'requested');
    // Information is still requested: the code says so (as before arrival), and the reasons agree.
    assert.equal(response.response, 'REQUEST_INFO');
    assert.equal(arrived.json().response.response, 'REQUEST_INFO');
    assert.deepEqual(response.reasons, [arrivedWithRequestText]);
    assert.deepEqual(response.information.answerWith, {
      method: 'POST',
      path: `/v1/consignments/${id}/information`,
    });
    // The postal (CUSRSP-style) response carries the same request, well-formed.
    const xml = await inject('GET', `/v1/consignments/${id}/response.xml`);
    assert.equal(xml.statusCode, 200, xml.body);
    assert.equal(XMLValidator.validate(xml.body), true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'Document' }).parse(
      xml.body,
    ) as { CUSRSP: { Response: { InformationRequest: Record<string, unknown> } } };
    const asked = parsed.CUSRSP.Response.InformationRequest;
    assert.equal(asked['@_status'], 'requested');
    assert.deepEqual(asked.Document, response.information.documents);
    assert.equal(asked.Message, response.information.message);
    assert.deepEqual(asked.AnswerWith, {
      '@_method': 'POST',
      '@_contentType': 'application/json',
      '#text': `/v1/consignments/${id}/information`,
    });
    const postal = parsed.CUSRSP.Response as unknown as Record<string, unknown>;
    assert.deepEqual(postal.Decision, { '@_processingIndicator': 'RFI', '#text': 'REQUEST_INFO' });
    assert.equal(postal.ResponseCode, 'REQUEST_INFO');
    assert.equal(postal.State, 'arrived');
    assert.equal(postal.Reason, arrivedWithRequestText);
    assert.deepEqual(await rows(), [`${id} arrived requested`], 'it waits in the queue, arrived');
    assert.deepEqual(await rows('answered=true'), []);

    // The submitter answers after arrival: recorded, the parcel stays arrived, marked answered.
    const ok = await answerIt(id);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual([ok.json().event.from, ok.json().event.to], ['arrived', 'arrived']);
    assert.equal(ok.json().response.information.status, 'answered');
    assert.equal(ok.json().response.information.answers, 1);
    assert.equal(
      ok.json().response.response,
      'REQUEST_INFO',
      'answered, still open until an officer decides',
    );
    assert.deepEqual(await rows('answered=true'), [`${id} arrived answered`]);
    assert.deepEqual(await rows('answered=false'), []);
    assert.deepEqual(await rows('state=arrived&answered=true'), [`${id} arrived answered`]);
    assert.deepEqual(await rows('state=held-for-information'), []);
    assert.equal((await inject('GET', '/v1/console/queue/counts')).json().answered, 1);
    const info = (await inject('GET', `/v1/consignments/${id}/information`, undefined, officer)).json();
    assert.equal(info.answers[0].explanation, answer.explanation);

    // An officer asks again after arrival, naming the invoice: a new request, not answered yet.
    const ask = await decide(id, 'request-information', {
      documents: ['invoice'],
      message: 'The seller invoice.',
    });
    assert.equal(ask.statusCode, 200, ask.body);
    assert.equal(ask.json().response.state, 'arrived');
    assert.deepEqual(ask.json().response.information.documents, ['invoice']);
    assert.equal(ask.json().response.information.status, 'requested');
    assert.deepEqual(await rows(), [`${id} arrived requested`]);
    assert.equal((await answerIt(id)).statusCode, 200);
    assert.deepEqual(await rows('answered=true'), [`${id} arrived answered`]);

    // An inspection after arrival is a decision: the request closes, the parcel leaves the queue.
    assert.equal((await decide(id, 'inspect')).statusCode, 200);
    const late = await answerIt(id);
    assert.equal(late.statusCode, 409, late.body);
    assert.equal(late.json().code, 'information.not-requested');
    assert.equal((await inject('GET', `/v1/consignments/${id}/information`)).statusCode, 409);
    const decided = (await inject('GET', `/v1/consignments/${id}/response`)).json();
    assert.equal(decided.information, undefined);
    assert.notEqual(decided.response, 'REQUEST_INFO', 'no request open, no request in the code');
    assert.deepEqual(await rows(), []);
    assert.equal((await inject('GET', '/v1/console/queue/counts')).json().answered, 0);
    const closedXml = (await inject('GET', `/v1/consignments/${id}/response.xml`)).body;
    assert.doesNotMatch(closedXml, /InformationRequest/);

    // Asked again, then released: closed for good.
    assert.equal((await decide(id, 'request-information')).statusCode, 200);
    assert.deepEqual(await rows(), [`${id} arrived requested`]);
    assert.equal((await decide(id, 'release')).statusCode, 200);
    assert.equal((await answerIt(id)).statusCode, 409);
    assert.deepEqual(await rows(), []);

    // A parcel released before arrival that arrives has no request; an officer's request opens one,
    // holding it: the carrier may not deliver it until an officer releases it, which closes the request.
    const green = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: postalItem({}, '22000002'),
      headers: post,
    });
    const gid = green.json().consignmentId as string;
    assert.equal(green.json().state, 'released-before-arrival');
    assert.equal((await arrive(gid)).statusCode, 200);
    assert.equal((await answerIt(gid)).statusCode, 409);
    assert.deepEqual(await rows(), []);
    const greenAsk = await decide(gid, 'request-information');
    assert.equal(greenAsk.statusCode, 200);
    // A cleared lane's wording ("Cleared for release") must not come with an open request.
    assert.equal(greenAsk.json().response.response, 'REQUEST_INFO');
    assert.deepEqual(greenAsk.json().response.reasons, [arrivedWithRequestText]);
    assert.deepEqual(await rows(), [`${gid} arrived requested`]);
    assert.equal((await answerIt(gid)).statusCode, 200);
    assert.deepEqual(await rows('answered=true'), [`${gid} arrived answered`]);
    const early = await inject('POST', `/v1/consignments/${gid}/carrier-events`, { type: 'delivered' });
    assert.equal(early.statusCode, 409, early.body);
    assert.equal(early.json().code, 'state.transition-not-allowed');
    assert.equal(early.json().held, true);
    assert.deepEqual(await rows('answered=true'), [`${gid} arrived answered`], 'still held, still queued');
    assert.equal((await decide(gid, 'release')).statusCode, 200);
    const delivered = await inject('POST', `/v1/consignments/${gid}/carrier-events`, { type: 'delivered' });
    assert.equal(delivered.statusCode, 200, delivered.body);
    assert.equal((await answerIt(gid)).statusCode, 409);
    assert.deepEqual(await rows(), []);
    assert.equal((await inject('GET', '/v1/console/queue/counts')).json().answered, 0);
  } finally {
    await app.close();
  }
}

/** Registers `run` as one test on an in-memory SQLite store and one on a fresh PostgreSQL schema. */
function onBothStores(
  name: string,
  schemaPrefix: string,
  run: (store: ClearanceStore) => Promise<void>,
): void {
  clearanceStoreTests(`${name} on SQLite`, `${name} on PostgreSQL`, schemaPrefix, run);
}

onBothStores(
  'requests for information after arrival: answered, queued, closed by a decision',
  'rfiarr',
  arrivalScenario,
);
onBothStores('requests for information: ask, answer, review, release', 'rfitest', scenario);

test('keys mode: only the submitter of the consignment answers, attributed to its key and audited without the text', async () => {
  const k = await keysApp();
  try {
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: teaParcel('20000003'),
    });
    assert.equal(made.json().state, 'held-for-information');
    const id = made.json().consignmentId as string;
    const url = `/v1/consignments/${id}/information`;
    const stranger = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-stranger', actor: 'admin:test' })
    ).plaintext;
    const foreign = await k.app.inject({ method: 'POST', url, headers: bearer(stranger), payload: answer });
    assert.equal(foreign.statusCode, 404, 'another submitter does not learn the consignment exists');
    assert.equal(foreign.json().code, 'consignment.not-found');
    const foreignRead = await k.app.inject({ method: 'GET', url, headers: bearer(stranger) });
    assert.equal(foreignRead.statusCode, 404);
    for (const role of ['officer', 'supervisor', 'analyst', 'auditor', 'admin'] as const) {
      const r = await k.app.inject({ method: 'POST', url, headers: bearer(k.keyOf[role]), payload: answer });
      assert.equal(r.statusCode, 403, role);
      assert.equal(r.json().code, 'access.forbidden');
    }
    const ok = await k.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(k.keyOf.submitter), 'x-submitter-id': 'op-someone-else' },
      payload: answer,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().event.actor, 'op-submitter');
    // The submitter reads what is requested and how many answers; officers read the answers.
    const mine = (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf.submitter) })).json();
    assert.equal(mine.status, 'answered');
    assert.equal(mine.answers, 1);
    const officers = (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf.officer) })).json();
    assert.equal(officers.answers[0].explanation, answer.explanation);
    assert.equal(
      (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf.analyst) })).statusCode,
      403,
    );
    const entries = await k.security.readAudit(0, 200);
    const audited = entries.filter((e) => e.action === 'information.provided');
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.actor, 'op-submitter');
    assert.equal(audited[0]!.subject, id);
    assert.doesNotMatch(
      JSON.stringify(audited[0]),
      /green tea|INV-2026/,
      'the audit entry holds no answer text',
    );
    const read = entries.filter((e) => e.action === 'personal-data.read' && e.actor === 'officer:op-officer');
    assert.equal(read.length, 1, "an officer's read of the answers is audited");
  } finally {
    await k.close();
  }
});

test('the answer reaches the feed once: whole for the owner, the linked-party view for another party', async () => {
  const t = await openExchangeApp({ prefix: 'parcelgate-rfi-feed-', snapshot, now: '2026-11-27T10:00:00Z' });
  try {
    const id = await submit(t.app, '20000004');
    // A platform's order for the same parcel links to it (another party).
    const order = await t.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: { 'x-submitter-id': 'opr_platform' },
      payload: { ...teaParcel('20000004'), source: 'platform-order' },
    });
    assert.equal(order.json().consignmentId, id, order.body);
    const ok = await answerRequest(t.app, id);
    assert.equal(ok.statusCode, 200, ok.body);
    const feed = async (who: string) =>
      (
        (await t.app.inject({ url: '/v1/feed?after=0', headers: { 'x-submitter-id': who } })).json() as {
          events: { type: string; actor: string; data?: Record<string, unknown> }[];
        }
      ).events.filter((e) => e.type === 'consignment.information-provided');
    const owner = await feed('opr_post');
    assert.equal(owner.length, 1);
    assert.equal(owner[0]!.data?.explanation, answer.explanation);
    const linked = await feed('opr_platform');
    assert.equal(linked.length, 1);
    assert.equal(linked[0]!.actor, 'other-party');
    assert.deepEqual(linked[0]!.data, { trigger: 'submitter.information-provided' });
    assert.equal((linked[0] as { information?: unknown }).information, undefined);

    // The requests themselves are notified with what is wanted and where to answer: the lane's
    // standard request, then an officer's, to the owner and the other party alike; never the reason.
    const ask = await postDecision(t.app, id, {
      action: 'request-information',
      reason: 'seller unknown',
      request: { documents: ['invoice'], message: 'Send the invoice issued by the seller.' },
    });
    assert.equal(ask.statusCode, 200, ask.body);
    const requests = async (who: string) =>
      (
        (await t.app.inject({ url: '/v1/feed?after=0', headers: { 'x-submitter-id': who } })).json() as {
          events: { type: string; reason?: string; information?: Record<string, unknown> }[];
        }
      ).events.filter((e) => e.information !== undefined);
    const answerWith = { method: 'POST', path: `/v1/consignments/${id}/information` };
    for (const who of ['opr_post', 'opr_platform']) {
      const got = await requests(who);
      // The lane's hold, the hold again after the order re-assessed it, then the officer's request.
      assert.deepEqual(
        got.map((e) => e.type),
        [
          'consignment.held-for-information',
          'consignment.held-for-information',
          'consignment.request-information',
        ],
        who,
      );
      const standard = { documents: standardRequest.documents, message: standardRequest.message, answerWith };
      assert.deepEqual(got[0]!.information, standard, who);
      assert.deepEqual(got[1]!.information, standard, who);
      assert.deepEqual(
        got[2]!.information,
        { documents: ['invoice'], message: 'Send the invoice issued by the seller.', answerWith },
        who,
      );
      if (who === 'opr_platform') assert.equal(got[2]!.reason, undefined);
    }
    // Other events carry none: the answer, the declaration.
    const all = (
      (await t.app.inject({ url: '/v1/feed?after=0', headers: post })).json() as {
        events: { type: string; information?: unknown }[];
      }
    ).events;
    assert.equal(all.filter((e) => e.information !== undefined).length, 3);
  } finally {
    await t.close();
  }
});

test('the candidate of the answered mark goes once an officer decides, and never while a request is open', async () => {
  const dir = scratchDir('parcelgate-rfi-');
  const store = openSqliteStore({ dataDir: dir });
  const raw = new Database(join(dir, sqliteFileName), { readonly: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  try {
    const id = await submit(app, '20000005');
    const answerIt = () => answerRequest(app, id);
    const decide = (action: string) => postDecision(app, id, { action, reason: 'officer review' });
    const candidates = () =>
      (raw.prepare('SELECT count(*) AS n FROM information_answers').get() as { n: number }).n;
    const marked = async () => (await queue(app, 'answered=true')).items.length;
    assert.equal((await answerIt()).statusCode, 200);
    assert.deepEqual([candidates(), await marked()], [1, 1]);
    await store.console!.forgetAnswer!(id); // a late removal while the request is open leaves the note
    assert.deepEqual([candidates(), await marked()], [1, 1]);
    assert.equal((await decide('request-information')).statusCode, 200);
    assert.deepEqual([candidates(), await marked()], [1, 0], 'asked again: still held, not answered');
    assert.equal((await decide('inspect')).statusCode, 200);
    assert.deepEqual([candidates(), await marked()], [0, 0], 'out of the state: the note goes');
    assert.equal((await decide('request-information')).statusCode, 200);
    assert.equal((await answerIt()).statusCode, 200);
    assert.deepEqual([candidates(), await marked()], [1, 1], 'answered again: noted again');
  } finally {
    raw.close();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a screening alert that moves nothing keeps the answer; a screening hold after arrival closes the request', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const ctx = { actor: 'screening:test', submitterId: 'customs', now: '2026-11-27T10:00:00Z' };
  const indicator = {
    id: 'screening.weapon',
    version: 1,
    kind: 'indicator' as const,
    score: 90,
    lane: 'red' as const,
    reason: 'X-ray image img_1: possible weapon',
  };
  const answerIt = (id: string) => answerRequest(app, id);
  try {
    const id = await submit(app, '23000001');
    assert.equal((await answerIt(id)).statusCode, 200);
    // A deployment that does not hold on detection only records the alert: the answer still awaits review.
    const noted = await raiseScreeningAlert(ctx, store, id, indicator, { hold: false });
    assert.equal(noted.to, 'held-for-information');
    assert.deepEqual(
      (await queue(app, 'answered=true')).items.map((i) => i.id),
      [id],
    );
    const r = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/response` })).json();
    assert.equal(r.information.status, 'answered');

    // Arrived with the request open, then held by screening (an inspection after arrival): closed.
    const other = await submit(app, '23000002');
    await app.inject({
      method: 'POST',
      url: `/v1/consignments/${other}/carrier-events`,
      headers: post,
      payload: { type: 'arrived' },
    });
    assert.equal((await store.get(other))?.informationOpen, true);
    const held = await raiseScreeningAlert(ctx, store, other, indicator, { hold: true });
    assert.equal(held.heldForInspection, true);
    assert.equal((await store.get(other))?.informationOpen, undefined);
    assert.equal((await answerIt(other)).statusCode, 409);
    assert.deepEqual(
      (await queue(app, 'state=arrived')).items.map((i) => i.id),
      [],
    );
  } finally {
    await app.close();
    await store.close();
  }
});

/**
 * Migration 64 on a store written before it: arrived parcels whose log leaves a request open get the
 * flag and their queue rows; those without one (decided after arrival, or never held) do not.
 */
async function upgradeScenario(
  open: () => Promise<ClearanceStore>,
  rewindTo63: () => Promise<void>,
): Promise<void> {
  const ids: Record<'open' | 'decided' | 'green', string> = { open: '', decided: '', green: '' };
  {
    const store = await open();
    const app = await buildApp({
      store,
      snapshot: () => snapshot,
      clock: () => new Date('2026-11-27T10:00:00Z'),
    });
    try {
      const arrive = (id: string) =>
        app.inject({
          method: 'POST',
          url: `/v1/consignments/${id}/carrier-events`,
          headers: post,
          payload: { type: 'arrived' },
        });
      ids.open = await submit(app, '24000001');
      await arrive(ids.open);
      await app.inject({
        method: 'POST',
        url: `/v1/consignments/${ids.open}/information`,
        headers: post,
        payload: answer,
      });
      ids.decided = await submit(app, '24000002');
      await arrive(ids.decided);
      await postDecision(app, ids.decided, { action: 'inspect', reason: 'at the border' });
      const green = await app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: post,
        payload: postalItem({}, '24000003'),
      });
      ids.green = green.json().consignmentId as string;
      await arrive(ids.green);
    } finally {
      await app.close();
      await store.close();
    }
  }
  await rewindTo63();
  const store = await open();
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  try {
    assert.equal((await store.get(ids.open))?.informationOpen, true);
    assert.equal((await store.get(ids.decided))?.informationOpen, undefined);
    assert.equal((await store.get(ids.green))?.informationOpen, undefined);
    const rows = (await queue(app, 'state=arrived')).items as unknown as QueueRow[];
    assert.deepEqual(
      rows.map((r) => `${r.id} ${r.information}`),
      [`${ids.open} answered`],
    );
    const again = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${ids.open}/information`,
      headers: post,
      payload: answer,
    });
    assert.equal(again.statusCode, 200, again.body);
    const refused = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${ids.decided}/information`,
      headers: post,
      payload: answer,
    });
    assert.equal(refused.statusCode, 409);
  } finally {
    await app.close();
    await store.close();
  }
}

test('migration 64 on SQLite: arrived parcels with an open request are flagged and queued from their log', async () => {
  const dir = scratchDir('parcelgate-rfi64-');
  try {
    await upgradeScenario(
      async () => openSqliteStore({ dataDir: dir }),
      async () => {
        const db = new Database(join(dir, sqliteFileName));
        try {
          db.exec(`UPDATE consignments SET doc = json_remove(doc, '$.informationOpen');
            DELETE FROM work_queue WHERE state = 'arrived';
            DELETE FROM work_queue_reasons WHERE consignment_id NOT IN (SELECT consignment_id FROM work_queue);
            DELETE FROM schema_migrations WHERE version = 64;`);
          assert.equal(
            db.prepare("SELECT count(*) FROM work_queue WHERE state = 'arrived'").pluck().get(),
            0,
          );
        } finally {
          db.close();
        }
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

postgresTest('migration 64 on PostgreSQL: the same', 'rfi64', async (url, schema) => {
  await upgradeScenario(
    () => openPostgresStore({ url, schema }),
    () =>
      withPgClient(url, schema, async (c) => {
        await c.query(`UPDATE consignments SET doc = (doc::jsonb - 'informationOpen')::text
          WHERE doc::jsonb ? 'informationOpen'`);
        await c.query('DELETE FROM schema_migrations WHERE version = 64');
        const n = await c.query("SELECT count(*) AS n FROM work_queue WHERE state = 'arrived'");
        assert.equal(Number(n.rows[0].n), 0);
      }),
  );
});

test('the answered filter walks the page order and never sorts the queue (SQLite plan, every order)', () => {
  const store = openSqliteStore({ memory: true }) as unknown as {
    db: Database.Database;
    close(): Promise<void>;
  };
  try {
    for (const sort of ['newest', 'oldest', 'risk'] as const)
      for (const answered of [true, false]) {
        const q = queueSql(
          { sort, limit: 50, answered },
          () => '?',
          (s) => `"${s}"`,
        );
        const plan = (
          store.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]
        )
          .map((r) => r.detail)
          .join('; ');
        // `state IN (...)` once made SQLite walk the state index and sort every held row (67 ms).
        assert.doesNotMatch(plan, /TEMP B-TREE|work_queue_state/, `${sort} ${answered}: ${plan}`);
      }
  } finally {
    void store.close();
  }
});

test('GET …/events carries the request notice the feed carries; answer text only for customs and the party that answered', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const owner = bearer(k.keyOf.submitter);
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: owner,
      payload: teaParcel('20000009'),
    });
    const id = made.json().consignmentId as string;
    const platform = bearer(
      (await k.keys.create({ role: 'submitter', operatorId: 'op-platform', actor: 'admin:test' })).plaintext,
    );
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: platform,
      payload: { ...teaParcel('20000009'), source: 'platform-order' },
    });
    assert.equal(linked.json().consignmentId, id, linked.body);
    const ask = await postDecision(
      k.app,
      id,
      {
        action: 'request-information',
        reason: 'seller unknown',
        request: { documents: ['invoice'], message: 'Send the invoice issued by the seller.' },
      },
      bearer(k.keyOf.officer),
    );
    assert.equal(ask.statusCode, 200, ask.body);
    for (const [who, text] of [
      [owner, 'The owner explains.'],
      [platform, 'The platform explains.'],
    ] as const) {
      const r = await answerRequest(k.app, id, { explanation: text }, who);
      assert.equal(r.statusCode, 200, r.body);
    }
    type Ev = { type: string; actor: string; data?: Record<string, unknown>; information?: unknown };
    const events = async (h: Record<string, string>) => {
      const r = await k.app.inject({ url: `/v1/consignments/${id}/events`, headers: h });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json() as { events: Ev[] }).events;
    };
    const feed = async (h: Record<string, string>) =>
      ((await k.app.inject({ url: '/v1/feed?after=0', headers: h })).json() as { events: Ev[] }).events;
    const answerWith = { method: 'POST', path: `/v1/consignments/${id}/information` };
    const standard = { documents: standardRequest.documents, message: standardRequest.message, answerWith };
    const officers = {
      documents: ['invoice'],
      message: 'Send the invoice issued by the seller.',
      answerWith,
    };
    const expected = [
      ['consignment.held-for-information', standard],
      ['consignment.held-for-information', standard],
      ['consignment.request-information', officers],
    ];
    const notices = (evs: Ev[]) =>
      evs.filter((e) => e.information !== undefined).map((e) => [e.type, e.information]);
    const answers = (evs: Ev[]) =>
      evs.filter((e) => e.type === 'consignment.information-provided').map((e) => e.data?.explanation ?? '-');
    for (const [name, h] of [
      ['owner', owner],
      ['platform', platform],
    ] as const) {
      const mine = await events(h);
      assert.deepEqual(notices(mine), expected, name);
      assert.deepEqual(notices(mine), notices(await feed(h)), `${name}: the same as the feed`);
    }
    for (const role of ['officer', 'analyst'] as const)
      assert.deepEqual(notices(await events(bearer(k.keyOf[role]))), expected, role);
    // The answer text: each party reads its own only; officers both; analysts none.
    assert.deepEqual(answers(await events(owner)), ['The owner explains.', '-']);
    assert.deepEqual(answers(await events(platform)), ['-', 'The platform explains.']);
    assert.deepEqual(answers(await events(bearer(k.keyOf.officer))), [
      'The owner explains.',
      'The platform explains.',
    ]);
    assert.deepEqual(answers(await events(bearer(k.keyOf.analyst))), ['-', '-']);
  } finally {
    await k.close();
  }
});
