/** Accuracy at 2, 4 and 6 digits, calibration bins, and fitting the calibration on a labelled set. */
import { classify, type Classifier } from './classifier.js';
import { mulberry32 } from '../sim/prng.js';

/** A labelled description. */
export interface LabelledRow {
  description: string;
  hs6: string;
}

/** Share of rows whose true code is found, per number of digits compared. */
export interface AccuracyByDigits {
  hs2: number;
  hs4: number;
  hs6: number;
}

/** Rows whose 6-digit confidence fell in one tenth of [0, 1]. */
export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** Evaluation figures of a classifier on a labelled set. */
export interface EvalReport {
  count: number;
  top1: AccuracyByDigits;
  top3: AccuracyByDigits;
  bins: CalibrationBin[];
  /** Expected calibration error: count-weighted mean |accuracy - confidence| over the bins. */
  ece: number;
  /**
   * The ECE a perfectly calibrated classifier would show on as many rows with these confidences, from sampling
   * alone (mean over simulated outcomes drawn from the confidences): the noise floor of `ece` on a small set.
   */
  eceIfCalibrated: number;
  /** ECE of the heading (4-digit) and chapter (2-digit) confidences. */
  eceByDigits: { hs4: number; hs2: number };
}

/** Mean ECE over `rounds` outcome sets drawn as if each confidence were exactly the chance of being right. */
export function eceIfCalibrated(confidences: readonly number[], rounds = 200): number {
  if (confidences.length === 0) return 0;
  const next = mulberry32(9); // deterministic, so a report is the same on every run
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    total += calibrationBins(confidences.map((p) => ({ confidence: p, correct: next() < p }))).ece;
  }
  return total / rounds;
}

/** Builds calibration bins and the expected calibration error from (confidence, correct) pairs. */
export function calibrationBins(points: readonly { confidence: number; correct: boolean }[]): {
  bins: CalibrationBin[];
  ece: number;
} {
  const sums = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, hits: 0 }));
  for (const p of points) {
    const b = sums[Math.min(9, Math.max(0, Math.floor(p.confidence * 10)))];
    if (b === undefined) continue;
    b.n += 1;
    b.conf += p.confidence;
    b.hits += p.correct ? 1 : 0;
  }
  let ece = 0;
  const bins = sums.map((s, i) => {
    const meanConfidence = s.n === 0 ? 0 : s.conf / s.n;
    const accuracy = s.n === 0 ? 0 : s.hits / s.n;
    if (points.length > 0) ece += (s.n / points.length) * Math.abs(accuracy - meanConfidence);
    return { from: i / 10, to: (i + 1) / 10, count: s.n, meanConfidence, accuracy };
  });
  return { bins, ece };
}

function firstDistinct(codes: readonly string[], digits: number, n: number): string[] {
  const out: string[] = [];
  for (const c of codes) {
    const p = c.slice(0, digits);
    if (!out.includes(p)) out.push(p);
    if (out.length === n) break;
  }
  return out;
}

/** Evaluates top-1 and top-3 accuracy at 2/4/6 digits and the calibration of the 6-digit confidence. */
export function evaluate(c: Classifier, rows: readonly LabelledRow[]): EvalReport {
  const hits1 = { hs2: 0, hs4: 0, hs6: 0 };
  const hits3 = { hs2: 0, hs4: 0, hs6: 0 };
  const points: { confidence: number; correct: boolean }[] = [];
  const points4: { confidence: number; correct: boolean }[] = [];
  const points2: { confidence: number; correct: boolean }[] = [];
  for (const row of rows) {
    const r = classify(c, row.description, 10);
    const ranked = r.hs6 === '' ? [] : [r.hs6, ...r.alternatives.map((a) => a.hs6)];
    for (const digits of [2, 4, 6] as const) {
      const key = `hs${digits}` as const;
      const truth = row.hs6.slice(0, digits);
      if (r[key] === truth) hits1[key] += 1;
      if (firstDistinct(ranked, digits, 3).includes(truth)) hits3[key] += 1;
    }
    points.push({ confidence: r.confidence, correct: r.hs6 === row.hs6 });
    points4.push({ confidence: r.hs4Confidence, correct: r.hs4 === row.hs6.slice(0, 4) });
    points2.push({ confidence: r.hs2Confidence, correct: r.hs2 === row.hs6.slice(0, 2) });
  }
  const n = Math.max(1, rows.length);
  const share = (h: AccuracyByDigits): AccuracyByDigits => ({
    hs2: h.hs2 / n,
    hs4: h.hs4 / n,
    hs6: h.hs6 / n,
  });
  return {
    count: rows.length,
    top1: share(hits1),
    top3: share(hits3),
    ...calibrationBins(points),
    eceIfCalibrated: eceIfCalibrated(points.map((p) => p.confidence)),
    eceByDigits: { hs4: calibrationBins(points4).ece, hs2: calibrationBins(points2).ece },
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * A text reliability chart: per confidence bin, a bar as long as its accuracy (40 columns = 100 %), `|` where
 * the bin's mean confidence lies (a calibrated bin's bar ends at its mark), and the bin's row count.
 */
export function reliabilityChart(bins: readonly CalibrationBin[], width = 40): string[] {
  const lines = ['reliability (bar = accuracy, | = mean confidence, n = rows)'];
  for (const b of bins) {
    const range = `${b.from.toFixed(1)}-${b.to.toFixed(1)}`;
    if (b.count === 0) {
      lines.push(`${range}  ${' '.repeat(width + 1)}  n=0`);
      continue;
    }
    const cells = Array.from({ length: width + 1 }, (_, i): string =>
      i < Math.round(b.accuracy * width) ? '#' : ' ',
    );
    cells[Math.round(b.meanConfidence * width)] = '|';
    lines.push(`${range}  ${cells.join('')}  n=${b.count}`);
  }
  return lines;
}

/** Renders an evaluation report as a plain-text table. */
export function renderEvalReport(r: EvalReport): string {
  const lines = [
    `rows: ${r.count}`,
    '',
    '         2 digits  4 digits  6 digits',
    `top-1    ${pct(r.top1.hs2).padStart(8)}  ${pct(r.top1.hs4).padStart(8)}  ${pct(r.top1.hs6).padStart(8)}`,
    `top-3    ${pct(r.top3.hs2).padStart(8)}  ${pct(r.top3.hs4).padStart(8)}  ${pct(r.top3.hs6).padStart(8)}`,
    '',
    'calibration (6-digit confidence)',
    'bin        count  mean conf  accuracy',
  ];
  for (const b of r.bins) {
    const range = `${b.from.toFixed(1)}-${b.to.toFixed(1)}`;
    const mean = b.count === 0 ? '-' : b.meanConfidence.toFixed(3);
    const acc = b.count === 0 ? '-' : pct(b.accuracy);
    lines.push(`${range.padEnd(9)}  ${String(b.count).padStart(5)}  ${mean.padStart(9)}  ${acc.padStart(8)}`);
  }
  lines.push(
    '',
    `expected calibration error: ${r.ece.toFixed(3)}`,
    `(a perfectly calibrated classifier would show about ${r.eceIfCalibrated.toFixed(3)} on ${r.count} rows from sampling alone)`,
    `expected calibration error of the 4-digit confidence: ${r.eceByDigits.hs4.toFixed(3)}, 2-digit: ${r.eceByDigits.hs2.toFixed(3)}`,
    '',
    ...reliabilityChart(r.bins),
  );
  return lines.join('\n');
}
