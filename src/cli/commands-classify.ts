/** `classify`: HS code suggestions for a CSV of descriptions, or an evaluation against labels. */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { classify, evaluate, loadClassifier, readClassifyCsv, renderEvalReport } from '../classify/index.js';
import { ParcelgateError } from '../domain/index.js';
import { UsageError, outputFile } from './io.js';

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

/**
 * Writes one NDJSON line per CSV row, in input order: the suggestion, or for a blank or invalid row
 * `{"hs6": "", "confidence": 0, "alternatives": [], "error": {code, message, line}}`. With --eval prints
 * accuracy and calibration over the labelled rows (rows with errors are listed on stderr and left out).
 */
export async function classifyCommand(
  file: string,
  opts: { eval?: boolean; out?: string; force?: boolean; top?: string; explain?: boolean },
): Promise<number> {
  const rows = readRows(file);
  const outFlags = opts.out
    ? outputFile('--out', opts.out, { force: opts.force, inputs: [file] })
    : undefined;
  const classifier = loadClassifier();
  if (opts.eval) {
    const bad = rows.filter((r) => r.error !== undefined);
    for (const r of bad) process.stderr.write(`${file}: skipped: ${r.error?.code}: ${r.error?.message}\n`);
    const labelled = rows.flatMap((r) =>
      r.hs6 && !r.error ? [{ description: r.description, hs6: r.hs6 }] : [],
    );
    if (labelled.length === 0) throw new UsageError(`${file}: --eval needs a description,hs6 CSV`);
    const skipped = bad.length > 0 ? `skipped rows (errors on stderr): ${bad.length}\n` : '';
    process.stdout.write(skipped + renderEvalReport(evaluate(classifier, labelled)) + '\n');
    return 0;
  }
  const out: Writable = opts.out ? createWriteStream(opts.out, outFlags) : process.stdout;
  // A reader that stops early (`| head`) ends the output, not the process with a stack trace.
  let closed = false;
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  const top = Math.max(1, Number(opts.top ?? 3) || 3);
  let errors = 0;
  for (const r of rows) {
    if (closed) break;
    // A code column is read only by --eval: a bad code there does not stop a suggestion.
    if (r.error !== undefined && r.error.code !== 'classify.csv-bad-hs') {
      errors += 1;
      const line = { hs6: '', confidence: 0, alternatives: [], error: { ...r.error, line: r.line } };
      if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
      continue;
    }
    const c = classify(classifier, r.description, top + 1);
    // Exactly {hs6, confidence, alternatives}; hs6 is "" (confidence 0) when no word is known.
    const line: Record<string, unknown> = {
      hs6: c.hs6,
      confidence: Number(c.confidence.toFixed(4)),
      alternatives: c.alternatives
        .slice(0, top)
        .map((a) => ({ hs6: a.hs6, confidence: Number(a.confidence.toFixed(4)) })),
    };
    if (opts.explain) line.explanation = c.explanation.slice(0, 5);
    if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  if (errors > 0)
    process.stderr.write(`${file}: ${errors} of ${rows.length} rows have errors (see their lines)\n`);
  return 0;
}
