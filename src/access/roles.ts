/** Roles and the principal a request acts as. */

/**
 * The roles. `submitter` is the operator role (postal operator, carrier, platform): it submits data
 * and reads only its own consignments. The others are customs staff and system roles.
 */
export const roles = ['submitter', 'officer', 'supervisor', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Whether a string names a role. */
export const isRole = (s: string): s is Role => (roles as readonly string[]).includes(s);

/** Who a request acts as. */
export interface Principal {
  /** Attributed actor, e.g. `opr:postnl` or `officer:jdoe`, recorded on events and audit entries. */
  actor: string;
  role: Role | null;
  /** The operator id (submitter id) or staff user id of the key. */
  operatorId: string | null;
  /** The key that authenticated the request (absent in open mode). */
  keyId?: string;
  /** How the request authenticated. */
  via: 'open' | 'key' | 'session';
}
