/**
 * Launches Debian's Chromium (/usr/bin/chromium) through playwright-core for the console's browser
 * tests and screenshots. Never downloads a browser: when Chromium is absent, `chromiumPath()` is null.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { scratchDir } from '../../src/testing/scratch.js';

// Browser globals used inside page callbacks (the test project compiles without the DOM lib).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
};

/** The system Chromium, or null when it is not installed. */
export function chromiumPath(): string | null {
  const p = process.env.PARCELGATE_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(p) ? p : null;
}

/** The `skip` option of a browser test suite: a reason when Chromium is absent. */
export const skipWithoutChromium: string | false =
  chromiumPath() === null ? 'Chromium is not installed at /usr/bin/chromium' : false;

/** Waits until the console's page has its heading and its status line no longer says it is loading. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = document.querySelector('main [role=status]');
    return document.querySelector('main h1') !== null && !(s?.textContent ?? '').endsWith('…');
  });
}

/**
 * A new page of `context`. Playwright puts no time limit on opening a page, and a Chromium that stops
 * answering would otherwise hold the suite until the runner's own limit: this fails after `ms`.
 */
export async function openPage(context: BrowserContext, ms = 60_000): Promise<Page> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Chromium opened no page within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([context.newPage(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A new page of `context` on which any uncaught page error fails the test. */
export async function failingOnErrors(context: BrowserContext): Promise<Page> {
  const page = await openPage(context);
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  return page;
}

/**
 * Starts a headless Chromium with a fresh profile directory (playwright passes it as --user-data-dir);
 * `close()` stops it and removes the profile.
 */
export async function launchChromium(
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error('no Chromium at /usr/bin/chromium');
  const profile = scratchDir('parcelgate-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
