/**
 * API keys: `pgk_<id>_<secret>`. The id (public) finds the row; the 256-bit secret is stored only as
 * its SHA-256 and compared in constant time. Keys are created, rotated (old key kept for an overlap
 * window) and revoked; every change goes to the audit log.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ParcelgateError } from '../domain/index.js';
import type { ApiKeyRecord, SecurityStore } from '../secstore/index.js';
import { isRole, roles, type Role } from './roles.js';

const keyPattern = /^pgk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** Hex SHA-256 of a key secret. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Splits a presented key into id and secret, or undefined when it is not a well-formed key. */
export function parseKey(presented: string): { id: string; secret: string } | undefined {
  const m = keyPattern.exec(presented);
  return m ? { id: `key_${m[1]}`, secret: m[2]! } : undefined;
}

/** A fresh key: the record to store and the one-time plaintext to hand to the operator. */
export function mintKey(opts: {
  role: Role;
  operatorId: string;
  label?: string;
  createdBy: string;
  now: string;
  expiresAt?: string | null;
}): { record: ApiKeyRecord; plaintext: string } {
  const idPart = randomBytes(10).toString('hex').slice(0, 16);
  const secret = randomBytes(32).toString('base64url');
  return {
    plaintext: `pgk_${idPart}_${secret}`,
    record: {
      id: `key_${idPart}`,
      label: opts.label ?? `${opts.role} ${opts.operatorId}`,
      role: opts.role,
      operatorId: opts.operatorId,
      secretHash: hashSecret(secret),
      createdAt: opts.now,
      createdBy: opts.createdBy,
      expiresAt: opts.expiresAt ?? null,
      revokedAt: null,
      rotatedTo: null,
    },
  };
}

/** Whether a stored key is usable at `now`. */
export const keyActive = (k: ApiKeyRecord, now: string): boolean =>
  k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now);

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks a role name, with a clear error. */
export function checkRole(role: string): Role {
  if (!isRole(role))
    throw new ParcelgateError(
      'access.unknown-role',
      `unknown role '${role}'; one of ${roles.join(', ')}`,
      400,
    );
  return role;
}

/**
 * Refuses an expiry that is not in the future (a key born expired is useless and looks issued):
 * `request.invalid` with an issue at `/expiresAt`, as `POST /v1/api-keys` and `keys create` answer.
 */
export function checkKeyExpiry(expiresAt: string | null | undefined, now: Date): void {
  if (expiresAt === undefined || expiresAt === null) return;
  if (Date.parse(expiresAt) > now.getTime()) return;
  throw new ParcelgateError(
    'request.invalid',
    `expiresAt must be in the future, got ${expiresAt} (now ${now.toISOString()})`,
    400,
    { issues: [{ code: 'schema.minimum', path: '/expiresAt', message: 'must be in the future' }] },
  );
}

/** Key lifecycle on a security store; each change is audited through `audit`. */
export class KeyManager {
  constructor(
    private readonly store: SecurityStore,
    private readonly audit: (
      action: string,
      subject: string,
      actor: string,
      data: Record<string, unknown>,
    ) => Promise<void>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(opts: {
    role: string;
    operatorId: string;
    label?: string;
    actor: string;
    expiresAt?: string | null;
  }): Promise<{ record: ApiKeyRecord; plaintext: string }> {
    const role = checkRole(opts.role);
    checkKeyExpiry(opts.expiresAt, this.clock());
    if (!/^[A-Za-z0-9:._@-]{1,80}$/.test(opts.operatorId))
      throw new ParcelgateError(
        'access.invalid-operator',
        `operator id '${opts.operatorId}' must be 1-80 characters of letters, digits and :._@-`,
        400,
      );
    const minted = mintKey({
      role,
      operatorId: opts.operatorId,
      createdBy: opts.actor,
      now: this.clock().toISOString(),
      ...(opts.label ? { label: opts.label } : {}),
      ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
    });
    await this.store.insertKey(minted.record);
    await this.audit('key.created', minted.record.id, opts.actor, {
      role,
      operatorId: opts.operatorId,
      label: minted.record.label,
    });
    return minted;
  }

  private async mustGet(id: string): Promise<ApiKeyRecord> {
    const k = await this.store.getKey(id);
    if (!k) throw new ParcelgateError('access.key-not-found', `no API key ${id}`, 404);
    return k;
  }

  /**
   * Replaces a key by a new one with the same role and operator; the old key keeps working for
   * `overlapSeconds` (default one day) so clients can switch without downtime.
   */
  async rotate(
    id: string,
    actor: string,
    overlapSeconds = 86_400,
  ): Promise<{ record: ApiKeyRecord; plaintext: string; oldExpiresAt: string }> {
    const old = await this.mustGet(id);
    const now = this.clock();
    if (!keyActive(old, now.toISOString()))
      throw new ParcelgateError('access.key-inactive', `API key ${id} is revoked or expired`, 409);
    const minted = mintKey({
      role: checkRole(old.role),
      operatorId: old.operatorId,
      label: old.label,
      createdBy: actor,
      now: now.toISOString(),
    });
    const until = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
    await this.store.insertKey(minted.record);
    const expiresAt = old.expiresAt !== null && old.expiresAt < until ? old.expiresAt : until;
    await this.store.updateKey(id, { expiresAt, rotatedTo: minted.record.id });
    await this.audit('key.rotated', id, actor, { newKey: minted.record.id, oldExpiresAt: expiresAt });
    return { ...minted, oldExpiresAt: expiresAt };
  }

  /** Revokes a key at once. */
  async revoke(id: string, actor: string, reason?: string): Promise<ApiKeyRecord> {
    const k = await this.mustGet(id);
    if (k.revokedAt !== null) return k;
    const at = this.clock().toISOString();
    await this.store.updateKey(id, { revokedAt: at });
    await this.audit('key.revoked', id, actor, reason ? { reason } : {});
    return { ...k, revokedAt: at };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.store.listKeys();
  }
}
