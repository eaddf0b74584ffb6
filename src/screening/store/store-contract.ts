/** Behaviour every screening store must have; run against SQLite always and PostgreSQL when configured. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { screeningId } from '../ids.js';
import type { ReviewLabel, ScannerImage, ScreeningStore, StoredDetection } from './port.js';

export function sampleImage(
  consignmentId: string,
  sha: string,
  receivedAt = '2026-11-29T10:00:00.000Z',
): ScannerImage {
  return {
    id: screeningId('img'),
    consignmentId,
    format: 'png',
    width: 320,
    height: 240,
    byteLength: 4,
    sha256: sha.padEnd(64, '0'),
    scanner: 'lane-3',
    receivedAt,
    submittedBy: 'scanner:lane-3',
    modelId: 'parcelgate-baseline',
    modelVersion: '1',
    screenedAt: receivedAt,
  };
}

export function sampleDetection(image: ScannerImage, score = 0.9): StoredDetection {
  return {
    id: screeningId('det'),
    imageId: image.id,
    consignmentId: image.consignmentId,
    class: 'knife',
    score,
    box: { x0: 10, y0: 20, x1: 60, y1: 45 },
  };
}

export function runScreeningStoreContract(name: string, open: () => Promise<ScreeningStore>): void {
  describe(`screening store contract (${name})`, () => {
    test('an image, its bytes and its detections round-trip; the same bytes again are not stored twice', async () => {
      const store = await open();
      try {
        const img = sampleImage('csg_A', 'aa');
        const bytes = Buffer.from([0x89, 0x50, 0x00, 0xff]);
        const dets = [sampleDetection(img, 0.7), sampleDetection(img, 0.95)];
        assert.deepEqual(await store.addImage(img, bytes, dets), { image: img, created: true });
        assert.deepEqual(await store.image(img.id), img);
        assert.deepEqual(await store.imageBytes(img.id), bytes);
        assert.deepEqual(
          (await store.detections([img.id])).map((d) => d.score),
          [0.95, 0.7],
        );
        const again = await store.addImage({ ...sampleImage('csg_A', 'aa'), id: screeningId('img') }, bytes, [
          sampleDetection(img),
        ]);
        assert.deepEqual(again, { image: img, created: false });
        assert.equal((await store.detections([img.id])).length, 2);
        assert.deepEqual(await store.images('csg_A'), [img]);
        assert.deepEqual(await store.images('csg_none'), []);
        assert.equal(await store.image('img_none'), undefined);
        assert.equal(await store.imageBytes('img_none'), undefined);
      } finally {
        await store.close();
      }
    });

    test('labels are stored append-only; the review queue holds images with unanswered detections', async () => {
      const store = await open();
      try {
        const a = sampleImage('csg_B', 'b1', '2026-11-29T10:00:00.000Z');
        const b = sampleImage('csg_B', 'b2', '2026-11-29T10:05:00.000Z');
        const c = sampleImage('csg_C', 'c1', '2026-11-29T10:07:00.000Z');
        const da = sampleDetection(a);
        const db = sampleDetection(b);
        await store.addImage(a, Buffer.from('a'), [da]);
        await store.addImage(b, Buffer.from('b'), [db]);
        await store.addImage(c, Buffer.from('c'), []);
        assert.deepEqual(
          (await store.awaitingReview(10)).map((i) => i.id),
          [a.id, b.id],
        );
        const label: ReviewLabel = {
          id: screeningId('lbl'),
          imageId: a.id,
          consignmentId: a.consignmentId,
          detectionId: da.id,
          class: da.class,
          box: da.box,
          verdict: 'rejected',
          actor: 'officer:kim',
          at: '2026-11-29T11:00:00.000Z',
          note: 'umbrella rib',
        };
        await store.addLabel(label);
        const added: ReviewLabel = {
          ...label,
          id: screeningId('lbl'),
          detectionId: null,
          class: 'gun',
          box: { x0: 1, y0: 2, x1: 3, y1: 4 },
          verdict: 'added',
          note: null,
        };
        await store.addLabel(added);
        assert.deepEqual(await store.labels([a.id]), [label, added]);
        assert.deepEqual(
          (await store.awaitingReview(10)).map((i) => i.id),
          [b.id],
        );
        const page1 = await store.exportLabels(undefined, 1);
        assert.deepEqual(page1, [label]);
        assert.deepEqual(await store.exportLabels(page1[0]!.id, 10), [added]);
      } finally {
        await store.close();
      }
    });
  });
}
