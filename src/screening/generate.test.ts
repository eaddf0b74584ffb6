import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Prng } from '../sim/prng.js';
import { generateImage } from './generate.js';

// The shipped baseline was trained on the generator's images and its figures were measured on them:
// refactoring the generator must not change a pixel or a box. A deliberate change updates this digest
// and retrains (docs/screening.md).
test('the generator draws the same images and boxes from the same seeds', () => {
  const h = createHash('sha256');
  for (let i = 0; i < 12; i++) {
    const g = generateImage(new Prng(`golden:${i}`), { threatRate: 1 });
    h.update(g.image.data);
    h.update(JSON.stringify(g.objects));
  }
  assert.equal(h.digest('hex'), '683f677df63583c95cc76b609016f797a00b659aa8ca449ebf29e96f61da1fe2');
});
