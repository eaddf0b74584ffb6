import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseJsonBody } from './json-body.js';

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

test('parses ordinary JSON exactly like JSON.parse', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v);
      if (text.includes('__proto__')) return;
      assert.deepEqual(parseJsonBody(text), JSON.parse(text));
    }),
  );
});

test('refuses __proto__ and constructor.prototype at any depth', () => {
  assert.equal(
    code(() => parseJsonBody('{"a":{"__proto__":{"x":1}}}')),
    'request.forbidden-key',
  );
  assert.equal(
    code(() => parseJsonBody('{"constructor":{"prototype":{"x":1}}}')),
    'request.forbidden-key',
  );
  assert.equal(
    code(() => parseJsonBody('{"description":"a constructor kit"}')),
    'ok',
  );
});

test('reports syntax errors and empty bodies as malformed JSON', () => {
  assert.equal(
    code(() => parseJsonBody('{"a":')),
    'request.malformed-json',
  );
  assert.equal(
    code(() => parseJsonBody('')),
    'request.malformed-json',
  );
});

test('a leading UTF-8 byte order mark is ignored; one inside the text is still an error', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v);
      if (text.includes('__proto__')) return;
      assert.deepEqual(parseJsonBody(`\uFEFF${text}`), JSON.parse(text));
    }),
  );
  assert.equal(
    code(() => parseJsonBody('\uFEFF')),
    'request.malformed-json',
  );
  assert.equal(
    code(() => parseJsonBody('{"a":\uFEFF1}')),
    'request.malformed-json',
  );
});
