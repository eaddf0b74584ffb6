/**
 * The start-up check of the pseudonym key (docs/security.md, "Pseudonyms"): every process that writes
 * or reads pseudonyms of a database must hold the key they were made with, or per-person totals and
 * party histories would silently split. The database records the key's fingerprint (`id:check`, an
 * HMAC of a fixed text, which reveals nothing of the key) in `settings` `pseudonym.key`:
 *
 * - a PostgreSQL database (several processes, a production deployment), or a server listening on an
 *   address other than loopback, needs `PARCELGATE_PSEUDONYM_KEY`: the built-in development key is
 *   refused (`privacy.pseudonym-key-missing`);
 * - a database without a recorded key records the process's (the first process to start claims it);
 * - a database marked `unkeyed` by migration 15 (pseudonyms from before they were keyed) and one
 *   recording another key are refused until re-keyed (`privacy.pseudonym-key-mismatch`);
 * - a database marked by migration 82 (consignee pseudonyms made without the street, basis version 1,
 *   src/risk/split-shipment.ts) is refused until re-keyed, with the same code.
 */
import { ParcelgateError } from '../domain/index.js';
import {
  devPseudonymKeyId,
  pseudonymKeySetting,
  pseudonymKeyVariable,
  pseudonyms,
  type Pseudonymiser,
} from './pseudonym.js';
import { consigneeBasisSetting, unkeyedMarker, type PseudonymRows } from './pseudonym-rows.js';

const loopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Why the development key is not enough here, or undefined when it is (embedded store, loopback). */
export function devKeyRefusal(opts: { postgres: boolean; host?: string | undefined }): string | undefined {
  if (opts.postgres) return 'a PostgreSQL database';
  if (opts.host !== undefined && !loopback(opts.host)) return `a server on ${opts.host}`;
  return undefined;
}

/**
 * Checks the process's pseudonymiser against the database (recording it on a database without one).
 * Throws a `ParcelgateError` whose message says what to do.
 */
export async function checkPseudonymKey(
  rows: Pick<PseudonymRows, 'getSetting' | 'initSetting'>,
  opts: { postgres: boolean; host?: string | undefined },
  p: Pseudonymiser = pseudonyms(),
): Promise<void> {
  const where = p.dev ? devKeyRefusal(opts) : undefined;
  if (where !== undefined)
    throw new ParcelgateError(
      'privacy.pseudonym-key-missing',
      `${pseudonymKeyVariable} is not set: ${where} needs a secret pseudonym key (the built-in '${devPseudonymKeyId}' key is public, for the demo and development only). Create one with \`parcelgate privacy new-pseudonym-key <id>\` and keep it with the data keys`,
      500,
    );
  const stored =
    (await rows.getSetting(pseudonymKeySetting)) ??
    (await rows.initSetting(pseudonymKeySetting, p.fingerprint));
  const rekey =
    'stop every parcelgate process of this database and run `parcelgate privacy rekey-pseudonyms` with the key to use';
  if (stored === p.fingerprint) {
    if ((await rows.getSetting(consigneeBasisSetting)) === undefined) return;
    throw new ParcelgateError(
      'privacy.pseudonym-key-mismatch',
      `this database's consignee pseudonyms were made from the name, postcode and country only (before the street was part of a consignee's key): ${rekey}`,
      500,
    );
  }
  if (stored === unkeyedMarker)
    throw new ParcelgateError(
      'privacy.pseudonym-key-mismatch',
      `this database holds person and party pseudonyms made without a key (before keyed pseudonyms): ${rekey}`,
      500,
    );
  const storedId = stored.slice(0, stored.lastIndexOf(':'));
  throw new ParcelgateError(
    'privacy.pseudonym-key-mismatch',
    storedId === p.id
      ? `the pseudonym key '${p.id}' of ${pseudonymKeyVariable} is not the key '${storedId}' this database's pseudonyms were made with (same id, other secret): set the right key, or ${rekey}`
      : `this database's pseudonyms are under the key '${storedId}', this process holds '${p.id}': set ${pseudonymKeyVariable} to that key, or ${rekey}`,
    500,
  );
}
