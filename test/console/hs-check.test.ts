/**
 * Browser test of the consignment page's HS code check: Debian's Chromium driven by playwright-core.
 * Each item's declared code is shown beside the classifier's suggestion from POST /v1/classify, with
 * the level at which they agree; a declared code in another chapter is marked as differing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { consoleDistDir } from '../../src/api/console-static.js';
import { browserTest, chromiumPath, closePage, launchChromium, openPage } from './browser.js';
import { startServer, type TestServer } from './serve.js';

/** The agreement the page should show, computed independently of the console's code. */
function agreesAt(declared: string | undefined, suggested: string): string {
  if (!declared || suggested === '') return '—';
  if (declared.slice(0, 6) === suggested) return '6 digits';
  if (declared.slice(0, 4) === suggested.slice(0, 4)) return '4 digits';
  if (declared.slice(0, 2) === suggested.slice(0, 2)) return '2 digits';
  return 'differs';
}

const skip = chromiumPath() === null ? 'Chromium is not installed at /usr/bin/chromium' : false;

interface Item {
  description: string;
  hsCode?: string;
}

describe('HS code check on the consignment page in Chromium', { skip }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const api = async (path: string, body?: unknown) => {
    const res = await server.app.inject(
      body === undefined ? { url: path } : { method: 'POST', url: path, payload: body as object },
    );
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    return res.json();
  };

  before(async () => {
    assert.ok(existsSync(join(consoleDistDir(), 'index.html')), 'the console is built (npm run build)');
    server = await startServer({ count: 120 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  browserTest(
    'declared codes beside the suggestions, agreement per item, a wrong chapter marked',
    async () => {
      // A consignment with an item whose declared code is in another chapter than the suggestion
      // (the generated flood carries misdescribed HS codes).
      const list = (await api('/v1/consignments?limit=200')).items as { id: string }[];
      let target: { id: string; items: Item[] } | undefined;
      let suggestions: { hs6: string; confidence: number }[] = [];
      for (const { id } of list) {
        const c = await api(`/v1/consignments/${encodeURIComponent(id)}`);
        const items = (c.merged.items ?? []) as Item[];
        if (items.length === 0) continue;
        const r = (await api('/v1/classify', { descriptions: items.map((i) => i.description) })).results as {
          hs6: string;
          confidence: number;
        }[];
        if (r.some((x, i) => x.hs6 !== '' && agreesAt(items[i]!.hsCode, x.hs6) === 'differs')) {
          target = { id, items };
          suggestions = r;
          break;
        }
      }
      assert.ok(target, 'a consignment with an item declared in another chapter than suggested');

      const page = await openPage(browser.context);
      page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
      await page.goto(`${server.url}/console/#/c/${encodeURIComponent(target.id)}`);
      await page.waitForSelector('#hs-check tbody tr');
      assert.equal(await page.locator('#hs-check tbody tr').count(), target.items.length);
      for (let i = 0; i < target.items.length; i++) {
        const row = page.locator(`#hs-check tr[data-item="${i + 1}"]`);
        const s = suggestions[i]!;
        const suggested = (await row.locator('td.suggested').textContent()) ?? '';
        if (s.hs6 === '') assert.equal(suggested, 'no known word');
        else assert.equal(suggested, `${s.hs6} (${Math.round(s.confidence * 100)}%)`);
        const expected = agreesAt(target.items[i]!.hsCode, s.hs6);
        assert.equal((await row.locator('td.agrees').textContent()) ?? '', expected);
        assert.equal(await row.evaluate((tr) => tr.classList.contains('differs')), expected === 'differs');
      }
      assert.ok((await page.locator('#hs-check tr.differs').count()) >= 1);
      await closePage(page);
    },
  );
});
