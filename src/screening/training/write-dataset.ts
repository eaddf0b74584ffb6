/**
 * Writes a generated training or evaluation set for the screening model:
 *   images.u8    N × 3 × H × W bytes (RGB planes, already resized to the model input, as the detector does)
 *   labels.json  {"classes": [...], "width", "height", "images": [{"objects": [{"class": i, "box": [x0, y0, x1, y1]}]}]}
 *                boxes normalised to [0, 1]
 * Usage: node dist/src/screening/training/write-dataset.js --out DIR --count N --seed S [--size 128]
 * A quarter of the images go through a JPEG round trip (quality 60-95) first, as scanner exports often do.
 */
import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { Prng } from '../../sim/prng.js';
import { threatClasses } from '../categories.js';
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

function main(argv: string[]): void {
  const arg = (name: string, fallback?: string): string => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? argv[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  const out = arg('out');
  const count = Number(arg('count'));
  const seed = arg('seed');
  const size = Number(arg('size', '128'));
  fs.mkdirSync(out, { recursive: true });
  const fd = fs.openSync(path.join(out, 'images.u8'), 'w');
  const labels: { objects: { class: number; box: number[] }[] }[] = [];
  const planes = new Uint8Array(3 * size * size);
  for (let i = 0; i < count; i++) {
    const { image, objects } = datasetImage(seed, i);
    const small = resizeArea(image, size, size);
    for (let p = 0; p < size * size; p++) {
      planes[p] = small.data[p * 3]!;
      planes[size * size + p] = small.data[p * 3 + 1]!;
      planes[2 * size * size + p] = small.data[p * 3 + 2]!;
    }
    fs.writeSync(fd, planes);
    labels.push({
      objects: objects.map((o) => ({
        class: threatClasses.indexOf(o.class),
        box: [
          o.box.x0 / image.width,
          o.box.y0 / image.height,
          o.box.x1 / image.width,
          o.box.y1 / image.height,
        ],
      })),
    });
    if ((i + 1) % 500 === 0) process.stderr.write(`${i + 1}/${count}\n`);
  }
  fs.closeSync(fd);
  fs.writeFileSync(
    path.join(out, 'labels.json'),
    JSON.stringify({ classes: threatClasses, width: size, height: size, seed, count, images: labels }),
  );
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  main(process.argv.slice(2));
}
