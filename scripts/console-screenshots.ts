/**
 * Takes the console screenshots in docs/img/ (PNG): a generated day of parcels in a temp store, a
 * morning of officer work (findings follow the generator's labels, arrivals come from the carriers),
 * then Chromium through the queue, a consignment, the dashboard, the forecast, the rules, the operator
 * registry, an operator, an enforcement case and a narrow window.
 * `npm run build && node dist/scripts/console-screenshots.js [count]`
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildApp, openRegistryServices } from '../src/api/index.js';
import {
  loadSnapshot,
  openRiskRuntime,
  recordCarrierEvent,
  recordOfficerDecision,
  submitBatch,
  watchlistFromNames,
} from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { demoWatchlist, generateFlood } from '../src/sim/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openSqliteRiskStore, openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { launchChromium } from '../test/console/browser.js';
import { seedRegistry } from '../test/console/seed-registry.js';
import { scratchDir } from '../src/testing/scratch.js';

const count = Number(process.argv[2] ?? 20_000);
const out = join(packageRoot, 'docs', 'img');
const dir = scratchDir('parcelgate-shots-');
const store = openSqliteStore({ dataDir: dir });
const snapshot = loadSnapshot({ watchlist: watchlistFromNames(demoWatchlist()) });
const day = '2026-11-27';
const at = (minutes: number) => new Date(Date.parse(`${day}T05:00:00.000Z`) + minutes * 60_000).toISOString();

const violations = new Map<string, string[]>();
const flood = [...generateFlood({ seed: '2026', count, day })];
for (const r of flood) if (r.label.violations.length) violations.set(r.label.ref, r.label.violations);
const batch = 2000;
for (let i = 0; i < flood.length; i += batch) {
  const now = at((i / batch) * 45);
  await submitBatch(
    { actor: 'demo', submitterId: 'demo', now },
    flood.slice(i, i + batch).map((r) => r.input),
    { store, snapshot: () => snapshot },
  );
}

// The risk runtime learns each rule's hit rate from the officers' findings.
const riskStore = openSqliteRiskStore({ dataDir: dir });
const risk = await openRiskRuntime({ store: riskStore, base: snapshot, now: at(0) });

// A morning of work: carriers report arrivals; officers decide a share of the held parcels.
const officer = (now: string) => ({ actor: 'officer:ana', submitterId: 'customs', now });
let n = 0;
for (const state of ['held-for-inspection', 'held-for-information'] as const) {
  const page = await store.list({ state, limit: state === 'held-for-inspection' ? 260 : 120 });
  for (const s of page.items) {
    const c = (await store.get(s.id))!;
    const found = violations.get(c.merged.externalRef ?? '') ?? [];
    const when = at(60 * 4 + (n++ % 300));
    if (n % 4 === 0) {
      await recordCarrierEvent(officer(when), store, c.id, { type: 'arrived', at: when });
    }
    const later = new Date(Date.parse(when) + (30 + (n % 7) * 25) * 60_000).toISOString();
    if (found.length > 0 && state === 'held-for-inspection') {
      const d = { action: 'seize', reason: `inspection confirms ${found[0]}`, finding: found[0]! } as const;
      await recordOfficerDecision(officer(later), store, c.id, d);
      await risk.recordDecision(officer(later), c, d);
    } else {
      const d = {
        action: 'release',
        reason: state === 'held-for-inspection' ? 'inspected, goods as declared' : 'invoice provided',
        ...(state === 'held-for-inspection' ? { finding: 'nothing-found' } : {}),
      } as const;
      await recordOfficerDecision(officer(later), store, c.id, d);
      await risk.recordDecision(officer(later), c, d);
    }
  }
}
const released = await store.list({ state: 'released-before-arrival', limit: 3000 });
for (const [i, s] of released.items.entries()) {
  await recordCarrierEvent(officer(at(60 * 10 + i / 10)), store, s.id, {
    type: 'arrived',
    at: at(60 * 10 + i / 10),
  });
}

await risk.flush();
const registry = await openRegistryServices(openSqliteRegistry({ file: join(dir, sqliteFileName) }), store);
const app = await buildApp({
  store,
  snapshot: () => risk.snapshot(),
  risk,
  registry,
  clock: () => new Date(`${day}T18:00:00Z`),
});
const seeded = await seedRegistry(app);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const { context, close } = await launchChromium({ width: 1280, height: 860 });
const page = await context.newPage();

async function settle(p: Page): Promise<void> {
  await p.waitForFunction(
    "document.querySelector('main h1') !== null && !(document.querySelector('main [role=status]')?.textContent ?? '').endsWith('…')",
    null,
    { timeout: 60_000 },
  );
}

// Two officers at work: their claims show as badges in the queue (docs/console.md "Claims").
const top = await store.console!.queue({ sort: 'risk', limit: 6 });
for (const [i, officerId] of [
  [0, 'officer:ana'],
  [3, 'officer:ben'],
] as const) {
  const row = top.items[i];
  if (row)
    await store.console!.claim({
      consignmentId: row.id,
      officerId,
      now: `${day}T17:50:00Z`,
      ttlMs: 30 * 60_000,
    });
}

mkdirSync(out, { recursive: true });
await page.goto(`${url}/console/#/queue?sort=risk`);
await settle(page);
await page.screenshot({ path: join(out, 'console-queue.png') });
const id = await page.locator('tr.row').nth(2).getAttribute('data-id');
await page.goto(`${url}/console/#/c/${id}`);
await page.waitForSelector('#timeline');
await page.fill('#d-reason', 'Brand owner confirms the item is not genuine');
await page.screenshot({ path: join(out, 'console-consignment.png'), fullPage: true });
await page.goto(`${url}/console/#/dashboard`);
await settle(page);
await page.screenshot({ path: join(out, 'console-dashboard.png'), fullPage: true });
await page.goto(`${url}/console/#/forecast`);
await settle(page);
await page.screenshot({ path: join(out, 'console-forecast.png'), fullPage: true });
const inForce = String(((await app.inject({ url: '/v1/rule-sets' })).json() as { inForce: string }).inForce);
await page.goto(`${url}/console/#/rules/${inForce.replace('@', '/')}`);
await page.waitForSelector('#rules-table');
await settle(page);
await page.screenshot({ path: join(out, 'console-rules.png') });
await page.goto(`${url}/console/#/operators`);
await settle(page);
await page.screenshot({ path: join(out, 'console-operators.png'), fullPage: true });
await page.goto(`${url}/console/#/operators/${seeded.sellerOperatorId}`);
await page.waitForSelector('#compliance');
await page.screenshot({ path: join(out, 'console-operator.png'), fullPage: true });
await page.goto(`${url}/console/#/cases/${seeded.caseId}`);
await page.waitForSelector('#case-history');
await page.screenshot({ path: join(out, 'console-case.png'), fullPage: true });
const narrow = await context.newPage();
await narrow.setViewportSize({ width: 390, height: 844 });
await narrow.goto(`${url}/console/#/queue`);
await settle(narrow);
await narrow.screenshot({ path: join(out, 'console-queue-narrow.png') });
await close();
await app.close();
await registry.close();
await riskStore.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(`screenshots written to ${out}`);
