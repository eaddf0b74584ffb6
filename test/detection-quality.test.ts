/**
 * Detection quality (issue #4's floor, docs/risk-quality.md) as a regression guard: the bench's method
 * (history day with outcomes, reference prices and weights learnt from it, evaluated day scored, top
 * 5 % plus the random 1 % inspected) on a smaller flood. The bench's 60,000 parcels give the figures
 * the docs report; this flood of 12,000 runs in seconds and fails when the engine, the calibration or
 * the selection loses violators it found before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDetection } from '../bench/rules-engine.js';

test('at a 5 % inspection rate the engine finds 85 % of injected violations, near the ceiling, and calibration from outcomes does not lose any', () => {
  const configured = runDetection({ count: 12_000, calibrate: false });
  const calibrated = runDetection({ count: 12_000 });
  assert.equal(calibrated.targeted, 600);
  assert.ok(calibrated.overall.recall >= 0.85, `recall ${calibrated.overall.recall}`);
  assert.ok(
    calibrated.overall.recall >= calibrated.recallCeiling - 0.01,
    `recall ${calibrated.overall.recall} within a point of the ceiling ${calibrated.recallCeiling}`,
  );
  assert.ok(calibrated.overall.recall >= configured.overall.recall, 'calibrated weights lose nothing');
  assert.ok(calibrated.targetedHitRate >= 0.99, `targeted hit rate ${calibrated.targetedHitRate}`);
  assert.ok(calibrated.lift >= 5, `lift ${calibrated.lift}`);
});
