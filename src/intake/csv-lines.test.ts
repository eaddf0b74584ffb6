/** A record's line number is the line it starts on, also when a quoted cell spans several lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { readCsv, type RawRecord } from './index.js';

const header = 'ref,source,category,item_description,item_quantity';

async function read(text: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readCsv(Readable.from([text]))) out.push(r);
  return out;
}

test('a record after a multi-line quoted cell, and the multi-line one itself, are named by their first line', async () => {
  const text = `${header}\nA,declaration,sale,"Scarf,\nwool",1\nB,declaration,sale,Hat,1\n`;
  assert.deepEqual(
    (await read(text)).map((r) => r.line),
    [2, 4],
  );
});

test('any mix of one-line and multi-line rows, LF or CRLF, blank lines between: each record starts on its line', async () => {
  const row = fc.record({
    breaks: fc.nat({ max: 3 }),
    blanks: fc.nat({ max: 2 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), fc.boolean(), async (rows, crlf) => {
      const nl = crlf ? '\r\n' : '\n';
      let text = header + nl;
      let line = 2;
      const expected: number[] = [];
      rows.forEach((r, k) => {
        text += nl.repeat(r.blanks);
        line += r.blanks;
        expected.push(line);
        const description = Array.from({ length: r.breaks + 1 }, (_, j) => `part ${j}`).join(nl);
        text += `R${k},declaration,sale,"${description}",1${nl}`;
        line += r.breaks + 1;
      });
      assert.deepEqual(
        (await read(text)).map((r) => r.line),
        expected,
      );
    }),
    { numRuns: 200 },
  );
});

test('a file mixing CRLF, LF and CR line ends (a Windows export with rows appended) reads every row', async () => {
  const text = `${header}\r\nA,declaration,sale,Hat,1\nB,declaration,sale,"Scarf,\r\nwool",1\r\nC,declaration,sale,Cap,1\rD,declaration,sale,Hat,2\n`;
  const got = await read(text);
  assert.deepEqual(
    got.map((r) => [r.line, r.error?.code ?? (r.value as { externalRef: string }).externalRef]),
    [
      [2, 'A'],
      [3, 'B'],
      [5, 'C'],
      [6, 'D'],
    ],
  );
});
