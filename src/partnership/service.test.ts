/**
 * The partnership service's own guarantees: an unknown seller is registered in the confirmed case's
 * transaction (a failure leaves neither without the other, two confirmations at once share one seller),
 * and a platform's answer is dated like carrier events and returns.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistryServices } from '../api/index.js';
import { ParcelgateError } from '../domain/index.js';
import { openSqliteRegistry, type RegistryStore } from '../registry/index.js';
import { openSqliteStore } from '../store/index.js';
import { scratchDir } from '../testing/scratch.js';
import { PartnershipService } from './service.js';

async function withServices(
  run: (
    s: Awaited<ReturnType<typeof openRegistryServices>>,
    registry: RegistryStore,
    clearance: ReturnType<typeof openSqliteStore>,
  ) => Promise<void>,
): Promise<void> {
  const dir = scratchDir('pg-partnership-');
  const file = join(dir, 'parcelgate.db');
  const store = openSqliteStore({ file });
  const registry = openSqliteRegistry({ file });
  const services = await openRegistryServices(registry, store, {
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  try {
    await run(services, registry, store);
  } finally {
    await services.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = '2026-11-27T10:00:00.000Z';
const caseOf = (sellerId: string, n = 1) => ({
  kind: 'counterfeit' as const,
  platformId: 'MKT',
  sellerId,
  listingUrl: `https://mkt.example/item/${n}`,
  evidence: [],
});
const confirm = { action: 'confirm' as const, reason: 'rights holder confirmed' };

test('a confirmation that fails to commit registers no seller; the retried one registers it with the case', async () => {
  await withServices(async (services, registry, clearance) => {
    const c = await services.partnership.openCase(caseOf('S-1'), 'officer:ana', at);
    // The case's write fails (the process dies, the disk is full) after the seller was looked up.
    const failing = new Proxy(registry, {
      get(target, prop, receiver) {
        if (prop === 'write')
          return async (writes: Parameters<RegistryStore['write']>[0]) => {
            if (writes.some((w) => w.collection === 'case')) throw new Error('disk full');
            return target.write(writes);
          };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const broken = new PartnershipService(failing, services.operators, clearance);
    await assert.rejects(broken.act(c.id, confirm, 'officer:ana', at), /disk full/);
    assert.equal(
      await services.operators.resolve('PLATFORM-SELLER', 'MKT/S-1'),
      undefined,
      'no seller registered by a confirmation that did not commit',
    );
    assert.equal((await services.partnership.getCase(c.id)).doc.state, 'opened');

    const done = await services.partnership.act(c.id, confirm, 'officer:ana', at);
    const seller = await services.operators.resolve('PLATFORM-SELLER', 'MKT/S-1');
    assert.ok(seller, 'the seller is registered with the confirmed case');
    assert.equal(done.sellerOperatorId, seller.id);
    assert.equal(seller.kind, 'seller');
    assert.equal(seller.name, 'MKT seller S-1');
    assert.equal((await services.partnership.sellerHistory(seller.id)).confirmedCases, 1);
  });
});

test('two cases against one unknown seller confirmed at once share one registered seller', async () => {
  await withServices(async (services) => {
    const a = await services.partnership.openCase(caseOf('S-2', 1), 'officer:ana', at);
    const b = await services.partnership.openCase(caseOf('S-2', 2), 'officer:ben', at);
    const [ca, cb] = await Promise.all([
      services.partnership.act(a.id, confirm, 'officer:ana', at),
      services.partnership.act(b.id, confirm, 'officer:ben', at),
    ]);
    assert.ok(ca.sellerOperatorId);
    assert.equal(ca.sellerOperatorId, cb.sellerOperatorId);
    const sellers = (await services.operators.list({ kind: 'seller', limit: 100 })).items.filter((o) =>
      o.name.startsWith('MKT seller S-2'),
    );
    assert.equal(sellers.length, 1);
    assert.equal((await services.partnership.sellerHistory(ca.sellerOperatorId)).confirmedCases, 2);
  });
});

test("a platform's answer is dated neither after the clock (beyond 5 minutes) nor before the notice", async () => {
  await withServices(async (services) => {
    const platform = await services.operators.register(
      {
        kind: 'platform',
        name: 'Marketplace',
        country: 'CN',
        identifiers: [{ scheme: 'PLATFORM', value: 'MKT' }],
        contacts: [],
      },
      at,
    );
    const c = await services.partnership.openCase(caseOf('S-3'), 'officer:ana', at);
    const confirmed = await services.partnership.act(c.id, confirm, 'officer:ana', at);
    const noticeId = confirmed.noticeId!;
    const now = '2026-11-27T12:00:00.000Z';
    const refused = async (answerAt: string, message: RegExp) => {
      const e = await services.partnership
        .answer(noticeId, { action: 'listing-removed', at: answerAt }, platform.id, now)
        .then(
          () => assert.fail(`an answer dated ${answerAt} is refused`),
          (err: unknown) => err,
        );
      assert.ok(e instanceof ParcelgateError);
      assert.equal(e.code, 'notice.invalid-date');
      assert.equal(e.status, 422);
      const issues = (e.details as { issues: { code: string; path: string; message: string }[] }).issues;
      assert.deepEqual(
        issues.map((i) => [i.code, i.path]),
        [['notice.invalid-date', '/at']],
      );
      assert.match(e.message, message);
    };
    await refused('2026-11-27T12:06:00Z', /after the server's clock .* by more than 5 minutes/);
    await refused('2026-11-20T00:00:00Z', /before the notice it answers \(2026-11-27T10:00:00.000Z\)/);
    await refused('2026-11-27T11:00:00+02:00', /before the notice it answers/);
    const ok = await services.partnership.answer(
      noticeId,
      { action: 'listing-removed', at: '2026-11-27T14:04:00+02:00' },
      platform.id,
      now,
    );
    assert.equal(ok.answer?.at, '2026-11-27T12:04:00.000Z', 'within the clock skew, stored in UTC');
  });
});
