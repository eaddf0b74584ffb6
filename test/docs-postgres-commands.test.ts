/**
 * What the docs say about commands on PostgreSQL matches the CLI: a command shown with `--postgres`
 * has that option, and the pseudonym-key start-up check is described for the commands that can run
 * on PostgreSQL (`serve`), not for `ingest`, which has no `--postgres` (docs/postgres.md,
 * docs/security.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main.js';
import { packageRoot } from '../src/reference/index.js';

const program = buildProgram();
const read = (file: string) => readFileSync(join(packageRoot, file), 'utf8').replace(/\s+/g, ' ');
const docs = ['README.md', 'docs/postgres.md', 'docs/security.md', 'docs/operations.md'];

function commandOf(words: string[]): Command | undefined {
  let at: Command = program;
  let found: Command | undefined;
  for (const w of words) {
    const sub = at.commands.find((c) => c.name() === w);
    if (sub === undefined) break;
    at = found = sub;
  }
  return found;
}

const hasPostgres = (c: Command) => c.options.some((o) => o.long === '--postgres');

test('every command the docs show with --postgres has the option; ingest has none', () => {
  const ingest = commandOf(['ingest']);
  assert.ok(ingest !== undefined && !hasPostgres(ingest));
  assert.ok(hasPostgres(commandOf(['serve'])!));
  for (const file of docs)
    for (const m of read(file).matchAll(
      /`(?:parcelgate )?([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*)[^`]*--postgres/g,
    )) {
      const c = commandOf(m[1]!.split(' '));
      if (c === undefined) continue; // not a parcelgate command (e.g. `node dist/bench/soak.js`)
      assert.ok(hasPostgres(c), `${file}: ${m[0]}… but \`${c.name()}\` has no --postgres`);
    }
});

test('the docs say which commands refuse to start on PostgreSQL without the pseudonym key', () => {
  for (const file of docs) {
    const text = read(file);
    assert.ok(!/`serve` and `ingest` refuse to start on PostgreSQL/.test(text), file);
    assert.ok(!/`ingest` refuses? to start on PostgreSQL/.test(text), file);
  }
  const pg = read('docs/postgres.md');
  assert.match(pg, /without it `serve --postgres` refuses to start/);
  assert.match(pg, /`ingest` and `demo` have no `--postgres` option/);
});
