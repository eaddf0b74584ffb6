/**
 * Exchange contract: a submitter's feed carries the events of every consignment it created or
 * contributed a record to (the consignments its list holds), each event once; part of the exchange
 * store contract.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchWrites, ClearanceEvent, ClearanceStore, StoredConsignment } from '../port.js';
import type { ExchangeStore, FeedEvent } from '../exchange-port.js';
import { createWrites, fixtureConsignment, fixtureSource } from '../testing/fixtures.js';

type Open = () => Promise<{ clearance: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> }>;

const event = (c: StoredConsignment, type: string, actor: string, at: string): ClearanceEvent => ({
  consignmentId: c.id,
  type,
  from: c.state,
  to: c.state,
  at,
  actor,
});

/** `c` with a carrier-waybill record of `submitter` linked, and the event saying so. */
function link(
  c: StoredConsignment,
  submitter: string,
  at: string,
): { next: StoredConsignment; writes: BatchWrites } {
  const record = fixtureSource({ ...c.merged, source: 'carrier-waybill' }, submitter, at);
  const next = { ...c, version: c.version + 1, sources: [...c.sources, record], updatedAt: at };
  return {
    next,
    writes: {
      upserts: [next],
      archive: [c],
      declarations: [{ consignmentId: c.id, record }],
      events: [event(c, 'consignment.linked', submitter, at)],
    },
  };
}

/** Registers the test (inside the adapter's exchange contract suite). */
export function runContributorFeedContract(open: Open): void {
  test("a submitter's feed carries every event of the consignments it contributed a record to, each once, and nothing else", async () => {
    const { clearance, exchange, close } = await open();
    try {
      const write = (writes: BatchWrites) =>
        clearance.transact({ keys: [], ids: [] }, () => ({ writes, result: null }));
      // The platform's order: the carrier's waybill links to it later (twice: two records).
      const order = fixtureConsignment({ submitterId: 'opr_platform' });
      // A parcel the carrier's waybill joined in the batch that created it.
      const both = fixtureConsignment({ submitterId: 'opr_platform' });
      const bothWithWaybill = {
        ...both,
        sources: [
          ...both.sources,
          fixtureSource({ ...both.merged, source: 'carrier-waybill' }, 'opr_carrier', both.createdAt),
        ],
      };
      const other = fixtureConsignment({ submitterId: 'opr_other' });
      const own = fixtureConsignment({ submitterId: 'opr_carrier' });
      await write(createWrites([order, bothWithWaybill, other]));
      await write({
        ...createWrites([]),
        events: [event(order, 'consignment.noted', 'customs', '2025-01-01T01:00:00.000Z')],
      });
      const first = link(order, 'opr_carrier', '2025-01-02T00:00:00.000Z');
      await write(first.writes);
      const second = link(first.next, 'opr_carrier', '2025-01-03T00:00:00.000Z');
      await write(second.writes);
      await write(createWrites([own]));
      await write({
        ...createWrites([]),
        events: [
          event(second.next, 'consignment.held', 'officer:ana', '2025-01-04T00:00:00.000Z'),
          event(other, 'consignment.held', 'officer:ana', '2025-01-04T00:00:00.000Z'),
        ],
      });
      // PostgreSQL serves events once older concurrent transactions (other tests) have ended.
      let all: FeedEvent[] = [];
      for (let i = 0; i < 200 && all.length < 9; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 25));
        all = await exchange.eventsSince(0, 100);
      }
      assert.equal(all.length, 9);
      const of = (...ids: string[]) => all.filter((e) => ids.includes(e.consignmentId)).map((e) => e.seq);
      const feed = async (who: string, limit: number) => {
        const seqs: number[] = [];
        for (let after = 0; ;) {
          const page = await exchange.eventsSince(after, limit, { submitterId: who });
          if (page.length === 0) return seqs;
          seqs.push(...page.map((e) => e.seq));
          after = page[page.length - 1]!.seq;
        }
      };
      for (const limit of [1, 2, 100]) {
        assert.deepEqual(
          await feed('opr_carrier', limit),
          of(order.id, both.id, own.id),
          `carrier, pages of ${limit}`,
        );
        assert.deepEqual(await feed('opr_platform', limit), of(order.id, both.id));
        assert.deepEqual(await feed('opr_other', limit), of(other.id));
        assert.deepEqual(await feed('opr_nobody', limit), []);
      }
      // The events carry their consignment's creator: the linked party's view is made from it.
      const carrier = await exchange.eventsSince(0, 100, { submitterId: 'opr_carrier' });
      assert.deepEqual(
        [...new Set(carrier.map((e) => `${e.consignmentId} ${e.submitterId}`))].sort(),
        [`${order.id} opr_platform`, `${both.id} opr_platform`, `${own.id} opr_carrier`].sort(),
      );
    } finally {
      await close();
    }
  });
}
