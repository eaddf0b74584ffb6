import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { packageRoot } from '../src/reference/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';
import { newPseudonymKey } from '../src/privacy/index.js';
import { ownDatabase, withPgClient } from '../src/store/postgres/testing/pg-test-env.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-seccli-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });
const json = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;

function ingestSome(dataDir: string, n: number, from = 40_000_000): void {
  const file = join(tmp, `in-${from}.ndjson`);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(postalItem({}, String(from + i))));
  writeFileSync(file, lines.join('\n') + '\n');
  const r = run('ingest', file, '--data-dir', dataDir);
  assert.equal(r.status, 0, r.stderr);
}

test('keys create, list, rotate and revoke; the secret is shown once and never listed', () => {
  const dataDir = join(tmp, 'keys');
  // A submitter key acts for an operator of the registry, as over the API (docs/operators.md).
  const createKey = () =>
    run('keys', 'create', '--role', 'submitter', '--operator', 'opr_postnl', '--data-dir', dataDir);
  const unregistered = createKey();
  assert.equal(unregistered.status, 2);
  assert.match(unregistered.stderr, /no operator opr_postnl: register it before issuing it a key/);
  assert.equal(run('keys', 'list', '--data-dir', dataDir).stdout, '', 'no key was issued');
  const operator = join(tmp, 'postnl.json');
  writeFileSync(
    operator,
    JSON.stringify({ id: 'opr_postnl', kind: 'postal-operator', name: 'PostNL', country: 'NL' }),
  );
  const registered = run('operators', 'register', operator, '--data-dir', dataDir);
  assert.equal(registered.status, 0, registered.stderr);
  const created = createKey();
  assert.equal(created.status, 0, created.stderr);
  const k = json(created.stdout);
  assert.match(String(k.key), /^pgk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  const list = run('keys', 'list', '--data-dir', dataDir);
  assert.ok(!list.stdout.includes(String(k.key).slice(-43)), 'no secret in the list');
  assert.equal(json(list.stdout).status, 'active');
  const rotated = json(run('keys', 'rotate', String(k.id), '--overlap', '1', '--data-dir', dataDir).stdout);
  assert.equal(rotated.replaces, k.id);
  const revoked = run('keys', 'revoke', String(rotated.id), '--reason', 'test', '--data-dir', dataDir);
  assert.equal(revoked.status, 0, revoked.stderr);
  const statuses = run('keys', 'list', '--data-dir', dataDir)
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l).status);
  assert.deepEqual(statuses.sort(), ['active', 'revoked']);
  const bad = run('keys', 'create', '--role', 'root', '--operator', 'x', '--data-dir', dataDir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /access.unknown-role/);
  assert.equal(run('keys', 'revoke', 'key_nope', '--data-dir', dataDir).status, 2);
  const verify = run('audit', 'verify', '--data-dir', dataDir);
  assert.equal(verify.status, 0, verify.stdout);
  assert.equal(json(verify.stdout).entries, 3, 'created, rotated, revoked');
});

test('keys create refuses an expiry in the past as the API does, and creates no key', () => {
  const dataDir = join(tmp, 'keys-expired');
  const past = run(
    'keys',
    'create',
    '--role',
    'officer',
    '--operator',
    'jdoe',
    '--expires',
    '2020-01-01T00:00:00Z',
    '--data-dir',
    dataDir,
  );
  assert.equal(past.status, 2, past.stdout + past.stderr);
  assert.equal(past.stdout, '', 'no key printed');
  assert.match(
    past.stderr,
    /--expires: request\.invalid: expiresAt must be in the future, got 2020-01-01T00:00:00Z \(now /,
  );
  assert.equal(run('keys', 'list', '--data-dir', dataDir).stdout, '', 'no key was issued');
  const future = run(
    'keys',
    'create',
    '--role',
    'officer',
    '--operator',
    'jdoe',
    '--expires',
    '2099-01-01T00:00:00Z',
    '--data-dir',
    dataDir,
  );
  assert.equal(future.status, 0, future.stderr);
});

test('audit verify passes on an untouched store and fails, naming the entry, after tampering', () => {
  const dataDir = join(tmp, 'audit');
  ingestSome(dataDir, 5);
  run('keys', 'create', '--role', 'officer', '--operator', 'jdoe', '--data-dir', dataDir);
  assert.equal(run('audit', 'seal', '--data-dir', dataDir).status, 0);
  run('keys', 'create', '--role', 'auditor', '--operator', 'aud', '--data-dir', dataDir);
  const ok = run('audit', 'verify', '--data-dir', dataDir);
  assert.equal(ok.status, 0, ok.stdout);
  const head = json(ok.stdout).head as { seq: number; hash: string };
  const db = new Database(join(dataDir, 'parcelgate.db'));
  db.prepare("UPDATE events SET reason = 'nothing to see' WHERE seq = (SELECT min(seq) FROM events)").run();
  db.close();
  const bad = run('audit', 'verify', '--data-dir', dataDir);
  assert.equal(bad.status, 1);
  assert.equal((json(bad.stdout).failure as { seq: number }).seq, 2, 'the seal entry of the events');
  // truncation of the chain is caught against a recorded head
  const dir2 = join(tmp, 'audit2');
  run('keys', 'create', '--role', 'officer', '--operator', 'a', '--data-dir', dir2);
  run('keys', 'create', '--role', 'officer', '--operator', 'b', '--data-dir', dir2);
  const h = json(run('audit', 'verify', '--data-dir', dir2).stdout).head as { seq: number; hash: string };
  const db2 = new Database(join(dir2, 'parcelgate.db'));
  db2.prepare('DELETE FROM audit_log WHERE seq = 2').run();
  db2.close();
  assert.equal(run('audit', 'verify', '--data-dir', dir2).status, 0, 'a cut tail alone looks whole');
  assert.equal(run('audit', 'verify', '--data-dir', dir2, '--expect-head', `${h.seq}:${h.hash}`).status, 1);
  assert.ok(head.seq >= 3);
});

test('audit verify --expect-head refuses a malformed head (exit 2) instead of passing it', () => {
  const dataDir = join(tmp, 'audit-head');
  run('keys', 'create', '--role', 'officer', '--operator', 'a', '--data-dir', dataDir);
  run('keys', 'create', '--role', 'officer', '--operator', 'b', '--data-dir', dataDir);
  const h = json(run('audit', 'verify', '--data-dir', dataDir).stdout).head as { seq: number; hash: string };
  assert.equal(
    run('audit', 'verify', '--data-dir', dataDir, '--expect-head', `${h.seq}:${h.hash}`).status,
    0,
  );
  const upper = run(
    'audit',
    'verify',
    '--data-dir',
    dataDir,
    '--expect-head',
    `${h.seq}:${h.hash.toUpperCase()}`,
  );
  assert.equal(upper.status, 0, upper.stderr);
  // Before, a head that was not seq:hash compared no entry's hash with no hash and passed (exit 0).
  for (const bad of [
    'garbage',
    String(h.seq),
    `${h.seq}:`,
    `:${h.hash}`,
    `x:${h.hash}`,
    `${h.seq}:${h.hash}0`,
    '0:' + h.hash,
  ]) {
    const r = run('audit', 'verify', '--data-dir', dataDir, '--expect-head', bad);
    assert.equal(r.status, 2, `${bad}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /^parcelgate: --expect-head must be seq:hash/, bad);
    assert.equal(r.stdout, '', bad);
  }
  // A well-formed head that is not in the chain still fails the check (exit 1).
  assert.equal(
    run('audit', 'verify', '--data-dir', dataDir, '--expect-head', `${h.seq}:${'0'.repeat(64)}`).status,
    1,
  );
  assert.equal(
    run('audit', 'verify', '--data-dir', dataDir, '--expect-head', `${h.seq + 5}:${h.hash}`).status,
    1,
  );
});

test('backup copies a consistent database; restore refuses to overwrite without --force', () => {
  const dataDir = join(tmp, 'backup');
  ingestSome(dataDir, 20, 41_000_000);
  const out = join(tmp, 'backups', 'b1.db');
  const b = run('backup', '--data-dir', dataDir, '--out', out);
  assert.equal(b.status, 0, b.stderr);
  assert.equal(json(b.stdout).consignments, 20);
  assert.equal(run('backup', '--data-dir', dataDir, '--out', out).status, 2, 'never overwrites');
  const target = join(tmp, 'restored');
  const r = run('restore', out, '--data-dir', target);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(json(r.stdout).consignments, 20);
  const again = run('restore', out, '--data-dir', target);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /--force/);
  assert.equal(run('restore', out, '--data-dir', target, '--force').status, 0);
  const notDb = join(tmp, 'not.db');
  writeFileSync(notDb, 'hello');
  assert.equal(run('restore', notDb, '--data-dir', join(tmp, 'x')).status, 2);
  assert.ok(!existsSync(join(tmp, 'x', 'parcelgate.db')));
});

test('restore --force refuses a database another process has open, even while it is idle', () => {
  const dataDir = join(tmp, 'restore-live');
  ingestSome(dataDir, 5, 41_500_000);
  const out = join(tmp, 'backups', 'live.db');
  assert.equal(run('backup', '--data-dir', dataDir, '--out', out).status, 0);
  const missing = run('restore', join(tmp, 'no-such-backup.db'), '--data-dir', dataDir, '--force');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no backup file at .*no-such-backup\.db/);
  // A server that has read the database and now waits for requests: no transaction is open.
  const server = new Database(join(dataDir, 'parcelgate.db'));
  server.pragma('journal_mode = WAL');
  assert.equal(server.prepare('SELECT count(*) FROM consignments').pluck().get(), 5);
  try {
    const refused = run('restore', out, '--data-dir', dataDir, '--force');
    assert.equal(refused.status, 2, refused.stdout);
    assert.match(refused.stderr, /in use; stop the server/);
    assert.equal(
      server.prepare('SELECT count(*) FROM consignments').pluck().get(),
      5,
      'the live database is untouched',
    );
  } finally {
    server.close();
  }
  assert.equal(run('restore', out, '--data-dir', dataDir, '--force').status, 0, 'once the server is gone');
});

test('privacy purge reports per class; new-key prints a usable key entry', () => {
  const dataDir = join(tmp, 'purge');
  ingestSome(dataDir, 3, 42_000_000);
  const p = run('privacy', 'purge', '--data-dir', dataDir, '--now', '2099-01-01T00:00:00Z');
  assert.equal(p.status, 0, p.stderr);
  const report = json(p.stdout) as { classes: { class: string; documents: number }[] };
  assert.deepEqual(report.classes.map((c) => c.class).sort(), ['contact', 'identity', 'party']);
  assert.ok(report.classes.some((c) => c.documents > 0));
  const k = run('privacy', 'new-key', 'k1');
  assert.match(k.stdout.trim(), /^k1:[A-Za-z0-9+/]{43}=$/);
});

async function startServe(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true', LOG_LEVEL: 'warn', ...env },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  for (let i = 0; i < 150; i++) {
    if (err.includes('parcelgate API on') || child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, err: () => err };
}

test('serve runs in keys mode once a key exists, and shuts down gracefully on SIGTERM', async () => {
  const dataDir = join(tmp, 'serve');
  const key = String(
    json(run('keys', 'create', '--role', 'officer', '--operator', 'kim', '--data-dir', dataDir).stdout).key,
  );
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const { child, err } = await startServe(['--port', String(port), '--data-dir', dataDir]);
  try {
    assert.match(err(), /auth: API keys/);
    const base = `http://127.0.0.1:${port}`;
    assert.equal((await fetch(`${base}/v1/whoami`)).status, 401);
    const me = await fetch(`${base}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
    assert.deepEqual(await me.json(), {
      authMode: 'keys',
      actor: 'officer:kim',
      role: 'officer',
      operatorId: 'kim',
    });
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, err());
  assert.match(err(), /shutting down/);
});

test('serve without any key refuses a non-loopback address unless --auth open', async () => {
  const dataDir = join(tmp, 'serve-open');
  const { child, err } = await startServe(['--port', '39999', '--host', '0.0.0.0', '--data-dir', dataDir], {
    PARCELGATE_PSEUDONYM_KEY: newPseudonymKey('k1'),
  });
  const [code] = child.exitCode !== null ? [child.exitCode] : await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(err(), /keys create/);
});

test('serve refuses a non-loopback address, and PostgreSQL, without a pseudonym key (docs/security.md, pseudonyms)', async () => {
  const cases = [
    ['--port', '39998', '--host', '0.0.0.0', '--data-dir', join(tmp, 'serve-nokey'), '--auth', 'open'],
    ['--port', '39997', '--postgres', 'postgres://parcelgate:secret@127.0.0.1:1/nowhere'],
  ];
  for (const args of cases) {
    const { child, err } = await startServe(args, { PARCELGATE_PSEUDONYM_KEY: '' });
    const [code] = child.exitCode !== null ? [child.exitCode] : await once(child, 'exit');
    assert.equal(code, 2, err());
    assert.match(
      err(),
      /PARCELGATE_PSEUDONYM_KEY is not set: (a server on 0\.0\.0\.0|a PostgreSQL database) needs a secret pseudonym key/,
    );
  }
});

test(
  'audit verify on a PostgreSQL database with no store refuses (exit 2) and creates nothing',
  { skip: process.env.PARCELGATE_TEST_PG_URL === undefined && 'PARCELGATE_TEST_PG_URL not set' },
  async () => {
    const url = new URL(await ownDatabase(process.env.PARCELGATE_TEST_PG_URL!, 'emptyaudit'));
    const tables = () =>
      withPgClient(url.toString(), undefined, async (c) => {
        const r = await c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        return (r.rows[0] as { n: number }).n;
      });
    assert.equal(await tables(), 0);
    const r = run('audit', 'verify', '--postgres', url.toString());
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /no parcelgate store in the PostgreSQL database given by --postgres/);
    assert.equal(r.stdout, '', 'no verdict printed');
    assert.equal(await tables(), 0, 'audit verify created no tables');
    assert.equal(run('migrate', '--postgres', url.toString()).status, 0);
    const ok = run('audit', 'verify', '--postgres', url.toString());
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(json(ok.stdout).ok, true);
  },
);
