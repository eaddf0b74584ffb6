/**
 * Ed25519 signing keys per operator (node:crypto) and signed envelopes. A signature covers
 * `parcelgate-signed-v1\n<purpose>\n<payload>` (UTF-8), so a payment signature cannot pass for an order.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { ParcelgateError, type ValidationIssue } from '../../domain/index.js';
import type { ExchangeStore, SigningKey } from '../../store/index.js';

/** What a registered key may sign. */
export const signingPurposes = ['order', 'payment', 'waybill', 'list', 'export-data', 'findings'] as const;
export type SigningPurpose = (typeof signingPurposes)[number];

/** A signed document as submitted: the exact payload text, the key that signed it and the signature. */
export interface SignedEnvelope {
  keyId: string;
  /** JSON text of the document, signed as is (no canonicalisation). */
  payload: string;
  /** Base64 Ed25519 signature. */
  signature: string;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 raw key bytes.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The bytes a signature covers. */
export function signingInput(purpose: string, payload: string): Buffer {
  return Buffer.from(`parcelgate-signed-v1\n${purpose}\n${payload}`, 'utf8');
}

/** Reads a public key (raw 32 bytes base64, or SPKI PEM); returns the raw base64 form. Throws keys.invalid. */
export function normalisePublicKey(text: string): string {
  const t = text.trim();
  try {
    if (t.startsWith('-----BEGIN')) {
      const key = createPublicKey(t);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
      const der = key.export({ type: 'spki', format: 'der' });
      return der.subarray(SPKI_PREFIX.length).toString('base64');
    }
  } catch {
    throw new ParcelgateError('keys.invalid', 'publicKey is not an Ed25519 SPKI PEM key');
  }
  const raw = /^[A-Za-z0-9+/]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : Buffer.alloc(0);
  if (raw.length !== 32)
    throw new ParcelgateError(
      'keys.invalid',
      'publicKey must be 32 raw Ed25519 bytes in base64, or an SPKI PEM',
    );
  return raw.toString('base64');
}

function publicKeyObject(rawBase64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(rawBase64, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}

/** A new key pair: the raw public key (base64) to register and the private key (PKCS#8 PEM) to keep. */
export function generateSigningKeyPair(): { publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey: der.subarray(SPKI_PREFIX.length).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Signs a payload for a purpose with a PKCS#8 PEM (or KeyObject) private key; returns base64. */
export function signPayload(privateKey: string | KeyObject, purpose: string, payload: string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign(null, signingInput(purpose, payload), key).toString('base64');
}

/** Verifies a signature against a raw base64 public key; false for any malformed input. */
export function verifyPayload(
  publicKey: string,
  purpose: string,
  payload: string,
  signature: string,
): boolean {
  try {
    const sig = Buffer.from(signature, 'base64');
    if (sig.length !== 64 || sig.toString('base64') !== signature) return false;
    return verify(null, signingInput(purpose, payload), publicKeyObject(publicKey), sig);
  } catch {
    return false;
  }
}

/** Registers a public key for an operator. Throws keys.invalid, keys.invalid-purpose or keys.exists. */
export async function registerSigningKey(
  store: ExchangeStore,
  k: { operatorId: string; publicKey: string; purposes: string[]; keyId?: string },
  now: string,
): Promise<SigningKey> {
  if (k.purposes.length === 0)
    throw new ParcelgateError(
      'keys.invalid-purpose',
      `purposes must name at least one of ${signingPurposes.join(', ')}`,
    );
  for (const p of k.purposes)
    if (!(signingPurposes as readonly string[]).includes(p))
      throw new ParcelgateError(
        'keys.invalid-purpose',
        `unknown purpose ${JSON.stringify(p)}; use ${signingPurposes.join(', ')}`,
      );
  const key: SigningKey = {
    keyId: k.keyId ?? `key_${randomBytes(8).toString('hex')}`,
    operatorId: k.operatorId,
    purposes: [...new Set(k.purposes)],
    publicKey: normalisePublicKey(k.publicKey),
    registeredAt: now,
    revokedAt: null,
  };
  await store.addSigningKey(key);
  return key;
}

/**
 * Checks an envelope: the key exists, was not revoked at `at`, belongs to `submitterId`, may sign
 * `purpose`, and the signature verifies. Returns issues (empty = verified).
 */
export async function verifyEnvelope(
  store: ExchangeStore,
  env: SignedEnvelope,
  purpose: string,
  submitterId: string,
  at: string,
): Promise<ValidationIssue[]> {
  const key = await store.getSigningKey(env.keyId);
  const issue = (code: string, path: string, message: string): ValidationIssue[] => [{ code, path, message }];
  if (key === undefined)
    return issue('signature.unknown-key', '/keyId', `no signing key ${env.keyId} is registered`);
  if (key.revokedAt !== null && key.revokedAt <= at)
    return issue('signature.revoked-key', '/keyId', `key ${env.keyId} was revoked at ${key.revokedAt}`);
  if (key.operatorId !== submitterId)
    return issue(
      'signature.wrong-operator',
      '/keyId',
      `key ${env.keyId} belongs to ${key.operatorId}, not to the submitter ${submitterId}`,
    );
  if (!key.purposes.includes(purpose))
    return issue(
      'signature.wrong-purpose',
      '/keyId',
      `key ${env.keyId} may sign ${key.purposes.join(', ')}, not ${purpose}`,
    );
  if (!verifyPayload(key.publicKey, purpose, env.payload, env.signature))
    return issue('signature.invalid', '/signature', `the signature does not verify with key ${env.keyId}`);
  return [];
}
