/**
 * Two parties' records of the same kind (two posts' item data for one S10 item) that disagree are a
 * disagreement like any other: recorded as mismatches naming both parties. One party's newer record of
 * a kind replaces its older one (an amendment) and is not compared with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsignmentInput, SourceRecord } from '../domain/index.js';
import { mergeSources } from './merge-sources.js';
import { recordOf, sampleConsignment } from './sample-consignment.js';

const by = (r: SourceRecord, submitterId: string): SourceRecord => ({ ...r, submitterId });

const cheaper = (): ConsignmentInput => {
  const c = structuredClone(sampleConsignment('postal-item'));
  for (const item of c.items) item.value = { ...item.value, amount: '1.00' };
  return c;
};

test("another party's disagreeing record of the same kind is recorded as a mismatch naming both parties", () => {
  const first = by(recordOf(sampleConsignment('postal-item'), '2025-03-02T08:00:00Z', 'dcl_1'), 'post-a');
  const second = by(recordOf(cheaper(), '2025-03-02T09:00:00Z', 'dcl_2'), 'post-b');
  const { merged, mismatches } = mergeSources([first, second]);
  assert.equal(merged, second.data, 'the latest record still represents its kind');
  const value = mismatches.find((m) => m.field === 'value');
  assert.ok(value, JSON.stringify(mismatches));
  assert.deepEqual(value.between, ['postal-item from post-b', 'postal-item from post-a']);
  const withDeclaration = mergeSources([first, second, recordOf(sampleConsignment('declaration'))]);
  assert.ok(withDeclaration.mismatches.some((m) => m.between[0] === 'postal-item from post-b'));
});

test("the same party's newer record of a kind replaces its older one and is not compared with it", () => {
  const older = by(recordOf(sampleConsignment('postal-item'), '2025-03-02T08:00:00Z', 'dcl_1'), 'post-a');
  const newer = by(recordOf(cheaper(), '2025-03-02T09:00:00Z', 'dcl_2'), 'post-a');
  assert.deepEqual(mergeSources([older, newer]).mismatches, []);
});

test('the mismatches of same-kind records do not depend on the order of the sources', () => {
  const records = [
    by(recordOf(sampleConsignment('postal-item'), '2025-03-02T08:00:00Z', 'dcl_1'), 'post-a'),
    by(recordOf(cheaper(), '2025-03-02T09:00:00Z', 'dcl_2'), 'post-b'),
    by(recordOf(cheaper(), '2025-03-02T07:00:00Z', 'dcl_3'), 'post-c'),
    recordOf(sampleConsignment('declaration')),
  ];
  const expected = mergeSources(records);
  fc.assert(
    fc.property(fc.shuffledSubarray(records, { minLength: records.length }), (shuffled) => {
      assert.deepEqual(mergeSources(shuffled), expected);
    }),
  );
});
