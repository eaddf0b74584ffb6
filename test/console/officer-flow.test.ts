/**
 * Browser regression tests of an officer's flow through the console (docs/console.md), from an
 * exploratory test: another officer's claim said up front in local time, and a refusal in words; the
 * claim bar's "Release claim"; the case header after an officer's decision; rates as exact percentages;
 * an unsent reason kept across an expired session; the dashboard's buttons in a row; and, in open mode,
 * an officer name that is never blank and is what decisions record. Chromium runs in Asia/Kolkata
 * (UTC+05:30), so a time shown in UTC would not pass for local time.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { startKeysServer, startServer, type TestServer } from './serve.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  documentElement: { scrollWidth: number };
};
declare const window: { innerWidth: number };
declare const axe: {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
};
declare const sessionStorage: {
  length: number;
  key(i: number): string | null;
  getItem(key: string): string | null;
};

/** axe-core's WCAG 2 A/AA violations of the page as it is now (as test/console/a11y.test.ts checks). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const r = await page.evaluate(() =>
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

const timezoneId = 'Asia/Kolkata';
/** HH:MM of an instant in the browser's time zone, as the page should say it. */
const localHm = (iso: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: timezoneId,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(/\u202f|\s/g, '');
/** The sessionStorage keys of a page (the drafts it keeps). */
const storageKeys = (page: Page) =>
  page.evaluate(() => Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i) ?? ''));

describe('officer flow in Chromium, with keys and roles', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let key: Record<'kim' | 'lee' | 'sue', string>;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let held: string[];
  // The server's clock runs `skewMs` ahead of real time: moving it past the session lifetime expires it.
  let skewMs = 0;
  const ttlSeconds = 3600;

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    const keys = await startKeysServer(
      {
        kim: { role: 'officer', operatorId: 'kim' },
        lee: { role: 'officer', operatorId: 'lee' },
        sue: { role: 'supervisor', operatorId: 'sue' },
      },
      {
        count: 200,
        deps: { clock: () => new Date(Date.now() + skewMs) },
        access: { sessionTtlSeconds: ttlSeconds },
      },
    );
    server = keys;
    key = keys.keys;
    held = (
      (
        await server.app.inject({
          url: '/v1/console/queue?state=held-for-inspection&sort=oldest&limit=20',
          headers: { authorization: `Bearer ${key.kim}` },
        })
      ).json().items as { id: string }[]
    ).map((i) => i.id);
    assert.ok(held.length >= 8, 'enough parcels held for inspection');
    browser = await launchChromium({ width: 1280, height: 900 }, 30_000, { timezoneId });
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const api = (who: keyof typeof key, method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key[who]}` },
      ...(payload ? { payload } : {}),
    });

  /** Opens `hash` signed in as `who` (a fresh sign-in: the session cookie of anyone before is dropped). */
  const openAs = async (who: keyof typeof key, hash: string) => {
    await browser.context.clearCookies();
    await page.goto('about:blank');
    await page.goto(`${server.url}/console/${hash}`);
    await page.waitForSelector('#api-key');
    await page.fill('#api-key', key[who]);
    await page.click('form.signin button');
    await page.waitForSelector('body:not(.signed-out)');
    await settled(page);
  };

  browserTest(
    "another officer's claim is said before the officer types, in local time, and the form waits",
    async () => {
      const id = held[0]!;
      const claim = (await api('lee', 'POST', `/v1/console/claims/${id}`)).json();
      assert.equal(claim.officerId, 'officer:lee');
      const hm = localHm(claim.expiresAt);
      await openAs('kim', `#/c/${id}`);
      await page.waitForSelector('#timeline');
      assert.equal(await page.locator('#claim-notice').count(), 1, 'the page says who holds the claim');
      const notice = (await page.textContent('#claim-notice')) ?? '';
      assert.match(notice, new RegExp(`officer:lee .*until ${hm}\\b`));
      assert.doesNotMatch(notice, /UTC|\d{4}-\d\d-\d\dT|claim\.held-by-other/);
      // Up front: before the reason field, which waits (with the button) while the claim is live.
      assert.ok(
        await page.evaluate(() => {
          const n = document.querySelector('#claim-notice') as unknown as {
            compareDocumentPosition(o: unknown): number;
          };
          return (n.compareDocumentPosition(document.querySelector('#d-reason')) & 4) !== 0;
        }),
        'the notice comes before the reason field',
      );
      assert.equal(await page.isDisabled('#d-reason'), true);
      assert.equal(await page.isDisabled('form.decide button[type=submit]'), true);
      assert.match(
        (await page.textContent('#claim-holder')) ?? '',
        new RegExp(`^Claimed by officer:lee until ${hm}`),
      );
      assert.equal(await page.locator('#d-override').count(), 0, 'an officer gets no override');
      assert.deepEqual(await axeViolations(page), []);
    },
  );

  browserTest('a claim taken after the page loaded: the refusal is said in words', async () => {
    const id = held[1]!;
    await openAs('kim', `#/c/${id}`);
    await page.waitForSelector('#d-reason');
    assert.equal(await page.locator('#claim-notice').count(), 0, 'nobody held it when the page loaded');
    const claim = (await api('lee', 'POST', `/v1/console/claims/${id}`)).json();
    await page.selectOption('#d-action', 'inspect');
    await page.fill('#d-reason', 'x-ray it');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('#decision-status')?.textContent ?? '') !== '');
    const said = (await page.textContent('#decision-status')) ?? '';
    assert.match(said, new RegExp(`^Not recorded: officer:lee .*until ${localHm(claim.expiresAt)}\\b`));
    assert.doesNotMatch(said, /claim\.held-by-other|\d{4}-\d\d-\d\dT|consignment csg_/);
    assert.equal((await api('kim', 'GET', `/v1/consignments/${id}`)).json().state, 'held-for-inspection');
  });

  browserTest('a supervisor is told of the claim up front and overrides it with a reason', async () => {
    const id = held[0]!; // Lee's claim of the first test
    const claim = (await api('sue', 'GET', `/v1/console/claims/${id}`)).json().claim;
    assert.equal(claim.officerId, 'officer:lee');
    await openAs('sue', `#/c/${id}`);
    await page.waitForSelector('#d-override');
    assert.equal(await page.locator('#claim-notice').count(), 1);
    const notice = (await page.textContent('#claim-notice')) ?? '';
    assert.match(notice, new RegExp(`officer:lee .*until ${localHm(claim.expiresAt)}\\b`));
    assert.match(notice, /override/);
    assert.equal(await page.isDisabled('#d-reason'), false, 'a supervisor may decide');
    // Without an override reason the server refuses: said in words, nothing recorded.
    await page.selectOption('#d-action', 'inspect');
    await page.fill('#d-reason', 'supervisor: x-ray it now');
    await page.click('form.decide button[type=submit]');
    await page.waitForSelector('#decision-status.error');
    const said = (await page.textContent('#decision-status')) ?? '';
    assert.match(said, /^Not recorded: officer:lee .*reason to override/);
    assert.doesNotMatch(said, /claim\.held-by-other|\d{4}-\d\d-\d\dT/);
    await page.fill('#d-override', 'urgent: the scanner slot is now');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() =>
      (document.querySelector('#decision-status')?.textContent ?? '').startsWith('Recorded'),
    );
    const last = (await api('sue', 'GET', `/v1/consignments/${id}/events`)).json().events.at(-1);
    assert.equal(last.actor, 'supervisor:sue');
  });

  browserTest('the claim bar\'s button is "Release claim", apart from the "Release" decision', async () => {
    const id = held[2]!;
    await openAs('kim', `#/c/${id}`);
    await page.waitForSelector('#claim');
    await page.click('#claim');
    await page.waitForFunction(() =>
      (document.querySelector('#claim-holder')?.textContent ?? '').startsWith('Claimed by you'),
    );
    const claim = (await api('kim', 'GET', `/v1/console/claims/${id}`)).json().claim;
    assert.match(
      (await page.textContent('#claim-holder')) ?? '',
      new RegExp(`^Claimed by you until ${localHm(claim.expiresAt)}\\b`),
    );
    assert.equal(await page.getByRole('button', { name: 'Release', exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Release claim', exact: true }).count(), 1);
    await page.getByRole('button', { name: 'Release claim' }).click();
    await page.waitForFunction(
      () => document.querySelector('#claim-holder')?.textContent === 'Nobody has claimed this consignment.',
    );
    assert.equal((await api('kim', 'GET', `/v1/console/claims/${id}`)).json().claim, null);
  });

  browserTest(
    "after an officer's request for information the header says so, not the assessment's inspect",
    async () => {
      const id = held[3]!;
      const c = (await api('kim', 'GET', `/v1/consignments/${id}`)).json();
      assert.equal(c.assessment.decision, 'inspect');
      await openAs('kim', `#/c/${id}`);
      await page.waitForSelector('#d-reason');
      await page.selectOption('#d-action', 'request-information');
      await page.fill('#d-reason', 'invoice needed first');
      await page.click('form.decide button[type=submit]');
      await page.waitForFunction(
        () => document.querySelector('#state .badge')?.textContent === 'held-for-information',
      );
      const facts = ((await page.textContent('p.facts')) ?? '').replace(/\s+/g, ' ');
      assert.doesNotMatch(
        facts,
        /(^|[^t] )Decision inspect/,
        'the assessment decision is not shown as current',
      );
      assert.match(facts, /Assessment decision inspect/);
      assert.match(facts, /Officer decision Request information \(officer:kim\)/);
    },
  );

  browserTest('rates are exact percentages, duty and VAT alike', async () => {
    const id = held[4]!;
    const c = (await api('kim', 'GET', `/v1/consignments/${id}`)).json();
    await openAs('kim', `#/c/${id}`);
    await page.waitForSelector('table.lines');
    const shown = await page.locator('table.lines tbody tr td:nth-child(4)').allTextContents();
    const vat = (c.assessment.revenue.lines as { type: string; rate: string }[]).findIndex(
      (l) => l.type === 'vat',
    );
    assert.ok(vat >= 0, 'the parcel has a VAT line');
    const fraction = c.assessment.revenue.lines[vat].rate as string;
    assert.match(fraction, /^0\.\d+$/);
    assert.equal(shown[vat], `${Number((Number(fraction) * 100).toFixed(6))}\u00a0%`);
    for (const s of shown) assert.doesNotMatch(s, /^0\.\d+$/, `no bare fraction: ${s}`);

    // Rates of every shape, as the engine writes them (decimal strings): no floating-point formatting.
    const lines = [
      ['0.055', '5.5\u00a0%'],
      ['0.22', '22\u00a0%'],
      ['0.2', '20\u00a0%'],
      ['0', '0\u00a0%'],
      ['0.10', '10\u00a0%'],
      ['0.07', '7\u00a0%'],
      ['1.163412345', '116.3412345\u00a0%'],
      ['0.12 + 3.5 EUR per kg-net', '12\u00a0% + 3.5 EUR per kg-net'],
      ['3.00 EUR per tariff subheading', '3.00 EUR per tariff subheading'],
    ];
    const stored = structuredClone(c);
    stored.assessment.revenue.lines = lines.map(([rate], i) => ({
      ...c.assessment.revenue.lines[0],
      itemIndex: 0,
      rate,
      explanation: `line ${i}`,
    }));
    await page.route(`**/v1/consignments/${id}`, (route) => route.fulfill({ json: stored }));
    try {
      await page.goto('about:blank');
      await page.goto(`${server.url}/console/#/c/${id}`);
      await page.waitForSelector('table.lines');
      assert.deepEqual(
        await page.locator('table.lines tbody tr td:nth-child(4)').allTextContents(),
        lines.map(([, text]) => text),
      );
    } finally {
      await page.unroute(`**/v1/consignments/${id}`);
    }
  });

  browserTest("the dashboard's Apply and Refresh sit in a row at 1366 px", async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    try {
      await openAs('kim', '#/dashboard');
      await page.waitForSelector('#kpi-volume');
      const apply = (await page.locator('form.filters button[type=submit]').boundingBox())!;
      const refresh = (await page.locator('#refresh').boundingBox())!;
      assert.ok(
        Math.abs(apply.y - refresh.y) <= 1,
        `same row: Apply at y ${apply.y}, Refresh at y ${refresh.y}`,
      );
      assert.ok(refresh.x >= apply.x + apply.width, 'Refresh to the right of Apply');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  browserTest(
    'an unsent reason outlives an expired session: restored after signing in again, cleared once recorded',
    async () => {
      const id = held[5]!;
      const other = held[6]!;
      // A reason left on another parcel is not shown to another officer signing in on the same tab.
      await openAs('kim', `#/c/${other}`);
      await page.waitForSelector('#d-reason');
      await page.fill('#d-reason', 'kim: half-written note');

      await openAs('kim', `#/c/${id}`);
      await page.waitForSelector('#d-reason');
      await page.selectOption('#d-action', 'request-information');
      const reason = 'Invoice value looks low for three phones; ask for the invoice';
      await page.fill('#d-reason', reason);
      skewMs = (ttlSeconds + 60) * 1000;
      try {
        await page.click('form.decide button[type=submit]');
        await page.waitForSelector('.signin [role=alert]');
        assert.match((await page.textContent('.signin [role=alert]')) ?? '', /session has expired/);
        await page.fill('#api-key', key.kim);
        await page.click('form.signin button');
        await page.waitForSelector('body:not(.signed-out)');
        await page.waitForSelector('#d-reason');
        assert.equal(await page.inputValue('#d-reason'), reason, 'the reason typed before is back');
        assert.equal(await page.inputValue('#d-action'), 'request-information');
        assert.equal((await api('kim', 'GET', `/v1/consignments/${id}`)).json().state, 'held-for-inspection');
        await page.click('form.decide button[type=submit]');
        await page.waitForFunction(() =>
          (document.querySelector('#decision-status')?.textContent ?? '').startsWith('Recorded'),
        );
        const last = (await api('kim', 'GET', `/v1/consignments/${id}/events`)).json().events.at(-1);
        assert.equal(last.reason, reason);
        assert.ok(
          !(await storageKeys(page)).some((k) => k.includes(id)),
          'the draft is cleared once the decision is recorded',
        );
        await page.goto('about:blank');
        await page.goto(`${server.url}/console/#/c/${id}`);
        await page.waitForSelector('#timeline');
        await settled(page);
        assert.equal(await page.inputValue('#d-reason'), '');

        // Lee signs in on the same tab: Kim's unsent note is not hers to see.
        await openAs('lee', `#/c/${other}`);
        await page.waitForSelector('#d-reason');
        assert.equal(await page.inputValue('#d-reason'), '');
      } finally {
        skewMs = 0;
      }
    },
  );
});

describe('officer flow in Chromium, open mode (no keys)', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    server = await startServer({ count: 120 });
    browser = await launchChromium({ width: 1280, height: 900 }, 30_000, { timezoneId });
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  browserTest('the Officer field refuses a blank name and decisions record the name it shows', async () => {
    const items = (
      await server.app.inject({ url: '/v1/console/queue?state=held-for-inspection&sort=oldest&limit=3' })
    ).json().items as { id: string }[];
    const [first, second] = [items[0]!.id, items[1]!.id];
    await page.goto(`${server.url}/console/#/c/${first}`);
    await page.waitForSelector('#d-reason');
    await page.fill('#actor', 'officer:ana');
    await page.press('#actor', 'Tab');
    assert.match((await page.textContent('#d-reason-help')) ?? '', /officer:ana/);

    // Cleared: refused with a message, and the field shows the name still recorded.
    await page.fill('#actor', '');
    await page.press('#actor', 'Tab');
    await page.waitForSelector('#actor-msg:not(:empty)');
    assert.match((await page.textContent('#actor-msg')) ?? '', /name is required.*officer:ana/i);
    assert.equal(await page.inputValue('#actor'), 'officer:ana');
    assert.deepEqual(await axeViolations(page), []);
    // The message fits a narrow window too.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    // A name no request header can carry is refused the same way (it would break every call).
    await page.fill('#actor', 'officer:李');
    await page.press('#actor', 'Tab');
    await page.waitForFunction(() => /Latin/.test(document.querySelector('#actor-msg')?.textContent ?? ''));
    assert.equal(await page.inputValue('#actor'), 'officer:ana');

    await page.selectOption('#d-action', 'inspect');
    await page.fill('#d-reason', 'x-ray it');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() =>
      (document.querySelector('#decision-status')?.textContent ?? '').startsWith('Recorded'),
    );
    const shown = await page.inputValue('#actor');
    const events = (await server.app.inject({ url: `/v1/consignments/${first}/events` })).json().events;
    assert.equal(events.at(-1).actor, shown, 'recorded as the page shows');
    assert.equal(shown, 'officer:ana');

    // A new name applies at once, to the help line and the next decision.
    await page.goto(`${server.url}/console/#/c/${second}`);
    await page.waitForSelector('#d-reason');
    await page.fill('#actor', 'officer:bo');
    await page.press('#actor', 'Tab');
    assert.equal(await page.textContent('#actor-msg'), '');
    assert.match((await page.textContent('#d-reason-help')) ?? '', /officer:bo/);
    await page.selectOption('#d-action', 'inspect');
    await page.fill('#d-reason', 'x-ray it too');
    await page.click('form.decide button[type=submit]');
    await page.waitForFunction(() =>
      (document.querySelector('#decision-status')?.textContent ?? '').startsWith('Recorded'),
    );
    const again = (await server.app.inject({ url: `/v1/consignments/${second}/events` })).json().events;
    assert.equal(again.at(-1).actor, 'officer:bo');
  });
});
