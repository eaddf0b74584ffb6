import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Prng, WeightedTable } from './prng.js';

describe('seeded random source', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = new Prng('flood');
    const b = new Prng('flood');
    const c = new Prng('other');
    const seqA = Array.from({ length: 20 }, () => a.nextU32());
    assert.deepEqual(
      seqA,
      Array.from({ length: 20 }, () => b.nextU32()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 20 }, () => c.nextU32()),
    );
  });

  it('treats the number 42 and the string "42" as different seeds', () => {
    assert.notEqual(new Prng(42).nextU32(), new Prng('42').nextU32());
  });

  it('draws uniform floats in [0, 1) with a mean near one half', () => {
    const rng = new Prng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  });

  it('draws log-normal values whose median is the requested median', () => {
    const rng = new Prng(2);
    const xs = Array.from({ length: 20001 }, () => rng.logNormal(20, 0.6)).sort((x, y) => x - y);
    const median = xs[10000] ?? 0;
    assert.ok(median > 19 && median < 21, `median ${median}`);
  });

  it('draws from a weighted table in proportion to the weights', () => {
    const rng = new Prng(3);
    const table = new WeightedTable([
      ['a', 1],
      ['b', 3],
    ] as const);
    let b = 0;
    for (let i = 0; i < 20000; i++) if (table.draw(rng) === 'b') b++;
    assert.ok(Math.abs(b / 20000 - 0.75) < 0.015);
    assert.deepEqual(
      table.shares().map((s) => s.share),
      [0.25, 0.75],
    );
  });

  it('rejects an empty weighted table', () => {
    assert.throws(() => new WeightedTable([]), RangeError);
  });
});
