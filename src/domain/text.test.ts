import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlCharacterAt, controlCharacterIssues } from './text.js';

test('every C0 control and DEL is a control character; tab and line breaks only outside free text', () => {
  for (let c = 0; c <= 0xff; c++) {
    const s = `ab${String.fromCharCode(c)}c`;
    const control = c < 0x20 || c === 0x7f;
    const lineBreakOrTab = c === 0x09 || c === 0x0a || c === 0x0d;
    assert.equal(controlCharacterAt(s, false), control ? 2 : -1, `U+${c.toString(16)} in a URL`);
    assert.equal(
      controlCharacterAt(s, true),
      control && !lineBreakOrTab ? 2 : -1,
      `U+${c.toString(16)} in text`,
    );
  }
});

test('control-character issues point at each string at fault, keys escaped, paths at fault skipped', () => {
  const body = {
    reason: 'ok',
    'a/b': ['fine', 'bad\u0000'],
    nested: { '~x': 'bell\u0007', lines: 'one\ntwo\tthree\r\n' },
  };
  assert.deepEqual(
    controlCharacterIssues(body).map((i) => [i.code, i.path]),
    [
      ['text.control-character', '/a~1b/1'],
      ['text.control-character', '/nested/~0x'],
    ],
  );
  assert.deepEqual(
    controlCharacterIssues(body, '/doc', new Set(['/doc/a~1b/1'])).map((i) => i.path),
    ['/doc/nested/~0x'],
  );
  assert.match(controlCharacterIssues('x\u0000')[0]!.message, /U\+0000 at position 2/);
});
