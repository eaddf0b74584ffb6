import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Dec } from '../../domain/index.js';
import { defaultTolerances, matchDocuments, withinTolerance } from './matching.js';
import { sampleThreeDocuments } from './samples.js';

const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2));
const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => (n / 1000).toFixed(3));

test('tolerance is reflexive, symmetric and monotone in both allowances', () => {
  fc.assert(
    fc.property(cents, cents, cents, fraction, cents, fraction, (a, b, abs, rel, moreAbs, moreRel) => {
      assert.equal(withinTolerance(a, a, '0', '0'), true);
      assert.equal(withinTolerance(a, b, abs, rel), withinTolerance(b, a, abs, rel));
      if (withinTolerance(a, b, abs, rel)) {
        const abs2 = new Dec(abs).plus(moreAbs).toFixed(2);
        const rel2 = new Dec(rel).plus(moreRel).toFixed(3);
        assert.equal(withinTolerance(a, b, abs2, rel2), true);
      }
    }),
  );
});

test('tolerance is decided exactly at the boundary, never by float rounding', () => {
  fc.assert(
    fc.property(cents, cents, (a, abs) => {
      const b = new Dec(a).plus(abs).toFixed(2);
      assert.equal(withinTolerance(a, b, abs, '0'), true);
      assert.equal(withinTolerance(a, new Dec(b).plus('0.01').toFixed(2), abs, '0'), false);
    }),
  );
});

test('documents differing in the amount paid by more than the allowance are a mismatch, within it they match', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -5000, max: 5000 }),
      fc.integer({ min: 0, max: 2000 }),
      (deltaCents, allowCents) => {
        const docs = sampleThreeDocuments();
        const paid = new Dec(docs.payment.amountPaid).plus(new Dec(deltaCents).div(100));
        if (paid.lt(0)) return;
        docs.payment.amountPaid = paid.toFixed(2);
        const tol = { ...defaultTolerances, amountAbsolute: (allowCents / 100).toFixed(2) };
        const reasons = matchDocuments(docs.list, docs, tol);
        const flagged = reasons.some((r) => r.field === 'amountPaid');
        assert.equal(flagged, Math.abs(deltaCents) > allowCents, JSON.stringify(reasons));
        assert.ok(
          reasons.every((r) => r.field === 'amountPaid'),
          'no other field is blamed',
        );
      },
    ),
  );
});

test('the list gross weight may differ from the waybill by the relative allowance and no more', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 1, max: 100_000 }),
      fraction,
      (w1, w2, rel) => {
        const docs = sampleThreeDocuments();
        docs.waybill.grossWeightGrams = w1;
        docs.list.grossWeightGrams = w2;
        const reasons = matchDocuments(docs.list, docs, { ...defaultTolerances, weightRelative: rel });
        const expected = Math.abs(w1 - w2) * 1000 > Number(rel) * 1000 * Math.max(w1, w2);
        assert.equal(
          reasons.some((r) => r.field === 'grossWeightGrams'),
          expected,
        );
      },
    ),
  );
});

test('a matching set has no reasons; each missing document is named', () => {
  const docs = sampleThreeDocuments();
  assert.deepEqual(matchDocuments(docs.list, docs), []);
  const reasons = matchDocuments(docs.list, { order: docs.order });
  assert.deepEqual(
    reasons.map((r) => [r.code, r.field]),
    [
      ['three-doc.missing', 'payment'],
      ['three-doc.missing', 'waybill'],
    ],
  );
});

test('buyer identity must agree across order, payment and list', () => {
  const docs = sampleThreeDocuments();
  docs.payment.payerIdNumber = '44030619851201002X';
  const reasons = matchDocuments(docs.list, docs);
  assert.deepEqual(
    reasons.map((r) => r.field),
    ['buyer.idNumber'],
  );
});
