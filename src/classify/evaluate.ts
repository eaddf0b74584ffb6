/** Accuracy at 2, 4 and 6 digits, calibration bins, and fitting the calibration on a labelled set. */
import { calibrate, classify, rank, type Calibration, type Classifier } from './classifier.js';

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
  }
  const n = Math.max(1, rows.length);
  const share = (h: AccuracyByDigits): AccuracyByDigits => ({
    hs2: h.hs2 / n,
    hs4: h.hs4 / n,
    hs6: h.hs6 / n,
  });
  return { count: rows.length, top1: share(hits1), top3: share(hits3), ...calibrationBins(points) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

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
  lines.push('', `expected calibration error: ${r.ece.toFixed(3)}`);
  return lines.join('\n');
}

function logLoss(points: readonly { share: number; correct: boolean }[], cal: Calibration): number {
  let loss = 0;
  for (const p of points) {
    const q = Math.min(1 - 1e-9, Math.max(1e-9, calibrate(cal, p.share)));
    loss -= p.correct ? Math.log(q) : Math.log(1 - q);
  }
  return loss / Math.max(1, points.length);
}

const TEMPERATURES = [0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4];

/** Fits the softmax temperature and Platt slope/intercept by minimising log-loss on labelled rows (grid search). */
export function fitCalibration(c: Classifier, rows: readonly LabelledRow[]): Calibration {
  let best: { cal: Calibration; loss: number } = { cal: c.calibration, loss: Infinity };
  for (const temperature of TEMPERATURES) {
    const probe: Classifier = { ...c, calibration: { temperature, slope: 1, intercept: 0 } };
    const points = rows.map((row) => {
      const top = rank(probe, row.description).candidates[0];
      return { share: top?.share ?? 0, correct: top?.hs6 === row.hs6 };
    });
    for (let slope = 0.2; slope <= 2.0001; slope += 0.05) {
      for (let intercept = -2; intercept <= 2.0001; intercept += 0.05) {
        const cal = { temperature, slope: round3(slope), intercept: round3(intercept) };
        const loss = logLoss(points, cal);
        if (loss < best.loss) best = { cal, loss };
      }
    }
  }
  return best.cal;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
