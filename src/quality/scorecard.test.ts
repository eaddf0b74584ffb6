import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadHs2022 } from '../reference/index.js';
import type { DeclarationFact } from '../registry/index.js';
import { postalItem } from '../testing/consignments.js';
import { missingElements } from './elements.js';
import { addRecord, addRejection, emptyTally, periodOf, scorecard } from './scorecard.js';
import { renderQualitySvg } from './chart.js';

const hs = loadHs2022();
const fact = (data = postalItem(), receivedAt = '2026-11-20T00:00:00Z'): DeclarationFact => ({
  declarationId: 'dcl_1',
  consignmentId: 'csg_1',
  kind: data.source,
  submitterId: 's',
  receivedAt,
  hash: 'h',
  data,
});
const opts = { duplicate: false, reduced: false, countConsignment: true };

describe('data-quality scorecard', () => {
  test('a complete, specific, timely record scores 100', () => {
    const t = emptyTally('s', '2026-11-20');
    addRecord(t, fact(), { id: 'csg_1', sourceCount: 1, mismatchCount: 0, arrivedAt: null }, hs, opts);
    const c = scorecard(t);
    assert.deepEqual([c.score, c.completeness, c.vagueShare, c.lateShare], [100, 1, 0, 0]);
  });

  test('each rule costs its points: missing elements, vague description, invalid HS, late, duplicate, mismatch', () => {
    const p = postalItem();
    const bad = {
      ...p,
      consignee: { name: 'A', address: { country: 'DE' } },
      items: [{ ...p.items[0]!, description: 'gift', hsCode: '999999' }],
      dates: { departure: '2026-11-19T00:00:00Z' },
    };
    const t = emptyTally('s', 'd');
    addRecord(t, fact(bad), { id: 'csg_1', sourceCount: 2, mismatchCount: 1, arrivedAt: null }, hs, {
      ...opts,
      duplicate: true,
    });
    const c = scorecard(t);
    assert.deepEqual(missingElements(bad).sort(), ['consignee.address.postcode', 'consignee.contact']);
    assert.deepEqual(
      [c.vagueShare, c.invalidHsShare, c.lateShare, c.duplicateShare, c.mismatchRate],
      [1, 1, 1, 1, 1],
    );
    assert.ok(c.score < 40);
    assert.ok(c.findings.some((f) => f.startsWith('vague')));
    // The completeness finding names what it counts: the share of required elements missing.
    const missing = c.findings.find((f) => f.startsWith('missing required elements: '));
    assert.ok(missing, c.findings.join('; '));
    assert.ok(missing.includes(`${((1 - c.completeness) * 100).toFixed(1)}%`), missing);
  });

  test('a reduced-data-set submitter is not held to the full element list', () => {
    const p = postalItem({ totals: undefined, dates: undefined });
    assert.ok(missingElements(p).includes('totals.grossWeightGrams'));
    assert.ok(!missingElements(p, true).includes('totals.grossWeightGrams'));
  });

  test('a reduced-data-set submitter may leave out what its intake data set lets it leave out (the seller)', () => {
    // The default reduced intake set accepts a trusted post's record without the seller.
    const { seller: _seller, ...p } = postalItem();
    const t = emptyTally('s', 'd');
    addRecord(t, fact(p as never), undefined, hs, { ...opts, reduced: true });
    assert.deepEqual(scorecard(t).missingByElement, {});
    assert.equal(scorecard(t).completeness, 1);
    assert.ok(missingElements(p as never).includes('seller'), 'the full list still expects it');
  });

  test('the score is 100 less each rule weight times its rate (checked by hand on two records)', () => {
    const p = postalItem();
    const t = emptyTally('s', 'd');
    const rec = (data: typeof p, id: string): DeclarationFact => ({ ...fact(data), declarationId: id });
    addRecord(t, rec(p, 'd1'), { id: 'c1', sourceCount: 1, mismatchCount: 0, arrivedAt: null }, hs, opts);
    const { email: _email, ...consignee } = p.consignee!;
    const bad = {
      ...p,
      consignee,
      items: [{ ...p.items[0]!, description: 'gift', hsCode: '999999' }],
      dates: { departure: '2026-11-19T00:00:00Z' },
    };
    addRecord(t, rec(bad, 'd2'), { id: 'c2', sourceCount: 2, mismatchCount: 1, arrivedAt: null }, hs, {
      ...opts,
      duplicate: true,
    });
    const c = scorecard(t);
    // 1 of 24 elements missing (30 × 1/24 = 1.25), vague 1 of 2 items (15 × ½ = 7.5), invalid HS 1 of
    // 2 codes (7.5), late 1 of 2 records (7.5), duplicate 1 of 2 (5 × ½ = 2.5), mismatch 1 of 1
    // multi-source consignment (10): 100 − 36.25 = 63.75.
    assert.deepEqual(
      [c.completeness, c.vagueShare, c.invalidHsShare, c.lateShare, c.duplicateShare, c.mismatchRate],
      [0.958, 0.5, 0.5, 0.5, 0.5, 1],
    );
    assert.equal(c.score, 63.8);
  });

  test('the invalid-HS share is records with an invalid HS code over all records, rejected ones too', () => {
    const t = emptyTally('s', 'd');
    addRecord(t, fact(), { id: 'c1', sourceCount: 1, mismatchCount: 0, arrivedAt: null }, hs, opts);
    // Rejected: one for an unknown HS code, one for a missing seller (its HS codes were valid).
    addRejection(t, { codes: ['item.hs-code-unknown'], missing: [], invalidHs: 1 }, false);
    addRejection(t, { codes: ['source.required-field'], missing: ['seller'], invalidHs: 0 }, false);
    const c = scorecard(t);
    assert.equal(c.records, 3);
    assert.equal(c.invalidHsShare, 0.333);
    assert.ok(
      c.findings.some((f) => f.startsWith('invalidHs: 33.3% costs 5.0 of 15 points')),
      c.findings.join('; '),
    );
  });

  test('filing after the recorded arrival is late', () => {
    const t = emptyTally('s', 'd');
    addRecord(
      t,
      fact(postalItem({ dates: undefined }), '2026-11-29T00:00:00Z'),
      { id: 'csg_1', sourceCount: 1, mismatchCount: 0, arrivedAt: '2026-11-28T00:00:00Z' },
      hs,
      opts,
    );
    assert.equal(scorecard(t).lateShare, 1);
  });

  test('the score stays within 0-100 and every rate within 0-1 for any mix of records', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dup: fc.boolean(),
            mis: fc.nat(3),
            src: fc.nat(3),
            late: fc.boolean(),
            vague: fc.boolean(),
          }),
          { maxLength: 20 },
        ),
        (rows) => {
          const t = emptyTally('s', 'd');
          for (const r of rows) {
            const p = postalItem();
            const data = {
              ...p,
              items: [{ ...p.items[0]!, description: r.vague ? 'parts' : p.items[0]!.description }],
            };
            addRecord(
              t,
              fact(data, r.late ? '2026-12-30T00:00:00Z' : '2026-11-20T00:00:00Z'),
              { id: 'c', sourceCount: r.src, mismatchCount: r.mis, arrivedAt: null },
              hs,
              { ...opts, duplicate: r.dup },
            );
          }
          const c = scorecard(t);
          assert.ok(c.score >= 0 && c.score <= 100);
          for (const x of [
            c.completeness,
            c.vagueShare,
            c.invalidHsShare,
            c.lateShare,
            c.duplicateShare,
            c.mismatchRate,
          ])
            assert.ok(x >= 0 && x <= 1);
        },
      ),
    );
  });

  test('periods are days, ISO weeks and months; the chart names its submitter', () => {
    assert.equal(periodOf('2026-11-29T10:00:00Z', 'day'), '2026-11-29');
    assert.equal(periodOf('2026-11-29T10:00:00Z', 'week'), '2026-W48');
    assert.equal(periodOf('2027-01-01T10:00:00Z', 'week'), '2026-W53');
    assert.equal(periodOf('2026-11-29T10:00:00Z', 'month'), '2026-11');
    const t = emptyTally('opr_<x>', '2026-11-20');
    addRecord(t, fact(), undefined, hs, opts);
    const svg = renderQualitySvg('opr_<x>', [scorecard(t)]);
    assert.match(svg, /^<svg/);
    assert.match(svg, /opr_&lt;x&gt;/);
  });
});
