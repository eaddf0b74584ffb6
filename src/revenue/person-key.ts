/**
 * The stored form of a person identified by a declared identity number (docs/security.md, personal
 * data): the SHA-256 of `TYPE:VALUE`, never the number itself. The per-person totals (China's yearly
 * limit, Korea's same-day rule) only need "the same person", so the ledger's `person_key` holds this
 * pseudonym, like the hash of name, postcode and country used without an identity number.
 */
import { createHash } from 'node:crypto';

/** The prefix of a pseudonym made from an identity number (`h:` is the name-based hash). */
export const identityPersonKeyPrefix = 'p:';

/** The person key of an identity number already normalised as `TYPE:VALUE` (what migration 14 rewrites). */
export function identityPersonKey(typeAndValue: string): string {
  return `${identityPersonKeyPrefix}${createHash('sha256').update(typeAndValue).digest('hex').slice(0, 32)}`;
}
