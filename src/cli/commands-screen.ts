/** `screen`: screen image files offline with the baseline or a given model; evaluate; write generated samples. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParcelgateError } from '../domain/index.js';
import { Prng } from '../sim/prng.js';
import {
  checkImage,
  encodeJpeg,
  encodePng,
  generateImage,
  OnnxDetector,
  openPostgresScreeningStore,
  openSqliteScreeningStore,
  threatClasses,
  type Detector,
} from '../screening/index.js';
import { evaluateDetector, heldOutSeed, renderEvaluation } from '../screening/evaluate.js';
import { exportReviewedSet } from '../screening/training/reviewed.js';
import { UsageError, exitCodes, positiveInt } from './io.js';

async function loadDetector(model?: string): Promise<Detector> {
  try {
    return await OnnxDetector.load(model);
  } catch (e) {
    if (e instanceof ParcelgateError) throw new UsageError(`${e.code}: ${e.message}`);
    throw e;
  }
}

/** Writes `count` generated parcel images (PNG, a few JPEG) and their ground truth to `dir`. */
function writeSamples(dir: string, count: number, seed: string): void {
  mkdirSync(dir, { recursive: true });
  const truth: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const rng = new Prng(`${seed}:${i}`);
    const g = generateImage(rng, { width: 320, height: 240 });
    const jpeg = i % 4 === 3;
    const file = `parcel-${String(i).padStart(4, '0')}.${jpeg ? 'jpg' : 'png'}`;
    writeFileSync(join(dir, file), jpeg ? encodeJpeg(g.image, 90) : encodePng(g.image));
    truth.push({ file, objects: g.objects });
  }
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
}

/** Writes the reviewed images of the store as a training set and prints its summary as JSON. */
async function exportLabelsCommand(
  out: string,
  opts: { dataDir?: string; postgres?: string },
): Promise<number> {
  const store = opts.postgres
    ? await openPostgresScreeningStore({ url: opts.postgres })
    : openSqliteScreeningStore({ dataDir: opts.dataDir ?? '.' });
  try {
    const summary = await exportReviewedSet(store, out);
    process.stdout.write(JSON.stringify({ out, ...summary }) + '\n');
    return exitCodes.ok;
  } finally {
    await store.close();
  }
}

/**
 * Screens image files: one NDJSON line per file with its detections, or an error line for a file
 * that is not an acceptable image (exit code 1). `--evaluate` prints held-out precision and recall;
 * `--generate DIR` writes sample images.
 */
export async function screenCommand(
  files: string[],
  opts: {
    model?: string;
    evaluate?: boolean;
    count?: string;
    seed?: string;
    generate?: string;
    minScore?: string;
    exportLabels?: string;
    dataDir?: string;
    postgres?: string;
  },
): Promise<number> {
  if (opts.exportLabels) return exportLabelsCommand(opts.exportLabels, opts);
  if (opts.generate) {
    writeSamples(opts.generate, positiveInt('count', opts.count, 20), opts.seed ?? 'samples');
    return exitCodes.ok;
  }
  if (!opts.evaluate && files.length === 0)
    throw new UsageError('give image files to screen, or --evaluate, or --generate DIR');
  const minScore = opts.minScore === undefined ? undefined : Number(opts.minScore);
  if (minScore !== undefined && !(minScore >= 0 && minScore <= 1))
    throw new UsageError('--min-score must be between 0 and 1');
  const detector = await loadDetector(opts.model);
  try {
    if (opts.evaluate) {
      const e = await evaluateDetector(detector, {
        count: positiveInt('count', opts.count, 400),
        seed: opts.seed ?? heldOutSeed,
      });
      process.stdout.write(renderEvaluation(e) + '\n');
      return exitCodes.ok;
    }
    let refused = 0;
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      try {
        const img = checkImage(bytes);
        const detections = await detector.detect(img.rgb, minScore === undefined ? {} : { minScore });
        const line = {
          file,
          format: img.format,
          width: img.width,
          height: img.height,
          sha256: img.sha256,
          model: `${detector.info.id}@${detector.info.version}`,
          detections,
        };
        process.stdout.write(JSON.stringify(line) + '\n');
      } catch (e) {
        if (!(e instanceof ParcelgateError)) throw e;
        refused++;
        process.stdout.write(JSON.stringify({ file, error: { code: e.code, message: e.message } }) + '\n');
      }
    }
    return refused > 0 ? exitCodes.rejected : exitCodes.ok;
  } finally {
    await detector.close();
  }
}

/** Categories, for the command's help text. */
export const screenCategories = threatClasses.join(', ');
