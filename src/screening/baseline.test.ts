import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Prng } from '../sim/prng.js';
import { iou, threatClasses } from './categories.js';
import { OnnxDetector } from './detector.js';
import { generateImage } from './generate.js';

/*
 * Statistical checks of the shipped baseline on small seeded sets (deterministic: same seed, same
 * images, same scores). Margins sit well below the held-out figures in docs/screening.md, so a model
 * retrained from the committed script passes, while a broken model, a wrong input layout or broken
 * box decoding fails.
 */
describe('baseline model on generated parcels', () => {
  let detector: OnnxDetector;
  before(async () => {
    detector = await OnnxDetector.load();
  });
  after(() => detector.close());

  it('finds a planted threat of each category, with a box on it, in most images', async () => {
    const perClass = 6;
    const found: Record<string, number> = {};
    for (const c of threatClasses) {
      found[c] = 0;
      for (let i = 0; i < perClass; i++) {
        const g = generateImage(new Prng(`baseline-test:${c}:${i}`), { threatRate: 1, classes: [c] });
        const truth = g.objects.filter((o) => o.class === c);
        const detections = await detector.detect(g.image);
        if (detections.some((d) => d.class === c && truth.some((t) => iou(t.box, d.box) >= 0.3))) found[c]!++;
      }
    }
    const total = Object.values(found).reduce((a, b) => a + b, 0);
    assert.ok(total >= 0.7 * perClass * threatClasses.length, `found ${JSON.stringify(found)}`);
    for (const c of threatClasses) assert.ok(found[c]! >= perClass / 2, `found ${JSON.stringify(found)}`);
  });

  it('raises few alerts on parcels without threats', async () => {
    let alerts = 0;
    const n = 20;
    for (let i = 0; i < n; i++) {
      const g = generateImage(new Prng(`baseline-test:clean:${i}`), { threatRate: 0 });
      assert.equal(g.objects.length, 0);
      if ((await detector.detect(g.image)).length > 0) alerts++;
    }
    assert.ok(alerts <= n * 0.3, `${alerts} false alerts in ${n} clean images`);
  });
});
