/**
 * Browser tests of the officer console: Debian's Chromium driven by playwright-core through the
 * queue (paging, filters, keyboard), a consignment (explanations, taxes, sources, timeline), an
 * officer decision and its effect, the dashboard, a narrow window, and the API-key sign-in.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import {
  browserTest,
  closePage,
  failingOnErrors,
  launchChromium,
  openPage,
  settled,
  skipWithoutChromium,
} from './browser.js';
import { startKeysServer, startServer, type TestServer } from './serve.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
interface PageElement {
  textContent: string | null;
}
interface VersionCell {
  textContent: string | null;
  classList: { contains(c: string): boolean };
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  documentElement: { scrollWidth: number };
  cookie: string;
};
declare const window: { innerWidth: number };
declare const location: { hash: string };
interface WebStorage {
  length: number;
  key(i: number): string | null;
  getItem(key: string): string | null;
}
declare const sessionStorage: WebStorage;
declare const localStorage: WebStorage;

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

  browserTest('the work queue pages server-side and filters', async () => {
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
    // A browser shortcut (Ctrl+P prints) is not a triage key: the page stays.
    await page.locator('tr.row').first().focus();
    await page.keyboard.press('Control+p');
    await settled(page);
    assert.equal(await page.textContent('#page-no'), 'Page 2');
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

  browserTest(
    'keyboard triage opens a consignment with its explanation, taxes, sources and events',
    async () => {
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
    },
  );

  browserTest(
    'contributions show their sign, and say when they add up to more than the capped score',
    async () => {
      const held = (
        await server.app.inject({ url: '/v1/console/queue?state=held-for-inspection&limit=1' })
      ).json().items[0].id as string;
      const stored = (await server.app.inject({ url: `/v1/consignments/${held}` })).json();
      // As the engine stores them for an AEO's parcel that several rules select: the shipped rule set
      // weighs operator trust -15, and the score is kept between 0 and 100.
      stored.assessment.risk.hits = [
        { id: 'R-A', kind: 'rule', score: 70, reason: 'first rule' },
        { id: 'R-B', kind: 'rule', score: 60, reason: 'second rule' },
        { id: 'operator-trust', kind: 'indicator', score: -15, reason: 'the operator is AEO-certified' },
      ];
      stored.assessment.risk.score = 100;
      await page.route(`**/v1/consignments/${held}`, (route) => route.fulfill({ json: stored }));
      try {
        await page.goto(`${server.url}/console/#/c/${held}`);
        await page.waitForSelector('#timeline');
        assert.deepEqual(await page.locator('ol.hits .contrib').allTextContents(), ['+70', '+60', '−15']);
        assert.equal(
          await page.textContent('#hits-total'),
          'Contributions add up to 115; the risk score is kept between 0 and 100: 100.',
        );
      } finally {
        await page.unroute(`**/v1/consignments/${held}`);
      }
    },
  );

  browserTest(
    'the consignment page lists its versions, marking what changed from the version before',
    async () => {
      // The submitter amends a consignment: its first source again, each item's value four times higher.
      const id = (
        await server.app.inject({ url: '/v1/console/queue?state=held-for-information&limit=1' })
      ).json().items[0].id as string;
      const c = (await server.app.inject({ url: `/v1/consignments/${id}` })).json();
      const data = structuredClone(c.sources[0].data);
      for (const item of data.items) item.value.amount = (Number(item.value.amount) * 4).toFixed(2);
      const amended = await server.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: { 'x-submitter-id': c.sources[0].submitterId },
        payload: data,
      });
      assert.equal(amended.json().status, 'amended', amended.body);
      const history = (await server.app.inject({ url: `/v1/consignments/${id}/history` })).json() as {
        current: number;
        versions: { version: number }[];
      };
      assert.ok(history.versions.length > 0);
      await page.goto(`${server.url}/console/#/c/${id}`);
      await page.waitForSelector('#versions');
      const versions = await page
        .locator('#versions tbody tr')
        .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-version')));
      const expected = [...new Set([...history.versions.map((v) => v.version), history.current])].sort(
        (a, b) => a - b,
      );
      assert.deepEqual(versions.map(Number), expected);
      // Marked cells differ from the row above; unmarked ones (from Sources on) equal it.
      const rows = await page
        .locator('#versions tbody tr')
        .evaluateAll((rs) =>
          rs.map((r) =>
            Array.from(
              (r as unknown as { querySelectorAll(s: string): ArrayLike<VersionCell> }).querySelectorAll(
                'td',
              ),
            ).map((td) => [td.textContent ?? '', td.classList.contains('changed')] as const),
          ),
        );
      for (let i = 1; i < rows.length; i++)
        for (let j = 2; j < rows[i]!.length; j++)
          assert.equal(
            rows[i]![j]![1],
            rows[i]![j]![0] !== rows[i - 1]![j]![0],
            `version row ${i}, column ${j}`,
          );
      // Four times the value: the last version's total differs from the one before, and is marked.
      assert.equal(rows.at(-1)!.at(-1)![1], true, 'the amended total is marked');
      const now = (await server.app.inject({ url: `/v1/consignments/${id}` })).json();
      assert.equal(
        rows.at(-1)!.at(-1)![0],
        `${now.assessment.revenue.total} ${now.assessment.revenue.currency}`,
      );
    },
  );

  browserTest(
    'a decision needs a reason, is recorded with the officer, and changes state and the dashboard',
    async () => {
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
      // Information requested: the KPI's count beside the requests the queue holds open now.
      const counts = (await server.app.inject({ url: '/v1/console/queue/counts' })).json();
      const open = (counts.byState['held-for-information'] ?? 0) + (counts.byState.arrived ?? 0);
      assert.equal(
        await page.textContent('#kpi-rfi .note'),
        `${before.heldForInformation.count.toLocaleString('en')} parcels · ${open.toLocaleString('en')} open now`,
      );
    },
  );

  browserTest(
    'a decision on a parcel another officer decided since the page loaded is refused, not recorded',
    async () => {
      await page.goto(`${server.url}/console/#/queue?state=held-for-inspection`);
      await settled(page);
      const id = (await page.locator('tr.row').first().getAttribute('data-id'))!;
      await page.goto(`${server.url}/console/#/c/${id}`);
      await page.waitForSelector('#timeline');
      // Another officer asks for information meanwhile.
      const other = await server.app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: { 'x-actor': 'officer:ben' },
        payload: { action: 'request-information', reason: 'invoice needed first' },
      });
      assert.equal(other.statusCode, 200, other.body);
      await page.selectOption('#d-action', 'release');
      await page.fill('#d-reason', 'looks fine to me');
      await page.click('form.decide button[type=submit]');
      await page.waitForSelector('#d-reload');
      assert.match(
        (await page.textContent('#decision-status')) ?? '',
        /^Not recorded: this consignment changed/,
      );
      const events = (await server.app.inject({ url: `/v1/consignments/${id}/events` })).json().events;
      assert.equal(events.at(-1).actor, 'officer:ben', 'the stale release wrote nothing');
      await page.click('#d-reload');
      await page.waitForFunction(
        () => document.querySelector('#state .badge')?.textContent === 'held-for-information',
      );
    },
  );

  browserTest('in a narrow window the page does not scroll sideways; the table does', async () => {
    const narrow = await openPage(browser.context);
    await narrow.setViewportSize({ width: 380, height: 800 });
    await narrow.goto(`${server.url}/console/#/queue`);
    await settled(narrow);
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page overflows by ${overflow}px`);
    for (const id of ['f-state', 'f-lane', 'f-office', 'f-reason', 'f-destination', 'f-sort']) {
      assert.equal(await narrow.locator(`label[for=${id}]`).count(), 1, `${id} has a label`);
    }
    await closePage(narrow);
  });
});

describe('console sign-in when the API requires keys', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let officerKey: string;
  let otherKeys: { auditor: string; analyst: string };
  let browser: { context: BrowserContext; close: () => Promise<void> };
  // The server's clock runs `skewMs` ahead of real time: moving it past the session lifetime expires it.
  let skewMs = 0;
  const ttlSeconds = 3600;

  before(async () => {
    // The real access layer in keys mode: an officer, an auditor and an analyst key.
    const keys = await startKeysServer(
      {
        officer: { role: 'officer', operatorId: 'kim' },
        auditor: { role: 'auditor', operatorId: 'auditor' },
        analyst: { role: 'analyst', operatorId: 'analyst' },
      },
      {
        count: 200,
        deps: { clock: () => new Date(Date.now() + skewMs) },
        access: { sessionTtlSeconds: ttlSeconds },
      },
    );
    server = keys;
    officerKey = keys.keys.officer;
    otherKeys = { auditor: keys.keys.auditor, analyst: keys.keys.analyst };
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Everything page scripts can read that a browser keeps: both storages and the visible cookies. */
  const readableStorage = (page: Page) =>
    page.evaluate(() => {
      const dump = (s: {
        length: number;
        key(i: number): string | null;
        getItem(k: string): string | null;
      }) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? '')}`).join('\n');
      return [dump(sessionStorage), dump(localStorage), document.cookie].join('\n');
    });

  const signInAs = async (page: Page, key: string) => {
    await page.waitForSelector('#api-key');
    await page.fill('#api-key', key);
    await page.click('form.signin button');
  };

  browserTest('asks for a key, refuses a wrong one, then works as the signed-in officer', async () => {
    const page = await openPage(browser.context);
    await page.goto(`${server.url}/console/`);
    await signInAs(page, 'wrong');
    await page.waitForSelector('.signin [role=alert]');
    assert.match((await page.textContent('.signin [role=alert]')) ?? '', /not accepted/);
    await signInAs(page, officerKey);
    await settled(page);
    // The signed-in identity is shown once /v1/whoami answers, which a loaded machine may delay.
    await page.waitForFunction(() => (document.querySelector('#who')?.textContent ?? '') !== '');
    assert.match((await page.textContent('#who')) ?? '', /officer:kim \(officer\)/);
    await page.waitForSelector('tr.row');
    assert.ok((await page.locator('tr.row').count()) > 0);

    // The key is kept nowhere a page script can read; the session is an HttpOnly, SameSite cookie.
    const secret = officerKey.slice('pgk_0123456789abcdef_'.length);
    const readable = await readableStorage(page);
    assert.ok(!readable.includes(officerKey) && !readable.includes(secret), 'no key in browser storage');
    assert.ok(!readable.includes('pgs.'), 'no session token readable by scripts');
    const cookies = await browser.context.cookies(`${server.url}/v1/whoami`);
    assert.equal(cookies.length, 1);
    const cookie = cookies[0]!;
    assert.equal(cookie.name, 'parcelgate_session');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/v1');
    assert.match(cookie.value, /^pgs\./);
    assert.ok(!cookie.value.includes(secret), 'the cookie holds a session, not the key');

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

    // A change carried by the cookie alone, without the console's header, is refused (forgery guard).
    const forged = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: { cookie: `parcelgate_session=${cookie.value}`, 'content-type': 'application/json' },
      payload: { action: 'release', reason: 'forged' },
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.json().code, 'access.console-header');

    // Signing out ends the session on the server too: the old cookie value is refused from then on.
    await page.click('#sign-out');
    await page.waitForSelector('#api-key');
    assert.equal(
      (await browser.context.cookies(`${server.url}/v1/whoami`)).length,
      0,
      'the cookie is cleared',
    );
    const replay = await server.app.inject({
      url: '/v1/whoami',
      headers: { cookie: `parcelgate_session=${cookie.value}` },
    });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().code, 'access.invalid-key');
    await closePage(page);
  });

  browserTest(
    'roles that may not decide get no decision form; an analyst is told a consignment is not for its role',
    async () => {
      const page = await openPage(browser.context);
      await page.goto(`${server.url}/console/`);
      await signInAs(page, otherKeys.auditor);
      await page.waitForSelector('tr.row');
      const id = (await page.locator('tr.row').first().getAttribute('data-id'))!;
      await page.goto(`${server.url}/console/#/c/${id}`);
      await page.waitForSelector('#timeline');
      assert.equal(await page.textContent('#d-denied'), 'Your role (auditor) may not record decisions.');
      assert.equal(await page.locator('form.decide').count(), 0);
      await page.click('#sign-out');

      // Signing in again comes back to the page asked for: the consignment.
      await signInAs(page, otherKeys.analyst);
      await page.waitForSelector('#denied');
      assert.match(
        (await page.textContent('#denied')) ?? '',
        /^Your role \(analyst\) may not open consignment documents/,
      );
      // Signing out reloads the page; closing it while it reloads can leave the close unanswered.
      await page.click('#sign-out');
      await page.waitForSelector('#api-key');
      await closePage(page);
    },
  );

  browserTest('a tampered or expired session is refused and the console asks to sign in again', async () => {
    const page = await openPage(browser.context);
    await page.goto(`${server.url}/console/`);
    await signInAs(page, officerKey);
    await page.waitForSelector('tr.row');
    const [cookie] = await browser.context.cookies(`${server.url}/v1/whoami`);
    assert.ok(cookie);

    // Tampered: the payload names another key (the signature no longer matches).
    const [, payload, mac] = cookie.value.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, keyId: 'pgk_other' })).toString(
      'base64url',
    );
    await browser.context.addCookies([{ ...cookie, value: `pgs.${forgedPayload}.${mac}` }]);
    await page.reload();
    await page.waitForSelector('.signin [role=alert]');
    assert.match((await page.textContent('.signin [role=alert]')) ?? '', /session has expired or was ended/);
    assert.equal(await page.locator('tr.row').count(), 0, 'no queue data without a valid session');

    // Expired: sign in again, then the server's clock moves past the session's lifetime.
    await signInAs(page, officerKey);
    await page.waitForSelector('tr.row');
    skewMs = (ttlSeconds + 60) * 1000;
    try {
      await page.click('nav a[data-nav=dashboard]');
      await page.waitForSelector('.signin [role=alert]');
      assert.match(
        (await page.textContent('.signin [role=alert]')) ?? '',
        /session has expired or was ended/,
      );
      // Signing in afresh works at the new time, and the page asked for comes back.
      await signInAs(page, officerKey);
      // The identity line (with #sign-out) stays from the expired session: wait for the form to leave.
      await page.waitForSelector('body:not(.signed-out)');
      await settled(page);
      assert.equal(await page.textContent('main h1'), 'Dashboard');
    } finally {
      skewMs = 0;
    }
    assert.ok(!(await readableStorage(page)).includes(officerKey.slice('pgk_0123456789abcdef_'.length)));
    await closePage(page);
  });
});
