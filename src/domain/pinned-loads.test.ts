import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pinAndLoad, type Pinnable } from './pinned-loads.js';

function window(fail = false) {
  const entries = new Map<string, Pinnable>();
  const loaded: string[][] = [];
  let trims = 0;
  return {
    entries,
    loaded,
    trims: () => trims,
    take: (key: string) => {
      let e = entries.get(key);
      if (e === undefined) entries.set(key, (e = { pins: 0, complete: key.startsWith('done') }));
      return e;
    },
    get: (key: string) => entries.get(key),
    load: async (keys: string[]) => {
      loaded.push(keys);
      if (fail) throw new Error('store down');
      for (const k of keys) entries.get(k)!.complete = true;
    },
    trim: () => {
      trims += 1;
    },
  };
}

test('pins every key, loads only the incomplete ones in one read, and the release unpins once', async () => {
  const w = window();
  const release = await pinAndLoad(['a', 'done-b', 'c'], w);
  assert.deepEqual(w.loaded, [['a', 'c']]);
  assert.deepEqual(
    [...w.entries.values()].map((e) => e.pins),
    [1, 1, 1],
  );
  release();
  release();
  assert.deepEqual(
    [...w.entries.values()].map((e) => e.pins),
    [0, 0, 0],
  );
  assert.equal(w.trims(), 1);
});

test('nothing to load: no read, and the pins still hold until released', async () => {
  const w = window();
  const release = await pinAndLoad(['done-x'], w);
  assert.deepEqual(w.loaded, []);
  assert.equal(w.entries.get('done-x')?.pins, 1);
  release();
  assert.equal(w.entries.get('done-x')?.pins, 0);
});

test('a failed load releases the pins before it throws', async () => {
  const w = window(true);
  await assert.rejects(pinAndLoad(['a', 'b'], w), /store down/);
  assert.deepEqual(
    [...w.entries.values()].map((e) => e.pins),
    [0, 0],
  );
  assert.equal(w.trims(), 1);
});
