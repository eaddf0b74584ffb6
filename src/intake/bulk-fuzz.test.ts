import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { readCsv } from './csv.js';
import { readNdjson, type RawRecord } from './ndjson.js';

async function all(it: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test('the CSV and NDJSON readers never throw on random text and report only coded errors', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.nat({ max: 400 }), { maxLength: 3 }),
      async (text, cuts) => {
        const pieces: string[] = [];
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          pieces.push(text.slice(at, c));
          at = Math.max(at, c);
        }
        pieces.push(text.slice(at));
        for (const read of [readCsv, readNdjson]) {
          const out = await all(read(Readable.from(pieces.filter((p) => p !== ''))));
          for (const r of out) if (r.error) assert.match(r.error.code, /^[a-z]+(\.[a-z-]+)+$/);
        }
      },
    ),
    { numRuns: 100 },
  );
});
