/**
 * GET /v1/feed for each role the route table grants it: a submitter reads the events of its own
 * consignments (docs/notifications.md "Who sees what"); officers, supervisors and auditors read the
 * whole clearance event log as customs reads a consignment's `/events` (answers to requests for
 * information included, each such read audited); analysts and admins are refused. A bad `after` or
 * `limit` is refused with the feed's own codes, at the documented limit of 1 to 1,000.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, keysApp } from '../src/access/testing.js';
import { maxFeedLimit } from '../src/api/feed-cursor.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { allErrorCodes } from '../scripts/generated.js';

type Ev = { seq: number; type: string; consignmentId: string; actor: string; data?: Record<string, unknown> };

test('officers, supervisors and auditors read every event of the feed whole; a submitter its own; reads of answers are audited', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const owner = bearer(k.keyOf.submitter);
    const other = bearer(
      (await k.keys.create({ role: 'submitter', operatorId: 'op-other', actor: 'admin:test' })).plaintext,
    );
    const held = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: owner,
      payload: teaParcel('63000001'),
    });
    assert.equal(held.json().state, 'held-for-information', held.body);
    const id = held.json().consignmentId as string;
    const answered = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: owner,
      payload: { explanation: 'Loose green tea for my own use.' },
    });
    assert.equal(answered.statusCode, 200, answered.body);
    const theirs = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: other,
      payload: postalItem({}, '63000002'),
    });
    const otherId = theirs.json().consignmentId as string;

    const feed = async (h: Record<string, string>) => {
      const r = await k.app.inject({ url: '/v1/feed?after=0', headers: h });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { events: Ev[]; next: number };
    };
    const everything = (await k.security.readAudit(0, 1000)).length;
    const ownerFeed = await feed(owner);
    assert.ok(ownerFeed.events.length > 0);
    assert.ok(
      ownerFeed.events.every((e) => e.consignmentId === id),
      'a submitter: its own consignments',
    );
    const answerOf = (f: { events: Ev[] }) =>
      f.events.find((e) => e.type === 'consignment.information-provided')?.data?.explanation;
    for (const role of ['officer', 'supervisor', 'auditor'] as const) {
      const f = await feed(bearer(k.keyOf[role]));
      const ids = new Set(f.events.map((e) => e.consignmentId));
      assert.deepEqual([...ids].sort(), [id, otherId].sort(), `${role}: every consignment`);
      assert.deepEqual(
        f.events.map((e) => e.seq),
        [...f.events.map((e) => e.seq)].sort((a, b) => a - b),
        `${role}: in seq order`,
      );
      assert.equal(f.next, f.events.at(-1)!.seq);
      assert.equal(answerOf(f), 'Loose green tea for my own use.', `${role}: the answer whole`);
      // Paging: the same events, a page at a time.
      const first = (
        await k.app.inject({ url: '/v1/feed?after=0&limit=1', headers: bearer(k.keyOf[role]) })
      ).json();
      assert.deepEqual(first.events, f.events.slice(0, 1));
    }
    const audit = (await k.security.readAudit(0, 1000)).slice(everything);
    const reads = audit.filter((e) => e.action === 'personal-data.read' && e.subject === id);
    assert.deepEqual(
      reads.map((e) => e.actor).sort(),
      ['auditor:op-auditor', 'officer:op-officer', 'supervisor:op-supervisor'],
      'each customs read of a page holding an answer is audited (the first page of one event holds none)',
    );
    for (const role of ['analyst', 'admin'] as const) {
      const r = await k.app.inject({ url: '/v1/feed', headers: bearer(k.keyOf[role]) });
      assert.equal(r.statusCode, 403, role);
    }
  } finally {
    await k.close();
  }
});

test('a feed cursor or page size out of range is refused with feed.invalid-cursor or feed.invalid-limit at its field', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const h = bearer(k.keyOf.submitter);
    const documented = allErrorCodes().exchange!;
    for (const base of ['/v1/feed', '/v1/postal/events.xml']) {
      for (const [query, code, path] of [
        ['after=abc', 'feed.invalid-cursor', '/after'],
        ['after=-1', 'feed.invalid-cursor', '/after'],
        ['after=1.5', 'feed.invalid-cursor', '/after'],
        ['limit=0', 'feed.invalid-limit', '/limit'],
        [`limit=${maxFeedLimit + 1}`, 'feed.invalid-limit', '/limit'],
        ['limit=10001', 'feed.invalid-limit', '/limit'],
      ] as const) {
        const url = `${base}?${query}`;
        const r = await k.app.inject({ url, headers: h });
        assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
        assert.equal(r.json().code, code, url);
        assert.equal(r.json().title, documented[code], url);
        assert.equal(r.json().instance, url);
        assert.deepEqual(
          r.json().issues.map((i: { code: string; path: string }) => [i.code, i.path]),
          [[code, path]],
          url,
        );
      }
      assert.equal(
        (await k.app.inject({ url: `${base}?limit=${maxFeedLimit}`, headers: h })).statusCode,
        200,
      );
      // Both wrong, or another parameter wrong too: every issue, under request.invalid.
      const both = await k.app.inject({ url: `${base}?after=x&limit=0&zzz=1`, headers: h });
      assert.equal(both.json().code, 'request.invalid');
      assert.deepEqual(
        both
          .json()
          .issues.map((i: { code: string }) => i.code)
          .sort(),
        ['feed.invalid-cursor', 'feed.invalid-limit', 'schema.additional-property'],
      );
    }
    assert.match(documented['feed.invalid-limit']!, /from 1 to 1,000/);
    assert.equal(maxFeedLimit, 1000);
  } finally {
    await k.close();
  }
});
