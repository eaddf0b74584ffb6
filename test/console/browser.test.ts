import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { openPage } from './browser.js';

test('opening a page fails with a clear error when Chromium never answers, and passes a page through', async () => {
  const silent = { newPage: () => new Promise<Page>(() => undefined) } as unknown as BrowserContext;
  await assert.rejects(openPage(silent, 50), /Chromium opened no page within 0.05 s/);
  const page = {} as Page;
  const answering = { newPage: () => Promise.resolve(page) } as unknown as BrowserContext;
  assert.equal(await openPage(answering, 50), page);
});
