import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-cli-fx-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

const consignment = join(tmp, 'usd.json');
const input = postalItem();
writeFileSync(
  consignment,
  JSON.stringify({
    ...input,
    items: input.items.map((i) => ({ ...i, value: { amount: '108.00', currency: 'USD' } })),
    dates: { expectedArrival: '2024-03-15T10:00:00Z' },
  }),
);

test('quote --fx ecb=FILE converts with the ECB rate the EU date rule names', () => {
  const feed = join(tmp, 'eurofxref-hist.csv');
  writeFileSync(feed, 'Date,USD,JPY,\n2024-03-14,1.0900,161.50,\n2024-02-21,1.0800,162.00,\n');
  const r = run('quote', consignment, '--date', '2024-03-15', '--fx', `ecb=${feed}`);
  assert.equal(r.status, 0, r.stderr);
  const q = JSON.parse(r.stdout);
  assert.equal(q.fx[0].date, '2024-02-21');
  assert.equal(q.fx[0].rate, '0.9259259259');
  assert.match(q.versions.fx, /^ecb:[0-9a-f]{12}$/);
  const plain = JSON.parse(run('quote', consignment, '--date', '2024-03-15').stdout);
  assert.match(plain.fx[0].source, /stand-in: prescribed ecb rates .* not loaded$/);
});

test('quote --fx with a bad feed exits 2 naming the line and field', () => {
  const bad = join(tmp, 'bad.csv');
  writeFileSync(bad, 'date,currency,rate,base\n2024-03-14,USD,1.09,EUR\n2024-03-15,USD,x,EUR\n');
  const r = run('quote', consignment, '--fx', `ecb=${bad}`);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /fx feed ecb: line 3, field rate: 'x' is not a positive decimal rate/);
  const spec = run('quote', consignment, '--fx', 'ecb');
  assert.equal(spec.status, 2);
  assert.match(spec.stderr, /--fx expects NAME=FILE.csv/);
});

test('quote --fx with a feed name no profile prescribes exits 2 listing the known names', () => {
  const feed = join(tmp, 'fx5.csv');
  writeFileSync(feed, 'Date,USD,\n2024-03-14,1.0900,\n');
  for (const name of ['ecbb', 'ECB']) {
    const r = run('quote', consignment, '--fx', `${name}=${feed}`);
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /ecb, .*frbny, .*hmrc-monthly/);
  }
  assert.match(
    run('quote', consignment, '--fx', `ecbb=${feed}`).stderr,
    /--fx ecbb: no jurisdiction profile prescribes/,
  );
});
