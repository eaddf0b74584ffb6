/** The CLI's schema messages: an enum field names its allowed values. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { checked } from './commands-operators.js';

const Input = Type.Object({
  kind: Type.Union([Type.Literal('platform'), Type.Literal('seller')]),
  items: Type.Array(Type.Object({ unit: Type.Union([Type.Literal('kg'), Type.Literal('pcs')]) })),
  name: Type.String({ minLength: 1 }),
});
const check = TypeCompiler.Compile(Input);

test('a union of literals is reported with its allowed values and the value found, at any depth', () => {
  assert.throws(
    () => checked(check, { kind: 'sellr', items: [{ unit: 'kg' }, { unit: 3 }], name: '' }),
    (e: unknown) => {
      const lines = (e as Error).message.split('\n');
      assert.ok(
        lines.includes('  /kind: must be one of "platform", "seller"; got "sellr"'),
        lines.join('\n'),
      );
      assert.ok(lines.includes('  /items/1/unit: must be one of "kg", "pcs"; got 3'), lines.join('\n'));
      assert.ok(!lines.some((l) => l.includes('Expected union value')));
      assert.ok(
        lines.some((l) => l.startsWith('  /name: ')),
        'other errors keep their message',
      );
      return true;
    },
  );
  assert.deepEqual(checked(check, { kind: 'seller', items: [], name: 'x' }), {
    kind: 'seller',
    items: [],
    name: 'x',
  });
});

test('a missing field is one line "is required" (as the API says it), with the allowed values of an enum', () => {
  assert.throws(
    () => checked(check, { items: [{}] }),
    (e: unknown) => {
      const lines = (e as Error).message.split('\n').slice(1);
      assert.deepEqual(lines, [
        '  /kind: is required: must be one of "platform", "seller"',
        '  /name: is required',
        '  /items/0/unit: is required: must be one of "kg", "pcs"',
      ]);
      return true;
    },
  );
});
