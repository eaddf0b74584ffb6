/**
 * `parcelgate quote --date` reads the date as written, like POST /v1/quote?date=: a lodging time of
 * 00:30 on 1 July 2026 in Berlin is 1 July (the EUR 3 per subheading regime), not 30 June in UTC.
 * A date outside the years 1970 to 2099 is refused, by `quote --date` and by `assess --now` alike.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-cli-quote-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

test('quote --date with an offset gives the quote the API gives for the same text', async () => {
  const input = { ...postalItem(), dates: undefined };
  const file = join(tmp, 'parcel.json');
  writeFileSync(file, JSON.stringify(input));
  const when = '2026-07-01T00:30:00+02:00';
  const r = run('quote', file, '--date', when);
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout) as { lines: { type: string; rate: string }[]; taxPoint: { date: string } };
  assert.equal(cli.taxPoint.date, '2026-07-01');
  assert.ok(cli.lines.some((l) => l.type === 'duty' && l.rate === '3.00 EUR per tariff subheading'));
  const a = await buildApp({ store: openSqliteStore({ memory: true }), snapshot: () => loadSnapshot() });
  try {
    const api = await a.inject({
      method: 'POST',
      url: `/v1/quote?date=${encodeURIComponent(when)}`,
      payload: input,
    });
    assert.deepEqual(cli, api.json());
  } finally {
    await a.close();
  }
  const bad = run('quote', file, '--date', '2026-02-30');
  assert.equal(bad.status, 2, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /--date must be an ISO date or datetime, got '2026-02-30'/);
});

test('a quote date outside the years 1970 to 2099 is refused by quote --date and POST /v1/quote?date=', async () => {
  const input = { ...postalItem(), dates: undefined };
  const file = join(tmp, 'parcel-range.json');
  writeFileSync(file, JSON.stringify(input));
  for (const date of ['0000-01-01', '9999-12-31T00:00:00Z', '1969-12-31']) {
    const r = run('quote', file, '--date', date);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '', 'no quote');
    assert.match(
      r.stderr,
      new RegExp(`dates\\.out-of-range: --date ${date} is outside the years 1970 to 2099`),
    );
  }
  assert.equal(run('quote', file, '--date', '2099-12-31').status, 0);
  const a = await buildApp({ store: openSqliteStore({ memory: true }), snapshot: () => loadSnapshot() });
  try {
    for (const date of ['9999-12-31', '0000-01-01T00:00:00Z']) {
      const res = await a.inject({ method: 'POST', url: `/v1/quote?date=${date}`, payload: input });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const p = res.json() as { code: string; detail: string; issues: { code: string; path: string }[] };
      assert.equal(p.code, 'request.invalid');
      assert.equal(p.detail, `date ${date} is outside the years 1970 to 2099`);
      assert.deepEqual(
        p.issues.map((i) => [i.code, i.path]),
        [['dates.out-of-range', '/date']],
      );
    }
    const ok = await a.inject({ method: 'POST', url: '/v1/quote?date=1970-01-01', payload: input });
    assert.equal(ok.statusCode, 200);
  } finally {
    await a.close();
  }
});

test('assess --now outside the years 1970 to 2099 is refused as quote --date is: exit 2, nothing written', () => {
  const file = join(tmp, 'records.ndjson');
  writeFileSync(file, JSON.stringify(postalItem()) + '\n');
  for (const now of [
    '0000-01-01T00:00:00Z',
    '9999-12-31T00:00:00Z',
    '1969-12-31',
    '+010000-01-01T00:00:00Z',
  ]) {
    const out = join(tmp, `assessed-${now.replace(/[^0-9]/g, '')}.ndjson`);
    const r = run('assess', file, '--out', out, '--now', now);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `parcelgate: dates.out-of-range: --now ${now} is outside the years 1970 to 2099\n`,
    );
    assert.equal(existsSync(out), false, 'no output file');
  }
  for (const now of ['1970-01-01T00:00:00Z', '2099-12-31T23:59:59Z']) {
    const r = run('assess', file, '--now', now);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { rejected?: boolean }).rejected, undefined, r.stdout);
  }
});
