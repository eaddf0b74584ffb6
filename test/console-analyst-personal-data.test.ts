/**
 * What an analyst sees of personal data through the console's routes (docs/security.md, roles):
 * analysts read lists, events, KPIs and forecasts, never a consignee's name, address or email. A
 * watchlist hit's reason names the party it matched ("the consignee "Anna Schmidt" matches …"), and
 * the work queue shows each row's top reason: analysts (and admins) get the rule's id there instead.
 * Officers, supervisors and auditors, who may read the consignment itself, still get the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot, watchlistFromNames } from '../src/clearance/index.js';
import { bearer, keysApp } from '../src/access/testing.js';
import { postalItem } from '../src/testing/consignments.js';

const personal = /Anna Schmidt|anna schmidt|Hauptstrasse|anna@example\.org/i;

test('an analyst reads no consignee name, address or email through any console route; officers still read the reason', async () => {
  const snapshot = loadSnapshot({
    randomRate: 0,
    classifier: false,
    watchlist: watchlistFromNames({ consignees: ['Anna Schmidt'] }),
  });
  const k = await keysApp({}, { snapshot });
  try {
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: postalItem({}, '26000001'),
    });
    assert.equal(made.statusCode, 201, made.body);
    const id = made.json().consignmentId as string;
    const asOfficer = await k.app.inject({ url: '/v1/console/queue', headers: bearer(k.keyOf.officer) });
    const row = asOfficer.json().items.find((i: { id: string }) => i.id === id);
    assert.ok(row, 'the watchlisted parcel is held');
    assert.equal(row.reasons[0], 'R-WATCHLIST-CONSIGNEE');
    assert.match(row.topReason, /Anna Schmidt/, 'officers read why it is held');

    const routes = [
      '/v1/console/queue',
      '/v1/console/queue?sort=risk',
      '/v1/console/queue?reason=watchlist',
      '/v1/console/queue/counts',
      '/v1/kpi',
      '/v1/console/volume',
      '/v1/forecast/lanes?horizon=7',
      '/v1/consignments',
      `/v1/consignments/${id}/events`,
    ];
    for (const role of ['analyst', 'admin'] as const) {
      for (const url of routes) {
        const r = await k.app.inject({ url, headers: bearer(k.keyOf[role]) });
        if (r.statusCode === 403) continue;
        assert.equal(r.statusCode, 200, `${role} ${url}: ${r.body}`);
        assert.doesNotMatch(r.body, personal, `${role} ${url}`);
      }
      const q = (await k.app.inject({ url: '/v1/console/queue', headers: bearer(k.keyOf[role]) })).json();
      const mine = q.items.find((i: { id: string }) => i.id === id);
      assert.equal(mine.topReason, 'R-WATCHLIST-CONSIGNEE', `${role}: the rule's id stands for its reason`);
    }
  } finally {
    await k.close();
  }
});
