/**
 * Browser tests of the console's X-ray page: Debian's Chromium driven by playwright-core. Generated
 * parcel images go through the shipped baseline model; the work queue links the held parcel, the page
 * draws the image with the detector's boxes, the officer confirms and rejects detections with a
 * reason (stored as training labels), and a role that may not see images is refused by the API.
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
import { packageRoot } from '../../src/reference/paths.js';
import { browserTest, failingOnErrors, launchChromium, openPage, skipWithoutChromium } from './browser.js';
import { startKeysServer, startServer, type TestServer } from './serve.js';

interface PageImage {
  naturalWidth: number;
  complete: boolean;
}
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<PageImage>;
};

const shortNames: Record<string, string> = {
  knife: 'Knife',
  gun: 'Gun',
  'battery-pack': 'Battery pack',
  'liquid-container': 'Liquid container',
  'dense-organic-mass': 'Dense organic mass',
};

/** Generated parcels with a gun (seed 0) and a gun and a knife (seed 1) that the baseline finds. */
const parcel = (i: number) =>
  encodePng(generateImage(new Prng(`console-xray:${i}`), { threatRate: 1, classes: ['gun', 'knife'] }).image);

async function imagesShown(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => {
    const imgs = document.querySelectorAll('figure.xray img');
    if (imgs.length !== count) return false;
    for (let i = 0; i < imgs.length; i++) if (!imgs[i]!.complete || imgs[i]!.naturalWidth === 0) return false;
    return true;
  }, n);
}

describe('X-ray page in Chromium', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let screening: ScreeningStore;
  let detector: OnnxDetector;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let id: string;

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    screening = openSqliteScreeningStore({ memory: true });
    detector = await OnnxDetector.load();
    server = await startServer({ count: 120, deps: { screening: { store: screening, detector } } });
    // A parcel released before arrival: the X-ray alert holds it for inspection.
    const list = (
      await server.app.inject({ url: '/v1/consignments?state=released-before-arrival&limit=1' })
    ).json();
    id = list.items[0].id;
    for (const i of [0, 1]) {
      const up = await server.app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/images?scanner=lane-${i + 1}`,
        headers: { 'content-type': 'image/png' },
        payload: parcel(i),
      });
      assert.equal(up.statusCode, 201, up.body);
      assert.ok(up.json().image.detections.length > 0, 'the baseline finds the planted threat');
    }
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await screening?.close();
    await detector?.close();
  });

  browserTest('the work queue links the parcel an X-ray alert holds', async () => {
    assert.equal(
      (await server.app.inject({ url: `/v1/consignments/${id}` })).json().state,
      'held-for-inspection',
    );
    await page.goto(`${server.url}/console/#/queue?state=held-for-inspection`);
    await page.waitForSelector('#xray-alerts');
    assert.match((await page.textContent('#xray-alerts')) ?? '', /1 X-ray alert awaiting review/);
    assert.match((await page.textContent('#xray-alerts')) ?? '', /Gun 0\.\d\d/);
    await page.click(`#xray-alerts a[href="#/c/${id}/images"]`);
    await imagesShown(page, 2);
    assert.ok(page.url().endsWith(`#/c/${id}/images`));
  });

  browserTest('each image is drawn with the detector boxes, labelled with category and score', async () => {
    const images = (await server.app.inject({ url: `/v1/consignments/${id}/images` })).json().images;
    await page.goto(`${server.url}/console/#/c/${id}/images`);
    await imagesShown(page, 2);
    for (const img of images) {
      const section = page.locator(`section[data-image="${img.id}"]`);
      const boxes = section.locator('.xframe .xbox');
      assert.equal(await boxes.count(), img.detections.length);
      const frame = await section.locator('.xframe').boundingBox();
      for (const [k, d] of img.detections.entries()) {
        const box = boxes.nth(k);
        assert.equal(await box.getAttribute('data-detection'), d.id);
        const label = (await box.textContent()) ?? '';
        assert.equal(label, `${k + 1} ${shortNames[d.class]} ${d.score.toFixed(2)}`);
        // The overlay sits where the detection is, at the displayed size.
        const b = (await box.boundingBox())!;
        const scale = frame!.width / img.width;
        assert.ok(Math.abs(b.x - frame!.x - d.box.x0 * scale) <= 3, `left edge of ${d.id}`);
        assert.ok(Math.abs(b.width - (d.box.x1 - d.box.x0) * scale) <= 4, `width of ${d.id}`);
      }
      assert.equal(await section.locator('li.detection').count(), img.detections.length);
    }
  });

  browserTest(
    'the officer confirms and rejects detections with a reason; the labels are stored',
    async () => {
      await page.goto(`${server.url}/console/#/c/${id}/images`);
      await imagesShown(page, 2);
      await page.fill('#actor', 'officer:ana');
      await page.press('#actor', 'Tab');
      const images = (await server.app.inject({ url: `/v1/consignments/${id}/images` })).json().images;
      const first = images[0].detections[0];
      const item = page.locator(`li.detection[data-detection="${first.id}"]`);
      await item.locator('button[value=rejected]').click();
      assert.match(
        (await item.locator('[role=status]').textContent()) ?? '',
        /reason of at least 3 characters/,
      );
      assert.equal((await server.app.inject({ url: '/v1/screening/labels' })).json().items.length, 0);

      await item.locator('input[name=note]').fill('umbrella rib, not a barrel');
      await item.locator('button[value=rejected]').click();
      await page.waitForSelector(`#rv-${first.id}`);
      assert.match((await page.textContent(`#rv-${first.id}`)) ?? '', /rejected by officer:ana/);
      assert.match((await page.textContent('#xray-status')) ?? '', /Recorded: .* rejected/);

      const second = images[1].detections[0];
      const other = page.locator(`li.detection[data-detection="${second.id}"]`);
      await other.locator('input[name=note]').fill('pistol outline clear on both views');
      await other.locator('button[value=confirmed]').click();
      await page.waitForSelector(`#rv-${second.id}`);
      assert.match((await page.textContent(`#rv-${second.id}`)) ?? '', /confirmed/);

      const labels = (await server.app.inject({ url: '/v1/screening/labels' })).json().items;
      assert.deepEqual(
        labels.map((l: { detectionId: string; verdict: string; note?: string }) => [
          l.detectionId,
          l.verdict,
        ]),
        [
          [first.id, 'rejected'],
          [second.id, 'confirmed'],
        ],
      );
      const stored = (await server.app.inject({ url: `/v1/consignments/${id}/images` })).json().images;
      assert.equal(stored[0].detections[0].review.note, 'umbrella rib, not a barrel');
      assert.equal(stored[0].detections[0].review.actor, 'officer:ana');
    },
  );

  browserTest('the consignment page links its X-ray images; a screenshot for the docs', async () => {
    await page.goto(`${server.url}/console/#/c/${id}`);
    await page.waitForSelector('#xray-link');
    assert.match((await page.textContent('#xray-link')) ?? '', /^X-ray images \(2\)/);
    await page.click('#xray-link');
    await imagesShown(page, 2);
    if (process.env.PARCELGATE_SCREENSHOTS) {
      await page.setViewportSize({ width: 1000, height: 860 });
      // The second image: a confirmed gun and a knife still awaiting review.
      await page
        .locator('section.ximage')
        .nth(1)
        .screenshot({ path: join(packageRoot, 'docs', 'img', 'console-xray.png') });
    }
  });
});

describe('X-ray images behind access control in the console', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let screening: ScreeningStore;
  let keys: { officer: string; analyst: string };
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let id: string;
  let imageId: string;

  before(async () => {
    screening = openSqliteScreeningStore({ memory: true });
    // No detector: the image is stored and shown, nothing is screened.
    const withKeys = await startKeysServer(
      {
        officer: { role: 'officer', operatorId: 'officer-1' },
        analyst: { role: 'analyst', operatorId: 'analyst-1' },
      },
      { count: 60, deps: { screening: { store: screening } } },
    );
    server = withKeys;
    keys = withKeys.keys;
    const auth = { authorization: `Bearer ${keys.officer}` };
    id = (await server.app.inject({ url: '/v1/consignments?limit=1', headers: auth })).json().items[0].id;
    const up = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { ...auth, 'content-type': 'image/png' },
      payload: parcel(0),
    });
    assert.equal(up.statusCode, 201, up.body);
    imageId = up.json().image.id;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await screening?.close();
  });

  async function signIn(key: string): Promise<Page> {
    // The session is a cookie shared by the browser's tabs: start each identity from none.
    await browser.context.clearCookies();
    const page = await openPage(browser.context);
    await page.goto(`${server.url}/console/`);
    await page.waitForSelector('#api-key');
    await page.fill('#api-key', key);
    await page.click('form.signin button');
    await page.waitForFunction(() => (document.querySelector('#who')?.textContent ?? '') !== '');
    return page;
  }

  browserTest('the image bytes need a role that may see them', async () => {
    const content = `/v1/screening/images/${imageId}/content`;
    assert.equal((await server.app.inject({ url: content })).statusCode, 401);
    const asAnalyst = await server.app.inject({
      url: content,
      headers: { authorization: `Bearer ${keys.analyst}` },
    });
    assert.equal(asAnalyst.statusCode, 403);
    const asOfficer = await server.app.inject({
      url: content,
      headers: { authorization: `Bearer ${keys.officer}` },
    });
    assert.equal(asOfficer.statusCode, 200);
    assert.equal(asOfficer.headers['content-type'], 'image/png');
  });

  browserTest('an officer sees the image; an analyst is told the role may not', async () => {
    const officer = await signIn(keys.officer);
    await officer.goto(`${server.url}/console/#/c/${id}/images`);
    await imagesShown(officer, 1);
    assert.match((await officer.textContent('figcaption')) ?? '', /not screened/);
    await officer.close();

    const analyst = await signIn(keys.analyst);
    await analyst.goto(`${server.url}/console/#/c/${id}/images`);
    await analyst.waitForSelector('#xray-denied');
    assert.match((await analyst.textContent('#xray-denied')) ?? '', /may not see X-ray images/);
    assert.equal(await analyst.locator('figure.xray img').count(), 0);
    await analyst.close();
  });
});
