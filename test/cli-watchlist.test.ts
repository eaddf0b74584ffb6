/**
 * `--watchlist FILE`: an administration's own watchlist replaces the demo list (`assess` here; `serve`,
 * `ingest` and `evaluate` read the file the same way), and a bad file is refused whole before anything
 * runs (exit 2, every problem with its path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-cli-watchlist-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

interface Hit {
  id: string;
  reason: string;
  inputs?: Record<string, unknown>;
}

const generated = run('generate', '--count', '50', '--seed', 'x', '--day', '2026-11-27');
const flood = join(tmp, 'flood.ndjson');
writeFileSync(flood, generated.stdout);
const records = generated.stdout
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { seller?: { name?: string } });

/** The watchlist hit of each assessed line (undefined when none). */
function watchlistHits(...extra: string[]): (Hit | undefined)[] {
  const r = run('assess', flood, '--now', '2026-11-27T10:00:00Z', ...extra);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { risk: { hits: Hit[] } }).risk.hits.find((h) => h.id === 'watchlist'));
}

test('assess --watchlist flags a parcel whose seller is on the file, and not without the entry', () => {
  assert.equal(generated.status, 0, generated.stderr);
  const seller = records.find((r) => r.seller?.name)?.seller?.name as string;
  assert.ok(seller, 'a generated record names its seller');
  const of = records.map((r) => r.seller?.name === seller);
  const listed = join(tmp, 'listed.json');
  writeFileSync(
    listed,
    JSON.stringify({ sellers: [{ name: seller, reason: 'seizure 2026-041' }], consignees: [] }),
  );
  const unlisted = join(tmp, 'unlisted.json');
  writeFileSync(unlisted, JSON.stringify({ sellers: ['Nobody Trading Ltd'], consignees: [] }));

  const withEntry = watchlistHits('--watchlist', listed);
  const withoutEntry = watchlistHits('--watchlist', unlisted);
  assert.equal(withEntry.length, records.length);
  withEntry.forEach((hit, i) => {
    if (of[i]) {
      assert.ok(hit, `line ${i + 1} (seller ${seller}) is flagged`);
      assert.equal(hit.inputs?.list, 'sellers');
      assert.equal(hit.inputs?.listedName, seller);
      assert.match(hit.reason, /\(seizure 2026-041\)/);
    } else assert.notEqual(hit?.inputs?.list, 'sellers', `line ${i + 1} is not flagged as a seller`);
  });
  withoutEntry.forEach((hit, i) =>
    assert.notEqual(hit?.inputs?.listedName, seller, `line ${i + 1} is not flagged without the entry`),
  );
  // A name given without a reason is quoted as "listed".
  const plain = join(tmp, 'plain.json');
  writeFileSync(plain, JSON.stringify({ sellers: [seller] }));
  const first = watchlistHits('--watchlist', plain)[of.indexOf(true)];
  assert.match(first?.reason ?? '', /\(listed\)/);
});

test('a bad watchlist file is one usage error (exit 2) listing every problem with its path, before anything is written', () => {
  const bad = join(tmp, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      seller: ['Shady Goods Ltd'],
      sellers: ['', 42, { name: 'Ok', why: 'x' }],
      declarants: 'Ivan Petrov',
      addresses: [{ reason: 'no name' }],
    }),
  );
  const out = join(tmp, 'never.ndjson');
  const r = run('assess', flood, '--watchlist', bad, '--out', out);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(existsSync(out), false);
  for (const path of [
    '/seller',
    '/sellers/0',
    '/sellers/1',
    '/sellers/2/why',
    '/declarants',
    '/addresses/0/name',
  ])
    assert.ok(r.stderr.includes(`watchlist.invalid at ${path}:`), `${path} in:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

  const notJson = join(tmp, 'not-json.json');
  writeFileSync(notJson, '{"sellers": [');
  const n = run('assess', flood, '--watchlist', notJson);
  assert.equal(n.status, 2);
  assert.match(n.stderr, /cannot read JSON from/);
  // The other commands read the file the same way, before they open a store or read their input.
  const ingest = run('ingest', flood, '--data-dir', join(tmp, 'store'), '--watchlist', bad);
  assert.equal(ingest.status, 2, ingest.stderr);
  assert.match(ingest.stderr, /watchlist\.invalid at \/seller:/);
  assert.equal(existsSync(join(tmp, 'store')), false);
});
