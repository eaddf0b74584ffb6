/**
 * Request-body and query validation problems say what was received: the value at fault (cut at 40
 * characters, control characters escaped), the allowed values of a list, and never a secret's value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { bearer, keysApp } from '../src/access/testing.js';

const snapshot = loadSnapshot({ randomRate: 0 });

interface Issue {
  code: string;
  path: string;
  message: string;
}

async function openApp() {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const id = (await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() })).json()
    .consignmentId as string;
  return { a, id };
}

/** The issue at `path` with `code` (exactly one), from a 400 problem. */
function issueAt(body: { issues?: Issue[] }, code: string, path: string): Issue {
  const found = (body.issues ?? []).filter((i) => i.path === path && i.code === code);
  assert.equal(found.length, 1, `one ${code} at ${path} in ${JSON.stringify(body.issues)}`);
  return found[0]!;
}

const hasControlCharacter = (s: string) => [...s].some((ch) => ch < ' ' || ch === '\u007f');

test('a value outside a list of allowed words is named with the allowed words (body and query)', async () => {
  const { a, id } = await openApp();
  const event = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'teleported' },
  });
  assert.equal(event.statusCode, 400);
  assert.equal(event.json().code, 'request.invalid');
  assert.equal(
    issueAt(event.json(), 'schema.enum', '/type').message,
    'type must be one of "arrived", "delivered", "refused", "returned" (got "teleported")',
  );
  assert.ok(event.json().detail.includes('(got "teleported")'), event.json().detail);

  const decision = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'zap', reason: 'checked the invoice' },
  });
  assert.match(
    issueAt(decision.json(), 'schema.enum', '/action').message,
    /^action must be one of "release", .*"clear-dnl" \(got "zap"\)$/,
  );

  const list = await a.inject({ method: 'GET', url: '/v1/consignments?lane=purple&limit=0' });
  assert.equal(
    issueAt(list.json(), 'schema.enum', '/lane').message,
    'lane must be one of "green", "yellow", "red", "blue" (got "purple")',
  );
  assert.equal(issueAt(list.json(), 'schema.minimum', '/limit').message, 'limit must be >= 1 (got 0)');
});

test('a date-time that is not one says so with an example and the value received, escaped', async () => {
  const { a, id } = await openApp();
  const r = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'arrived', at: 'yesterday\u0007' },
  });
  assert.equal(r.statusCode, 400);
  assert.equal(
    issueAt(r.json(), 'schema.format', '/at').message,
    'at must be an RFC 3339 date-time such as "2025-03-01T10:00:00Z" (got "yesterday\\u0007")',
  );
  // The control character is also an issue of its own, and nothing in the answer holds it raw.
  issueAt(r.json(), 'text.control-character', '/at');
  assert.ok(!hasControlCharacter(r.body), r.body);

  const k = await keysApp();
  try {
    const key = await k.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(k.keyOf.admin),
      payload: { role: 'officer', operatorId: 'jdoe', expiresAt: 'next week' },
    });
    assert.equal(key.statusCode, 400, key.body);
    assert.equal(
      issueAt(key.json(), 'schema.format', '/expiresAt').message,
      'expiresAt must be an RFC 3339 date-time such as "2025-03-01T10:00:00Z" (got "next week")',
    );
  } finally {
    await k.close();
  }
});

test('a value of the wrong type is described (an object by its kind), a missing or unknown field by its name', async () => {
  const { a, id } = await openApp();
  const r = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { reason: 'checked the invoice', request: 'send the invoice', weight: 'heavy-secret-ish' },
  });
  assert.equal(r.statusCode, 400);
  const p = r.json();
  assert.equal(p.code, 'request.invalid');
  assert.equal(
    issueAt(p, 'schema.type', '/request').message,
    'request must be object (got "send the invoice")',
  );
  assert.equal(issueAt(p, 'schema.required', '/action').message, 'action is required');
  assert.equal(
    issueAt(p, 'schema.additional-property', '/weight').message,
    'weight is not a field of this request',
  );
  assert.ok(!r.body.includes('heavy-secret-ish'), 'an unknown field is named, its value not repeated');

  const event = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'arrived', at: { when: 'now' } },
  });
  assert.equal(issueAt(event.json(), 'schema.type', '/at').message, 'at must be string (got an object)');

  const feed = await a.inject({ method: 'GET', url: '/v1/feed?after=-1&limit=lots' });
  assert.equal(feed.statusCode, 400);
  assert.match(issueAt(feed.json(), 'feed.invalid-cursor', '/after').message, /\(got -1\)$/);
  assert.equal(
    issueAt(feed.json(), 'feed.invalid-limit', '/limit').message,
    'limit must be a whole number from 1 to 1000 (got "lots")',
  );
});

test('a string too long gives its length and its start, cut at 40 characters with control characters escaped', async () => {
  const { a, id } = await openApp();
  const finding = `a\u0007${'x'.repeat(68)}`;
  const r = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'inspect', reason: 'x-ray image unclear', finding },
  });
  assert.equal(r.statusCode, 400);
  assert.equal(
    issueAt(r.json(), 'schema.max-length', '/finding').message,
    `finding must NOT have more than 60 characters (got 70 characters: "a\\u0007${'x'.repeat(38)}…")`,
  );
  assert.ok(!hasControlCharacter(r.body), r.body);

  const quote = await a.inject({
    method: 'POST',
    url: `/v1/quote?date=${'9'.repeat(80)}`,
    payload: postalItem(),
  });
  assert.equal(quote.statusCode, 400);
  const message = issueAt(quote.json(), 'request.invalid', '/date').message;
  assert.equal(
    message,
    `date must be an ISO date or datetime such as "2025-03-01" (got "${'9'.repeat(40)}…")`,
  );
  assert.equal(quote.json().detail, message);
});

test('a secret field is named but its value is never repeated: webhook secrets, signing keys', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const secret = `whsec-${'S3cr3t'.repeat(40)}`;
    const tooLong = await k.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: bearer(k.keyOf.submitter),
      payload: { url: 'https://hooks.example.com/parcelgate', secret },
    });
    assert.equal(tooLong.statusCode, 400, tooLong.body);
    assert.equal(
      issueAt(tooLong.json(), 'schema.max-length', '/secret').message,
      'secret must NOT have more than 200 characters (got a secret value, not shown)',
    );
    assert.ok(!tooLong.body.includes('whsec-'), tooLong.body);

    const notText = await k.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: bearer(k.keyOf.submitter),
      payload: { url: 'https://hooks.example.com/parcelgate', secret: { value: 'whsec-hidden' } },
    });
    assert.equal(
      issueAt(notText.json(), 'schema.type', '/secret').message,
      'secret must be string (got a secret value, not shown)',
    );

    const material = `-----BEGIN PUBLIC KEY-----${'QUJD'.repeat(300)}`;
    const key = await k.app.inject({
      method: 'POST',
      url: '/v1/signing-keys',
      headers: bearer(k.keyOf.admin),
      payload: { operatorId: 'op-payco', publicKey: material, purposes: ['payment'] },
    });
    assert.equal(key.statusCode, 400, key.body);
    assert.equal(
      issueAt(key.json(), 'schema.max-length', '/publicKey').message,
      'publicKey must NOT have more than 1000 characters (got a secret value, not shown)',
    );
    assert.ok(!key.body.includes('BEGIN PUBLIC KEY') && !key.body.includes('QUJD'), key.body);
  } finally {
    await k.close();
  }
});
