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

test('a forbidden key is reported with the JSON Pointer where it sits', () => {
  const at = (text: string) => {
    try {
      parseJsonBody(text);
      return undefined;
    } catch (e) {
      return (e as { details?: { issues?: { path: string }[] } }).details?.issues?.[0]?.path;
    }
  };
  assert.equal(
    at('{"consignments":[{"a":1},{"items":[{"__proto__":{"x":1}}]}]}'),
    '/consignments/1/items/0/__proto__',
  );
  assert.equal(at('{"a/b":{"constructor":{"prototype":{}}}}'), '/a~1b/constructor');
  assert.equal(at('{"constructor":"a kit","b":[{"constructor":{"name":"x"}}]}'), undefined);
});

test('a bulk body (over the fully depth-checked size) is refused for a forbidden key or a run of brackets as before', () => {
  // The checks as they were before bulk bodies got one combined search: the oracle.
  const before = (text: string): string => {
    if (text.includes('[[[[[[[[[[[[[[[[') || text.includes('{"":{"":{"":{"":')) return 'request.too-deep';
    if (!text.includes('__proto__') && !text.includes('constructor')) return 'ok';
    return code(() => JSON.parse(text)) === 'ok' ? 'maybe-forbidden' : 'request.malformed-json';
  };
  const filler = Array.from({ length: 20_000 }, (_, i) => ({
    description: `Pullover aus Wolle ${i} — 羊毛`,
    hs: '611011',
  }));
  const fillerTexts = filler.map((f) => JSON.stringify(f));
  const injections = [
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
    '{"constructor":"a constructor kit"}',
    '[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]',
    '{"":{"":{"":{"":{"":1}}}}}',
    '"__proto__ in a description"',
    '{"a":1}',
  ];
  fc.assert(
    fc.property(fc.nat(filler.length), fc.constantFrom(...injections), (at, injected) => {
      const items = [...fillerTexts.slice(0, at), injected, ...fillerTexts.slice(at)];
      const text = `{"consignments":[${items.join(',')}]}`;
      assert.ok(text.length > 1024 * 1024);
      const got = code(() => parseJsonBody(text));
      const expected = before(text);
      if (expected === 'maybe-forbidden') {
        const forbidden = injected.startsWith('{"__proto__"') || injected.includes('"prototype"');
        assert.equal(got, forbidden ? 'request.forbidden-key' : 'ok');
      } else assert.equal(got, expected);
    }),
    { numRuns: 30 },
  );
});
