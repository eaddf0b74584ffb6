import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BinaryCopy, copyBinary } from './pg-copy.js';
import { pgTestTarget, withPgClient } from './testing/pg-test-env.js';

const target = pgTestTarget();
// Any text PostgreSQL stores (every code point but NUL), weighted towards the characters COPY escapes.
const pgText = fc.oneof(
  fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', 'N', '.', ' ', '"', '\x1e', '\x1f', 'é', '😀') }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')),
);

test(
  'a COPY that violates a constraint rejects and leaves the connection usable',
  { skip: target.skip },
  async () => {
    await withPgClient(target.url ?? '', undefined, async (client) => {
      await client.query('CREATE TEMP TABLE copy_unique (k text PRIMARY KEY)');
      const keys = (...ks: string[]) => {
        const copy = new BinaryCopy(['k'], ['text']);
        for (const k of ks) copy.row([k]);
        return copy;
      };
      await assert.rejects(copyBinary(client, 'copy_unique', keys('x', 'x')), /duplicate key/);
      assert.equal(await copyBinary(client, 'copy_unique', keys('y')), 1);
      const { rows } = await client.query<{ k: string }>('SELECT k FROM copy_unique');
      assert.deepEqual(rows, [{ k: 'y' }]);
    });
  },
);

test('binary COPY data is the format PostgreSQL documents, byte for byte', () => {
  const copy = new BinaryCopy(['n', 'big', 'x', 't'], ['int4', 'int8', 'float8', 'text'], 1);
  copy.row([-2, 2 ** 40 + 5, 0.5, 'é']);
  copy.row([null, -1, null, null]);
  const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
  assert.equal(copy.rows, 2);
  assert.deepEqual(
    copy.finish(),
    Buffer.concat([
      Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
      hex('00000000 00000000'),
      hex('0004 00000004 fffffffe 00000008 0000010000000005 00000008 3fe0000000000000 00000002 c3a9'),
      hex('0004 ffffffff 00000008 ffffffffffffffff ffffffff ffffffff'),
      hex('ffff'),
    ]),
  );
  assert.throws(() => copy.row([1, 2, 3]), /3 values for 4 columns/);
  assert.throws(() => copy.row([Number.NaN, 1, 1, 'a']), /cannot COPY/);
  assert.throws(() => copy.row([1, 2 ** 60, 1, 'a']), /bigint/);
  assert.throws(() => copy.row([1, 1, 1, 5]), /text column/);
});

test('binary COPY: text, numbers and NULLs read back exactly', { skip: target.skip }, async () => {
  await withPgClient(target.url ?? '', undefined, async (client) => {
    await client.query(
      'CREATE TEMP TABLE copy_binary (n integer, big bigint, x double precision, a text, b text)',
    );
    const bigint = fc.maxSafeInteger();
    const double = fc.double({ noNaN: true, noDefaultInfinity: true });
    const row = fc.tuple(fc.option(bigint), fc.option(double), fc.option(pgText), pgText);
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), async (rows) => {
        await client.query('TRUNCATE copy_binary');
        // A small first buffer, so that growing it is exercised too.
        const copy = new BinaryCopy(
          ['n', 'big', 'x', 'a', 'b'],
          ['int4', 'int8', 'float8', 'text', 'text'],
          8,
        );
        rows.forEach(([big, x, a, b], i) => copy.row([i, big, x, a, b]));
        assert.equal(await copyBinary(client, 'copy_binary', copy), rows.length);
        const back = await client.query<{
          big: string | null;
          x: number | null;
          a: string | null;
          b: string;
        }>('SELECT big::text AS big, x, a, b FROM copy_binary ORDER BY n');
        assert.deepEqual(
          back.rows.map((r) => [r.big === null ? null : Number(r.big), r.x, r.a, r.b]),
          rows.map(([big, x, a, b]) => [big, x, a, b]),
        );
      }),
      { numRuns: 60 },
    );
    // A failing binary COPY rejects and leaves the connection usable, as a text one.
    const bad = new BinaryCopy(['n'], ['int8']);
    bad.row([1]);
    await assert.rejects(
      copyBinary(client, 'copy_binary', bad),
      /incorrect binary data format|insufficient data/,
    );
    assert.equal((await client.query('SELECT 1 AS one')).rows[0]?.one, 1);
  });
});
