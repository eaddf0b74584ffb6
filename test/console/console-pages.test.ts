/**
 * Browser tests of the console's rules, operators and enforcement pages and of keyboard triage on a
 * consignment, in Debian's Chromium through playwright-core, against a server that runs the operator
 * registry and the risk runtime as `parcelgate serve` does. Expected values come from the API.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import { rulesPath } from '../../src/risk/index.js';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { seedRegistry, type SeededRegistry } from './seed-registry.js';
import { startServer, type TestServer } from './serve.js';

interface PageElement {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  activeElement: { id: string } | null;
};
declare const location: { hash: string };

describe('console rules, operators and cases in Chromium', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let seeded: SeededRegistry;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const api = async (url: string) => (await server.app.inject({ url })).json();

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    server = await startServer({ count: 300, registry: true });
    seeded = await seedRegistry(server.app);
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  browserTest(
    'rules: hit rates from outcomes, the validator errors linked to their line, scenarios, save and activate',
    async () => {
      // One inspection outcome on a parcel a rule of the set selected, so that the rule has a hit rate.
      const v = JSON.parse(readFileSync(rulesPath('eu-default.json'), 'utf8')).version as number;
      const doc = (await api(`/v1/rule-sets/eu-default/${v}`)).document;
      const ruleIds = new Set(doc.rules.map((r: { id: string }) => r.id));
      const queue = (await api('/v1/console/queue?state=held-for-inspection&limit=500')).items;
      const held = queue.find((i: { reasons: string[] }) => i.reasons.some((r) => ruleIds.has(r)));
      assert.ok(held, 'a held parcel was selected by a rule');
      const decided = await server.app.inject({
        method: 'POST',
        url: `/v1/consignments/${held.id}/decisions`,
        headers: { 'x-actor': 'officer:ana' },
        payload: { action: 'seize', reason: 'counterfeit goods', finding: 'counterfeit' },
      });
      assert.equal(decided.statusCode, 200, decided.body);
      await page.goto(`${server.url}/console/#/rules`);
      await settled(page);
      assert.match((await page.textContent('#rules-summary')) ?? '', new RegExp(`In force: eu-default@${v}`));
      await page.click(`#rule-sets a[href="#/rules/eu-default/${v}"]`);
      await page.waitForSelector('#rules-table');
      await settled(page);
      assert.equal(await page.locator('#rules-table tbody tr').count(), doc.rules.length);
      const report = await api('/v1/rules/report');
      const selected = report.rules.find(
        (r: { selections: number; id: string }) =>
          r.selections > 0 && doc.rules.some((d: { id: string }) => d.id === r.id),
      );
      assert.ok(selected, 'a rule of the set has an outcome');
      assert.equal(
        await page.textContent(`#rules-table tr[data-rule="${selected.id}"] td.hit-rate`),
        `${(selected.hitRate * 100).toFixed(1)}% (${selected.hits}/${selected.selections})`,
      );

      // Break the third rule's expression: the validator's issue names it and selects its line.
      const text = await page.inputValue('#rule-doc');
      const third = doc.rules[2];
      const broken = text.replace(JSON.stringify(third.when), JSON.stringify(`${third.when} and`));
      assert.notEqual(broken, text);
      await page.fill('#rule-doc', broken);
      await page.click('#check');
      await page.waitForSelector('#rule-issues li');
      const issue = (await page.textContent('#rule-issues li')) ?? '';
      assert.match(issue, new RegExp(`rules\\.syntax at /rules/2/when · rule ${third.id} · character \\d+`));
      const line = Number(await page.getAttribute('#rule-issues li button', 'data-line'));
      await page.click('#rule-issues li button');
      const selectedLine = await page.$eval('#rule-doc', (el) => {
        const a = el as unknown as { value: string; selectionStart: number };
        return a.value.slice(0, a.selectionStart).split('\n').length;
      });
      assert.equal(selectedLine, line);
      assert.match(broken.split('\n')[line - 1]!, /"when":/);

      // Fixed, it passes the shipped scenarios; saved as the next version and activated.
      await page.fill('#rule-doc', text);
      await page.click('#check');
      await page.waitForSelector('#scenario-results');
      const shipped = (await api('/v1/rule-sets/eu-default/scenarios')).scenarios.length;
      assert.match(
        (await page.textContent('#scenario-results p')) ?? '',
        new RegExp(`^${shipped} passed, 0 failed`),
      );
      await page.click('#save');
      await page.waitForFunction((next) => location.hash === `#/rules/eu-default/${next}`, v + 1);
      await page.waitForSelector('#activate');
      await page.click('#activate');
      await page.waitForFunction(() =>
        (document.querySelector('#rules-status')?.textContent ?? '').startsWith('Activated'),
      );
      assert.equal((await api('/v1/rule-sets')).inForce, `eu-default@${v + 1}`);
    },
  );

  browserTest(
    'operators: registry with AEO status and compliance; an operator with its scorecards and cases',
    async () => {
      await page.goto(`${server.url}/console/#/operators`);
      await settled(page);
      const row = page.locator(`#operators tr[data-id="${seeded.sellerOperatorId}"]`);
      assert.match((await row.locator('td.status').textContent()) ?? '', /AEOF DE/);
      const compliance = await api(`/v1/operators/${seeded.sellerOperatorId}/compliance`);
      assert.match(
        (await row.textContent()) ?? '',
        new RegExp(`${compliance.score.score.toFixed(0)}\\s*${compliance.score.band}`),
      );
      const quality = await api(`/v1/quality/scorecards?from=2026-01-01&to=2027-01-01`);
      const demo = quality.submitters.find((s: { submitterId: string }) => s.submitterId === 'demo');
      assert.equal(
        await page.textContent('#quality-table tr[data-submitter="demo"] td.score'),
        demo.overall.score.toFixed(1),
      );
      await row.locator('a').first().click();
      await page.waitForSelector('#compliance-score');
      assert.equal(await page.textContent('#compliance-score'), compliance.score.score.toFixed(0));
      assert.match(
        (await page.textContent('#statuses')) ?? '',
        /AEOF \(DE\) in-force, valid 2026-01-01 to 2029-01-01/,
      );
      assert.match((await page.textContent('#facilitation')) ?? '', /inspection rate × 0\.2/);
      assert.equal(await page.locator(`#operator-cases a[href="#/cases/${seeded.caseId}"]`).count(), 1);
    },
  );

  browserTest('cases: the list, a case, and an action that needs a reason', async () => {
    await page.goto(`${server.url}/console/#/cases`);
    await settled(page);
    assert.match((await page.textContent('#cases-summary')) ?? '', /^1 case — 1 confirmed/);
    await page.click(`#cases a[href="#/cases/${seeded.caseId}"]`);
    await page.waitForSelector('#case-history');
    assert.equal(await page.textContent('#case-state'), 'confirmed');
    await page.selectOption('#c-action', 'seize');
    await page.click('form.decide button[type=submit]');
    assert.match((await page.textContent('#case-status')) ?? '', /reason of at least 3 characters/);
    await page.fill('#c-reason', 'goods detained at the office');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#case-state')?.textContent === 'seized');
    const c = await api(`/v1/cases/${seeded.caseId}`);
    assert.equal(c.state, 'seized');
    assert.match(
      (await page.locator('#case-history li').last().textContent()) ?? '',
      /seize.*goods detained at the office/s,
    );
  });

  browserTest(
    'keyboard triage on a consignment: a letter picks the action and moves to the reason; q goes back',
    async () => {
      const held = (await api('/v1/console/queue?state=held-for-inspection&limit=1')).items[0];
      await page.goto(`${server.url}/console/#/c/${held.id}`);
      await page.waitForSelector('#timeline');
      await page.locator('h1').click();
      await page.keyboard.press('x');
      assert.equal(await page.inputValue('#d-action'), 'inspect');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'd-reason');
      await page.keyboard.type('scan first');
      await page.locator('h1').click();
      await page.keyboard.press('q');
      await page.waitForFunction(() => location.hash === '#/queue');
    },
  );

  browserTest('dashboard: every KPI by day and by office', async () => {
    const k = await api('/v1/kpi');
    await page.goto(`${server.url}/console/#/dashboard`);
    await settled(page);
    await page.waitForSelector('#by-office');
    assert.equal(await page.locator('#by-office tbody tr').count(), k.byOffice.length);
    assert.equal(await page.locator('#by-day tbody tr').count(), k.byDay.length);
    const top = [...k.byOffice].sort((a, b) => b.volume - a.volume)[0];
    assert.match(
      (await page.locator('#by-office tbody tr').first().textContent()) ?? '',
      new RegExp(`^${top.office}${top.volume.toLocaleString('en')}`),
    );
    // Days are UTC days (the API's window and grouping): the page says so where days are chosen and shown.
    assert.equal(await page.textContent('label[for=w-from]'), 'From day (UTC)');
    assert.equal(await page.textContent('label[for=w-to]'), 'To day (UTC)');
    assert.equal(await page.textContent('#by-day caption'), 'KPIs per UTC day of data received');
  });
});
