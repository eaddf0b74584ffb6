import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ParcelgateError } from '../domain/index.js';
import { readClassifyCsv } from './csv.js';

function codeOf(fn: () => unknown): { code: string; line: unknown } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ParcelgateError);
    return { code: e.code, line: e.details?.line };
  }
  assert.fail('expected an error');
}

describe('readClassifyCsv', () => {
  it('reads descriptions with quoted commas and an optional code column', () => {
    const rows = readClassifyCsv('id,Description,HS6\n1,"Shirt, cotton",6205.20\n2,Mug,\n');
    assert.deepEqual(rows, [
      { line: 2, description: 'Shirt, cotton', hs6: '620520' },
      { line: 3, description: 'Mug' },
    ]);
  });

  it('accepts hs and hscode as the code column and keeps the first six digits', () => {
    assert.equal(readClassifyCsv('description,hscode\nTee,6109100010\n')[0]?.hs6, '610910');
    assert.equal(readClassifyCsv('description,hs\nTee,610910\n')[0]?.hs6, '610910');
  });

  it('reads a file with only descriptions', () => {
    assert.deepEqual(readClassifyCsv('description\nbook\n'), [{ line: 2, description: 'book' }]);
  });

  it('rejects a header without a description column', () => {
    assert.deepEqual(
      codeOf(() => readClassifyCsv('title,hs6\nx,610910\n')),
      {
        code: 'classify.csv-no-description',
        line: 1,
      },
    );
  });

  it('rejects an empty file', () => {
    assert.equal(codeOf(() => readClassifyCsv('')).code, 'classify.csv-empty');
  });

  it('gives a row with a bad code its error and keeps the rows after it', () => {
    const rows = readClassifyCsv('description,hs6\nok,610910\nbad,61A910\nnext,620520\n');
    assert.equal(rows.length, 3);
    assert.equal(rows[1]?.error?.code, 'classify.csv-bad-hs');
    assert.equal(rows[1]?.line, 3);
    assert.deepEqual(rows[2], { line: 4, description: 'next', hs6: '620520' });
  });

  it('answers a fully blank line in a one-column file with an error row in its place', () => {
    const rows = readClassifyCsv('description\nmug\n\nbook\n');
    assert.deepEqual(
      rows.map((r) => [r.line, r.description, r.error?.code]),
      [
        [2, 'mug', undefined],
        [3, '', 'classify.csv-blank-row'],
        [4, 'book', undefined],
      ],
    );
    // CRLF, a whitespace-only line, and blank lines at the end are rows too.
    const crlf = readClassifyCsv('description\r\n  \r\nmug\r\n\r\n');
    assert.deepEqual(
      crlf.map((r) => [r.line, r.error?.code]),
      [
        [2, 'classify.csv-blank-row'],
        [3, undefined],
        [4, 'classify.csv-blank-row'],
      ],
    );
  });

  it('marks an empty description and a ragged row, in order', () => {
    const rows = readClassifyCsv('id,description\n1,\n,\n2,a,extra\n3,b\n');
    assert.deepEqual(
      rows.map((r) => [r.line, r.error?.code]),
      [
        [2, 'classify.csv-empty-description'],
        [3, 'classify.csv-blank-row'],
        [4, 'classify.csv-malformed'],
        [5, undefined],
      ],
    );
  });

  it('numbers rows by their first line when a quoted description spans lines', () => {
    const rows = readClassifyCsv('description\n"two\nlines"\nmug\n');
    assert.deepEqual(
      rows.map((r) => [r.line, r.description]),
      [
        [2, 'two\nlines'],
        [4, 'mug'],
      ],
    );
  });

  it('a stray or unclosed quote fails its own line only', () => {
    const rows = readClassifyCsv('description\nmug\n"ok" junk\n"open\nbook\n');
    assert.deepEqual(
      rows.map((r) => [r.line, r.description, r.error?.code]),
      [
        [2, 'mug', undefined],
        [3, '', 'classify.csv-malformed'],
        [4, '', 'classify.csv-malformed'],
        [5, 'book', undefined],
      ],
    );
  });

  it('rejects a header it cannot parse', () => {
    assert.equal(codeOf(() => readClassifyCsv('"description\nmug\n')).code, 'classify.csv-malformed');
    assert.equal(codeOf(() => readClassifyCsv('"desc" x,hs6\nmug\n')).code, 'classify.csv-malformed');
  });

  it('property: one row per input record, in order, blank records as errors', () => {
    const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const cell = fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { maxLength: 20 }), fc.boolean(), (rows, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = ['description,note', ...rows.map(([d, n]) => `${quote(d)},${quote(n)}`)].join(eol) + eol;
        const out = readClassifyCsv(text);
        assert.equal(out.length, rows.length);
        rows.forEach(([d, n], i) => {
          const r = out[i];
          if (d.trim() === '' && n.trim() === '') assert.equal(r?.error?.code, 'classify.csv-blank-row');
          else if (d.trim() === '') assert.equal(r?.error?.code, 'classify.csv-empty-description');
          else assert.deepEqual(r && { d: r.description, e: r.error }, { d: d.trim(), e: undefined });
        });
        const lines = out.map((r) => r.line);
        assert.deepEqual(
          lines,
          [...lines].sort((a, b) => a - b),
        );
      }),
    );
  });

  it('property: a one-column file of plain lines gives one row per line', () => {
    const word = fc.stringMatching(/^[a-z ]{0,10}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), (lines) => {
        const out = readClassifyCsv(['description', ...lines].join('\n') + '\n');
        assert.deepEqual(
          out.map((r) => r.line),
          lines.map((_, i) => i + 2),
        );
        lines.forEach((l, i) => assert.equal(out[i]?.error !== undefined, l.trim() === ''));
      }),
    );
  });
});
