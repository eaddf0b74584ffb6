/**
 * Browser test of work-queue claims (docs/console.md "Claims"), in keys mode with two officers: the
 * signed-in officer claims the next unclaimed consignment with the `c` key, sees it as hers on the page
 * and in the "mine" filter; another officer's claim shows as a badge, and on its page as a notice above a
 * decision form that waits; "Release claim" and a decision free the consignment (the refusal of a
 * decision on a claim taken after the page loaded: officer-flow.test.ts). Every wait is on DOM state, never a timer.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { startKeysServer, type KeysServer } from './serve.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
};
declare const location: { hash: string };

describe('work-queue claims in Chromium', { skip: skipWithoutChromium }, () => {
  let server: KeysServer<'kim' | 'lee'>;
  let kim: string;
  let lee: string;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    server = await startKeysServer(
      { kim: { role: 'officer', operatorId: 'kim' }, lee: { role: 'officer', operatorId: 'lee' } },
      { count: 200 },
    );
    ({ kim, lee } = server.keys);
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
    await page.goto(`${server.url}/console/`);
    await page.waitForSelector('#api-key');
    await page.fill('#api-key', kim);
    await page.click('form.signin button');
    await page.waitForSelector('tr.row');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Lee, the other officer, through the API. */
  const asLee = (method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${lee}` },
      ...(payload ? { payload } : {}),
    });
  const holderText = () => page.textContent('#claim-holder');

  browserTest(
    '"c" claims the next unclaimed consignment and opens it; it is hers in the queue and the mine filter',
    async () => {
      // Lee holds the first row of the oldest-first queue: Kim's "claim next" skips it.
      const first = (
        (await asLee('GET', '/v1/console/queue?sort=oldest&limit=2')).json().items as { id: string }[]
      )[0]!.id;
      assert.equal((await asLee('POST', `/v1/console/claims/${first}`)).statusCode, 200);
      await page.goto(`${server.url}/console/#/queue?sort=oldest`);
      await settled(page);
      await page.waitForSelector(`tr[data-id="${first}"] .b-claimed`);
      assert.equal(await page.textContent(`tr[data-id="${first}"] .b-claimed`), 'claimed by officer:lee');
      const second = await page.locator('tr.row').nth(1).getAttribute('data-id');

      await page.keyboard.press('c');
      await page.waitForFunction((id) => location.hash === `#/c/${id}`, second);
      await page.waitForSelector('#claim-holder');
      // Until when, on the officer's clock (local time; with the day when it is not today).
      assert.match((await holderText()) ?? '', /^Claimed by you until \d\d:\d\d( on .+)?\.$/);
      assert.equal((await asLee('POST', `/v1/console/claims/${second}`)).json().code, 'claim.held-by-other');

      await page.goto(`${server.url}/console/#/queue?claim=mine`);
      await settled(page);
      await page.waitForSelector('tr.row .b-claimed-mine');
      assert.equal(await page.locator('tr.row').count(), 1);
      assert.equal(await page.locator('tr.row').first().getAttribute('data-id'), second);
      assert.equal(await page.textContent('tr.row .b-claimed-mine'), 'claimed by you');

      // Unclaimed hides both claims.
      await page.goto(`${server.url}/console/#/queue?claim=unclaimed&sort=oldest`);
      await settled(page);
      await page.waitForSelector('tr.row');
      const shown = await page
        .locator('tr.row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
      assert.ok(!shown.includes(first) && !shown.includes(second!));
    },
  );

  browserTest(
    "another officer's claim: named on the page, no claim button, the decision form waits",
    async () => {
      const leeHeld = (
        (await asLee('GET', '/v1/console/queue?claim=mine')).json().items as { id: string }[]
      )[0]!.id;
      await page.goto(`${server.url}/console/#/c/${leeHeld}`);
      await page.waitForSelector('#claim-holder');
      assert.match((await holderText()) ?? '', /^Claimed by officer:lee until/);
      assert.equal(await page.locator('#claim').count(), 0);
      assert.equal(await page.locator('#d-override').count(), 0, 'an officer gets no override');
      // Said before a reason is typed; the form waits while the claim is live (the server would refuse).
      assert.match(
        (await page.textContent('#claim-notice')) ?? '',
        /^officer:lee is working on this consignment/,
      );
      assert.equal(await page.isDisabled('#d-reason'), true);
      assert.equal(await page.isDisabled('form.decide button[type=submit]'), true);
    },
  );

  browserTest(
    '"Release claim" frees it, "c" on the page claims it again, and a decision releases the claim',
    async () => {
      const mine = (
        (
          await server.app.inject({
            url: '/v1/console/queue?claim=mine',
            headers: { authorization: `Bearer ${kim}` },
          })
        ).json().items as { id: string }[]
      )[0]!.id;
      await page.goto(`${server.url}/console/#/c/${mine}`);
      await page.waitForSelector('#release-claim');
      assert.equal(await page.textContent('#release-claim'), 'Release claim');
      await page.click('#release-claim');
      await page.waitForFunction(
        () => document.querySelector('#claim-holder')?.textContent === 'Nobody has claimed this consignment.',
      );
      assert.equal((await asLee('GET', `/v1/console/claims/${mine}`)).json().claim, null);

      // The page focuses the state line after an action: the keys work from there.
      await page.keyboard.press('c');
      await page.waitForFunction(() =>
        (document.querySelector('#claim-holder')?.textContent ?? '').startsWith('Claimed by you'),
      );

      await page.selectOption('#d-action', 'release');
      await page.fill('#d-reason', 'documents in order');
      await page.click('form.decide button[type=submit]');
      await page.waitForFunction(() =>
        (document.querySelector('#decision-status')?.textContent ?? '').startsWith('Recorded'),
      );
      // Released: out of the queue, so no claim bar any more; the claim is gone.
      await page.waitForFunction(() => document.querySelector('#claim-bar') === null);
      assert.equal((await asLee('GET', `/v1/console/claims/${mine}`)).json().claim, null);
    },
  );
});
