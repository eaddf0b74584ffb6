import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../api/index.js';
import { loadSnapshot } from '../clearance/index.js';
import { openSqliteStore } from '../store/index.js';
import { postalItem } from '../testing/consignments.js';
import { loadClassifier } from './load.js';
import { suggestMissingCodes } from './suggest.js';

const item = postalItem().items[0]!;
const { hsCode: _hs, ...noCode } = item;

describe('HS suggestions at intake', () => {
  it('suggests a code for items without one, and only for those', () => {
    const s = suggestMissingCodes(loadClassifier(), {
      items: [
        item,
        { ...noCode, description: 'Wireless bluetooth earbuds with charging case' },
        { ...noCode, hsCode: ' ' },
        { ...noCode, description: 'qwxz zzyv' },
        { ...noCode, description: '' },
      ],
    });
    assert.deepEqual(
      s.map((x) => [x.itemIndex, x.path]),
      [
        [1, '/items/1/hsCode'],
        [2, '/items/2/hsCode'],
      ],
    );
    assert.equal(s[0]!.hs6, '851830');
    assert.equal(s[1]!.hs6, '610910');
    for (const x of s) {
      assert.ok(x.confidence > 0 && x.confidence <= 1);
      assert.ok(x.alternatives.length <= 3 && x.alternatives.every((a) => /^\d{6}$/.test(a.hs6)));
    }
  });

  it('never throws on records of any shape', () => {
    const c = loadClassifier();
    fc.assert(
      fc.property(fc.anything(), fc.array(fc.anything(), { maxLength: 4 }), (record, items) => {
        suggestMissingCodes(c, record);
        suggestMissingCodes(c, { items });
      }),
      { numRuns: 300 },
    );
  });

  it('POST /v1/consignments?suggest=hs returns the suggestions with each result, rejected ones included', async () => {
    const snapshot = loadSnapshot({ randomRate: 0 });
    const app = await buildApp({ store: openSqliteStore({ memory: true }), snapshot: () => snapshot });
    const record = postalItem({ items: [{ ...noCode, description: "Women's leather handbag" }] }, '22345678');
    const plain = await app.inject({ method: 'POST', url: '/v1/consignments', payload: record });
    assert.equal(plain.statusCode, 201, plain.body);
    assert.equal(plain.json().hsSuggestions, undefined, 'only on request');

    const batch = await app.inject({
      method: 'POST',
      url: '/v1/consignments?suggest=hs',
      payload: {
        consignments: [
          postalItem(
            { items: [{ ...noCode, description: 'Stainless steel kitchen knife set' }] },
            '32345678',
          ),
          postalItem(
            { items: [{ ...noCode, description: 'Plush teddy bear toy' }], seller: undefined },
            '42345678',
          ),
          postalItem({}, '52345678'),
        ],
      },
    });
    assert.equal(batch.statusCode, 200, batch.body);
    const [a, b, c] = batch.json().results;
    assert.equal(a.status, 'created');
    assert.equal(a.hsSuggestions[0].path, '/items/0/hsCode');
    assert.equal(a.hsSuggestions[0].hs6.slice(0, 4), '8211');
    assert.equal(b.status, 'rejected');
    assert.equal(b.hsSuggestions[0].hs6.slice(0, 4), '9503');
    assert.equal(c.hsSuggestions, undefined, 'its item has a code');

    // A single record that is rejected answers a problem; the suggestions travel with it.
    const single = await app.inject({
      method: 'POST',
      url: '/v1/consignments?suggest=hs',
      payload: postalItem(
        { items: [{ ...noCode, description: 'Plush teddy bear toy' }], seller: undefined },
        '62345678',
      ),
    });
    assert.equal(single.statusCode, 422, single.body);
    assert.equal(single.json().code, 'consignment.rejected');
    assert.equal(single.json().hsSuggestions?.[0]?.path, '/items/0/hsCode', single.body);
    assert.equal(single.json().hsSuggestions[0].hs6.slice(0, 4), '9503');
    await app.close();
  });
});
