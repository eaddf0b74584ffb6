/**
 * The stored form of a person identified by a declared identity number (docs/security.md, personal
 * data): a keyed pseudonym, HMAC-SHA-256 under the deployment's pseudonym key of `TYPE:VALUE`
 * (src/privacy/pseudonym.ts), never the number itself nor an unkeyed hash of it. The per-person totals
 * (China's yearly limit, Korea's same-day rule) only need "the same person", so the ledger's
 * `person_key` holds this pseudonym, like the keyed hash of name, postcode and country used without
 * an identity number.
 */
import { createHash } from 'node:crypto';
import { identityPseudonym } from '../privacy/pseudonym.js';

/** The prefix of a pseudonym made from an identity number (`h:` is the name-based one). */
export const identityPersonKeyPrefix = 'p:';

/** The person key of an identity number already normalised as `TYPE:VALUE`, under the process's key. */
export function identityPersonKey(typeAndValue: string): string {
  return identityPseudonym(typeAndValue);
}

/**
 * The unkeyed form migration 14 wrote (`p:` + 128 bits of SHA-256): kept only so that migration
 * rewrites clear numbers of an old database as it always did; `parcelgate privacy rekey-pseudonyms`
 * then re-keys them from the consignments (src/privacy/rekey-pseudonyms.ts).
 */
export function unkeyedIdentityPersonKey(typeAndValue: string): string {
  return `${identityPersonKeyPrefix}${createHash('sha256').update(typeAndValue).digest('hex').slice(0, 32)}`;
}
