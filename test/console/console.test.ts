/**
 * Browser tests of the officer console: Debian's Chromium driven by playwright-core through the
 * queue (paging, filters, keyboard), a consignment (explanations, taxes, sources, timeline), an
 * officer decision and its effect, the dashboard, a narrow window, and the API-key sign-in.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { KeyManager } from '../../src/access/index.js';
import { consoleDistDir } from '../../src/api/console-static.js';
import { openSqliteSecurityStore, type SecurityStore } from '../../src/secstore/index.js';
import { failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { startServer, type TestServer } from './serve.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
interface PageElement {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  documentElement: { scrollWidth: number };
};
declare const window: { innerWidth: number };
declare const location: { hash: string };
declare const sessionStorage: { getItem(key: string): string | null };

describe('officer console in Chromium', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    server = await startServer();
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the work queue pages server-side and filters', async () => {
    const counts = (await server.app.inject({ url: '/v1/console/queue/counts' })).json();
    assert.ok(counts.total > 50, `queue of ${counts.total} must span pages`);
    await page.goto(`${server.url}/console/`);
    await settled(page);
    assert.match(
      (await page.textContent('#queue-summary')) ?? '',
      new RegExp(`^${counts.total.toLocaleString('en')} consignments held`),
    );
    const rows = page.locator('tr.row');
    assert.equal(await rows.count(), 50);
    const firstPage = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')));
    assert.equal(await page.isDisabled('#prev'), true);
    await page.click('#next');
    await page.waitForFunction(() => document.querySelector('#page-no')?.textContent === 'Page 2');
    const secondPage = await page
      .locator('tr.row')
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id')));
    assert.ok(
      secondPage.every((id) => !firstPage.includes(id)),
      'page 2 holds other consignments',
    );
    await page.click('#prev');
    await page.waitForFunction(() => document.querySelector('#page-no')?.textContent === 'Page 1');
    assert.deepEqual(
      await page.locator('tr.row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id'))),
      firstPage,
    );

    await page.selectOption('#f-state', 'held-for-information');
    await page.waitForFunction(() => location.hash.includes('state=held-for-information'));
    await settled(page);
    const states = await page.locator('tr.row td:nth-child(2)').allTextContents();
    assert.equal(states.length, Math.min(50, counts.byState['held-for-information']));
    assert.ok(states.every((s) => s === 'held-for-information'));
    assert.match((await page.textContent('#queue-summary')) ?? '', /filtered by state held-for-information/);

    const reason = Object.entries(counts.byReason as Record<string, number>).sort(
      (a, b) => b[1] - a[1],
    )[0]![0];
    await page.goto(`${server.url}/console/#/queue?reason=${encodeURIComponent(reason)}&sort=risk`);
    await settled(page);
    const scores = (await page.locator('tr.row td:nth-child(1)').allTextContents()).map(Number);
    assert.equal(scores.length, Math.min(50, counts.byReason[reason]));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'sorted by risk',
    );
  });

  test('keyboard triage opens a consignment with its explanation, taxes, sources and events', async () => {
    await page.goto(`${server.url}/console/#/queue?state=held-for-inspection`);
    await settled(page);
    const second = await page.locator('tr.row').nth(1).getAttribute('data-id');
    await page.locator('tr.row').first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#timeline');
    assert.ok(page.url().endsWith(`#/c/${second}`));
    const c = (await server.app.inject({ url: `/v1/consignments/${second}` })).json();
    const text = (await page.textContent('main')) ?? '';
    for (const hit of c.assessment.risk.hits) assert.ok(text.includes(hit.reason), `shows why: ${hit.id}`);
    assert.equal(await page.locator('table.lines tbody tr').count(), c.assessment.revenue.lines.length);
    assert.equal(
      await page.textContent('#due'),
      `${c.assessment.revenue.dueAtBorder} ${c.assessment.revenue.currency}`,
    );
    assert.equal(await page.locator('table.sources thead th').count(), c.sources.length + 1);
    const events = (await server.app.inject({ url: `/v1/consignments/${second}/events` })).json().events;
    assert.equal(await page.locator('#timeline li').count(), events.length);
  });

  test('a decision needs a reason, is recorded with the officer, and changes state and the dashboard', async () => {
    const before = (await server.app.inject({ url: '/v1/kpi' })).json();
    await page.goto(`${server.url}/console/#/queue?state=held-for-inspection`);
    await settled(page);
    const id = (await page.locator('tr.row').first().getAttribute('data-id'))!;
    await page.goto(`${server.url}/console/#/c/${id}`);
    await page.waitForSelector('#timeline');
    await page.fill('#actor', 'officer:ana');
    await page.press('#actor', 'Tab');
    await page.selectOption('#d-action', 'release');
    await page.click('form.decide button[type=submit]');
    assert.match((await page.textContent('#decision-status')) ?? '', /reason of at least 3 characters/);
    assert.equal(
      (await server.app.inject({ url: `/v1/consignments/${id}` })).json().state,
      'held-for-inspection',
    );

    await page.fill('#d-reason', 'X-ray clear, documents match');
    await page.selectOption('#d-finding', 'nothing-found');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(
      () => document.querySelector('#state .badge')?.textContent === 'released-before-arrival',
    );
    const last = page.locator('#timeline li').last();
    assert.match(
      (await last.textContent()) ?? '',
      /released-before-arrival.*officer:ana.*X-ray clear, documents match.*finding: nothing-found/s,
    );
    const stored = (await server.app.inject({ url: `/v1/consignments/${id}/events` })).json().events.at(-1);
    assert.equal(stored.actor, 'officer:ana');

    await page.click('nav a[data-nav=dashboard]');
    await settled(page);
    await page.waitForSelector('#kpi-rba');
    const tile = (await page.textContent('#kpi-rba .note')) ?? '';
    assert.equal(tile, `${(before.releasedBeforeArrival.count + 1).toLocaleString('en')} parcels`);
    const c = (await server.app.inject({ url: `/v1/consignments/${id}` })).json();
    const hitTile = c.assessment.risk.randomSelected ? '#kpi-hit-random .note' : '#kpi-hit-selected .note';
    assert.match((await page.textContent(hitTile)) ?? '', /^0 of 1 inspections with a finding/);
    assert.equal(await page.textContent('#kpi-volume .value'), before.volume.toLocaleString('en'));
    assert.ok((await page.locator('svg.chart').count()) >= 5, 'charts render');
  });

  test('in a narrow window the page does not scroll sideways; the table does', async () => {
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 380, height: 800 });
    await narrow.goto(`${server.url}/console/#/queue`);
    await settled(narrow);
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page overflows by ${overflow}px`);
    for (const id of ['f-state', 'f-lane', 'f-office', 'f-reason', 'f-destination', 'f-sort']) {
      assert.equal(await narrow.locator(`label[for=${id}]`).count(), 1, `${id} has a label`);
    }
    await narrow.close();
  });
});

describe('console sign-in when the API requires keys', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let security: SecurityStore;
  let officerKey: string;
  let browser: { context: BrowserContext; close: () => Promise<void> };

  before(async () => {
    // The real access layer in keys mode, with one officer key.
    security = openSqliteSecurityStore({ memory: true });
    const keys = new KeyManager(
      security,
      async () => undefined,
      () => new Date(),
    );
    officerKey = (await keys.create({ role: 'officer', operatorId: 'kim', actor: 'admin:test' })).plaintext;
    server = await startServer({
      count: 200,
      deps: { access: { mode: 'keys', store: security, rateLimit: false, keyCacheSeconds: 0 } },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await security?.close();
  });

  test('asks for a key, refuses a wrong one, then works as the signed-in officer', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/console/`);
    await page.waitForSelector('#api-key');
    await page.fill('#api-key', 'wrong');
    await page.click('form.signin button');
    await page.waitForSelector('.signin [role=alert]');
    assert.match((await page.textContent('.signin [role=alert]')) ?? '', /not accepted/);
    await page.fill('#api-key', officerKey);
    await page.click('form.signin button');
    await settled(page);
    // The signed-in identity is shown once /v1/whoami answers, which a loaded machine may delay.
    await page.waitForFunction(() => (document.querySelector('#who')?.textContent ?? '') !== '');
    assert.match((await page.textContent('#who')) ?? '', /officer:kim \(officer\)/);
    await page.waitForSelector('tr.row');
    assert.ok((await page.locator('tr.row').count()) > 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('parcelgate.apiKey')), officerKey);
    await page.goto(`${server.url}/console/#/queue?state=held-for-inspection`);
    await settled(page);
    const id = (await page.locator('tr.row').first().getAttribute('data-id'))!;
    await page.goto(`${server.url}/console/#/c/${id}`);
    await page.waitForSelector('#d-action');
    await page.selectOption('#d-action', 'request-information');
    await page.fill('#d-reason', 'second look at the invoice');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#decision-status')?.textContent ?? '') !== '');
    assert.match((await page.textContent('#decision-status')) ?? '', /^Recorded: request-information/);
    const events = (
      await server.app.inject({
        url: `/v1/consignments/${id}/events`,
        headers: { authorization: `Bearer ${officerKey}` },
      })
    ).json().events;
    assert.equal(events.at(-1).actor, 'officer:kim');
    await page.close();
  });
});
