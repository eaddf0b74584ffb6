/**
 * Launches Debian's Chromium (/usr/bin/chromium) through playwright-core for the console's browser
 * tests and screenshots. Never downloads a browser: when Chromium is absent, `chromiumPath()` is null.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The system Chromium, or null when it is not installed. */
export function chromiumPath(): string | null {
  const p = process.env.PARCELGATE_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(p) ? p : null;
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
  const profile = mkdtempSync(join(tmpdir(), 'parcelgate-chromium-'));
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
