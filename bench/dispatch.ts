/**
 * Webhook delivery and feed reads, as ratios against baselines in the same run:
 *   - dispatcher (read after cursor, sign, POST, store cursor per event) vs a bare loop POSTing the
 *     same bodies to the same local receiver;
 *   - feed pages (`eventsSince`, joined to the owner) vs a raw `SELECT … WHERE seq > ?` of the same rows.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  WebhookDispatcher,
  createSubscription,
  newWebhookSecret,
  toNotification,
} from '../src/exchange/index.js';
import { loopbackReceivers } from '../src/exchange/webhooks/testing/destinations.js';
import { openSqliteExchangeStore, openSqliteStore } from '../src/store/index.js';
import { createWrites, fixtureConsignment } from '../src/store/testing/index.js';
import { scratchDir } from '../src/testing/scratch.js';

/** Runs the dispatch bench with `count` events; reports through `say`. */
export async function benchDispatch(count: number, say: (line: string) => void): Promise<void> {
  const dir = scratchDir('pg-bench-dispatch-');
  const store = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    for (let i = 0; i < count; i += 1000) {
      const cs = Array.from({ length: Math.min(1000, count - i) }, () =>
        fixtureConsignment({ submitterId: 'opr_a' }),
      );
      await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(cs), result: null }));
    }
    const events = await exchange.eventsSince(0, 10_000);
    const bodies = events.slice(0, count).map((e) => JSON.stringify(toNotification(e)));

    // Warm up the HTTP client and the receiver before either side is timed.
    for (const body of bodies.slice(0, 300))
      await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) =>
        r.arrayBuffer(),
      );
    let t = performance.now();
    for (const body of bodies)
      await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) =>
        r.arrayBuffer(),
      );
    const bare = count / ((performance.now() - t) / 1000);

    await createSubscription(
      exchange,
      { operatorId: 'opr_a', url, secret: newWebhookSecret(), from: 'beginning' },
      new Date().toISOString(),
      loopbackReceivers,
    );
    // The receiver is local: the bench allows loopback as `serve --webhook-allow 127.0.0.1/32` would.
    const d = new WebhookDispatcher(exchange, { batchSize: 500, destinations: loopbackReceivers });
    received = 0;
    t = performance.now();
    while ((await d.tick()).more || received < count);
    const dispatched = count / ((performance.now() - t) / 1000);
    say(
      `dispatch  ${count} webhooks: ${Math.round(dispatched)}/s vs bare POST loop ${Math.round(bare)}/s (ratio ${(dispatched / bare).toFixed(2)})`,
    );

    const raw = new Database(join(dir, 'parcelgate.db'), { readonly: true });
    const rawPage = raw.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT 1000');
    t = performance.now();
    for (let after = 0; ;) {
      const rows = rawPage.all(after) as { seq: number }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
    }
    const rawRate = count / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let after = 0; ;) {
      const page = await exchange.eventsSince(after, 1000, { submitterId: 'opr_a' });
      if (page.length === 0) break;
      after = page[page.length - 1]!.seq;
    }
    const feedRate = count / ((performance.now() - t) / 1000);
    raw.close();
    say(
      `feed      ${count} events in pages of 1000: ${Math.round(feedRate)}/s vs raw SELECT ${Math.round(rawRate)}/s (ratio ${(feedRate / rawRate).toFixed(2)})`,
    );
  } finally {
    server.close();
    await exchange.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
