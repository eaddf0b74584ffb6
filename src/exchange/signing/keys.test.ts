import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ParcelgateError } from '../../domain/index.js';
import { generateSigningKeyPair, normalisePublicKey, signPayload, verifyPayload } from './keys.js';

const alice = generateSigningKeyPair();
const mallory = generateSigningKeyPair();
const purposes = fc.constantFrom('order', 'payment', 'waybill', 'list', 'export-data', 'findings');

test('a signature verifies for the exact payload and purpose it was made for', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), purposes, (payload, purpose) => {
      const sig = signPayload(alice.privateKeyPem, purpose, payload);
      assert.equal(verifyPayload(alice.publicKey, purpose, payload, sig), true);
    }),
    { numRuns: 100 },
  );
});

test('any change to the payload, the purpose, the signature or the key makes verification fail', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 200 }),
      purposes,
      purposes,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (payload, purpose, other, at, flip) => {
        const sig = signPayload(alice.privateKeyPem, purpose, payload);
        const i = at % payload.length;
        const changed =
          payload.slice(0, i) + String.fromCharCode(payload.charCodeAt(i) ^ flip) + payload.slice(i + 1);
        if (changed !== payload) assert.equal(verifyPayload(alice.publicKey, purpose, changed, sig), false);
        if (other !== purpose) assert.equal(verifyPayload(alice.publicKey, other, payload, sig), false);
        const bytes = Buffer.from(sig, 'base64');
        bytes[at % 64] = (bytes[at % 64] ?? 0) ^ flip;
        assert.equal(verifyPayload(alice.publicKey, purpose, payload, bytes.toString('base64')), false);
        assert.equal(verifyPayload(mallory.publicKey, purpose, payload, sig), false);
      },
    ),
    { numRuns: 100 },
  );
});

test('hostile signature and key text is refused, never thrown', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 }), (sig, key) => {
      assert.equal(verifyPayload(key, 'order', '{}', sig), false);
      assert.equal(verifyPayload(alice.publicKey, 'order', '{}', sig), false);
    }),
  );
});

test('public keys are accepted as raw base64 or SPKI PEM and refused otherwise with keys.invalid', () => {
  assert.equal(normalisePublicKey(alice.publicKey), alice.publicKey);
  const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(alice.publicKey, 'base64')]).toString('base64')}\n-----END PUBLIC KEY-----\n`;
  assert.equal(normalisePublicKey(pem), alice.publicKey);
  for (const bad of [
    '',
    'abc',
    Buffer.alloc(31).toString('base64'),
    '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----',
  ]) {
    assert.throws(
      () => normalisePublicKey(bad),
      (e: unknown) => e instanceof ParcelgateError && e.code === 'keys.invalid',
    );
  }
});
