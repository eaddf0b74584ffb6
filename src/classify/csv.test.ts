import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
    assert.deepEqual(rows, [{ description: 'Shirt, cotton', hs6: '620520' }, { description: 'Mug' }]);
  });

  it('accepts hs and hscode as the code column and keeps the first six digits', () => {
    assert.equal(readClassifyCsv('description,hscode\nTee,6109100010\n')[0]?.hs6, '610910');
    assert.equal(readClassifyCsv('description,hs\nTee,610910\n')[0]?.hs6, '610910');
  });

  it('reads a file with only descriptions', () => {
    assert.deepEqual(readClassifyCsv('description\nbook\n'), [{ description: 'book' }]);
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

  it('rejects a code that is not digits and names its line', () => {
    assert.deepEqual(
      codeOf(() => readClassifyCsv('description,hs6\nok,610910\nbad,61A910\n')),
      {
        code: 'classify.csv-bad-hs',
        line: 3,
      },
    );
  });

  it('rejects a row with the wrong number of fields', () => {
    assert.equal(
      codeOf(() => readClassifyCsv('description,hs6\na,610910,extra\n')).code,
      'classify.csv-malformed',
    );
  });

  it('rejects an unclosed quote', () => {
    assert.equal(codeOf(() => readClassifyCsv('description\n"open\n')).code, 'classify.csv-malformed');
  });
});
