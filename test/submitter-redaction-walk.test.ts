/**
 * Every read a submitter key can make of a consignment held by targeting — the submit answer, the list,
 * the document, its history, events, response (JSON and postal XML), data sets, the postal events, the
 * feed, webhook subscriptions, the workbook export — carries the lane and generic wording, never the
 * rules, indicators, scores, reasons, watchlist hits, random draw or rule-set version behind it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { bearer, keysApp } from '../src/access/testing.js';
import { loadSnapshot, watchlistFromNames } from '../src/clearance/index.js';
import { loadDefaultRuleSet } from '../src/risk/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { publicNames } from '../src/exchange/webhooks/testing/destinations.js';

// Rule and indicator ids of the default rule set, the words of its reasons, scores, the draw, the version.
const ruleIds = loadDefaultRuleSet().rules.map((r) => r.id);
const TARGETING = new RegExp(
  [
    ...ruleIds,
    'vague-description',
    'watchlist',
    'listed\\b',
    'matches a watchlist',
    '"hits"',
    '"score"',
    '"riskScore"',
    'randomSelected',
    'random control',
    '"selection"',
    'ruleSetVersion',
    'snapshotVersion',
    'eu-default@',
    'laneWithoutDraw',
    'scoreLane',
  ].join('|'),
  'i',
);

async function workbookText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((sheet) => {
    out.push(`#${sheet.name}`);
    sheet.eachRow((row) => row.eachCell((cell) => out.push(String(cell.text))));
  });
  return out.join('\n');
}

test('no route or export a submitter reaches reveals the targeting behind a held parcel', async () => {
  const snapshot = loadSnapshot({
    randomRate: 0,
    classifier: false,
    watchlist: watchlistFromNames({ consignees: ['Anna Schmidt'] }),
  });
  const k = await keysApp({}, { snapshot, exchange: true, webhookDestinations: publicNames });
  try {
    const key = k.keyOf.submitter;
    const parcel = postalItem({}, '44556677');
    parcel.items[0]!.description = 'Gift';
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(key),
      payload: parcel,
    });
    assert.equal(made.statusCode, 201, made.body);
    const id = made.json().consignmentId as string;
    const officer = (
      await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: bearer(k.keyOf.officer) })
    ).json();
    const fired = officer.assessment.risk.hits.map((h: { id: string }) => h.id) as string[];
    assert.ok(fired.includes('watchlist') && fired.includes('R-VAGUE-DESC'), fired.join(', '));
    assert.notEqual(officer.assessment.risk.lane, 'green');
    assert.doesNotMatch(made.body, TARGETING, 'the submit answer');

    // A webhook subscription, and an officer's decision so that the event log holds more than the intake.
    const hook = await k.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: bearer(key),
      payload: { url: 'https://receiver.example/hook' },
    });
    assert.equal(hook.statusCode, 201, hook.body);
    const hookId = hook.json().id as string;
    const decided = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: bearer(k.keyOf.officer),
      payload: { action: 'request-information', reason: 'please send the invoice' },
    });
    assert.equal(decided.statusCode, 200, decided.body);

    const urls = [
      '/v1/consignments',
      `/v1/consignments/${id}`,
      `/v1/consignments/${id}/history`,
      `/v1/consignments/${id}/events`,
      `/v1/consignments/${id}/response`,
      `/v1/consignments/${id}/response.xml`,
      `/v1/consignments/${id}/events.xml`,
      `/v1/consignments/${id}/information`,
      `/v1/consignments/${id}/datasets/h7`,
      `/v1/consignments/${id}/datasets/t86`,
      '/v1/postal/events.xml',
      '/v1/feed',
      '/v1/webhooks',
      `/v1/webhooks/${hookId}`,
      `/v1/webhooks/${hookId}/dead-letters`,
    ];
    for (const url of urls) {
      const r = await k.app.inject({ method: 'GET', url, headers: bearer(key) });
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
      assert.doesNotMatch(r.body, TARGETING, url);
    }
    const xlsx = await k.app.inject({
      method: 'GET',
      url: '/v1/exports/consignments.xlsx?scrub=none',
      headers: bearer(key),
    });
    assert.equal(xlsx.statusCode, 200, xlsx.body.slice(0, 200));
    const text = await workbookText(xlsx.rawPayload);
    assert.match(text, new RegExp(id), 'the export holds the consignment');
    assert.doesNotMatch(text, TARGETING, 'the workbook export');
  } finally {
    await k.close();
  }
});
