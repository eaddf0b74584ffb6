import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput } from '../domain/index.js';
import {
  BoundedConsigneeWindow,
  consigneeKeyOfRecord,
  type ConsigneeParcelSource,
  type StoredConsigneeParcel,
} from './consignee-cache.js';
import { ConsigneeWindow } from './consignee-window.js';
import { consigneeKey } from './split-shipment.js';

/** An in-memory risk store: what `saved` confirms is what a later load finds. */
function memorySource(): ConsigneeParcelSource & {
  rows: Map<string, StoredConsigneeParcel>;
  queries: number;
} {
  const rows = new Map<string, StoredConsigneeParcel>();
  const src = {
    rows,
    queries: 0,
    async parcelsOfConsignees(keys: readonly string[], at: string) {
      src.queries += 1;
      const want = new Set(keys);
      return [...rows.values()].filter((r) => want.has(r.consigneeKey) && r.at >= at);
    },
  };
  return src;
}

const record = (person: number, seller = 'S1'): ConsignmentInput =>
  ({
    consignee: {
      name: `Person ${person}`,
      address: { street: 'x', city: 'y', postcode: ` 10${person} `, country: 'de' },
    },
    platform: { id: 'MKT', orderId: 'o', sellerId: seller },
  }) as unknown as ConsignmentInput;

// What validation makes of the record (trimmed, country upper-cased): what the assessment reads and notes.
const validated = (person: number, seller = 'S1'): ConsignmentInput =>
  ({
    consignee: {
      name: `Person ${person}`,
      address: { street: 'x', city: 'y', postcode: `10${person}`, country: 'DE' },
    },
    platform: { id: 'MKT', orderId: 'o', sellerId: seller },
  }) as unknown as ConsignmentInput;

const keyOf = (person: number): string => consigneeKey(validated(person)) as string;

const hour = (h: number): string => new Date(Date.UTC(2026, 10, 27) + h * 3_600_000).toISOString();

/** One batch through the window as the pipeline drives it: prefetch, read + note each, commit, saved. */
async function batch(
  w: BoundedConsigneeWindow,
  src: ReturnType<typeof memorySource>,
  persons: readonly number[],
  ids: readonly string[],
  at: string,
): Promise<string[][]> {
  const records = persons.map((p) => record(p));
  const release = await w.prefetch(records, at);
  const seen: string[][] = [];
  persons.forEach((p, i) => {
    seen.push(
      w
        .recentForConsignee(keyOf(p))
        .map((x) => x.ref as string)
        .sort(),
    );
    w.note(ids[i] as string, validated(p), '40.00', at);
  });
  release();
  for (const [i, p] of persons.entries()) {
    const id = ids[i] as string;
    src.rows.set(id, { consignmentId: id, consigneeKey: keyOf(p), sellerKey: 'S1', valueEur: '40.00', at });
  }
  w.saved(ids);
  return seen;
}

test('the key of a raw record is the key of the validated record', () => {
  assert.equal(consigneeKeyOfRecord(record(7)), keyOf(7));
  assert.equal(consigneeKeyOfRecord({ consignee: { name: 'A' } }), null);
  assert.equal(consigneeKeyOfRecord('not a record'), null);
  assert.equal(consigneeKeyOfRecord({}), null);
});

test('the window holds at most maxConsignees consignees however many pass through', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 500 });
  let n = 0;
  for (let b = 0; b < 200; b++) {
    const persons = Array.from({ length: 50 }, (_, i) => b * 50 + i);
    await batch(
      w,
      src,
      persons,
      persons.map(() => `c${n++}`),
      hour(b / 100),
    );
    assert.ok(w.consignees <= 500, `${w.consignees} consignees held after batch ${b}`);
  }
  // 10,000 distinct consignees went through; 500 are held, one parcel each.
  assert.equal(w.consignees, 500);
  assert.equal(w.size, 500);
  assert.equal(w.misses, 0);
});

test('a consignee dropped from memory is read back whole from the store', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 2 });
  await batch(w, src, [1, 1], ['a1', 'a2'], hour(0));
  // Two other consignees push person 1 out.
  await batch(w, src, [2, 3], ['b1', 'c1'], hour(1));
  assert.deepEqual(w.recentForConsignee(keyOf(1)), []);
  assert.equal(w.misses, 1);
  const [seen] = await batch(w, src, [1], ['a3'], hour(2));
  assert.deepEqual(seen, ['a1', 'a2']);
  assert.deepEqual(
    w
      .recentForConsignee(keyOf(1))
      .map((x) => x.ref)
      .sort(),
    ['a1', 'a2', 'a3'],
  );
});

test('parcels older than the window are neither loaded nor served', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 1, windowHours: 24 });
  await batch(w, src, [1], ['old'], hour(0));
  await batch(w, src, [1], ['new'], hour(20));
  await batch(w, src, [2], ['other'], hour(30));
  // Person 1 was dropped; at hour 30 only the parcel of hour 20 is within 24 hours.
  const [seen] = await batch(w, src, [1], ['now'], hour(30));
  assert.deepEqual(seen, ['new']);
});

test('a consignee with parcels not yet written is kept until the store has them', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 1 });
  (await w.prefetch([record(1)], hour(0)))();
  w.note('a1', validated(1), '40.00', hour(0));
  // Not saved yet: another consignee does not push person 1 out (it could not be loaded back).
  (await w.prefetch([record(2)], hour(0)))();
  w.note('b1', validated(2), '40.00', hour(0));
  assert.equal(w.consignees, 2);
  assert.deepEqual(
    w.recentForConsignee(keyOf(1)).map((x) => x.ref),
    ['a1'],
  );
  const row = (id: string, p: number) => ({
    consignmentId: id,
    consigneeKey: keyOf(p),
    sellerKey: 'S1',
    valueEur: '40.00',
    at: hour(0),
  });
  src.rows.set('a1', row('a1', 1));
  src.rows.set('b1', row('b1', 2));
  w.saved(['a1', 'b1']);
  assert.equal(w.consignees, 1);
});

test('the consignees of a batch in flight stay held until it releases them', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 1 });
  const first = await w.prefetch([record(1), record(2)], hour(0));
  // Another batch meanwhile: persons 1 and 2 are pinned by the first, so only person 3 goes.
  (await w.prefetch([record(3)], hour(0)))();
  assert.equal(w.consignees, 2);
  w.recentForConsignee(keyOf(1));
  w.recentForConsignee(keyOf(2));
  assert.equal(w.misses, 0);
  first();
  assert.equal(w.consignees, 1);
});

test('a discarded plan is forgotten and does not pin its consignee', async () => {
  const src = memorySource();
  const w = new BoundedConsigneeWindow(src, { maxConsignees: 1 });
  (await w.prefetch([record(1)], hour(0)))();
  w.note('a1', validated(1), '40.00', hour(0));
  w.forget('a1');
  assert.deepEqual(w.recentForConsignee(keyOf(1)), []);
  await batch(w, src, [2], ['b1'], hour(0));
  assert.equal(w.consignees, 1);
  assert.equal(w.size, 1);
});

test('property: the bounded window reads what the unbounded window reads, whatever it dropped', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), {
        minLength: 1,
        maxLength: 25,
      }),
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 25, maxLength: 25 }),
      async (cap, batches, gaps) => {
        const src = memorySource();
        const w = new BoundedConsigneeWindow(src, { maxConsignees: cap, windowHours: 48 });
        const reference = new ConsigneeWindow(48);
        let n = 0;
        let h = 0;
        for (const [b, persons] of batches.entries()) {
          h += gaps[b] as number;
          const at = hour(h);
          const ids = persons.map(() => `c${n++}`);
          // The unbounded window's reads within 48 hours of now, before the batch's own parcels are noted.
          const from = hour(h - 48);
          const expected = persons.map((p, i) => {
            const refs = reference
              .recentForConsignee(keyOf(p))
              .filter((x) => x.at >= from)
              .map((x) => x.ref as string)
              .sort();
            reference.note(ids[i] as string, validated(p), '40.00', at);
            return refs;
          });
          const got = await batch(w, src, persons, ids, at);
          assert.deepEqual(got, expected);
          assert.ok(w.consignees <= cap);
        }
      },
    ),
    { numRuns: 200 },
  );
});
