import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { intakeErrorCodes, readNdjson, validateConsignment, type RawRecord } from './index.js';
import { hs, samplePath, validRecord } from './fixtures.js';

async function collect(source: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of source) out.push(r);
  return out;
}

const fromChunks = (chunks: (string | Buffer)[]): Readable => Readable.from(chunks, { objectMode: false });

describe('readNdjson', () => {
  it('yields one value per line with line numbers, skipping blank lines and accepting CRLF and a BOM', async () => {
    const text = '\uFEFF{"a":1}\r\n\n   \r\n[2]\n"x"';
    const got = await collect(readNdjson(fromChunks([text])));
    assert.deepEqual(got, [
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
      { line: 5, value: 'x' },
    ]);
  });

  it('reports a syntax error with its line number and carries on', async () => {
    const got = await collect(readNdjson(fromChunks(['{"a":1}\n{"a":\n{"b":2}\n'])));
    assert.equal(got.length, 3);
    assert.deepEqual(got[0], { line: 1, value: { a: 1 } });
    assert.equal(got[1]!.line, 2);
    assert.equal(got[1]!.error?.code, 'ndjson.syntax');
    assert.equal(got[1]!.error?.path, '');
    assert.ok('ndjson.syntax' in intakeErrorCodes);
    assert.deepEqual(got[2], { line: 3, value: { b: 2 } });
  });

  it('skips a line longer than the limit without buffering it, and keeps counting lines', async () => {
    const megabyte = 'x'.repeat(1024 * 1024);
    async function* huge(): AsyncIterable<string> {
      yield '{"first":true}\n"';
      for (let k = 0; k < 5; k++) yield megabyte;
      yield '"\n{"last":true}';
    }
    const got = await collect(readNdjson(huge()));
    assert.deepEqual(got[0], { line: 1, value: { first: true } });
    assert.equal(got[1]!.line, 2);
    assert.equal(got[1]!.error?.code, 'ndjson.line-too-long');
    assert.ok('ndjson.line-too-long' in intakeErrorCodes);
    assert.deepEqual(got[2], { line: 3, value: { last: true } });
    const small = await collect(
      readNdjson(fromChunks(['[1,2,3]\n[1,2,3,4,5,6,7,8]\n']), { maxLineBytes: 8 }),
    );
    assert.deepEqual(
      small.map((r) => r.error?.code ?? 'ok'),
      ['ok', 'ndjson.line-too-long'],
    );
  });

  it('returns every valid line in order with the right line numbers, however the input is split', async () => {
    const lineArb = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom('', '   ', '{"name":"Zoë 北京 🚚"}', '{bad', '[1,'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 30 }),
        fc.array(fc.nat()),
        fc.boolean(),
        async (lines, cuts, crlf) => {
          const bytes = Buffer.from(lines.join(crlf ? '\r\n' : '\n'), 'utf8');
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let from = 0;
          for (const p of [...points, bytes.length]) {
            if (p > from) chunks.push(bytes.subarray(from, p));
            from = Math.max(from, p);
          }
          const expected: RawRecord[] = [];
          lines.forEach((l, k) => {
            if (l.trim() === '') return;
            try {
              expected.push({ line: k + 1, value: JSON.parse(l) as unknown });
            } catch {
              expected.push({ line: k + 1, error: { code: 'ndjson.syntax', path: '', message: '' } });
            }
          });
          const got = await collect(readNdjson(fromChunks(chunks)));
          assert.deepEqual(
            got.map((r) => (r.error ? { line: r.line, error: { ...r.error, message: '' } } : r)),
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the sample file, and every sample consignment validates', async () => {
    const got = await collect(readNdjson(createReadStream(samplePath('consignments.ndjson'))));
    assert.ok(got.length >= 3 && got.length <= 5);
    for (const r of got) {
      const v = validateConsignment(r.value, hs);
      assert.equal(v.ok, true, `line ${r.line}: ${JSON.stringify(v)}`);
    }
  });

  it('streams ~50 MB with bounded memory (rss grows by less than 100 MB)', async () => {
    const line = Buffer.from(JSON.stringify(validRecord()) + '\n');
    const perChunk = Math.floor((256 * 1024) / line.length);
    const chunk = Buffer.concat(Array<Buffer>(perChunk).fill(line));
    const chunks = Math.ceil((50 * 1024 * 1024) / chunk.length);
    async function* generate(): AsyncIterable<Buffer> {
      // A fresh copy per chunk so the input itself is never held in memory.
      for (let k = 0; k < chunks; k++) yield Buffer.from(chunk);
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    let count = 0;
    let lastLine = 0;
    for await (const r of readNdjson(generate())) {
      count++;
      lastLine = r.line;
      if (count % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    assert.equal(count, chunks * perChunk);
    assert.equal(lastLine, count);
    assert.ok(chunks * chunk.length >= 50 * 1024 * 1024);
    assert.ok(peak - before < 100 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 1048576)} MB`);
  });
});
