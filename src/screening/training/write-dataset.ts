/**
 * Writes a generated training or evaluation set for the screening model:
 *   images.u8    N × 3 × H × W bytes (RGB planes, already resized to the model input, as the detector does)
 *   labels.json  {"classes": [...], "width", "height", "seed", "count",
 *                 "images": [{"objects": [{"class": i, "box": [x0, y0, x1, y1]}], "negatives"?: [...]}]}
 *                boxes normalised to [0, 1]; `negatives` (reviewed sets only) are boxes officers rejected
 * The same format carries officers' reviewed labels (see reviewed.ts, `parcelgate screen --export-labels`).
 * Usage: node dist/src/screening/training/write-dataset.js --out DIR --count N --seed S [--size 128]
 * A quarter of the images go through a JPEG round trip (quality 60-95) first, as scanner exports often do.
 */
import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { Prng } from '../../sim/prng.js';
import { threatClasses, type Box, type ThreatClass } from '../categories.js';
import { generateImage } from '../generate.js';
import { encodeJpeg, resizeArea, rgbaToRgb, type RgbImage } from '../raster.js';

/** Image sizes drawn for training: scanner images come in many shapes, the detector stretches them all. */
export function drawSize(rng: Prng): { width: number; height: number } {
  return { width: rng.int(224, 320), height: rng.int(192, 288) };
}

/** The generated image of index `i` of a set, as the dataset and the evaluation both draw it. */
export function datasetImage(seed: string, i: number, jpegShare = 0.25) {
  const rng = new Prng(`${seed}:${i}`);
  const size = drawSize(rng);
  const g = generateImage(rng, size);
  let image: RgbImage = g.image;
  if (rng.chance(jpegShare)) {
    const decoded = jpeg.decode(encodeJpeg(image, rng.int(60, 95)), { useTArray: true });
    image = rgbaToRgb(decoded.width, decoded.height, decoded.data);
  }
  return { image, objects: g.objects };
}

/** One training example: an image (any size) and its objects in pixels; `negatives` are boxes known to hold no such object. */
export interface TrainingExample {
  image: RgbImage;
  objects: readonly { class: ThreatClass; box: Box }[];
  negatives?: readonly { class: ThreatClass; box: Box }[];
  /** Where the example came from (reviewed sets: image id and digest). */
  source?: Record<string, string>;
}

/** A training set entry of labels.json: class indices and boxes as fractions of the image. */
export interface TrainingSetEntry {
  objects: { class: number; box: number[] }[];
  negatives?: { class: number; box: number[] }[];
  source?: Record<string, string>;
}

const fractions = (b: Box, w: number, h: number): number[] => [b.x0 / w, b.y0 / h, b.x1 / w, b.y1 / h];

/**
 * Writes a set in the format train.py reads: `images.u8` (N × 3 × size × size RGB planes, resized with
 * the detector's own area resize) and `labels.json` (`classes`, `width`, `height`, `seed`, `count`,
 * `images`: per image its objects and optional negatives, class index and [x0, y0, x1, y1] fractions).
 */
export function writeTrainingSet(
  out: string,
  examples: Iterable<TrainingExample>,
  meta: { seed: string; size?: number; [k: string]: unknown },
): { count: number } {
  const size = meta.size ?? 128;
  fs.mkdirSync(out, { recursive: true });
  const fd = fs.openSync(path.join(out, 'images.u8'), 'w');
  const entries: TrainingSetEntry[] = [];
  const planes = new Uint8Array(3 * size * size);
  try {
    for (const { image, objects, negatives, source } of examples) {
      const small = resizeArea(image, size, size);
      for (let p = 0; p < size * size; p++) {
        planes[p] = small.data[p * 3]!;
        planes[size * size + p] = small.data[p * 3 + 1]!;
        planes[2 * size * size + p] = small.data[p * 3 + 2]!;
      }
      fs.writeSync(fd, planes);
      const entry: TrainingSetEntry = {
        objects: objects.map((o) => ({
          class: threatClasses.indexOf(o.class),
          box: fractions(o.box, image.width, image.height),
        })),
      };
      if (negatives && negatives.length > 0)
        entry.negatives = negatives.map((o) => ({
          class: threatClasses.indexOf(o.class),
          box: fractions(o.box, image.width, image.height),
        }));
      if (source) entry.source = source;
      entries.push(entry);
      if (entries.length % 500 === 0) process.stderr.write(`${entries.length}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
  const { size: _size, ...rest } = meta;
  fs.writeFileSync(
    path.join(out, 'labels.json'),
    JSON.stringify({
      classes: threatClasses,
      width: size,
      height: size,
      ...rest,
      count: entries.length,
      images: entries,
    }),
  );
  return { count: entries.length };
}

function* generatedExamples(seed: string, count: number): Generator<TrainingExample> {
  for (let i = 0; i < count; i++) yield datasetImage(seed, i);
}

function main(argv: string[]): void {
  const arg = (name: string, fallback?: string): string => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? argv[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  const seed = arg('seed');
  writeTrainingSet(arg('out'), generatedExamples(seed, Number(arg('count'))), {
    seed,
    size: Number(arg('size', '128')),
  });
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  main(process.argv.slice(2));
}
