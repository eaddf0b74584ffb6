/**
 * Signed sessions for console users: a user exchanges an API key for a short-lived token
 * `pgs.<payload>.<hmac>` (HMAC-SHA256 with a secret shared by all processes through the settings
 * table). A session is only as good as its key: revoking the key ends its sessions.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a session token carries. */
export interface SessionClaims {
  keyId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Random id (so two sessions of one key differ). */
  sid: string;
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** Signs claims into a token. */
export function signSession(claims: SessionClaims, secret: Buffer): string {
  const payload = b64(JSON.stringify(claims));
  const mac = createHmac('sha256', secret).update(payload).digest('base64url');
  return `pgs.${payload}.${mac}`;
}

/** Verifies a token's signature and expiry; undefined when forged, malformed or expired. */
export function verifySession(token: string, secret: Buffer, nowMs: number): SessionClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'pgs') return undefined;
  const expected = createHmac('sha256', secret).update(parts[1]!).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const c = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as SessionClaims;
    if (typeof c.keyId !== 'string' || typeof c.exp !== 'number') return undefined;
    return c.exp * 1000 > nowMs ? c : undefined;
  } catch {
    return undefined;
  }
}

/** A fresh session id. */
export const newSessionId = (): string => randomBytes(9).toString('base64url');
