import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { generateFlood, toNdjsonLine, writeFlood } from './index.js';

class SlowSink extends Writable {
  chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    setImmediate(done);
  }
  text(): string {
    return this.chunks.join('');
  }
}

describe('NDJSON output', () => {
  it('renders one record as a JSON line ending in a newline', () => {
    const [record] = [...generateFlood({ seed: 1, count: 1, day: '2025-01-15' })];
    assert.ok(record);
    const line = toNdjsonLine(record.input);
    assert.ok(line.endsWith('\n'));
    assert.deepEqual(JSON.parse(line), record.input);
  });

  it('streams the same records and labels as the generator through a slow sink', async () => {
    const opts = { seed: 'ndjson', count: 1200, day: '2025-01-15' };
    const out = new SlowSink();
    const labels = new SlowSink();
    const { count } = await writeFlood(opts, out, labels);
    const expected = [...generateFlood(opts)];
    assert.equal(count, expected.length);
    assert.equal(out.text(), expected.map((r) => toNdjsonLine(r.input)).join(''));
    assert.equal(labels.text(), expected.map((r) => toNdjsonLine(r.label)).join(''));
  });
});
