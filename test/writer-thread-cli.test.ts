import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writerThreadEnabled } from '../src/cli/commands-store.js';
import { UsageError } from '../src/cli/io.js';

test('PARCELGATE_WRITER_THREAD overrides each command default; anything but 0 or 1 is a usage error', () => {
  assert.equal(writerThreadEnabled(true, {}), true);
  assert.equal(writerThreadEnabled(false, {}), false);
  assert.equal(writerThreadEnabled(true, { PARCELGATE_WRITER_THREAD: '' }), true);
  assert.equal(writerThreadEnabled(true, { PARCELGATE_WRITER_THREAD: '0' }), false);
  assert.equal(writerThreadEnabled(false, { PARCELGATE_WRITER_THREAD: '1' }), true);
  for (const bad of ['yes', '2', 'true'])
    assert.throws(() => writerThreadEnabled(true, { PARCELGATE_WRITER_THREAD: bad }), UsageError);
});
