import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess, loadSnapshot } from '../clearance/index.js';
import type { ConsignmentInput } from '../domain/index.js';
import { postalItem } from '../testing/consignments.js';
import { facilitationFor, facilitationForConsignment } from './facilitation.js';
import { withRegistry } from './snapshot.js';
import { applyStatusAction } from './status.js';
import { testIndex, testOperator, testStatus } from './test-fixtures.js';

const base = loadSnapshot({ randomRate: 0.2 });
const now = '2026-06-01T00:00:00.000Z';
const aeoSeller = testOperator('opr_aeo', [{ scheme: 'EORI', value: 'CN1234567890' }]);
const plainSeller = testOperator('opr_plain', [{ scheme: 'EORI', value: 'CN9999999999' }]);
const dishonest = testOperator('opr_bad', [{ scheme: 'PLATFORM-SELLER', value: 'MKT/shop-77' }]);

function parcel(eori: string, n: number, overrides: Partial<ConsignmentInput> = {}): ConsignmentInput {
  const p = postalItem({}, String(10_000_000 + n));
  return { ...p, seller: { ...p.seller!, id: { type: 'EORI', value: eori } }, ...overrides };
}

const redShare = (
  snapshot: typeof base,
  eori: string,
  n = 1500,
  overrides: Partial<ConsignmentInput> = {},
) => {
  let red = 0;
  for (let i = 0; i < n; i++) {
    const a = assess(
      {
        consignmentId: `csg_T${i}`,
        input: parcel(eori, i, overrides),
        mismatches: [],
        sourceKinds: ['postal-item'],
      },
      snapshot,
      now,
    );
    if (a.risk.lane === 'red') red++;
  }
  return red / n;
};

describe('facilitation from status', () => {
  const index = testIndex(
    [aeoSeller, plainSeller, dishonest],
    [testStatus('opr_aeo'), testStatus('opr_bad', { level: 'cn-dishonest', issuer: 'CN' })],
  );
  const snapshot = withRegistry(base, { trust: index });

  test("an AEO seller's parcels are selected less often than an unknown seller's at equal risk", () => {
    const aeo = redShare(snapshot, 'CN1234567890');
    const plain = redShare(snapshot, 'CN9999999999');
    assert.ok(plain > 0.15 && plain < 0.25, `random control near its 20% rate: ${plain}`);
    assert.ok(aeo < plain / 2, `AEO ${aeo} vs plain ${plain}`);
    assert.ok(aeo > 0.02, 'an AEO is still sampled, at the reduced rate');
  });

  test('an AEO parcel is red only where it would have been red without facilitation (same draw)', () => {
    for (let i = 0; i < 300; i++) {
      const subject = {
        consignmentId: `csg_S${i}`,
        input: parcel('CN1234567890', i),
        mismatches: [],
        sourceKinds: ['postal-item' as const],
      };
      const withTrust = assess(subject, snapshot, now);
      const without = assess(subject, base, now);
      if (withTrust.risk.lane === 'red') assert.equal(without.risk.lane, 'red');
      assert.equal(
        withTrust.risk.hits.some((h) => h.id === 'operator-trust'),
        true,
      );
    }
  });

  test('a dishonest seller is inspected at least 80% of the time', () => {
    const bad = redShare(snapshot, 'CN0000000000', 500, { platform: { id: 'MKT', sellerId: 'shop-77' } });
    assert.ok(bad >= 0.75, `dishonest red share ${bad}`);
  });

  test('status never bypasses a prohibition: a weapon from an AEO seller stays do-not-load and red', () => {
    const p = parcel('CN1234567890', 1);
    const input = {
      ...p,
      items: [{ ...p.items[0]!, description: 'Handgun pistol replica parts', hsCode: '930200' }],
    };
    const a = assess(
      { consignmentId: 'csg_W', input, mismatches: [], sourceKinds: ['postal-item'] },
      snapshot,
      now,
    );
    assert.equal(a.risk.lane, 'red');
    assert.equal(a.decision, 'do-not-load');
  });

  test('a suspended, expired or withdrawn status gives no facilitation at that time', () => {
    const s = testStatus('opr_aeo');
    const suspended = applyStatusAction(
      s,
      { action: 'suspend', reason: 'audit', at: '2026-05-01T00:00:00.000Z' },
      'o',
      now,
    );
    const idx = testIndex([aeoSeller], [suspended]);
    assert.equal(facilitationFor(idx, 'opr_aeo', '2026-04-30T00:00:00.000Z').inspectionRateMultiplier, 0.2);
    assert.equal(facilitationFor(idx, 'opr_aeo', now).inspectionRateMultiplier, 1);
    assert.equal(facilitationFor(idx, 'opr_aeo', '2031-01-01T00:00:00.000Z').inspectionRateMultiplier, 1);
  });

  test('a foreign AEO recognised under a mutual recognition agreement gets the recognised level', () => {
    const mra = testStatus('opr_aeo', {
      level: 'cn-advanced-certified',
      issuer: 'CN',
      mutualRecognition: {
        agreement: 'EU-CN MRA',
        foreignProgramme: 'CN advanced certified',
        recognisedAs: 'AEOS',
      },
    });
    const f = facilitationFor(testIndex([aeoSeller], [mra]), 'opr_aeo', now);
    assert.equal(f.inspectionRateMultiplier, 0.4);
    assert.equal(f.reducedDataSet, true);
    assert.equal(f.deferredPayment, false);
    assert.match(f.reasons[0]!, /mutual recognition/);
  });

  test('a dishonest party outranks an AEO declarant on the same parcel', () => {
    const declarant = testOperator('opr_broker', [{ scheme: 'EORI', value: 'DE123456789' }], 'broker');
    const idx = testIndex(
      [declarant, dishonest],
      [testStatus('opr_broker'), testStatus('opr_bad', { level: 'cn-dishonest', issuer: 'CN' })],
    );
    const p = parcel('CN1', 1, { platform: { id: 'MKT', sellerId: 'shop-77' } });
    const input: ConsignmentInput = {
      ...p,
      declarant: {
        name: 'Broker',
        address: { country: 'DE' },
        status: 'direct',
        id: { type: 'EORI', value: 'DE123456789' },
      },
    };
    const f = facilitationForConsignment(idx, input, now);
    assert.equal(f.inspectionRateMultiplier, 4);
    assert.equal(f.randomRateFloor, 0.8);
    assert.equal(f.priority, 'low');
  });

  test('compliance bands and enforcement history modify selection', () => {
    const idx = testIndex(
      [aeoSeller, plainSeller],
      [],
      [
        ['opr_aeo', { score: 95, band: 'high', observations: 500 }],
        ['opr_plain', { score: 40, band: 'low', observations: 500 }],
      ],
      [['opr_plain', 2]],
    );
    assert.equal(facilitationFor(idx, 'opr_aeo', now).inspectionRateMultiplier, 0.8);
    const bad = facilitationFor(idx, 'opr_plain', now);
    assert.equal(bad.inspectionRateMultiplier, 1.5);
    assert.equal(bad.addedRiskPoints, 30);
    const snap = withRegistry(base, { trust: idx });
    const a = assess(
      {
        consignmentId: 'csg_E',
        input: parcel('CN9999999999', 3),
        mismatches: [],
        sourceKinds: ['postal-item'],
      },
      snap,
      now,
    );
    const plainBase = assess(
      {
        consignmentId: 'csg_E',
        input: parcel('CN9999999999', 3),
        mismatches: [],
        sourceKinds: ['postal-item'],
      },
      base,
      now,
    );
    assert.equal(a.risk.score, Math.min(100, Math.round(plainBase.risk.score * 1.5 + 30)));
    assert.notEqual(
      a.snapshotVersion,
      plainBase.snapshotVersion,
      'the trust index is part of the snapshot version',
    );
  });
});
