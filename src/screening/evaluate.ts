/**
 * Precision and recall of a detector on a held-out generated set (drawn exactly as the training set,
 * from a different seed): per category at box level (a detection is correct when it overlaps an
 * unmatched object of its category with IoU >= 0.3) and at image level (category present or not),
 * plus the alert level (any threat in the image), which is what holds a parcel.
 */
import { iou, threatClasses, type ThreatClass } from './categories.js';
import type { Detector } from './detector.js';
import { datasetImage } from './training/write-dataset.js';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface ClassEvaluation {
  class: ThreatClass;
  objects: number;
  box: Counts & { precision: number; recall: number };
  image: Counts & { precision: number; recall: number };
}

export interface Evaluation {
  model: string;
  seed: string;
  images: number;
  iouThreshold: number;
  classes: ClassEvaluation[];
  alert: Counts & { precision: number; recall: number; imagesWithThreats: number };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);
const finish = (c: Counts) => ({
  ...c,
  precision: ratio(c.tp, c.tp + c.fp),
  recall: ratio(c.tp, c.tp + c.fn),
});

/** Held-out seed used for the documented figures. */
export const heldOutSeed = 'screening-heldout';

export async function evaluateDetector(
  detector: Detector,
  opts: { seed?: string; count?: number; iouThreshold?: number; onImage?: (i: number) => void } = {},
): Promise<Evaluation> {
  const seed = opts.seed ?? heldOutSeed;
  const count = opts.count ?? 400;
  const threshold = opts.iouThreshold ?? 0.3;
  const box = new Map<ThreatClass, Counts>(threatClasses.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const image = new Map<ThreatClass, Counts>(threatClasses.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const objects = new Map<ThreatClass, number>(threatClasses.map((c) => [c, 0]));
  const alert: Counts = { tp: 0, fp: 0, fn: 0 };
  let withThreats = 0;
  for (let i = 0; i < count; i++) {
    const { image: img, objects: truth } = datasetImage(seed, i);
    const found = await detector.detect(img);
    for (const c of threatClasses) {
      const t = truth.filter((o) => o.class === c);
      const d = found.filter((o) => o.class === c).sort((a, b) => b.score - a.score);
      objects.set(c, objects.get(c)! + t.length);
      const used = new Set<number>();
      const b = box.get(c)!;
      for (const det of d) {
        let best = -1;
        let bestIou = threshold;
        t.forEach((o, k) => {
          const v = iou(det.box, o.box);
          if (!used.has(k) && v >= bestIou) {
            best = k;
            bestIou = v;
          }
        });
        if (best >= 0) {
          used.add(best);
          b.tp++;
        } else b.fp++;
      }
      b.fn += t.length - used.size;
      const im = image.get(c)!;
      if (t.length > 0 && d.length > 0) im.tp++;
      else if (d.length > 0) im.fp++;
      else if (t.length > 0) im.fn++;
    }
    if (truth.length > 0) withThreats++;
    if (truth.length > 0 && found.length > 0) alert.tp++;
    else if (found.length > 0) alert.fp++;
    else if (truth.length > 0) alert.fn++;
    opts.onImage?.(i);
  }
  return {
    model: `${detector.info.id}@${detector.info.version}`,
    seed,
    images: count,
    iouThreshold: threshold,
    classes: threatClasses.map((c) => ({
      class: c,
      objects: objects.get(c)!,
      box: finish(box.get(c)!),
      image: finish(image.get(c)!),
    })),
    alert: { ...finish(alert), imagesWithThreats: withThreats },
  };
}

/** A plain-text table of an evaluation. */
export function renderEvaluation(e: Evaluation): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `model ${e.model} on ${e.images} held-out generated images (seed '${e.seed}'), box match IoU >= ${e.iouThreshold}`,
    '',
    'category              objects  box P    box R    image P  image R',
  ];
  for (const c of e.classes) {
    lines.push(
      `${c.class.padEnd(20)} ${String(c.objects).padStart(8)} ${pct(c.box.precision)}  ${pct(c.box.recall)}  ${pct(c.image.precision)}  ${pct(c.image.recall)}`,
    );
  }
  lines.push(
    '',
    `alert (any threat in the image): precision ${pct(e.alert.precision).trim()}, recall ${pct(e.alert.recall).trim()} ` +
      `(${e.alert.imagesWithThreats} of ${e.images} images hold a threat; ${e.alert.fp} false alerts, ${e.alert.fn} missed)`,
  );
  return lines.join('\n');
}
