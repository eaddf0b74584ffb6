/** Maintainer script: fits the calibration on the tuning split, reports both splits and the speed per description. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath, loadHs2022 } from '../reference/index.js';
import { buildClassifier, classify, DEFAULT_CALIBRATION, type Classifier } from './classifier.js';
import { evaluate, fitCalibration, renderEvalReport, type LabelledRow } from './evaluate.js';

interface SplitRow extends LabelledRow {
  split: string;
}

function readSplits(): SplitRow[] {
  const text = readFileSync(dataPath('classify', 'eval-public.csv'), 'utf8');
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r) => ({ description: r.description ?? '', hs6: r.hs6 ?? '', split: r.split ?? 'tune' }));
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
  const args = new Set(process.argv.slice(2));
  const rows = readSplits();
  const tune = rows.filter((r) => r.split === 'tune');
  const holdout = rows.filter((r) => r.split === 'holdout');
  const vocabulary: unknown = JSON.parse(readFileSync(dataPath('classify', 'vocabulary.json'), 'utf8'));
  const loadStart = process.hrtime.bigint();
  const raw = buildClassifier(loadHs2022(), vocabulary, DEFAULT_CALIBRATION);
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const calibration = fitCalibration(raw, tune);
  const c: Classifier = { ...raw, calibration };
  if (args.has('--write')) {
    const out = {
      ...calibration,
      fittedOn: `data/classify/eval-public.csv split=tune (${tune.length} rows)`,
    };
    writeFileSync(dataPath('classify', 'calibration.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
  console.log(`calibration ${JSON.stringify(calibration)}; build ${loadMs.toFixed(0)} ms`);
  console.log(`\n== tune split ==\n${renderEvalReport(evaluate(c, tune))}`);
  console.log(`\n== holdout split (not tuned on) ==\n${renderEvalReport(evaluate(c, holdout))}`);
  console.log(`\nspeed: ${(speed(c, rows) * 1000).toFixed(1)} µs per description`);
  if (args.has('--errors')) console.log(`\n== tune errors ==\n${errors(c, tune).join('\n')}`);
}

main();
