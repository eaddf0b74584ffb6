import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { copyField, copyRows, copyText } from './pg-copy.js';
import { pgTestTarget, withPgClient } from './testing/pg-test-env.js';

test('copyField escapes exactly the characters the COPY text format gives meaning to', () => {
  assert.equal(copyField(null), '\\N');
  assert.equal(copyField('\\N'), '\\\\N', 'a literal backslash-N is text, not NULL');
  assert.equal(copyField('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
  assert.equal(copyField('{"a":"x\\"y"}'), '{"a":"x\\\\"y"}');
  assert.equal(copyField(''), '');
  assert.equal(copyField(1.5), '1.5');
  assert.throws(() => copyField(Number.NaN), /cannot COPY/);
  assert.equal(copyText([]), '');
  assert.equal(copyText([['a', null, 3]]), 'a\t\\N\t3\n');
});

const target = pgTestTarget();
// Any text PostgreSQL stores (every code point but NUL), weighted towards the characters COPY escapes.
const pgText = fc.oneof(
  fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', 'N', '.', ' ', '"', '\x1e', '\x1f', 'é', '😀') }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')),
);

test('text and NULLs copied into a table read back exactly', { skip: target.skip }, async () => {
  await withPgClient(target.url ?? '', undefined, async (client) => {
    await client.query('CREATE TEMP TABLE copy_roundtrip (n integer, a text, b text)');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.option(pgText), pgText), { maxLength: 20 }), async (rows) => {
        await client.query('TRUNCATE copy_roundtrip');
        const loaded = await copyRows(
          client,
          'copy_roundtrip',
          ['n', 'a', 'b'],
          rows.map(([a, b], i) => [i, a, b]),
        );
        assert.equal(loaded, rows.length);
        const back = await client.query<{ a: string | null; b: string }>(
          'SELECT a, b FROM copy_roundtrip ORDER BY n',
        );
        assert.deepEqual(
          back.rows.map((r) => [r.a, r.b]),
          rows,
        );
      }),
      { numRuns: 60 },
    );
  });
});

test(
  'a COPY that violates a constraint rejects and leaves the connection usable',
  { skip: target.skip },
  async () => {
    await withPgClient(target.url ?? '', undefined, async (client) => {
      await client.query('CREATE TEMP TABLE copy_unique (k text PRIMARY KEY)');
      await assert.rejects(copyRows(client, 'copy_unique', ['k'], [['x'], ['x']]), /duplicate key/);
      assert.equal(await copyRows(client, 'copy_unique', ['k'], [['y']]), 1);
      const { rows } = await client.query<{ k: string }>('SELECT k FROM copy_unique');
      assert.deepEqual(rows, [{ k: 'y' }]);
    });
  },
);
