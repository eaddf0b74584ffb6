/**
 * Notices to platforms go out through the webhook dispatcher: signed, retried after a failure (the
 * delivery state survives a new dispatcher), each version once; the platform's answer is recorded and
 * its change is delivered too. Another operator's subscription receives nothing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistryServices } from '../api/index.js';
import { createSubscription, verifyWebhook, WebhookDispatcher } from '../exchange/index.js';
import { openSqliteRegistry } from '../registry/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../store/index.js';
import { noticeStream, type NoticeMessage } from './notice-stream.js';
import { scratchDir } from '../testing/scratch.js';
import { publicNames } from '../exchange/webhooks/testing/destinations.js';

test('platform notices are delivered by webhook, signed and retried, and the answer follows', async () => {
  const dir = scratchDir('pg-notices-');
  const file = join(dir, 'parcelgate.db');
  const store = openSqliteStore({ file });
  const exchange = openSqliteExchangeStore({ file });
  let ms = Date.parse('2026-11-27T10:00:00Z');
  const clock = () => new Date(ms);
  const services = await openRegistryServices(openSqliteRegistry({ file }), store, { clock });
  try {
    const now = () => clock().toISOString();
    const platform = await services.operators.register(
      {
        kind: 'platform',
        name: 'Marketplace',
        country: 'CN',
        identifiers: [{ scheme: 'PLATFORM', value: 'MKT' }],
        contacts: [],
      },
      now(),
    );
    const sub = await createSubscription(
      exchange,
      { operatorId: platform.id, url: 'https://mkt.example/hook' },
      now(),
      publicNames,
    );
    await createSubscription(
      exchange,
      { operatorId: 'opr_someone-else', url: 'https://other.example/hook' },
      now(),
      publicNames,
    );
    ms += 1000;
    const c = await services.partnership.openCase(
      {
        kind: 'counterfeit',
        platformId: 'MKT',
        sellerId: 'S-884',
        listingUrl: 'https://mkt.example/item/1',
        evidence: [],
      },
      'officer:ana',
      now(),
    );
    const confirmed = await services.partnership.act(
      c.id,
      { action: 'confirm', reason: 'rights holder confirmed' },
      'officer:ana',
      now(),
    );
    assert.ok(confirmed.noticeId);

    const received: { url: string; body: string; ok: boolean }[] = [];
    let failures = 2;
    const post = async (url: string, body: string, headers: Record<string, string>) => {
      assert.equal(verifyWebhook(sub.secret, headers, body, Math.floor(ms / 1000)).ok, true, 'signed');
      const ok = failures-- <= 0;
      received.push({ url, body, ok });
      return ok ? { ok: true } : { ok: false, error: 'HTTP 503' };
    };
    const streams = [noticeStream(services.store)];
    const run = async () => {
      const d = new WebhookDispatcher(exchange, { clock, post, streams, random: () => 0.5 });
      for (let i = 0; i < 20; i++) {
        await d.tick();
        ms += 60_000; // past any retry time
      }
    };
    await run();
    const delivered = received.filter((r) => r.ok);
    assert.equal(received.filter((r) => !r.ok).length, 2, 'two failed attempts, retried');
    assert.equal(delivered.length, 1);
    assert.ok(
      received.every((r) => r.url === 'https://mkt.example/hook'),
      'only the platform',
    );
    assert.ok(new Set(received.map((r) => r.body)).size === 1, 'redeliveries are byte-identical');
    const first = JSON.parse(delivered[0]!.body) as NoticeMessage;
    assert.equal(first.type, 'platform-notice.issued');
    assert.equal(first.notice.listingUrl, 'https://mkt.example/item/1');
    assert.equal(first.notice.sellerId, 'S-884');

    // The platform answers; the answer is recorded and the updated notice goes out once.
    const answered = await services.partnership.answer(
      first.notice.id,
      { action: 'listing-removed', note: 'removed' },
      platform.id,
      now(),
    );
    assert.equal(answered.answer?.action, 'listing-removed');
    await run(); // a new dispatcher resumes from the stored state
    const all = received.filter((r) => r.ok).map((r) => JSON.parse(r.body) as NoticeMessage);
    assert.deepEqual(
      all.map((m) => [m.type, m.id]),
      [
        ['platform-notice.issued', `${first.notice.id}.v1`],
        ['platform-notice.updated', `${first.notice.id}.v2`],
      ],
    );
    assert.equal(all[1]!.notice.answer?.action, 'listing-removed');
  } finally {
    await services.close();
    await exchange.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
