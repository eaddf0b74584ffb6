/**
 * Browser tests of what the console offers each role and how it reports failures, in keys mode: an
 * auditor is offered no rule-set check or save, no X-ray review and no case action (the server
 * refuses them all); an analyst checks and saves a rule set but is not offered its activation, and
 * its queue rows name the rule once; an officer who opens a consignment with Enter triages it with
 * keys at once; a server that cannot be reached is said in words; the dashboard keeps its form when
 * a window ends before it starts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import {
  encodePng,
  generateImage,
  OnnxDetector,
  openSqliteScreeningStore,
} from '../../src/screening/index.js';
import type { ScreeningStore } from '../../src/screening/index.js';
import { Prng } from '../../src/sim/prng.js';
import { browserTest, closePage, launchChromium, openPage, skipWithoutChromium } from './browser.js';
import { startKeysServer, type TestServer } from './serve.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
declare const document: {
  activeElement: { id: string; blur(): void } | null;
  querySelector(selector: string): { textContent: string | null } | null;
};
declare const location: { hash: string };

type Role = 'officer' | 'supervisor' | 'analyst' | 'auditor';

describe(
  'console: what each role is offered, and failures said in words',
  { skip: skipWithoutChromium },
  () => {
    let server: TestServer;
    let screening: ScreeningStore;
    let detector: OnnxDetector;
    let browser: { context: BrowserContext; close: () => Promise<void> };
    let keys: Record<Role, string>;
    let xrayId: string;
    let caseId: string;

    const as = async (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const r = await server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${keys[role]}` },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json();
    };

    before(async () => {
      assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
      screening = openSqliteScreeningStore({ memory: true });
      detector = await OnnxDetector.load();
      const withKeys = await startKeysServer(
        {
          officer: { role: 'officer', operatorId: 'officer-1' },
          supervisor: { role: 'supervisor', operatorId: 'supervisor-1' },
          analyst: { role: 'analyst', operatorId: 'analyst-1' },
          auditor: { role: 'auditor', operatorId: 'auditor-1' },
        },
        { count: 200, registry: true, deps: { screening: { store: screening, detector } } },
      );
      server = withKeys;
      keys = withKeys.keys;
      const queue = await as('officer', 'GET', '/v1/console/queue?state=held-for-inspection&limit=5');
      // An X-ray image with the baseline's detections on a held parcel.
      xrayId = queue.items[0].id;
      const png = encodePng(
        generateImage(new Prng('console-xray:1'), { threatRate: 1, classes: ['gun', 'knife'] }).image,
      );
      const up = await server.app.inject({
        method: 'POST',
        url: `/v1/consignments/${xrayId}/images?scanner=lane-1`,
        headers: { authorization: `Bearer ${keys.officer}`, 'content-type': 'image/png' },
        payload: png,
      });
      assert.equal(up.statusCode, 201, up.body);
      assert.ok(up.json().image.detections.length > 0, 'the baseline finds the planted threat');
      // An opened enforcement case: its state allows confirm and dismiss.
      const holder = await as('supervisor', 'POST', '/v1/rights-holders', {
        name: 'Lumora SA',
        country: 'FR',
        contactEmail: 'ipr@lumora.example',
      });
      const brand = await as('supervisor', 'POST', `/v1/rights-holders/${holder.id}/brands`, {
        name: 'Lumora',
        priceFloorEur: '80.00',
        genuineHints: ['serial number inside the lining'],
        aliases: [],
        authorisedSellers: [],
      });
      caseId = (
        await as('officer', 'POST', '/v1/cases', {
          kind: 'counterfeit',
          consignmentId: queue.items[1].id,
          brandId: brand.id,
          listingUrl: 'https://marketplace.example/item/9',
          evidence: [{ kind: 'photo', reference: 'img-001.jpg' }],
        })
      ).id;
      browser = await launchChromium({ width: 1366, height: 768 });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await screening?.close();
      await detector?.close();
    });

    /** A page signed in with the role's key (the session cookie is the page's own context's). */
    const signedIn = async (role: Role, path = ''): Promise<Page> => {
      const page = await openPage(browser.context);
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${server.url}/console/${path}`);
      await page.waitForSelector('#api-key');
      await page.fill('#api-key', keys[role]);
      await page.click('form.signin button');
      await page.waitForSelector('#sign-out');
      return page;
    };
    const signOut = async (page: Page) => {
      await page.click('#sign-out');
      await page.waitForSelector('#api-key');
      await closePage(page);
    };

    browserTest(
      'an auditor is offered no rule-set check or save, no X-ray review and no case action',
      async () => {
        const page = await signedIn('auditor', '#/rules/eu-default/6');
        await page.waitForSelector('#rule-doc');
        assert.equal(await page.locator('#check').count(), 0, 'no Check and test');
        assert.equal(await page.locator('#save').count(), 0, 'no Save as new version');
        assert.equal(await page.getAttribute('#rule-doc', 'readonly'), '', 'the document is read-only');
        assert.match(
          (await page.textContent('#rule-doc-help')) ?? '',
          /Your role \(auditor\) may not check or save rule sets/,
        );

        // The auditor sees the images and detections, not a review form the server would refuse.
        await page.goto(`${server.url}/console/#/c/${xrayId}/images`);
        await page.waitForSelector('ol.detections li.detection');
        assert.equal(await page.locator('form.dreview').count(), 0);
        assert.match(
          (await page.textContent('#xray-status')) ?? '',
          /your role \(auditor\) may read the reviews but not record one/,
        );

        await page.goto(`${server.url}/console/#/cases/${caseId}`);
        await page.waitForSelector('#case-denied');
        assert.equal(await page.textContent('#case-denied'), 'Your role (auditor) may not act on cases.');
        assert.equal(await page.locator('#c-reason').count(), 0);
        await signOut(page);

        // The officer, whom the server lets do these, still gets the forms.
        const officer = await signedIn('officer', `#/c/${xrayId}/images`);
        await officer.waitForSelector('form.dreview');
        await officer.goto(`${server.url}/console/#/cases/${caseId}`);
        await officer.waitForSelector('#c-reason');
        await signOut(officer);
      },
    );

    browserTest(
      'an analyst checks and saves a rule set, is told it may not activate it, and reads each rule id once',
      async () => {
        const page = await signedIn('analyst', '#/rules/eu-default/6');
        await page.waitForSelector('#save');
        await page.click('#check');
        await page.waitForFunction(() =>
          / is valid: /.test(document.querySelector('#rules-status')?.textContent ?? ''),
        );
        await page.click('#save');
        await page.waitForFunction(() => /^#\/rules\/eu-default\/7$/.test(location.hash));
        await page.waitForSelector('#activate-denied');
        assert.equal(await page.locator('#activate').count(), 0, 'no Activate: supervisors and admins');
        assert.equal(
          await page.textContent('#activate-denied'),
          'Your role (analyst) may not activate rule-set versions.',
        );

        // Queue rows give an analyst the rule id instead of the reason: shown once, not twice.
        await page.goto(`${server.url}/console/#/queue`);
        await page.waitForSelector('tr.row');
        const rows = await as('analyst', 'GET', '/v1/console/queue?limit=50');
        const first = rows.items[0];
        assert.equal(first.topReason, first.reasons[0], 'the API gives the analyst the rule id');
        assert.equal(
          ((await page.locator('tr.row').first().locator('td.reason').textContent()) ?? '').trim(),
          first.reasons[0],
        );
        await signOut(page);
      },
    );

    browserTest(
      'an officer opens a consignment with Enter and its keys work at once, without a click',
      async () => {
        const page = await signedIn('officer', '#/queue?state=held-for-inspection');
        await page.waitForSelector('tr.row');
        await page.locator('tr.row').first().focus();
        await page.keyboard.press('j');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#timeline');
        // The focused row left with the queue: the focus is on <body>, and the page's keys still work.
        await page.keyboard.press('c');
        await page.waitForFunction(() =>
          (document.querySelector('#claim-holder')?.textContent ?? '').startsWith('Claimed by you'),
        );
        // The claim reloads the page and focuses its state line; from nowhere again, the keys still work.
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press('x');
        assert.equal(await page.inputValue('#d-action'), 'inspect');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'd-reason');
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press('u');
        await page.waitForFunction(
          () =>
            document.querySelector('#claim-holder')?.textContent === 'Nobody has claimed this consignment.',
        );
        await signOut(page);
      },
    );

    browserTest('a server that cannot be reached is said in words, not as a TypeError', async () => {
      const page = await signedIn('officer', '#/queue?state=held-for-inspection');
      await page.waitForSelector('tr.row');
      const id = (await page.locator('tr.row').nth(2).getAttribute('data-id'))!;
      await page.goto(`${server.url}/console/#/c/${id}`);
      await page.waitForSelector('#timeline');
      await page.route('**/v1/consignments/*/decisions', (route) => route.abort('connectionrefused'));
      await page.selectOption('#d-action', 'release');
      await page.fill('#d-reason', 'invoice checked');
      await page.click('form.decide button[type=submit]');
      await page.waitForSelector('#decision-status.error');
      const said = (await page.textContent('#decision-status')) ?? '';
      assert.match(said, /^The parcelgate server could not be reached/);
      assert.doesNotMatch(said, /TypeError|Failed to fetch/);
      await page.unroute('**/v1/consignments/*/decisions');
      assert.equal((await as('officer', 'GET', `/v1/consignments/${id}`)).state, 'held-for-inspection');

      // A page that cannot load says the same, not "TypeError: Failed to fetch".
      await page.route('**/v1/kpi*', (route) => route.abort('connectionrefused'));
      await page.goto(`${server.url}/console/#/dashboard`);
      await page.waitForSelector('main [role=alert]');
      assert.match(
        (await page.textContent('main [role=alert]')) ?? '',
        /^The parcelgate server could not be reached/,
      );
      await page.unroute('**/v1/kpi*');
      await signOut(page);
    });

    browserTest('the dashboard refuses a window that ends before it starts, and keeps its form', async () => {
      const page = await signedIn('analyst', '#/dashboard');
      await page.waitForSelector('#w-from');
      await page.waitForSelector('#kpi-volume');
      await page.fill('#w-from', '2026-11-28');
      await page.fill('#w-to', '2026-11-20');
      await page.click('form.filters button[type=submit]');
      await page.waitForSelector('#window-status.error');
      assert.match(
        (await page.textContent('#window-status')) ?? '',
        /ends \(2026-11-20\) before it starts \(2026-11-28\)/,
      );
      assert.equal(await page.evaluate(() => location.hash), '#/dashboard', 'nothing was asked of the API');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'w-to');

      // The same window typed into the URL: the API's refusal next to the form, which stays.
      await page.goto(`${server.url}/console/#/dashboard?from=2026-11-28&to=2026-11-20`);
      await page.waitForFunction(() =>
        /No KPIs for this window/.test(document.querySelector('#window-status')?.textContent ?? ''),
      );
      assert.equal(await page.inputValue('#w-from'), '2026-11-28');
      assert.equal(await page.locator('main h1').textContent(), 'Dashboard');
      await page.fill('#w-to', '2026-11-30');
      await page.click('form.filters button[type=submit]');
      await page.waitForSelector('#kpi-volume');
      await signOut(page);
    });
  },
);
