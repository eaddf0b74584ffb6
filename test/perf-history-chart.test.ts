/**
 * The chart of full bench runs in docs/performance.md: it is drawn from the table it sits under, and a
 * broken table is refused with the row and column at fault (generated-files.test.ts keeps the committed
 * chart in step with the table).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { parseFullRuns, renderFullRunsSvg } from '../scripts/perf-history-chart.js';

const doc = readFileSync(join(packageRoot, 'docs/performance.md'), 'utf8');

test('the table of full runs parses to one entry per row with its four rates', () => {
  const runs = parseFullRuns(doc);
  assert.ok(runs.length >= 6);
  const first = runs[0]!;
  assert.deepEqual(first, { run: '2026-11-30 17:09', e2e: 7664, raw: 17312, http: 6681, bare: 31124 });
  for (const r of runs) assert.match(r.run, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
});

test('each run gets a baseline bar and a parcelgate bar in both panels, with both floors drawn', () => {
  const runs = [
    { run: '2026-01-01 00:00', e2e: 100, raw: 200, http: 50, bare: 400 },
    { run: '2026-01-02 00:00', e2e: 300, raw: 600, http: 70, bare: 500 },
  ];
  const svg = renderFullRunsSvg(runs);
  assert.equal(svg.match(/<rect x=[^>]*fill="#2f6db5"><title>/g)?.length, 4);
  assert.equal(svg.match(/<rect x=[^>]*fill="#b8b8b8"><title>/g)?.length, 4);
  assert.ok(svg.includes('floor 15,000/s') && svg.includes('floor 10,000/s'));
  assert.ok(
    svg.includes('parcelgate (writer thread): 300/s') && svg.includes('bare parse of the same bodies: 500/s'),
  );
});

test('a table without markers, without rows or with a cell that is not a rate is refused', () => {
  assert.throws(() => parseFullRuns('no table here'), /markers missing/);
  assert.throws(() => parseFullRuns('<!-- full-runs:start -->\n<!-- full-runs:end -->'), /no rows/);
  const bad = '<!-- full-runs:start -->\n| 2026-01-01 00:00 | 1 | x | 0.5 | 1 | 1 |\n<!-- full-runs:end -->';
  assert.throws(() => parseFullRuns(bad), /row '2026-01-01 00:00': column 3 is not a rate/);
});
