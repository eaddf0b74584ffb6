import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadClassifier } from './load.js';
import { calibrationBins, evaluate, renderEvalReport } from './evaluate.js';

describe('evaluation', () => {
  it('bins confidences by tenths and computes the expected calibration error', () => {
    const { bins, ece } = calibrationBins([
      { confidence: 0.95, correct: true },
      { confidence: 0.85, correct: false },
      { confidence: 0.81, correct: true },
      { confidence: 0.05, correct: false },
    ]);
    assert.equal(bins.length, 10);
    assert.equal(bins[9]?.count, 1);
    assert.equal(bins[8]?.count, 2);
    assert.equal(bins[8]?.accuracy, 0.5);
    assert.ok(Math.abs((bins[8]?.meanConfidence ?? 0) - 0.83) < 1e-9);
    const want = (1 / 4) * 0.05 + (2 / 4) * 0.33 + (1 / 4) * 0.05;
    assert.ok(Math.abs(ece - want) < 1e-9);
  });

  it('puts a confidence of exactly 1 in the last bin', () => {
    assert.equal(calibrationBins([{ confidence: 1, correct: true }]).bins[9]?.count, 1);
  });

  it('counts a 4-digit hit when only the subheading is wrong', () => {
    const c = loadClassifier();
    const r = evaluate(c, [{ description: 'Women cotton T-shirt', hs6: '610990' }]);
    assert.equal(r.top1.hs6, 0);
    assert.equal(r.top1.hs4, 1);
    assert.equal(r.top1.hs2, 1);
    assert.equal(r.top3.hs6, 1);
  });

  it('renders top-1, top-3 and the calibration table', () => {
    const c = loadClassifier();
    const text = renderEvalReport(evaluate(c, [{ description: 'leather handbag', hs6: '420221' }]));
    assert.match(text, /top-1/);
    assert.match(text, /top-3/);
    assert.match(text, /0\.9-1\.0/);
    assert.match(text, /expected calibration error/);
  });
});
