import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { batched, createByteCounter, createProgress } from './index.js';

async function* from<T>(values: readonly T[]): AsyncIterable<T> {
  for (const v of values) yield v;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of source) out.push(v);
  return out;
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('batched', () => {
  it('groups elements in order into batches of the given size, the last one shorter', async () => {
    assert.deepEqual(await collect(batched(from([1, 2, 3, 4, 5]), 2)), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(await collect(batched(from([]), 3)), []);
  });

  it('preserves every element and never exceeds the size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.integer({ min: 1, max: 10 }), async (values, size) => {
        const batches = await collect(batched(from(values), size));
        assert.deepEqual(batches.flat(), values);
        assert.ok(batches.every((b, k) => b.length === size || (k === batches.length - 1 && b.length > 0)));
      }),
    );
  });

  it('rejects a batch size that is not a positive integer', async () => {
    await assert.rejects(collect(batched(from([1]), 0)), RangeError);
    await assert.rejects(collect(batched(from([1]), 1.5)), RangeError);
  });
});

describe('createByteCounter', () => {
  it('passes bytes through unchanged and reports every chunk size', async () => {
    let counted = 0;
    const sink = new Sink();
    await pipeline(
      Readable.from([Buffer.from('héllo '), Buffer.from('world')]),
      createByteCounter((n) => (counted += n)),
      sink,
    );
    assert.equal(sink.text, 'héllo world');
    assert.equal(counted, Buffer.byteLength('héllo world'));
  });
});

describe('createProgress', () => {
  it('prints nothing when disabled', () => {
    const sink = new Sink();
    const p = createProgress(1000, { enabled: false, label: 'import', stream: sink });
    p.tick(500, 10);
    p.stop();
    assert.equal(sink.text, '');
  });

  it('renders the label, bytes and record count when enabled, even on a non-TTY stream', () => {
    const sink = new Sink();
    const p = createProgress(2 * 1_048_576, { enabled: true, label: 'import', stream: sink });
    p.tick(1_048_576, 7);
    p.tick(1_048_576, 5);
    p.stop();
    p.stop();
    assert.match(sink.text, /import/);
    assert.match(sink.text, /12 records/);
    assert.match(sink.text, /2\.0\/2\.0 MB/);
  });

  it('shows a count of parcels, not megabytes, with unit parcels (the demo)', () => {
    const sink = new Sink();
    const p = createProgress(100_000, { enabled: true, label: 'clear', unit: 'parcels', stream: sink });
    p.tick(60_000, 60_000);
    p.tick(40_000, 40_000);
    p.stop();
    assert.match(sink.text, /clear/);
    assert.match(sink.text, /100,000\/100,000 parcels/);
    assert.doesNotMatch(sink.text, /MB/);
  });
});
