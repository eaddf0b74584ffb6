/** Re-encrypts every stored identity number under the current data key (after a key rotation). */
import type { DocumentRewriter } from '../secstore/index.js';
import { mapIdentityNumbers } from './fields.js';
import { decryptValue, encryptValue, isEncrypted, keyIdOf, type Keyring } from './keyring.js';

/**
 * Rewrites documents whose identity numbers are plain or under an older key. When it has finished,
 * older keys can be removed from the keyring. Resolves with counts.
 */
export async function rekeyPersonalData(
  store: DocumentRewriter,
  ring: Keyring,
): Promise<{ scanned: number; changed: number }> {
  return store.rewriteDocuments({}, (_table, text) => {
    if (!text.includes('"id"')) return undefined;
    const doc = JSON.parse(text) as unknown;
    const n = mapIdentityNumbers(doc, (v) =>
      isEncrypted(v) && keyIdOf(v) === ring.current ? v : encryptValue(ring, decryptValue(ring, v)),
    );
    return n > 0 ? JSON.stringify(doc) : undefined;
  });
}
