import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asciiBulkText, parseJsonBody, parseJsonBytes } from './json-body.js';

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

/** The outcome of a parse: its value, or its error's code and message. */
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
};

test('a body parsed from its bytes gives what its UTF-8 text gives: value, or error code and message', () => {
  // Bulk bodies (the one-byte path is for those) of ordinary records, with pieces written into one
  // record: characters beyond ASCII and Latin-1, malformed UTF-8, backslashes, characters outside
  // strings, markers, a byte order mark; and sizes around the bulk threshold in bytes and characters.
  const record = (i: number) => `{"description":"Wool pullover ${i}","hs":"611011","n":${i}}`;
  const filler = (bytes: number) => {
    const out: string[] = [];
    for (let n = 0, i = 0; n < bytes; i++) {
      const r = record(i);
      out.push(r);
      n += r.length + 1;
    }
    return out;
  };
  // Plain filler of about 1 MiB less 2,200 bytes, more, far less, or 1 MiB less 3,800 bytes: with 1,500
  // characters of two bytes in one run (or, for the last, each in a run of its own, behind a space),
  // the first (the last) is over the bulk size in bytes and under it in characters.
  const sizes = [1024 * 1024 - 2200, 1024 * 1024 + 50_000, 200_000, 1024 * 1024 - 3800].map(filler);
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }).map((s) => utf8(JSON.stringify(s))),
    fc.string({ unit: 'binary', maxLength: 8 }).map((s) => utf8(`"${s}"`)),
    fc.constantFrom(
      utf8('"caf\u00e9 \u7f8a\u6bdb \ud83d\udce6"'),
      utf8('"\\\u00e9"'),
      utf8('"\\\\\u00e9"'),
      utf8('"\\u00\u00e9"'),
      utf8('\u00e9'),
      utf8('"\u2028\u2029"'),
      utf8('"__proto__"'),
      utf8('{"__proto__":{"x":1}}'),
      utf8('[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]'),
      utf8('"a\ufeffb"'),
      utf8('"\u0430\u0431\u0432\u0433\u0434"'),
    ),
    fc
      .uint8Array({ minLength: 1, maxLength: 6, min: 0x80, max: 0xff })
      .map((b) => Buffer.concat([utf8('"'), Buffer.from(b), utf8('"')])),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...sizes),
      fc.double({ min: 0, max: 1, noNaN: true }),
      piece,
      fc.boolean(),
      fc.constantFrom(0, 40, 1500, 40_000),
      (kept, where, injected, bom, denseChars) => {
        const at = Math.floor(where * kept.length);
        const dense = utf8(`"${'\u0436'.repeat(denseChars)}"`);
        const head = utf8(
          `${bom ? '\ufeff' : ''}{"consignments":[${kept.slice(0, at).join(',')}${at > 0 ? ',' : ''}`,
        );
        const tail = utf8(`,${dense},${kept.slice(at).join(',')}]}`);
        const bytes = Buffer.concat([head, injected, tail]);
        assert.deepEqual(
          outcome(() => parseJsonBytes(bytes)),
          outcome(() => parseJsonBody(bytes.toString('utf8'))),
        );
      },
    ),
    { numRuns: 60 },
  );
  // Each case the one-byte path must leave to the text path, or read as it does, in every size.
  const cases = [
    '"\\\u00e9"',
    '"\\\\\u00e9"',
    '\u00e9',
    '1\u00e9',
    '"\\u00\u00e9"',
    '"caf\u00e9 \ud83d\udce6 \u2028"',
    `${'[ '.repeat(40)}1${' ]'.repeat(40)}`,
    '"__proto__"',
    '{"constructor":{"prototype":{}}}',
  ];
  for (const kept of [sizes[0]!, sizes[1]!, sizes[3]!])
    for (const c of cases)
      for (const dense of ['', '\u0436'.repeat(1500), '\u0436 '.repeat(1500)]) {
        const bytes = Buffer.concat([
          utf8(`{"consignments":[${kept.join(',')},"${dense}",`),
          utf8(c),
          Buffer.from([0x2c, 0x22, 0xc3, 0x22, 0x2c, 0x22, 0xe2, 0x82, 0x22]),
          utf8(']}'),
        ]);
        assert.deepEqual(
          outcome(() => parseJsonBytes(bytes)),
          outcome(() => parseJsonBody(bytes.toString('utf8'))),
          c,
        );
      }
  // A bulk body of ASCII only that is not JSON: its error as the text path words it.
  for (const broken of [',{"a":]}', ',"\u0001"]}', ']}}']) {
    const bytes = utf8(`{"consignments":[${sizes[1]!.join(',')}${broken}`);
    assert.deepEqual(
      outcome(() => parseJsonBytes(bytes)),
      outcome(() => parseJsonBody(bytes.toString('utf8'))),
    );
  }
});

test('a bulk body with a few characters beyond ASCII is read as one-byte text, the others as before', () => {
  const body = (extra: string) =>
    Buffer.from(
      `{"consignments":[${Array.from({ length: 30_000 }, (_, i) => `{"description":"Pullover ${i}","name":"${i % 25 === 0 ? 'Zoë' : 'Zoe'}"}`).join(',')}${extra}]}`,
    );
  const text = asciiBulkText(body(''));
  assert.ok(text !== undefined && !/[^ -~]/.test(text));
  assert.deepEqual(JSON.parse(text), JSON.parse(body('').toString('utf8')));
  // The text path: a marker, an escape in front of a character beyond ASCII, a byte order mark,
  // a body dense in such characters, a body of at most the bulk size in characters.
  assert.equal(asciiBulkText(body(',{"__proto__":{}}')), undefined);
  assert.equal(asciiBulkText(body(',"\\é"')), undefined);
  assert.equal(asciiBulkText(Buffer.concat([Buffer.from('\ufeff'), body('')])), undefined);
  assert.equal(asciiBulkText(body(`,"${'ж'.repeat(20_000)}"`)), undefined);
  assert.equal(asciiBulkText(Buffer.from(`"${'ж'.repeat(600_000)}"`)), undefined);
});
