/**
 * Field-level encryption of personal identity numbers at rest: AES-256-GCM with a random 96-bit IV
 * per value, under a keyring from configuration. A stored value reads `enc:v1:<key id>:<base64
 * iv|tag|ciphertext>`; the key id lets old values be read after the current key changes (rotation),
 * and `parcelgate privacy rekey` re-encrypts them under the current key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ParcelgateError } from '../domain/index.js';

/** Keys by id; `current` encrypts, every key decrypts. */
export interface Keyring {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** The configuration variable: `id:base64key[,id:base64key…]`, the first is current. */
export const dataKeysVariable = 'PARCELGATE_DATA_KEYS';

const prefix = 'enc:v1:';

/**
 * Parses a keyring: comma-separated `id:base64` entries of 32-byte keys, the first being the one
 * that encrypts. Throws `privacy.invalid-keyring` on anything else.
 */
export function parseKeyring(text: string): Keyring {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(part);
    const key = m ? Buffer.from(m[2]!, 'base64') : undefined;
    if (!m || !key || key.length !== 32)
      throw new ParcelgateError(
        'privacy.invalid-keyring',
        `${dataKeysVariable} entry '${part.slice(0, 40)}' is not id:base64 of a 32-byte key`,
        500,
      );
    if (keys.has(m[1]!))
      throw new ParcelgateError(
        'privacy.invalid-keyring',
        `${dataKeysVariable} names key '${m[1]}' twice`,
        500,
      );
    keys.set(m[1]!, key);
    current ??= m[1]!;
  }
  if (current === undefined)
    throw new ParcelgateError('privacy.invalid-keyring', `${dataKeysVariable} holds no key`, 500);
  return { current, keys };
}

/** The keyring from the environment, or undefined when the variable is unset (no encryption). */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const text = env[dataKeysVariable];
  return text === undefined || text === '' ? undefined : parseKeyring(text);
}

/** A fresh key entry for the variable (`id:base64`). */
export const newDataKey = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;

/** Whether a string is an encrypted value. */
export const isEncrypted = (v: string): boolean => v.startsWith(prefix);

/** The key id of an encrypted value. */
export const keyIdOf = (v: string): string => v.slice(prefix.length, v.indexOf(':', prefix.length));

/** Encrypts a value under the current key (an already encrypted value is returned as it is). */
export function encryptValue(ring: Keyring, plain: string): string {
  if (isEncrypted(plain)) return plain;
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', ring.keys.get(ring.current)!, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${prefix}${ring.current}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

/** Decrypts a value (a plain value is returned as it is). Throws when its key is not in the ring. */
export function decryptValue(ring: Keyring, stored: string): string {
  if (!isEncrypted(stored)) return stored;
  const kid = keyIdOf(stored);
  const key = ring.keys.get(kid);
  if (!key)
    throw new ParcelgateError(
      'privacy.key-missing',
      `a value is encrypted with data key '${kid}', not configured`,
      500,
    );
  const raw = Buffer.from(stored.slice(prefix.length + kid.length + 1), 'base64');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
