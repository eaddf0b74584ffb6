/**
 * The forecast page in Chromium: the forecast per office and lane, each lane's forecast with its
 * selection rate, and officers per day planned from the lanes, all as the API computes them.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { startServer, type TestServer } from './serve.js';

declare const location: { hash: string };

describe('forecast page per office and lane in Chromium', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    server = await startServer({ count: 400, seed: 'forecast' });
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const cells = (selector: string) => page.locator(selector).allTextContents();
  const int = (s: string) => Number(s.replace(/,/g, ''));

  browserTest(
    'all lanes: each lane forecast with its selection rate, and officers per day from the lanes',
    async () => {
      await page.goto(`${server.url}/console/#/forecast?horizon=14`);
      await settled(page);
      const api = (await server.app.inject({ url: '/v1/forecast/lanes?horizon=14' })).json();
      const rows = page.locator('#lane-forecasts tbody tr');
      assert.equal(await rows.count(), api.lanes.length);
      assert.ok(api.lanes.length >= 2, 'several lanes have parcels');
      for (const [i, l] of api.lanes.entries()) {
        const row = rows.nth(i);
        assert.equal(await row.getAttribute('data-lane'), l.lane);
        const pct = (await row.locator('td').nth(3).textContent()) ?? '';
        assert.equal(
          Number(pct.replace('%', '')),
          Number((l.selectionRate * 100).toFixed(l.selectionRate < 0.01 && l.selectionRate > 0 ? 2 : 1)),
        );
        const median = l.points.reduce((a: number, p: { point: number }) => a + p.point, 0);
        assert.equal(int((await row.locator('td').nth(1).textContent()) ?? ''), Math.round(median));
      }
      const red = api.lanes.find((l: { lane: string }) => l.lane === 'red');
      assert.ok(red.selectionRate >= 0.9, 'red-lane parcels are (nearly all) held for inspection');
      const green = api.lanes.find((l: { lane: string }) => l.lane === 'green');
      assert.ok(green.selectionRate < 0.2, 'green-lane parcels rarely are');
      // A chart per lane, plus the officers-per-day chart.
      assert.equal(await page.locator('figure.lane-chart svg[role=img]').count(), api.lanes.length);
      assert.equal(await page.locator('svg[aria-label^="Officers needed per day"]').count(), 1);
      const officers = await cells('#staffing tbody tr td:nth-child(4)');
      assert.deepEqual(
        officers.map(int),
        api.staffing.days.map((d: { officersPerDay: number }) => d.officersPerDay),
      );
      assert.match(
        (await page.textContent('#lanes-title')) ?? '',
        new RegExp(`peak ${api.staffing.peakOfficers} officers`),
      );
    },
  );

  browserTest(
    'one office and lane: its own series, backtest and staffing at the lane’s selection rate',
    async () => {
      await page.goto(`${server.url}/console/#/forecast?horizon=14`);
      await settled(page);
      const offices = (
        await page.locator('#fc-o option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))
      ).filter(Boolean) as string[];
      assert.ok(offices.length >= 2, 'offices from the store are offered');
      // An office whose red lane has parcels (which office gets them depends on the random control
      // sample, drawn from the consignments' ids): the page then states the observed rate.
      const redCount = async (o: string) =>
        (await server.app.inject({ url: `/v1/forecast?horizon=14&office=${o}&lane=red` })).json().observed
          .consignments as number;
      let office: string | undefined;
      for (const o of offices) if (office === undefined && (await redCount(o)) > 0) office = o;
      assert.ok(office !== undefined, 'some office has red-lane parcels');
      await page.selectOption('#fc-o', office);
      await page.selectOption('#fc-l', 'red');
      await page.click('form.filters button[type=submit]');
      await page.waitForFunction(() => location.hash.includes('lane=red'));
      await settled(page);
      const api = (
        await server.app.inject({ url: `/v1/forecast?horizon=14&office=${office}&lane=red` })
      ).json();
      assert.match(
        (await page.textContent('#fc-title')) ?? '',
        new RegExp(`office ${office}, lane red, next 14 days`),
      );
      assert.equal(await page.locator('#by-lane').count(), 0);
      assert.match(
        (await page.textContent('#selection')) ?? '',
        new RegExp(
          `^Selection rate ${(api.selectionRate * 100).toFixed(1)}%: ${api.observed.inspected} of ${api.observed.consignments} parcels`,
        ),
      );
      assert.deepEqual(
        (await cells('#staffing tbody tr td:nth-child(4)')).map(int),
        api.staffing.days.map((d: { officersPerDay: number }) => d.officersPerDay),
      );
      assert.match(
        (await page.textContent('#backtest')) ?? '',
        new RegExp(`ratio ${api.backtest.maseRatio.toFixed(3)}`),
      );
    },
  );
  browserTest(
    'an office that has received no parcels: the page shows the forecast.no-history warning',
    async () => {
      await page.goto(`${server.url}/console/#/forecast?horizon=14&office=NOPE&lane=red`);
      await settled(page);
      const api = (await server.app.inject({ url: '/v1/forecast?horizon=14&office=NOPE&lane=red' })).json();
      assert.equal(api.warnings[0].code, 'forecast.no-history');
      const shown = page.locator('[data-code="forecast.no-history"]');
      assert.equal(await shown.count(), 1);
      assert.equal(await shown.textContent(), api.warnings[0].message);
      assert.match((await shown.textContent()) ?? '', /^office NOPE \(lane red\) has received no parcels/);
    },
  );
});
