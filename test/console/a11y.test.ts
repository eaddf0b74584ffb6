/**
 * Accessibility of every console page, checked by axe-core (WCAG 2.0 and 2.1, levels A and AA) in
 * Debian's Chromium, at a desktop width and in a narrow (390 px) window where the page must not
 * scroll sideways. Any violation fails the test and is listed with its rule, impact and elements.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  encodePng,
  generateImage,
  OnnxDetector,
  openSqliteScreeningStore,
} from '../../src/screening/index.js';
import type { ScreeningStore } from '../../src/screening/index.js';
import { Prng } from '../../src/sim/prng.js';
import { browserTest, failingOnErrors, launchChromium, settled, skipWithoutChromium } from './browser.js';
import { seedRegistry, type SeededRegistry } from './seed-registry.js';
import { startKeysServer, startServer, type TestServer } from './serve.js';

declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
interface AxeResult {
  violations: {
    id: string;
    impact: string;
    help: string;
    nodes: { target: string[]; failureSummary: string }[];
  }[];
}
declare const axe: { run(context: unknown, options: unknown): Promise<AxeResult> };

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's WCAG A/AA violations of the page as it is now, one line per element. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const r = await page.evaluate(
    (runOnly) =>
      axe.run(document, { runOnly: { type: 'tag', values: runOnly }, resultTypes: ['violations'] }),
    tags,
  );
  return r.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}: ${n.failureSummary}`),
  );
}

const widths = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'narrow', width: 390, height: 844 },
];

describe('console accessibility (axe-core, WCAG 2 A/AA) on every page', { skip: skipWithoutChromium }, () => {
  let server: TestServer;
  let keysServer: TestServer;
  let screening: ScreeningStore;
  let seeded: SeededRegistry;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let imaged: string;
  let ruleSet: string;

  before(async () => {
    screening = openSqliteScreeningStore({ memory: true });
    const detector = await OnnxDetector.load();
    server = await startServer({
      count: 300,
      registry: true,
      deps: { screening: { store: screening, detector } },
    });
    seeded = await seedRegistry(server.app);
    const list = (
      await server.app.inject({ url: '/v1/consignments?state=released-before-arrival&limit=1' })
    ).json();
    imaged = list.items[0].id;
    const png = encodePng(generateImage(new Prng('a11y:0'), { threatRate: 1, classes: ['gun'] }).image);
    const up = await server.app.inject({
      method: 'POST',
      url: `/v1/consignments/${imaged}/images?scanner=lane-1`,
      headers: { 'content-type': 'image/png' },
      payload: png,
    });
    assert.equal(up.statusCode, 201, up.body);
    const sets = (await server.app.inject({ url: '/v1/rule-sets' })).json();
    ruleSet = String(sets.inForce).replace('@', '/');
    // A server that requires keys, for the sign-in page.
    keysServer = await startKeysServer({ kim: { role: 'officer', operatorId: 'kim' } }, { count: 20 });
    browser = await launchChromium();
    page = await failingOnErrors(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await keysServer?.close();
    await screening?.close();
  });

  const pages = () => [
    { name: 'work queue', url: `${server.url}/console/#/queue` },
    { name: 'consignment', url: `${server.url}/console/#/c/${seeded.consignmentId}`, ready: '#d-reason' },
    { name: 'X-ray', url: `${server.url}/console/#/c/${imaged}/images`, ready: 'figure.xray img' },
    { name: 'dashboard', url: `${server.url}/console/#/dashboard` },
    { name: 'forecast', url: `${server.url}/console/#/forecast?horizon=14`, ready: '#lane-forecasts' },
    { name: 'rules', url: `${server.url}/console/#/rules` },
    { name: 'rule set', url: `${server.url}/console/#/rules/${ruleSet}` },
    { name: 'operators', url: `${server.url}/console/#/operators` },
    {
      name: 'operator',
      url: `${server.url}/console/#/operators/${encodeURIComponent(seeded.sellerOperatorId)}`,
    },
    { name: 'cases', url: `${server.url}/console/#/cases` },
    { name: 'case', url: `${server.url}/console/#/cases/${encodeURIComponent(seeded.caseId)}` },
    { name: 'sign-in', url: `${keysServer.url}/console/`, ready: '#api-key' },
  ];

  for (const w of widths) {
    browserTest(
      `every page, ${w.name} (${w.width} px): no axe violation${w.name === 'narrow' ? ', no sideways scrolling' : ''}`,
      async () => {
        await page.setViewportSize({ width: w.width, height: w.height });
        const found: string[] = [];
        for (const p of pages()) {
          await page.goto('about:blank');
          await page.goto(p.url);
          if (p.ready) await page.waitForSelector(p.ready);
          else await settled(page);
          if (p.name !== 'sign-in') await settled(page);
          for (const v of await violations(page)) found.push(`${p.name}: ${v}`);
          if (p.name === 'sign-in') {
            // And with the refusal shown.
            await page.fill('#api-key', 'wrong');
            await page.click('form.signin button');
            await page.waitForSelector('.signin [role=alert]');
            for (const v of await violations(page)) found.push(`sign-in refused: ${v}`);
          }
          if (w.name === 'narrow') {
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth,
            );
            if (overflow > 1) found.push(`${p.name}: the page scrolls sideways by ${overflow}px`);
          }
        }
        assert.deepEqual(found, []);
      },
    );
  }
});
