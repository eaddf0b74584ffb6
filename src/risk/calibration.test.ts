import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessRisk } from './assess-risk.js';
import {
  calibrateFromOutcomes,
  calibrateRuleSet,
  learnCalibration,
  renderCalibration,
} from './calibration.js';
import type { InspectionOutcome } from './rules-report.js';
import { cleanConsignment, cleanItem, compiled, riskContext, riskInput, rule } from './test-fixtures.js';

const ruleSet = compiled(
  [
    rule({ id: 'R-LITHIUM', when: 'items.any(description contains "power bank")', weight: 45 }),
    rule({ id: 'R-NOISY', when: 'items.any(description contains "mug")', weight: 45 }),
    rule({ id: 'R-BACKGROUND', when: 'intrinsicValueEur > 1000', weight: 70 }),
    rule({
      id: 'R-LANE-ONLY',
      when: 'items.any(description contains "knife")',
      lane: 'yellow',
      weight: undefined,
    }),
  ],
  { indicators: { 'operator-trust': { threshold: 0.5, weight: -15 } } },
);

/** `n` outcomes of parcels the rules `ids` selected, `hits` of them finding something. */
function outcomes(ids: string[], n: number, hits: number, random = false): InspectionOutcome[] {
  return Array.from({ length: n }, (_, i) => ({
    ruleIds: ids,
    finding: i < hits ? 'prohibited' : 'nothing-found',
    random,
    consignmentId: `${random ? 'rnd' : ids.join('+')}-${i}`,
  }));
}

// A day of inspections: the random sample finds 8 %, the targeted ones 97 %.
const day = [...outcomes([], 100, 8, true), ...outcomes(['R-BACKGROUND'], 200, 194)];

const weightOf = (rs: typeof ruleSet, id: string): number => rs.rules.find((r) => r.id === id)?.weight ?? NaN;

test('a rule whose inspections always find something gains points, one that mostly finds nothing loses them', () => {
  const { ruleSet: cal, calibration } = calibrateFromOutcomes(ruleSet, [
    ...day,
    ...outcomes(['R-LITHIUM'], 40, 40),
    ...outcomes(['R-NOISY'], 40, 8),
  ]);
  assert.ok(weightOf(cal, 'R-LITHIUM') > 45, `R-LITHIUM ${weightOf(cal, 'R-LITHIUM')}`);
  assert.ok(weightOf(cal, 'R-NOISY') < 45, `R-NOISY ${weightOf(cal, 'R-NOISY')}`);
  // Bounded: never beyond one and a half or under half the configured weight.
  assert.ok(weightOf(cal, 'R-LITHIUM') <= 68 && weightOf(cal, 'R-NOISY') >= 22);
  // Lane-only rules and negative weights (operator trust) are not calibrated.
  assert.equal(weightOf(cal, 'R-LANE-ONLY'), 0);
  assert.equal(cal.indicators['operator-trust']?.weight, -15);
  assert.equal(cal.key, ruleSet.key);
  assert.equal(cal.calibration, calibration.id);
  assert.match(renderCalibration(calibration), /R-LITHIUM +45 -> \d+ +\(40\/40 hits\)/);
});

test('a rule with no outcomes keeps its weight; the prior holds it close while outcomes are few', () => {
  const after = (n: number): number =>
    weightOf(calibrateFromOutcomes(ruleSet, [...day, ...outcomes(['R-LITHIUM'], n, n)]).ruleSet, 'R-LITHIUM');
  assert.equal(after(0), 45);
  assert.ok(after(1) - 45 <= 1, `one outcome: ${after(1)}`);
  // The move grows with the evidence, up to the bound.
  assert.ok(after(1) <= after(5) && after(5) < after(40), `${after(5)} ${after(40)}`);
  assert.ok(after(40) - 45 >= 15);
});

test('a weak rule firing beside a strong one does not take the strong one’s hit rate', () => {
  const weak = compiled([
    rule({ id: 'R-STRONG', when: 'intrinsicValueEur > 1000', weight: 70 }),
    rule({ id: 'R-WEAK', when: 'intrinsicValueEur > 1', weight: 15 }),
  ]);
  // Every inspection R-STRONG carried found something, R-WEAK beside it; alone, R-WEAK found nothing.
  const { calibration } = calibrateFromOutcomes(weak, [
    ...outcomes([], 100, 8, true),
    ...outcomes(['R-STRONG', 'R-WEAK'], 200, 200),
    ...outcomes(['R-WEAK'], 30, 0),
  ]);
  const w = (id: string) => calibration.weights.find((x) => x.id === id);
  assert.deepEqual([w('R-WEAK')?.selections, w('R-WEAK')?.hits], [30, 0]);
  assert.ok((w('R-WEAK')?.calibrated ?? NaN) < 15);
  assert.ok((w('R-STRONG')?.calibrated ?? NaN) > 70);
});

test('without a random sample or targeted outcomes the weights stay as configured', () => {
  for (const o of [outcomes(['R-LITHIUM'], 50, 50), outcomes([], 100, 8, true)]) {
    const { ruleSet: cal, calibration } = calibrateFromOutcomes(ruleSet, o);
    assert.equal(cal, ruleSet);
    assert.ok(calibration.skipped !== undefined);
    assert.match(renderCalibration(calibration), /weights as configured/);
  }
});

test('a calibration learnt for another rule set changes nothing', () => {
  const other = compiled([rule({ id: 'R-LITHIUM', when: 'intrinsicValueEur > 1', weight: 45 })], {
    id: 'other',
  });
  const { calibration } = calibrateFromOutcomes(ruleSet, [...day, ...outcomes(['R-LITHIUM'], 40, 40)]);
  assert.equal(calibrateRuleSet(other, calibration), other);
});

test('calibrated weights are whole points within the bound and move with the hit rate', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 200 }),
      fc.integer({ min: 0, max: 200 }),
      fc.integer({ min: 0, max: 100 }),
      (n, h, w) => {
        const hits = Math.min(h, n);
        const rs = compiled([rule({ id: 'R-X', when: 'intrinsicValueEur > 1', weight: w })]);
        const at = (k: number): number =>
          learnCalibration(rs, [...day, ...outcomes(['R-X'], n, k)]).weights.find((x) => x.id === 'R-X')
            ?.calibrated ?? w;
        const c = at(hits);
        assert.ok(Number.isInteger(c) && c >= Math.floor(w / 2) && c <= Math.ceil(1.5 * w) && c <= 100);
        // One more hit among the same selections never lowers the weight.
        if (hits < n) assert.ok(at(hits + 1) >= c);
      },
    ),
    { numRuns: 60 },
  );
});

test('scenario: outcomes move a power bank parcel up and a mug parcel down; one outcome leaves it put', () => {
  const powerBank = riskInput(
    cleanConsignment({ items: [cleanItem({ description: 'power bank 20000 mAh', hsCode: '850760' })] }),
  );
  const mug = riskInput(
    cleanConsignment({ items: [cleanItem({ description: 'ceramic mug', hsCode: '691200' })] }),
  );
  const score = (rs: typeof ruleSet, input: typeof mug): number => assessRisk(input, riskContext(rs)).score;
  assert.equal(score(ruleSet, powerBank), 45);
  assert.equal(score(ruleSet, mug), 45);
  const learnt = calibrateFromOutcomes(ruleSet, [
    ...day,
    ...outcomes(['R-LITHIUM'], 40, 40),
    ...outcomes(['R-NOISY'], 40, 8),
  ]).ruleSet;
  assert.ok(score(learnt, powerBank) > 45);
  assert.ok(score(learnt, mug) < 45);
  // The explanation carries the calibrated points.
  const hit = assessRisk(powerBank, riskContext(learnt)).hits.find((h) => h.id === 'R-LITHIUM');
  assert.equal(hit?.score, score(learnt, powerBank));
  const early = calibrateFromOutcomes(ruleSet, [...day, ...outcomes(['R-LITHIUM'], 1, 1)]).ruleSet;
  assert.ok(Math.abs(score(early, powerBank) - 45) <= 1);
});
