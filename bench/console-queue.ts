/**
 * (f) Console work queue on 100,000 held consignments: a page request (HTTP, through the API and the
 * console port) and the port's query alone, each as a ratio against the raw indexed SELECT of the same
 * page on the same file; first pages, deep pages (cursor), filtered pages, and the queue counts.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot, recordInformationAnswer } from '../src/clearance/index.js';
import type { Lane } from '../src/domain/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { encodeQueueCursor } from '../src/store/console/index.js';
import { answeredRowSql } from '../src/store/console/queue-sql.js';
import { createWrites, fixtureConsignment } from '../src/store/testing/fixtures.js';
import { fmt, medianMs, tempDir } from './util.js';

const rules = [
  'R-COUNTERFEIT-BRAND',
  'R-VAGUE-DESC',
  'R-WATCHLIST-SELLER',
  'undervaluation',
  'random-control',
];

/** Median milliseconds of `runs` calls of `f` after 20 warm-up calls. */
const median = (runs: number, f: () => unknown): Promise<number> => medianMs(runs, f, 20);

export async function benchConsoleQueue(count: number, say: (line: string) => void): Promise<void> {
  say('');
  say(`(f) console work queue: ${fmt(count)} held consignments`);
  const dir = tempDir('console');
  const store = openSqliteStore({ dataDir: dir });
  const started = performance.now();
  const t0 = Date.parse('2026-11-27T00:00:00.000Z');
  for (let i = 0; i < count; i += 5000) {
    const batch: ReturnType<typeof fixtureConsignment>[] = [];
    for (let j = i; j < Math.min(count, i + 5000); j++) {
      const lane: Lane = j % 3 === 0 ? 'yellow' : 'red';
      const c = fixtureConsignment({
        state: lane === 'yellow' ? 'held-for-information' : 'held-for-inspection',
        lane,
        riskScore: (j * 37) % 101,
        office: `DE0000${String(j % 40).padStart(2, '0')}`,
        createdAt: new Date(t0 + Math.floor(j / 3) * 1000).toISOString(),
      });
      c.assessment.risk.hits = [
        { id: rules[j % rules.length]!, version: 1, kind: 'rule', score: 60, reason: 'fixture reason' },
      ];
      batch.push(c);
    }
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(batch), result: null }));
  }
  // Requests for information: 1% of the queue (every 100th consignment, all held for information)
  // has been answered, as the answer endpoint writes it (the candidate row, then the answer event).
  const answerCount = Math.floor(count / 100);
  const heldIds: string[] = [];
  let listCursor: string | null = null;
  do {
    const page = await store.list({
      state: 'held-for-information',
      limit: 1000,
      ...(listCursor ? { cursor: listCursor } : {}),
    });
    heldIds.push(...page.items.map((i) => i.id));
    listCursor = page.nextCursor;
  } while (listCursor && heldIds.length < answerCount * 3);
  const toAnswer = heldIds.filter((_, i) => i % 3 === 0).slice(0, answerCount);
  for (const id of toAnswer) {
    const now = new Date(t0 + 86_400_000).toISOString();
    await store.console!.noteAnswer!(id, now);
    await recordInformationAnswer({ actor: 'opr_bench', submitterId: 'opr_bench', now }, store, id, {
      explanation: 'Invoice attached.',
      documents: [{ kind: 'invoice', reference: `INV-${id}` }],
    });
  }
  say(
    `  built in ${((performance.now() - started) / 1000).toFixed(1)} s (${fmt(toAnswer.length)} requests for information answered)`,
  );
  const snapshot = loadSnapshot();
  const app = await buildApp({ store, snapshot: () => snapshot });
  await app.ready();
  const raw = new Database(join(dir, 'parcelgate.db'), { readonly: true });
  // The raw SELECTs read the same pages through the same indexes: the page order is the priority tier
  // (stored, migration 62), then the time order.
  const rawFirst = raw.prepare(
    `SELECT * FROM work_queue ORDER BY priority DESC, created_at DESC, consignment_id DESC LIMIT 51`,
  );
  const rawAfter = raw.prepare(
    `SELECT * FROM work_queue WHERE (priority, created_at, consignment_id) < (?, ?, ?)
     ORDER BY priority DESC, created_at DESC, consignment_id DESC LIMIT 51`,
  );
  const rawFirstMarked = raw.prepare(
    `SELECT *, CASE WHEN ${answeredRowSql} THEN 1 ELSE 0 END AS answered FROM work_queue w
     ORDER BY priority DESC, created_at DESC, consignment_id DESC LIMIT 51`,
  );
  const rawOffice = raw.prepare(
    `SELECT * FROM work_queue WHERE office = ?
     ORDER BY priority DESC, created_at DESC, consignment_id DESC LIMIT 51`,
  );
  const q = store.console!;
  // The position after 999 pages of 50: page 1,000 starts there.
  const deepPages = await q.queue({ sort: 'newest', limit: 50 * 999 });
  const deep = deepPages.items.at(-1)!;
  const cursor = encodeQueueCursor('newest', deep);

  const runs = 300;
  const base = await median(runs, () => rawFirst.all());
  const tier = { high: 2, normal: 1, low: 0 }[deep.priority ?? 'normal'];
  const baseDeep = await median(runs, () => rawAfter.all(tier, deep.createdAt, deep.id));
  const baseOffice = await median(runs, () => rawOffice.all('DE000007'));
  const baseMarked = await median(runs, () => rawFirstMarked.all());
  const httpAnswered = await median(runs, () =>
    app.inject({ url: '/v1/console/queue?limit=50&answered=true' }),
  );
  const port = await median(runs, () => q.queue({ sort: 'newest', limit: 50 }));
  const portDeep = await median(runs, () => q.queue({ sort: 'newest', limit: 50, cursor }));
  const http = await median(runs, () => app.inject({ url: '/v1/console/queue?limit=50' }));
  const httpDeep = await median(runs, () =>
    app.inject({ url: `/v1/console/queue?limit=50&cursor=${cursor}` }),
  );
  const httpOffice = await median(runs, () =>
    app.inject({ url: '/v1/console/queue?limit=50&office=DE000007' }),
  );
  const httpRisk = await median(runs, () => app.inject({ url: '/v1/console/queue?limit=50&sort=risk' }));
  const httpReason = await median(runs, () =>
    app.inject({ url: '/v1/console/queue?limit=50&reason=R-VAGUE-DESC&sort=oldest' }),
  );
  // Work-queue claims: 40 officers hold 25 each (1,000), spread through the queue's first pages.
  const claimedAt = new Date().toISOString();
  const firstPages = await q.queue({ sort: 'newest', limit: 4000 });
  for (const [i, it] of firstPages.items.entries())
    if (i % 4 === 0)
      await q.claim({
        consignmentId: it.id,
        officerId: `officer:b${i % 40}`,
        now: claimedAt,
        ttlMs: 3_600_000,
      });
  const httpUnclaimed = await median(runs, () =>
    app.inject({ url: '/v1/console/queue?limit=50&claim=unclaimed' }),
  );
  const httpMine = await median(runs, () =>
    app.inject({ url: '/v1/console/queue?limit=50&claim=mine', headers: { 'x-actor': 'officer:b8' } }),
  );
  // Each call claims the next one (and the next call skips it): what an officer's "Claim next" costs.
  let officer = 0;
  const claimNext = await median(100, () =>
    app.inject({
      method: 'POST',
      url: '/v1/console/queue/claim-next',
      payload: {},
      headers: { 'x-actor': `officer:n${officer++}` },
    }),
  );
  const countsPort = await median(10, () => q.queueCounts());
  const counts = await median(runs, () => app.inject({ url: '/v1/console/queue/counts' }));
  const ms = (v: number) => `${v.toFixed(3)} ms`;
  const x = (v: number, b: number) => `${(v / b).toFixed(2)}x`;
  say(`  raw indexed SELECT, first page of 50        ${ms(base)}  (baseline)`);
  say(`  console port, first page                    ${ms(port)}  ${x(port, base)}`);
  say(`  HTTP GET /v1/console/queue, first page      ${ms(http)}  ${x(http, base)}`);
  say(`  raw SELECT after a cursor, page 1,000       ${ms(baseDeep)}  (baseline)`);
  say(`  console port, page 1,000 (cursor)           ${ms(portDeep)}  ${x(portDeep, baseDeep)}`);
  say(`  HTTP, page 1,000 (cursor)                   ${ms(httpDeep)}  ${x(httpDeep, baseDeep)}`);
  say(`  raw SELECT, one office                      ${ms(baseOffice)}  (baseline)`);
  say(`  HTTP, one office                            ${ms(httpOffice)}  ${x(httpOffice, baseOffice)}`);
  say(
    `  HTTP, highest risk first                    ${ms(httpRisk)}  ${x(httpRisk, base)} of the first-page baseline`,
  );
  say(
    `  HTTP, one rule, oldest first                ${ms(httpReason)}  ${x(httpReason, base)} of the first-page baseline`,
  );
  say(`  raw SELECT, first page with the answered mark ${ms(baseMarked)}  ${x(baseMarked, base)}`);
  say(
    `  HTTP, answered requests for information     ${ms(httpAnswered)}  ${x(httpAnswered, base)} of the first-page baseline`,
  );
  say(
    `  HTTP, unclaimed only (1,000 claimed)        ${ms(httpUnclaimed)}  ${x(httpUnclaimed, base)} of the first-page baseline`,
  );
  say(
    `  HTTP, mine (25 claims of one officer)       ${ms(httpMine)}  ${x(httpMine, base)} of the first-page baseline`,
  );
  say(
    `  HTTP POST claim-next                        ${ms(claimNext)}  ${x(claimNext, base)} of the first-page baseline`,
  );
  say(
    `  queue counts (facets over the whole queue)  ${ms(countsPort)}  computed once per change of the event log`,
  );
  say(`  HTTP GET /v1/console/queue/counts, cached   ${ms(counts)}  ${x(counts, base)}`);
  raw.close();
  await app.close();
  await store.close();
}
