/**
 * Control characters in a request, on SQLite and PostgreSQL alike: a NUL (or any C0 control) in a path
 * id, a query parameter, a list or queue cursor or a string of a JSON body is a 400 naming the field
 * (PostgreSQL refuses a NUL in a parameter, which answered 500), and a record holding one is refused
 * alone with `text.control-character` at its field. Nothing of a refused request is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { bothStores } from '../src/store/postgres/testing/pg-suite.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { allErrorCodes } from '../scripts/generated.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const documented = new Set(Object.values(allErrorCodes()).flatMap((r) => Object.keys(r)));
const name =
  ': a control character in a path id, query parameter, cursor or body string is a 400 naming the field, and nothing is written';

const cursorOf = (v: unknown[]) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
type Issue = { code: string; path: string };
const pairs = (issues: Issue[]) => issues.map((i) => [i.code, i.path]);

function controlCharactersOn(backend: 'sqlite' | 'postgres', open: () => Promise<ClearanceStore>): void {
  test(`${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${name}`, async () => {
    const store = await open();
    const app = await buildApp({
      store,
      snapshot: () => snapshot,
      clock: () => new Date('2026-11-27T10:00:00Z'),
    });
    try {
      const h = { 'x-submitter-id': 'opr_post', 'x-actor': 'officer:ada' };
      const held = await app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: h,
        payload: teaParcel('61000001'),
      });
      assert.equal(held.statusCode, 201, held.body);
      const id = held.json().consignmentId as string;
      const before = await store.stats();
      const eventsBefore = (await store.events(id)).length;

      // Path ids and query parameters, on list, read, queue and claim routes.
      const refused: [string, string][] = [
        ['/v1/consignments?office=%00', '/office'],
        ['/v1/consignments?submitter=a%00b', '/submitter'],
        ['/v1/consignments/csg_%00', '/id'],
        [`/v1/consignments/${id}%01/events`, '/id'],
        ['/v1/console/queue?office=DE%0004850', '/office'],
        ['/v1/console/claims/csg_%00', '/id'],
        ['/v1/consignments?office=%0A', '/office'],
      ];
      for (const [url, path] of refused) {
        const r = await app.inject({ url, headers: h });
        assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
        assert.equal(r.json().code, 'request.control-character', url);
        assert.equal(r.json().instance, url);
        assert.deepEqual(pairs(r.json().issues), [['text.control-character', path]], url);
      }
      assert.ok(documented.has('request.control-character') && documented.has('text.control-character'));
      // The same requests without the control character answer as before.
      assert.equal(
        (await app.inject({ url: '/v1/consignments?office=DE004850', headers: h })).statusCode,
        200,
      );
      assert.equal((await app.inject({ url: '/v1/consignments/csg_nope', headers: h })).statusCode, 404);

      // With another problem of the request, both are listed, under request.invalid.
      const mixed = await app.inject({ url: '/v1/console/queue?office=%00&limit=0', headers: h });
      assert.equal(mixed.statusCode, 400);
      assert.equal(mixed.json().code, 'request.invalid');
      assert.deepEqual(pairs(mixed.json().issues).sort(), [
        ['schema.minimum', '/limit'],
        ['text.control-character', '/office'],
      ]);

      // Cursors that decode to a position holding a NUL were never issued.
      for (const url of [
        `/v1/consignments?cursor=${cursorOf(['2026-12-02T07:34:15.346Z', 'csg_\u0000'])}`,
        `/v1/console/queue?cursor=${cursorOf(['newest', 1, '2026-12-02T07:34:15.346Z', 'csg_\u0000'])}`,
      ]) {
        const r = await app.inject({ url, headers: h });
        assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
        assert.equal(r.json().code, 'store.invalid-cursor');
      }

      // Strings of JSON bodies: an answer to the request for information (its route reads its body
      // itself, and lists every problem), a decision's reason, a carrier event's location.
      const answer = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/information`,
        headers: h,
        payload: { explanation: 'Tea\u0000 for my own use', documents: [{ kind: 'invoice' }] },
      });
      assert.equal(answer.statusCode, 400, answer.body);
      assert.equal(answer.json().code, 'information.invalid');
      assert.deepEqual(pairs(answer.json().issues).sort(), [
        ['schema.required', '/documents/0/reference'],
        ['text.control-character', '/explanation'],
      ]);
      const decision = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: h,
        payload: { action: 'inspect', reason: 'x-ray\u0000 unclear' },
      });
      assert.equal(decision.statusCode, 400, decision.body);
      assert.equal(decision.json().code, 'request.control-character');
      assert.deepEqual(pairs(decision.json().issues), [['text.control-character', '/reason']]);
      const carrier = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/carrier-events`,
        headers: h,
        payload: { type: 'arrived', location: 'FRA\u0000' },
      });
      assert.equal(carrier.statusCode, 400, carrier.body);
      assert.deepEqual(pairs(carrier.json().issues), [['text.control-character', '/location']]);
      // A reason over several lines is text.
      const lines = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: h,
        payload: { action: 'inspect', reason: 'x-ray unclear:\n\tcheck the tin' },
      });
      assert.equal(lines.statusCode, 200, lines.body);

      // A batch: the record with a NUL in its description is refused alone, at its field.
      const batch = await app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: h,
        payload: {
          consignments: [
            postalItem({}, '61000002'),
            postalItem(
              {
                items: [{ ...postalItem().items[0]!, description: 'Cotton\u0000 T-shirt' }],
                routing: { dispatchCountry: 'CN', destinationCountry: 'DE', officeOfEntry: 'DE00\u00004850' },
              },
              '61000003',
            ),
          ],
        },
      });
      assert.equal(batch.statusCode, 200, batch.body);
      assert.equal(batch.json().accepted, 1);
      const rejected = batch.json().results[1];
      assert.equal(rejected.status, 'rejected');
      assert.deepEqual(pairs(rejected.issues).sort(), [
        ['text.control-character', '/items/0/description'],
        ['text.control-character', '/routing/officeOfEntry'],
      ]);

      // Written: the clean record, and the decision with a multi-line reason; nothing else.
      const after = await store.stats();
      assert.equal(after.consignments, before.consignments + 1);
      assert.equal((await store.events(id)).length, eventsBefore + 1);
    } finally {
      await app.close();
      await store.close();
    }
  });
}

bothStores(`PostgreSQL${name}`, controlCharactersOn, {
  sqlite: () => openSqliteStore({ memory: true }),
  postgres: (url, freshSchema) => openPostgresStore({ url, schema: freshSchema('ctlchar') }),
});
