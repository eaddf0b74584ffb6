/** `classify`: HS code suggestions for a CSV of descriptions, or an evaluation against labels. */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { classify, evaluate, loadClassifier, readClassifyCsv, renderEvalReport } from '../classify/index.js';
import { ParcelgateError } from '../domain/index.js';
import { UsageError } from './io.js';

function readRows(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return readClassifyCsv(text);
  } catch (e) {
    if (e instanceof ParcelgateError) throw new UsageError(`${file}: ${e.code}: ${e.message}`);
    throw e;
  }
}

/** Writes one NDJSON suggestion per CSV row, in order; with --eval prints accuracy and calibration. */
export async function classifyCommand(
  file: string,
  opts: { eval?: boolean; out?: string; top?: string },
): Promise<number> {
  const rows = readRows(file);
  const classifier = loadClassifier();
  if (opts.eval) {
    const labelled = rows.flatMap((r) => (r.hs6 ? [{ description: r.description, hs6: r.hs6 }] : []));
    if (labelled.length === 0) throw new UsageError(`${file}: --eval needs a description,hs6 CSV`);
    process.stdout.write(renderEvalReport(evaluate(classifier, labelled)) + '\n');
    return 0;
  }
  const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
  const top = Math.max(1, Number(opts.top ?? 3) || 3);
  for (const r of rows) {
    const c = classify(classifier, r.description, top + 1);
    const line = {
      hs6: c.hs6 || null,
      confidence: Number(c.confidence.toFixed(4)),
      alternatives: c.alternatives
        .slice(0, top)
        .map((a) => ({ hs6: a.hs6, confidence: Number(a.confidence.toFixed(4)) })),
      explanation: c.explanation.slice(0, 5),
    };
    if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  return 0;
}
