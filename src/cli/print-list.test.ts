/** The list output the `brands`, `cases` and `returns` list commands share. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printList } from './commands-operators.js';

/** Runs `f` with stdout and stderr captured. */
function captured(f: () => void): { out: string; err: string } {
  const seen = { out: '', err: '' };
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => ((seen.out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((seen.err += s), true)) as typeof process.stderr.write;
  try {
    f();
  } finally {
    [process.stdout.write, process.stderr.write] = [out, err];
  }
  return seen;
}

const items = [
  { id: 'a', n: 1 },
  { id: 'b', n: 2 },
];
const cells = (x: { id: string; n: number }) => [x.id, `n ${x.n}`];

test('a list prints one tab-separated line per item', () => {
  assert.deepEqual(
    captured(() => printList(items, undefined, cells, 'none')),
    { out: 'a\tn 1\nb\tn 2\n', err: '' },
  );
});

test('with --json a list prints its items as one JSON document, even when empty', () => {
  assert.deepEqual(JSON.parse(captured(() => printList(items, true, cells, 'none')).out), { items });
  assert.deepEqual(
    captured(() => printList([], true, cells, 'none')),
    {
      out: '{\n  "items": []\n}\n',
      err: '',
    },
  );
});

test('an empty list says so on stderr and prints nothing on stdout', () => {
  assert.deepEqual(
    captured(() => printList([], false, cells, 'no cases')),
    { out: '', err: 'no cases\n' },
  );
});
