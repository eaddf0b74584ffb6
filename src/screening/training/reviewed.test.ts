import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { packageRoot } from '../../reference/paths.js';
import { Prng } from '../../sim/prng.js';
import { OnnxDetector } from '../detector.js';
import { generateImage } from '../generate.js';
import { encodePng } from '../raster.js';
import type { ReviewLabel, ScannerImage, StoredDetection } from '../store/port.js';
import { openSqliteScreeningStore } from '../store/sqlite.js';
import { exportReviewedSet, reviewedImage } from './reviewed.js';
import { scratchDir } from '../../testing/scratch.js';

const tmp = scratchDir('parcelgate-reviewed-');
after(() => rmSync(tmp, { recursive: true, force: true }));

const at = (n: number) => new Date(Date.parse('2026-11-29T10:00:00Z') + n * 1000).toISOString();

function image(id: string, width = 200, height = 100): ScannerImage {
  return {
    id,
    consignmentId: `csg_${id}`,
    format: 'png',
    width,
    height,
    byteLength: 0,
    sha256: id.padEnd(64, '0'),
    scanner: null,
    receivedAt: at(0),
    submittedBy: 'scanner',
    modelId: 'm',
    modelVersion: '1',
    screenedAt: at(0),
  };
}
const det = (id: string, imageId: string, cls: StoredDetection['class'], x0: number): StoredDetection => ({
  id,
  imageId,
  consignmentId: `csg_${imageId}`,
  class: cls,
  score: 0.8,
  box: { x0, y0: 10, x1: x0 + 40, y1: 50 },
});
function label(
  id: string,
  imageId: string,
  verdict: ReviewLabel['verdict'],
  cls: ReviewLabel['class'],
  detectionId: string | null,
  box = { x0: 0, y0: 0, x1: 10, y1: 10 },
): ReviewLabel {
  return {
    id,
    imageId,
    consignmentId: `csg_${imageId}`,
    detectionId,
    class: cls,
    box,
    verdict,
    actor: 'officer:ana',
    at: at(1),
    note: null,
  };
}

const out = join(tmp, 'reviewed');
let summary: Awaited<ReturnType<typeof exportReviewedSet>> | undefined;
const pic = (i: number) => generateImage(new Prng(`reviewed:${i}`), { width: 200, height: 100 }).image;

describe('reviewed labels as training data', () => {
  it('folds labels: the latest review of a detection counts; unanswered detections keep the image out', () => {
    const img = image('img_a');
    const ds = [det('det_1', 'img_a', 'knife', 10), det('det_2', 'img_a', 'gun', 100)];
    assert.equal(reviewedImage(img, ds, [label('lbl_1', 'img_a', 'confirmed', 'knife', 'det_1')]), null);
    const r = reviewedImage(img, ds, [
      label('lbl_1', 'img_a', 'confirmed', 'knife', 'det_1'),
      label('lbl_3', 'img_a', 'rejected', 'gun', 'det_2'),
      label('lbl_2', 'img_a', 'confirmed', 'gun', 'det_2'), // older than lbl_3: overruled
      label('lbl_4', 'img_a', 'confirmed', 'battery-pack', 'det_1'), // newer: corrects the category
      label('lbl_5', 'img_a', 'added', 'liquid-container', null, { x0: 150, y0: 20, x1: 190, y1: 90 }),
    ])!;
    assert.deepEqual(r.objects, [
      { class: 'battery-pack', box: ds[0]!.box },
      { class: 'liquid-container', box: { x0: 150, y0: 20, x1: 190, y1: 90 } },
    ]);
    assert.deepEqual(r.negatives, [{ class: 'gun', box: ds[1]!.box }]);
  });

  it('exports reviewed images in the training format train.py reads', async () => {
    const store = openSqliteScreeningStore({ memory: true });
    const add = async (id: string, i: number, detections: StoredDetection[]) => {
      const bytes = encodePng(pic(i));
      await store.addImage({ ...image(id), byteLength: bytes.length }, bytes, detections);
    };
    await add('img_a', 0, [det('det_1', 'img_a', 'knife', 10), det('det_2', 'img_a', 'gun', 100)]);
    await add('img_b', 1, [det('det_3', 'img_b', 'gun', 60)]);
    await add('img_c', 2, [det('det_4', 'img_c', 'knife', 60)]);
    await store.addLabel(label('lbl_1', 'img_a', 'confirmed', 'knife', 'det_1'));
    await store.addLabel(label('lbl_2', 'img_a', 'rejected', 'gun', 'det_2'));
    await store.addLabel(label('lbl_3', 'img_b', 'rejected', 'gun', 'det_3'));
    await store.addLabel(
      label('lbl_4', 'img_b', 'added', 'battery-pack', null, { x0: 100, y0: 50, x1: 150, y1: 100 }),
    );
    // img_c has a detection and no review: it stays out.
    summary = await exportReviewedSet(store, out, { now: at(5) });
    await store.close();
    assert.deepEqual(
      { ...summary, labelsSha256: summary.labelsSha256.length },
      { images: 2, objects: 2, negatives: 2, unreviewed: 0, labels: 4, labelsSha256: 64 },
    );
    const labels = JSON.parse(readFileSync(join(out, 'labels.json'), 'utf8'));
    assert.equal(labels.seed, 'reviewed');
    assert.equal(labels.count, 2);
    assert.deepEqual(labels.classes, [
      'knife',
      'gun',
      'battery-pack',
      'liquid-container',
      'dense-organic-mass',
    ]);
    assert.deepEqual(labels.images[0].objects, [{ class: 0, box: [0.05, 0.1, 0.25, 0.5] }]);
    assert.deepEqual(labels.images[0].negatives, [{ class: 1, box: [0.5, 0.1, 0.7, 0.5] }]);
    assert.deepEqual(labels.images[1].objects, [{ class: 2, box: [0.5, 0.5, 0.75, 1] }]);
    assert.equal(labels.images[1].source.imageId, 'img_b');
    assert.equal(statSync(join(out, 'images.u8')).size, 2 * 3 * 128 * 128);
  });
});

// A tiny run of the committed training script on a reviewed set: about a minute on a loaded machine
// (torch start-up, ONNX export), so it runs on request where Debian's python3-torch and python3-onnx
// are installed: PARCELGATE_TRAIN_SMOKE=1 node --test dist/src/screening/training/reviewed.test.js
const python = '/usr/bin/python3';
const trainSkip = !process.env.PARCELGATE_TRAIN_SMOKE
  ? 'set PARCELGATE_TRAIN_SMOKE=1 to run train.py on a reviewed set'
  : !existsSync(python) || spawnSync(python, ['-c', 'import torch, onnx']).status !== 0
    ? 'no python3-torch / python3-onnx'
    : false;

describe('train.py on a reviewed set', { skip: trainSkip }, () => {
  it('mixes the reviewed images into training and records the set in the model description', async () => {
    assert.ok(summary, 'the export ran');
    const model = join(tmp, 'model');
    const run = spawnSync(
      python,
      [
        join(packageRoot, 'src', 'screening', 'training', 'train.py'),
        ...['--work', join(tmp, 'work'), '--out', model, '--train-count', '16', '--val-count', '8'],
        ...['--epochs', '1', '--batch', '8', '--reviewed', out, '--version', 'test'],
      ],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /reviewed set .*: 2 images, 2 objects, 2 rejected boxes/);
    assert.match(run.stdout, /22 training and 8 validation images/, '16 generated + 2 reviewed × 3');
    const description = JSON.parse(readFileSync(join(model, 'baseline.json'), 'utf8'));
    assert.equal(description.version, 'test');
    assert.deepEqual(description.training.reviewedSets, [
      {
        dir: 'reviewed',
        images: 2,
        objects: 2,
        negatives: 2,
        labelsSha256: summary!.labelsSha256,
        repeat: 3,
      },
    ]);
    const detector = await OnnxDetector.load(join(model, 'baseline.json'));
    try {
      assert.ok(Array.isArray(await detector.detect(pic(0))));
    } finally {
      await detector.close();
    }
  });
});
