/**
 * Launches Debian's Chromium (/usr/bin/chromium) through playwright-core for the console's browser
 * tests and screenshots. Never downloads a browser: when Chromium is absent, `chromiumPath()` is null.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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
 * `work`, or a rejection saying `what` did not happen within `ms`. Playwright puts no time limit on some
 * calls (opening or closing a page, closing the browser, counting, evaluating), and a Chromium that
 * stops answering would otherwise hold the suite until the runner's own limit.
 */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A new page of `context`, or a clear error after `ms` if Chromium never opens one. */
export function openPage(context: BrowserContext, ms = 60_000): Promise<Page> {
  return within(context.newPage(), ms, 'Chromium opened no page');
}

/** Closes `page`, or fails with a clear error after `ms` if Chromium never answers. */
export function closePage(page: Page, ms = 30_000): Promise<void> {
  return within(page.close(), ms, 'Chromium did not close the page');
}

/** A browser test's time limit: well above any passing run on a loaded machine. */
export const browserTestMs = 240_000;

/**
 * A test that drives Chromium. A Chromium that stops answering fails this one test, by name, after
 * `browserTestMs` rather than holding the whole run until the runner's own limit.
 */
export function browserTest(name: string, fn: () => Promise<void>): Promise<void> {
  return test(name, { timeout: browserTestMs }, fn);
}

/** Ids of the processes whose command line names `profile` as their --user-data-dir (Linux /proc). */
export function processesOfProfile(profile: string, proc = '/proc'): number[] {
  if (!existsSync(proc)) return [];
  // Chromium's child processes rewrite their command line as one string, arguments parted by spaces.
  const flag = `--user-data-dir=${profile}`;
  const names = (cmdline: string) => {
    const at = cmdline.indexOf(flag);
    const next = cmdline[at + flag.length];
    return at >= 0 && (next === undefined || next === '\0' || next === ' ');
  };
  const pids: number[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names(readFileSync(`${proc}/${entry}/cmdline`, 'utf8'))) pids.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids;
}

/** A new page of `context` on which any uncaught page error fails the test. */
export async function failingOnErrors(context: BrowserContext): Promise<Page> {
  const page = await openPage(context);
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  return page;
}

/**
 * Starts a headless Chromium with a fresh profile directory (playwright passes it as --user-data-dir);
 * `close()` stops it and removes the profile; a Chromium that does not close within `closeMs` is killed.
 */
export async function launchChromium(
  viewport = { width: 1280, height: 900 },
  closeMs = 30_000,
  /** E.g. `timezoneId` to check times shown in the browser's local time against another zone than UTC. */
  options: { timezoneId?: string } = {},
): Promise<{ context: BrowserContext; profile: string; close: () => Promise<void> }> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error('no Chromium at /usr/bin/chromium');
  const profile = scratchDir('parcelgate-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    ...options,
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
    profile,
    close: async () => {
      try {
        await within(context.close(), closeMs, 'Chromium did not close');
      } catch (e) {
        // The tests have run; a browser that will not close is ended so that it holds nothing open.
        const pids = processesOfProfile(profile);
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        process.stderr.write(`${(e as Error).message}; ended its ${pids.length} processes\n`);
        for (let i = 0; i < 50 && processesOfProfile(profile).length > 0; i++) await sleep(100);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
