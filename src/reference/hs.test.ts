import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHs2022 } from './hs.js';

test('loads every HS 2022 chapter, heading and subheading and nothing else', () => {
  const hs = loadHs2022();
  assert.equal([...hs.subheadings()].length, 5612);
  assert.equal(hs.get('6109')?.level, 4);
  assert.ok(hs.isValidSubheading('6109100000'));
  assert.equal(hs.isValidSubheading('999999'), false, 'the "not specified" pseudo-code is not an HS code');
  assert.equal(hs.isValidSubheading('610999'), false);
});
