/**
 * The console and requests for information (docs/information-requests.md), in Debian's Chromium: the
 * work queue's "answered" filter and marker find a request the submitter answered; the consignment
 * page shows the request and the answer (explanation, documents); an officer asks again naming the
 * documents wanted and a message, and the page then shows the new request, unanswered.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import { informationDocumentKinds } from '../../src/clearance/information.js';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { startServer, type TestServer } from './serve.js';

declare const document: { querySelector(selector: string): { textContent: string | null } | null };

describe('requests for information in the console', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    // No random control: which parcels a random draw sends to red (ids are random) must not decide
    // whether the seeded queue holds one held for information.
    server = await startServer({ count: 120, seed: 'rfi', randomRate: 0 });
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  browserTest('an answered request is found in the queue, read on its page, and asked again', async () => {
    const held = (
      await server.app.inject({ url: '/v1/console/queue?state=held-for-information&limit=5' })
    ).json().items as { id: string }[];
    assert.ok(held.length > 0, 'the seeded queue holds a parcel held for information');
    const id = held[0]!.id;
    const answered = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: { 'x-submitter-id': 'demo' },
      payload: {
        explanation: 'Gift from a relative; the shop invoice is attached.',
        documents: [{ kind: 'invoice', reference: 'INV-77', url: 'https://shop.example/inv/77' }],
      },
    });
    assert.equal(answered.statusCode, 200, answered.body);

    await page.goto(`${server.url}/console/#/queue?answered=true`);
    await settled(page);
    const rows = page.locator('tr.row');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-id'), id);
    assert.match((await rows.first().textContent()) ?? '', /answered/);
    assert.match(
      (await page.textContent('label[for=f-answered] + select')) ?? '',
      /Answered, to review \(1\)/,
    );

    await page.goto(`${server.url}/console/#/c/${id}`);
    await page.waitForSelector('#information-answers');
    const section = (await page.textContent('#information-slot')) ?? '';
    assert.match(section, /Request for information\s*answered/);
    assert.match(section, /Gift from a relative; the shop invoice is attached\./);
    const link = page.locator('#information-answers a');
    assert.equal(await link.getAttribute('href'), 'https://shop.example/inv/77');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.match((await page.textContent('#timeline')) ?? '', /information-provided/);

    await page.selectOption('#d-action', 'request-information');
    await page.fill('#d-reason', 'invoice names another seller');
    await page.fill('#d-ask', 'Send the invoice issued by the seller named in the declaration.');
    // The officer names the documents wanted: the kinds the answer takes, each with its label.
    assert.equal(
      await page.locator('#d-documents input[type=checkbox]').count(),
      informationDocumentKinds.length,
    );
    await page.getByLabel('Invoice', { exact: true }).check();
    await page.getByLabel('Licence', { exact: true }).check();
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#decision-status')?.textContent ?? '') !== '');
    await page.waitForSelector('#information-none');
    const again = (await page.textContent('#information-slot')) ?? '';
    assert.match(again, /Request for information\s*requested/);
    assert.match(again, /by an officer/);
    assert.match(again, /Send the invoice issued by the seller named in the declaration\./);
    assert.match(again, /by an officer: invoice, licence\./);
    const response = (await server.app.inject({ url: `/v1/consignments/${id}/response` })).json();
    assert.deepEqual(response.information.documents, ['invoice', 'licence']);
    assert.equal(
      response.information.message,
      'Send the invoice issued by the seller named in the declaration.',
    );
    assert.equal(
      (await server.app.inject({ url: '/v1/console/queue?answered=true' })).json().items.length,
      0,
    );
  });

  browserTest('a parcel that arrived with its request open is answered, queued and shown', async () => {
    const held = (
      await server.app.inject({ url: '/v1/console/queue?state=held-for-information&answered=false&limit=5' })
    ).json().items as { id: string }[];
    const id = held[0]!.id;
    const arrived = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/carrier-events`,
      headers: { 'x-submitter-id': 'demo' },
      payload: { type: 'arrived' },
    });
    assert.equal(arrived.json().response.state, 'arrived', arrived.body);
    const answered = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: { 'x-submitter-id': 'demo' },
      payload: { explanation: 'Spare parts for a bicycle; order confirmation attached.' },
    });
    assert.equal(answered.statusCode, 200, answered.body);

    await page.goto(`${server.url}/console/#/queue?answered=true`);
    await settled(page);
    const row = page.locator(`tr.row[data-id="${id}"]`);
    assert.equal(await row.count(), 1);
    assert.match((await row.textContent()) ?? '', /arrived[\s\S]*answered|answered[\s\S]*arrived/);

    await page.goto(`${server.url}/console/#/c/${id}`);
    await page.waitForSelector('#information-answers');
    const section = (await page.textContent('#information-slot')) ?? '';
    assert.match(section, /Request for information\s*answered/);
    assert.match(section, /Spare parts for a bicycle/);
  });
});
