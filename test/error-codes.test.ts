import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { allErrorCodes } from '../scripts/generated.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

test('every error code raised in the source is documented in docs/errors.md', () => {
  const documented = new Set(Object.values(allErrorCodes()).flatMap((r) => Object.keys(r)));
  const used = new Map<string, string>();
  const patterns = [
    /new ParcelgateError\(\s*'([a-z0-9-]+(?:\.[a-z0-9-]+)+)'/g,
    /\bcode: '([a-z0-9-]+(?:\.[a-z0-9-]+)+)'/g,
  ];
  for (const file of sources(join(packageRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) used.set(m[1]!, file);
  }
  assert.ok(used.size > 10, 'the scan finds the codes');
  const missing = [...used].filter(([c]) => !documented.has(c)).map(([c, f]) => `${c} (${f})`);
  assert.deepEqual(missing, [], 'undocumented error codes');
});
