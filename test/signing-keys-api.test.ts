/**
 * Signing keys are trust anchors registered by the administration: an administrator registers and
 * revokes an operator's key by naming the operator, staff list them by operator, a submitter key may not
 * register one (docs/three-documents.md, docs/security.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { bearer, keysApp } from '../src/access/testing.js';

test('an administrator registers, lists and revokes an operator signing key by naming the operator', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const publicKey = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const call = (
      role: 'admin' | 'supervisor' | 'submitter',
      method: 'GET' | 'POST',
      url: string,
      payload?: object,
    ) => k.app.inject({ method, url, headers: bearer(k.keyOf[role]), ...(payload ? { payload } : {}) });

    const unnamed = await call('admin', 'POST', '/v1/signing-keys', { publicKey, purposes: ['payment'] });
    assert.equal(unnamed.statusCode, 400, unnamed.body);
    assert.equal(unnamed.json().code, 'keys.operator-required');

    const reg = await call('admin', 'POST', '/v1/signing-keys', {
      operatorId: 'op-payco',
      publicKey,
      purposes: ['payment'],
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const key = reg.json() as { keyId: string; operatorId: string };
    assert.equal(key.operatorId, 'op-payco');

    const listed = await call('supervisor', 'GET', '/v1/signing-keys?operator=op-payco');
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(
      (listed.json() as { keys: { keyId: string }[] }).keys.map((x) => x.keyId),
      [key.keyId],
    );
    assert.equal((await call('supervisor', 'GET', '/v1/signing-keys')).json().code, 'keys.operator-required');

    const bySubmitter = await call('submitter', 'POST', '/v1/signing-keys', {
      publicKey,
      purposes: ['order'],
    });
    assert.equal(bySubmitter.statusCode, 403, bySubmitter.body);

    const revoked = await call('admin', 'POST', `/v1/signing-keys/${key.keyId}/revoke`);
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.notEqual((revoked.json() as { revokedAt: string | null }).revokedAt, null);
  } finally {
    await k.close();
  }
});
