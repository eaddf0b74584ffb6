/**
 * Maintainer script: fits the confidence calibration on text the classifier was not built from (the public
 * calibration rulings, and as an alternative also the author-written set's cross-fitted predictions), picks
 * the fit with the lower cross-validated log-loss, and evaluates the untouched public evaluation rulings
 * (data/classify/eval-rulings.csv; never fitted on), the author-written splits and the speed per description.
 * `node dist/src/classify/measure.js [--errors] [--write] [--folds N] [--svg FILE]` (`--write` writes
 * calibration.json; `--svg` draws the reliability diagram).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath, loadHs2022 } from '../reference/index.js';
import { CALIBRATION_FEATURES, DEFAULT_CALIBRATION } from './calibration.js';
import { buildClassifier, classify, type Classifier } from './classifier.js';
import { fitCalibration } from './cross-fit.js';
import { evaluate, renderEvalReport, type LabelledRow } from './evaluate.js';
import { reliabilitySvg } from './reliability-svg.js';

interface SplitRow extends LabelledRow {
  split: string;
}

function readCsv(file: string): SplitRow[] {
  const text = readFileSync(dataPath('classify', file), 'utf8');
  const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
  return rows.map((r) => ({ description: r.description ?? '', hs6: r.hs6 ?? '', split: r.split ?? '' }));
}

function speed(c: Classifier, rows: readonly LabelledRow[]): number {
  const rounds = 20;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const r of rows) classify(c, r.description);
  const ns = Number(process.hrtime.bigint() - start);
  return ns / 1e6 / (rounds * rows.length);
}

function errors(c: Classifier, rows: readonly LabelledRow[]): string[] {
  return rows.flatMap((r) => {
    const got = classify(c, r.description, 3);
    if (got.hs6 === r.hs6) return [];
    const why = got.explanation
      .slice(0, 3)
      .map((e) => `${e.word}:${e.weight}`)
      .join(' ');
    return [`${r.hs6} <- ${got.hs6} (${got.confidence}) ${r.description} | ${why}`];
  });
}

function main(): void {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const folds = Number(argv[argv.indexOf('--folds') + 1] ?? 5) || 5;
  const authored = readCsv('eval-public.csv');
  const unseen = readCsv('calibration-rulings.csv');
  const rulings = readCsv('eval-rulings.csv');
  const vocabulary: unknown = JSON.parse(readFileSync(dataPath('classify', 'vocabulary.json'), 'utf8'));
  const loadStart = process.hrtime.bigint();
  const raw = buildClassifier(loadHs2022(), vocabulary, DEFAULT_CALIBRATION);
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  console.log(`build ${loadMs.toFixed(0)} ms`);
  // Chosen by cross-validated log-loss on the calibration rulings; the evaluation rulings are never read here.
  const fits = {
    'public calibration rulings': fitCalibration(raw, { unseen }, { folds }),
    'public calibration rulings + author-written set out-of-fold': fitCalibration(
      raw,
      { unseen, authored },
      { folds },
    ),
  };
  for (const [name, fit] of Object.entries(fits)) {
    const best = Math.min(...Object.values(fit.losses));
    console.log(
      `fit on ${name}: temperature ${fit.calibration.temperature}, ridge ${fit.l2}, cv log-loss ${best}`,
    );
  }
  const [shippedName, fit] = Object.entries(fits).reduce((a, b) =>
    Math.min(...Object.values(b[1].losses)) < Math.min(...Object.values(a[1].losses)) ? b : a,
  );
  const c: Classifier = { ...raw, calibration: fit.calibration };
  if (args.has('--write')) {
    const out = {
      ...fit.calibration,
      features: [...CALIBRATION_FEATURES],
      fittedOn: `${shippedName}: data/classify/calibration-rulings.csv (${fit.unseenRows} rows)${
        fit.authoredRows > 0 ? ` + data/classify/eval-public.csv out-of-fold (${fit.authoredRows} rows)` : ''
      }; temperature and ridge ${fit.l2} by ${fit.folds}-fold cross-validated log-loss`,
    };
    writeFileSync(dataPath('classify', 'calibration.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
  console.log(`shipped: ${shippedName} ${JSON.stringify(fit.calibration)}`);
  for (const split of ['tune', 'holdout']) {
    const rows = authored.filter((r) => r.split === split);
    console.log(`\n== author-written ${split} split ==\n${renderEvalReport(evaluate(c, rows))}`);
  }
  console.log(`\n== CBP calibration rulings (fitted on) ==\n${renderEvalReport(evaluate(c, unseen))}`);
  const evaluation = evaluate(c, rulings);
  console.log(`\n== CBP evaluation rulings (never fitted on) ==\n${renderEvalReport(evaluation)}`);
  const svgAt = argv.indexOf('--svg');
  if (svgAt >= 0 && argv[svgAt + 1]) {
    const holdout = evaluate(
      c,
      authored.filter((r) => r.split === 'holdout'),
    );
    const svg = reliabilitySvg([
      { title: `CBP evaluation rulings (${evaluation.count}, never fitted on)`, ...evaluation },
      { title: `Author-written holdout (${holdout.count})`, ...holdout },
    ]);
    writeFileSync(argv[svgAt + 1] ?? '', svg);
  }
  for (const [name, other] of Object.entries(fits)) {
    if (other === fit) continue;
    const r = evaluate({ ...raw, calibration: other.calibration }, rulings);
    console.log(`\n(not shipped) fit on ${name}: evaluation rulings ECE ${r.ece.toFixed(3)}`);
  }
  console.log(`\nspeed: ${(speed(c, authored) * 1000).toFixed(1)} µs per description (wall)`);
  if (args.has('--errors'))
    console.log(`\n== author-written set errors ==\n${errors(c, authored).join('\n')}`);
}

main();
