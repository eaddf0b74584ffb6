/**
 * Officers' reviews as training data: the images whose every detection an officer has answered,
 * with confirmed and added objects as positives and rejected boxes as negatives, written in the
 * format train.py reads (`writeTrainingSet`). This closes the loop: screen → review in the console →
 * `parcelgate screen --export-labels DIR` → `train.py --reviewed DIR` → drop in the new model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Box, ThreatClass } from '../categories.js';
import type { ReviewLabel, ScannerImage, ScreeningStore, StoredDetection } from '../store/port.js';
import { checkImage, defaultImageLimits } from '../validate-image.js';
import { writeTrainingSet, type TrainingExample } from './write-dataset.js';

/** What one reviewed image teaches: objects (confirmed with the officer's category, or added) and rejected boxes. */
export interface ReviewedImage {
  image: ScannerImage;
  objects: { class: ThreatClass; box: Box }[];
  negatives: { class: ThreatClass; box: Box }[];
}

/**
 * Folds an image's detections and its append-only labels into what it teaches. The latest label of a
 * detection counts. Returns null while some detection has no review: an unanswered box may be a real
 * object, and training would otherwise learn it as background.
 */
export function reviewedImage(
  image: ScannerImage,
  detections: readonly StoredDetection[],
  labels: readonly ReviewLabel[],
): ReviewedImage | null {
  const latest = new Map<string, ReviewLabel>();
  for (const l of [...labels].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    if (l.detectionId) latest.set(l.detectionId, l);
  const objects: ReviewedImage['objects'] = [];
  const negatives: ReviewedImage['negatives'] = [];
  for (const d of detections) {
    const l = latest.get(d.id);
    if (!l) return null;
    if (l.verdict === 'confirmed') objects.push({ class: l.class, box: d.box });
    else if (l.verdict === 'rejected') negatives.push({ class: d.class, box: d.box });
  }
  for (const l of labels) if (l.verdict === 'added') objects.push({ class: l.class, box: l.box });
  if (detections.length === 0 && objects.length === 0) return null;
  return { image, objects, negatives };
}

/** Every labelled image of the store, folded (unreviewed ones counted, not returned), in label order. */
export async function reviewedImages(
  store: ScreeningStore,
  pageSize = 1000,
): Promise<{ reviewed: ReviewedImage[]; unreviewed: number; labels: number }> {
  const order: string[] = [];
  const seen = new Set<string>();
  let labels = 0;
  for (let after: string | undefined; ;) {
    const page = await store.exportLabels(after, pageSize);
    labels += page.length;
    for (const l of page)
      if (!seen.has(l.imageId)) {
        seen.add(l.imageId);
        order.push(l.imageId);
      }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.id;
  }
  const reviewed: ReviewedImage[] = [];
  let unreviewed = 0;
  for (let i = 0; i < order.length; i += 200) {
    const ids = order.slice(i, i + 200);
    const [detections, allLabels] = await Promise.all([store.detections(ids), store.labels(ids)]);
    for (const id of ids) {
      const image = await store.image(id);
      if (!image) continue;
      const r = reviewedImage(
        image,
        detections.filter((d) => d.imageId === id),
        allLabels.filter((l) => l.imageId === id),
      );
      if (r) reviewed.push(r);
      else unreviewed++;
    }
  }
  return { reviewed, unreviewed, labels };
}

/** Summary of an export. */
export interface ReviewedExport {
  images: number;
  objects: number;
  negatives: number;
  /** Labelled images left out because some detection still awaits review. */
  unreviewed: number;
  labels: number;
  /** SHA-256 of labels.json, recorded by train.py in the model description. */
  labelsSha256: string;
}

/**
 * Writes the reviewed images of `store` to `out` as a training set (images.u8 + labels.json, seed
 * `reviewed`). Image bytes are checked and decoded exactly as on upload.
 */
export async function exportReviewedSet(
  store: ScreeningStore,
  out: string,
  opts: { size?: number; now?: string } = {},
): Promise<ReviewedExport> {
  const { reviewed, unreviewed, labels } = await reviewedImages(store);
  const examples: TrainingExample[] = [];
  for (const r of reviewed) {
    const bytes = await store.imageBytes(r.image.id);
    if (!bytes) continue;
    const rgb = checkImage(bytes, undefined, defaultImageLimits).rgb;
    examples.push({
      image: rgb,
      objects: r.objects,
      negatives: r.negatives,
      source: { imageId: r.image.id, sha256: r.image.sha256, consignmentId: r.image.consignmentId },
    });
  }
  writeTrainingSet(out, examples, {
    seed: 'reviewed',
    size: opts.size ?? 128,
    exportedAt: opts.now ?? new Date().toISOString(),
  });
  const labelsSha256 = createHash('sha256')
    .update(readFileSync(join(out, 'labels.json')))
    .digest('hex');
  return {
    images: examples.length,
    objects: examples.reduce((n, e) => n + e.objects.length, 0),
    negatives: examples.reduce((n, e) => n + (e.negatives?.length ?? 0), 0),
    unreviewed,
    labels,
    labelsSha256,
  };
}
