/** A parcel's dates lie in the years 1970 to 2099: year 0000 or 9999 is a typing error, not a date of a parcel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConsignment } from './index.js';
import { hs, validRecord } from './fixtures.js';

const codesAt = (raw: unknown) => {
  const r = validateConsignment(raw, hs);
  return r.ok ? [] : r.error.map((i) => `${i.code} ${i.path}`);
};

test('dates before 1970 or after 2099 are refused at their path', () => {
  const r = validRecord();
  r.dates = { ordered: '0000-01-01T00:00:00Z', expectedArrival: '9999-12-31T23:59:59Z' };
  r.payment = { reference: 'PAY-1', paidAt: '1969-12-31T23:59:59Z' };
  const got = codesAt(r);
  for (const path of ['/dates/ordered', '/dates/expectedArrival', '/payment/paidAt'])
    assert.ok(got.includes(`dates.out-of-range ${path}`), `${path}: ${got.join(', ')}`);
  const issue = (validateConsignment(r, hs) as { error: { path: string; message: string }[] }).error.find(
    (i) => i.path === '/dates/expectedArrival',
  );
  assert.match(issue!.message, /9999-12-31T23:59:59Z.*1970.*2099/);
});

test('dates from 1970 to 2099 pass', () => {
  const r = validRecord();
  r.dates = { ordered: '1970-01-01T00:00:00Z', expectedArrival: '2099-12-31T23:59:59Z' };
  r.payment = { reference: 'PAY-1', paidAt: '2026-11-27T10:00:00+01:00' };
  assert.deepEqual(codesAt(r), []);
});
