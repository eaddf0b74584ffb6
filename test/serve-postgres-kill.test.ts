/**
 * Several real `parcelgate serve --postgres URL --dispatch` processes on one database, flooded over
 * HTTP; one is SIGKILLed mid-flood. Every acknowledged consignment must be stored and assessed exactly
 * once, and every notification must reach its operator's webhook receiver: exactly once after the
 * receiver's de-duplication on `webhook-id`, and sent twice only for the one event per subscription
 * that the killed process may have had in flight (at-least-once across a kill; docs/notifications.md).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { newPseudonymKey } from '../src/privacy/index.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { newWebhookSecret, verifyWebhook } from '../src/exchange/index.js';
import { packageRoot } from '../src/reference/index.js';
import { generateFlood } from '../src/sim/index.js';
import { migratePostgres } from '../src/store/index.js';
import { ownDatabase, pgTestTarget, withPgClient } from '../src/store/postgres/testing/pg-test-env.js';
import { assertCreatedExactlyOnce } from './helpers/exactly-once.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const target = pgTestTarget();
const processes = 3;
const operators = ['opr_mp_a', 'opr_mp_b', 'opr_mp_c'];
const parcels = 600;
const batchSize = 30;

/** Polls `cond` every 25 ms until it holds; fails with `what` after `limitMs` rather than hang the suite. */
async function until(cond: () => boolean | Promise<boolean>, what: string, limitMs = 90_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`gave up waiting for ${what}`);
}

const t0 = Date.now();
const debug = process.env.PARCELGATE_TEST_DEBUG
  ? (s: string) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${s}\n`)
  : () => {};

interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const pseudonymKey = newPseudonymKey('kill-test');

/** Starts `serve --postgres URL --dispatch` on a free-looking port; resolves once it listens. */
async function startServer(url: string): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const child = spawn(
      process.execPath,
      [bin, 'serve', '--postgres', url, '--dispatch', '--auth', 'open', '--port', String(port)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        // Every process of one database holds the same pseudonym key (docs/security.md).
        // The receivers listen on loopback: allowed explicitly (here through the environment).
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          PARCELGATE_PSEUDONYM_KEY: pseudonymKey,
          PARCELGATE_WEBHOOK_ALLOW: '127.0.0.1/32',
        },
      },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let exited = false;
    void exit.then(() => (exited = true));
    await until(() => exited || err.includes('parcelgate API on'), 'a server to start', 240_000);
    if (!exited) return { child, port, stderr: () => err, exit };
    if (attempt >= 3 || !err.includes('EADDRINUSE')) assert.fail(`serve did not start: ${err}`);
  }
}

interface Delivery {
  id: string;
  body: string;
  signatureOk: boolean;
}

/** A webhook receiver for one operator: answers 204 to every correctly signed request and records it. */
async function startReceiver(secret: string) {
  const got: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyWebhook(secret, req.headers, body, Math.floor(Date.now() / 1000));
      got.push({ id: String(req.headers['webhook-id'] ?? ''), body, signatureOk: check.ok });
      res.statusCode = check.ok ? 204 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function post(port: number, path: string, operator: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-submitter-id': operator },
    body: JSON.stringify(body),
  });
}

/** Every notification the feed holds for `operator` (the same bodies webhooks carry), by id. */
async function feed(port: number, operator: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let after = 0;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/feed?after=${after}&limit=1000`, {
      headers: { 'x-submitter-id': operator },
    });
    assert.equal(res.status, 200);
    const page = (await res.json()) as { events: { id: string }[]; next: number };
    if (page.events.length === 0) return out;
    for (const e of page.events) out.set(e.id, JSON.stringify(e));
    after = page.next;
  }
}

test(
  'three `serve --postgres --dispatch` processes share an HTTP flood; one is SIGKILLed mid-flood; every acknowledged consignment is assessed once and every notification delivered',
  { skip: target.skip, timeout: 600_000 },
  async () => {
    const db = { url: await ownDatabase(target.url ?? '', 'servekill') };
    debug('database ready');
    const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
    const servers: Server[] = [];
    try {
      await migratePostgres(db.url);
      debug('migrated');
      servers.push(...(await Promise.all(Array.from({ length: processes }, () => startServer(db.url)))));
      debug('servers up');
      // One subscription per operator, each made through a different process.
      for (const [i, op] of operators.entries()) {
        const secret = newWebhookSecret();
        const rx = await startReceiver(secret);
        receivers.push(rx);
        const res = await post(servers[i % processes]!.port, '/v1/webhooks', op, {
          url: rx.url,
          secret,
          from: 'beginning',
        });
        assert.equal(res.status, 201, await res.text());
      }

      // Each operator sends its own parcels (a party linked to another's consignment later sees its
      // earlier events in the feed, but a webhook cursor already past them does not go back).
      const perOperator = operators.map((op) =>
        [
          ...generateFlood({
            seed: `serve-pg-kill-${op}`,
            count: parcels / operators.length,
            day: '2026-11-27',
          }),
        ].map((r) => r.input),
      );
      const queue: { n: number; operator: string; records: unknown[] }[] = [];
      for (let i = 0; i < perOperator[0]!.length; i += batchSize)
        for (const [o, records] of perOperator.entries())
          if (i < records.length)
            queue.push({
              n: queue.length,
              operator: operators[o]!,
              records: records.slice(i, i + batchSize),
            });
      const batches = queue.length;
      const acked = new Map<number, string[]>();
      const live = new Set([0, 1, 2]);
      let ackedBy0 = 0;
      let killAt: Promise<void> | undefined;
      let next = 0;
      let failures = 0;

      /** Sends batch `b` to server `s`; true when it was acknowledged (200, every record answered). */
      const send = async (
        b: { n: number; operator: string; records: unknown[] },
        s: number,
      ): Promise<boolean> => {
        try {
          const res = await post(servers[s]!.port, '/v1/consignments', b.operator, {
            consignments: b.records,
          });
          if (res.status !== 200) {
            debug(`batch ${b.n} to server ${s}: ${res.status} ${await res.text()}`);
            return false;
          }
          const body = (await res.json()) as { results: { consignmentId?: string; status: string }[] };
          const ids = body.results.filter((r) => r.status !== 'rejected').map((r) => r.consignmentId ?? '');
          const earlier = acked.get(b.n);
          // The same batch acknowledged by two processes names the same consignments.
          if (earlier !== undefined) assert.deepEqual(ids, earlier, `batch ${b.n} answered alike twice`);
          acked.set(b.n, ids);
          if (s === 0 && ++ackedBy0 === 3) {
            // Server 0 dies a few milliseconds after its third acknowledgement, requests still in flight.
            killAt = new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 15))).then(() => {
              live.delete(0);
              servers[0]!.child.kill('SIGKILL');
            });
          }
          return true;
        } catch (e) {
          debug(`batch ${b.n} to server ${s}: ${String(e)}`);
          return false; // connection refused or reset: the process died under the request
        }
      };

      // Three lanes send concurrently, round-robin over the live processes; every third batch goes to
      // two processes at once (a client retrying elsewhere while the first attempt still runs).
      const lane = async () => {
        while (acked.size < batches) {
          const b = queue.shift();
          if (b === undefined) {
            await new Promise((r) => setTimeout(r, 10));
            continue;
          }
          const targets = [...live];
          const at = next++ % targets.length;
          const tries = [send(b, targets[at]!)];
          if (b.n % 3 === 0 && targets.length > 1) tries.push(send(b, targets[(at + 1) % targets.length]!));
          const ok = await Promise.all(tries);
          if (!ok.some(Boolean) && !acked.has(b.n)) {
            failures += 1;
            assert.ok(failures < 50, 'batches keep failing on the live processes');
            queue.push(b);
          }
        }
      };
      await Promise.all([lane(), lane(), lane()]);
      debug(`flood done; server 0 acknowledged ${ackedBy0} batches`);
      await killAt;
      const killed = await servers[0]!.exit;
      assert.equal(killed.signal, 'SIGKILL', 'server 0 was killed');
      assert.ok(ackedBy0 < batches, 'killed mid-flood');
      const ackedIds = new Set([...acked.values()].flat());
      assert.ok(ackedIds.size > parcels / 2, `acknowledged ${ackedIds.size} consignments`);

      await withPgClient(db.url, undefined, async (c) => {
        const q = async (sql: string): Promise<string[]> =>
          (await c.query<{ id: string }>(sql)).rows.map((r) => r.id);
        const stored = new Set(await q('SELECT id FROM consignments'));
        assert.deepEqual(
          [...ackedIds].filter((id) => !stored.has(id)),
          [],
          'every acknowledged consignment is stored',
        );
        assert.deepEqual(
          await q(`SELECT key AS id FROM link_keys GROUP BY key HAVING count(*) > 1`),
          [],
          'each link key maps to exactly one consignment',
        );
        await assertCreatedExactlyOnce(c);
      });

      // Notifications: the survivors finish the killed process's subscriptions.
      for (const [i, op] of operators.entries()) {
        const expected = await feed(servers[1]!.port, op);
        assert.ok(expected.size > 0, `${op} has events`);
        const rx = receivers[i]!;
        debug(`${op}: ${expected.size} notifications expected, ${rx.got.length} received so far`);
        // Waits for them all; when some never come, the comparison below names them.
        let seen = -1;
        let quietSince = Date.now();
        await until(
          () => {
            const unique = new Set(rx.got.map((d) => d.id)).size;
            if (unique !== seen) [seen, quietSince] = [unique, Date.now()];
            return unique >= expected.size || Date.now() - quietSince > 30_000;
          },
          `${op}'s notifications`,
          240_000,
        ).catch(() => undefined);
        const counts = new Map<string, number>();
        for (const d of rx.got) {
          assert.ok(d.signatureOk, 'every delivery is signed');
          assert.equal(d.body, expected.get(d.id), `${d.id} carries the feed's body`);
          counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
        }
        const missing = [...expected.keys()].filter((id) => !counts.has(id));
        const extra = [...counts.keys()].filter((id) => !expected.has(id));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${op}: each event arrived`);
        const twice = [...counts].filter(([, n]) => n > 1);
        assert.ok(
          twice.length <= 1 && twice.every(([, n]) => n === 2),
          `${op}: only the event in flight at the kill may come twice, got ${JSON.stringify(twice)}`,
        );
      }

      // The survivors shut down gracefully.
      for (const s of servers.slice(1)) s.child.kill('SIGTERM');
      for (const s of servers.slice(1)) {
        const e = await s.exit;
        assert.equal(e.code, 0, `a survivor exits cleanly: ${s.stderr()}`);
      }
    } finally {
      for (const s of servers)
        if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await Promise.all(servers.map((s) => s.exit));
      for (const rx of receivers) await rx.close();
    }
  },
);
