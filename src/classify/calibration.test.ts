import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath, loadHs2022 } from '../reference/index.js';
import {
  CALIBRATION_FEATURES,
  calibrated,
  calibrationFeatures,
  DEFAULT_CALIBRATION,
  fitLogistic,
  logLoss,
  type CalibrationExample,
} from './calibration.js';
import { rank } from './classifier.js';
import { fitCalibration, outOfFoldExamples, phrasesOf, withoutPhrases } from './cross-fit.js';
import { eceIfCalibrated } from './evaluate.js';
import { loadClassifier, parseCalibration } from './load.js';

const c = loadClassifier();
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Deterministic pseudo-random numbers for synthetic data. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('calibration map', () => {
  it('the default map returns the softmax share unchanged', () => {
    const r = rank({ ...c, calibration: DEFAULT_CALIBRATION }, 'ceramic coffee mug');
    const share = r.candidates[0]?.share ?? 0;
    assert.ok(Math.abs(calibrated(DEFAULT_CALIBRATION, calibrationFeatures(r, 6), 6) - share) < 1e-5);
  });

  it('reads whether a curated product phrase backs the choice, unknown words and length', () => {
    const known = calibrationFeatures(rank(c, 'ceramic mug'), 6);
    assert.equal(known.length, CALIBRATION_FEATURES.length);
    assert.equal(known[3], 1, 'mug is a product phrase targeting 6912');
    assert.equal(known[4], 0, 'every word is known');
    const odd = calibrationFeatures(rank(c, 'ceramic qwxzv blorpt'), 6);
    assert.ok((odd[4] ?? 0) > 0.5, 'two of three words are unknown');
    assert.ok((odd[5] ?? 0) > (known[5] ?? 0), 'more tokens, larger log length');
  });

  it('gives less confidence to the same text padded with words the classifier does not know', () => {
    const plain = c.calibration;
    const a = calibrated(plain, calibrationFeatures(rank(c, 'ceramic mug'), 6), 6);
    const b = calibrated(plain, calibrationFeatures(rank(c, 'ceramic mug qwxzv blorpt frimble zonk'), 6), 6);
    assert.ok(b < a, `${b} < ${a}`);
  });

  it('fitLogistic recovers the weights that generated the outcomes', () => {
    const next = lcg(42);
    const truth = [-0.5, 1.2, 0.4, 1.5, -1, 0.3];
    const examples: CalibrationExample[] = Array.from({ length: 6000 }, () => {
      const features = [1, next() * 6 - 3, next() * 4, next() < 0.5 ? 1 : 0, next(), next() * 3];
      const z = features.reduce((s, x, i) => s + x * (truth[i] ?? 0), 0);
      return { features, correct: next() < sigmoid(z) };
    });
    const w = fitLogistic(examples, 0.01);
    w.forEach((x, i) => assert.ok(Math.abs(x - (truth[i] ?? 0)) < 0.2, `weight ${i}: ${x} vs ${truth[i]}`));
    assert.ok(logLoss(examples, w) <= logLoss(examples, truth) + 1e-3, 'the fit is at least as likely');
  });

  it('property: fitted probabilities add up to the number of right answers (unpenalised bias)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.boolean(), fc.boolean()), {
          minLength: 2,
          maxLength: 60,
        }),
        (rows) => {
          const examples = rows.map(([x, backed, correct]) => ({
            features: [1, x, 0, backed ? 1 : 0, 0, 0],
            correct,
          }));
          const w = fitLogistic(examples, 1, 100);
          const expected = examples.reduce(
            (s, e) => s + calibrated({ ...DEFAULT_CALIBRATION, hs6: w }, e.features, 6),
            0,
          );
          const actual = examples.filter((e) => e.correct).length;
          // Weights are rounded to four decimals, hence the tolerance.
          assert.ok(Math.abs(expected - actual) < 0.02 * examples.length + 0.05, `${expected} vs ${actual}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('falls back to the uncalibrated default on a file of another format', () => {
    assert.deepEqual(
      parseCalibration({ temperature: 0.25, slope: 0.3, intercept: 0.15 }),
      DEFAULT_CALIBRATION,
    );
    assert.deepEqual(parseCalibration(null), DEFAULT_CALIBRATION);
    assert.deepEqual(
      parseCalibration({ temperature: 1, hs6: [1, 2], hs4: [], hs2: [] }),
      DEFAULT_CALIBRATION,
    );
    const ok = { temperature: 2, hs6: [0, 1, 0, 0, 0, 0], hs4: [0, 1, 0, 0, 0, 0], hs2: [0, 1, 0, 0, 0, 0] };
    assert.deepEqual(parseCalibration(ok), ok);
  });

  it('the sampling floor of the ECE shrinks as rows grow and is 0 for certain answers', () => {
    assert.equal(eceIfCalibrated([1, 1, 0, 0]), 0);
    const few = eceIfCalibrated(new Array<number>(20).fill(0.7));
    const many = eceIfCalibrated(new Array<number>(2000).fill(0.7));
    assert.ok(many < few, `${many} < ${few}`);
  });
});

describe('shipped calibration and its data', () => {
  const read = (file: string): Record<string, string>[] =>
    parse(readFileSync(dataPath('classify', file), 'utf8'), { columns: true, bom: true }) as Record<
      string,
      string
    >[];

  it('the shipped map is in the current format (not the uncalibrated fallback)', () => {
    assert.notDeepEqual(c.calibration, DEFAULT_CALIBRATION);
    const raw = JSON.parse(readFileSync(dataPath('classify', 'calibration.json'), 'utf8')) as {
      fittedOn: string;
    };
    assert.match(raw.fittedOn, /calibration-rulings\.csv/);
  });

  it('calibration rulings: cited, HS 2022 codes that match the ruled number, none of them an evaluation ruling', () => {
    const hs = loadHs2022();
    const number = (source: string): string => /^CBP (?:NY|HQ|PD) (\w+) \(/.exec(source)?.[1] ?? '';
    const calibration = read('calibration-rulings.csv');
    const evaluation = new Set(read('eval-rulings.csv').map((r) => number(r.source ?? '')));
    assert.ok(calibration.length >= 80);
    const seen = new Set<string>();
    for (const r of calibration) {
      const n = number(r.source ?? '');
      assert.notEqual(n, '', `a citation for ${r.description}`);
      assert.ok(!evaluation.has(n), `${n} is an evaluation ruling`);
      assert.ok(!seen.has(n), `${n} twice`);
      seen.add(n);
      assert.equal(hs.get(r.hs6 ?? '')?.level, 6, `${r.hs6} is an HS 2022 subheading`);
      assert.equal((r.ruled_hts ?? '').replace(/\./g, '').slice(0, 6), r.hs6);
    }
  });
});

describe('cross-fitting', () => {
  it('a classifier without a phrase no longer matches it, and words only it used become unknown', () => {
    assert.deepEqual(phrasesOf(c, 'leather wallet'), ['wallet']);
    const without = withoutPhrases(c, new Set(['wallet']));
    assert.deepEqual(phrasesOf(without, 'leather wallet'), []);
    assert.equal(
      without.vocabularyWords.has('wallet'),
      [...without.vocabulary.entries.keys()].some((k) => k.split(' ').includes('wallet')),
    );
    assert.ok(c.vocabulary.entries.has('wallet'), 'the original is untouched');
  });

  it('ranks each row without the phrases only its own fold uses', () => {
    const rows = [
      { description: 'ceramic mug', hs6: '691200' },
      { description: 'leather wallet', hs6: '420231' },
    ];
    const [mug, wallet] = outOfFoldExamples(c, rows, 2, 1);
    // Each row's phrases are used by its own fold only, so each is ranked without them.
    const probe = { ...c, calibration: { ...c.calibration, temperature: 1 } };
    const expect = (row: (typeof rows)[number]) => {
      const r = rank(withoutPhrases(probe, new Set(phrasesOf(c, row.description))), row.description);
      return calibrationFeatures(r, 6);
    };
    assert.deepEqual(mug?.[6].features, expect(rows[0]!));
    assert.deepEqual(wallet?.[6].features, expect(rows[1]!));
    assert.equal(wallet?.[6].features[3], 0, 'no product phrase backs the wallet any more');
  });

  it('fits a map per level and picks temperature and ridge among those offered', () => {
    const unseen = [
      { description: 'ceramic mug', hs6: '691200' },
      { description: 'leather wallet', hs6: '420231' },
      { description: 'cotton t-shirt for men', hs6: '610910' },
      { description: 'qwxzv blorpt', hs6: '950300' },
      { description: 'plastic phone case', hs6: '392690' },
      { description: 'polarized sunglasses', hs6: '900410' },
    ];
    const fit = fitCalibration(c, { unseen }, { folds: 3, temperatures: [0.5, 1], ridges: [1, 3] });
    assert.ok([0.5, 1].includes(fit.calibration.temperature));
    assert.ok([1, 3].includes(fit.l2));
    for (const w of [fit.calibration.hs6, fit.calibration.hs4, fit.calibration.hs2]) {
      assert.equal(w.length, CALIBRATION_FEATURES.length);
    }
    assert.equal(Object.keys(fit.losses).length, 4);
    assert.deepEqual(
      fitCalibration(c, { unseen }, { folds: 3, temperatures: [0.5, 1], ridges: [1, 3] }),
      fit,
    );
  });
});
