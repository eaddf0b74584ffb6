/**
 * The pseudonym key on the command line (docs/security.md, "Pseudonyms"): the start-up check of the
 * commands that write or read pseudonyms, `privacy rekey-pseudonyms` and `privacy new-pseudonym-key`.
 */
import { AuditLog } from '../audit/index.js';
import {
  checkPseudonymKey,
  devKeyRefusal,
  encryptingStore,
  keyringFromEnv,
  newPseudonymKey,
  openPgPseudonymRows,
  openSqlitePseudonymRows,
  parsePseudonymKey,
  Pseudonymiser,
  pseudonymiserFromEnv,
  pseudonyms,
  pseudonymKeySetting,
  rekeyPseudonyms,
  usePseudonymiser,
  type PseudonymRows,
} from '../privacy/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { cliActor, openSecurity, type StoreTarget } from './commands-security.js';
import { UsageError, requireDatabase } from './io.js';

/** The previous key during a rotation (optional): the re-key checks stored keys against it. */
export const previousPseudonymKeyVariable = 'PARCELGATE_PSEUDONYM_KEY_PREVIOUS';

const openRows = async (t: StoreTarget): Promise<PseudonymRows> =>
  t.postgres ? openPgPseudonymRows({ url: t.postgres }) : openSqlitePseudonymRows({ dataDir: t.dataDir });

/** Settings that are never reached: only the missing-key refusal of `checkPseudonymKey` runs on them. */
const refusingRows = {
  getSetting: async (name: string) => (name === pseudonymKeySetting ? pseudonyms().fingerprint : undefined),
  initSetting: async () => pseudonyms().fingerprint,
};

/** Sets the process's pseudonymiser from `PARCELGATE_PSEUDONYM_KEY` (the development key when unset). */
export function usePseudonymKeyFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  usePseudonymiser(pseudonymiserFromEnv(env));
}

/**
 * The start-up check of `serve`, `demo` and `ingest`: the process's key is allowed here and is the
 * one the database's pseudonyms are under (src/privacy/pseudonym-guard.ts); throws with what to do.
 */
export async function guardPseudonymKey(t: StoreTarget, host?: string): Promise<void> {
  // A missing key is refused before the database is opened.
  await checkPseudonymKey(refusingRows, { postgres: t.postgres !== undefined, host });
  const rows = await openRows(t);
  try {
    await checkPseudonymKey(rows, { postgres: t.postgres !== undefined, host });
  } finally {
    await rows.close();
  }
}

/**
 * `privacy rekey-pseudonyms`: re-keys every stored pseudonym under `PARCELGATE_PSEUDONYM_KEY` from
 * the data still held (identity numbers decrypted with `PARCELGATE_DATA_KEYS`), records the key and
 * writes a `pseudonyms.rekeyed` audit entry. Every parcelgate process of the database must be stopped.
 */
export async function rekeyPseudonymsCommand(o: StoreTarget): Promise<void> {
  if (!o.postgres) requireDatabase(o.dataDir);
  const to = pseudonymiserFromEnv();
  const refusal = to.dev ? devKeyRefusal({ postgres: o.postgres !== undefined }) : undefined;
  if (refusal !== undefined)
    throw new UsageError(`PARCELGATE_PSEUDONYM_KEY is not set: ${refusal} needs a secret pseudonym key`);
  const prevText = process.env[previousPseudonymKeyVariable];
  const previous = prevText ? new Pseudonymiser(parsePseudonymKey(prevText)) : undefined;
  let store: ClearanceStore = o.postgres
    ? await openPostgresStore({ url: o.postgres })
    : openSqliteStore({ dataDir: o.dataDir });
  const ring = keyringFromEnv();
  if (ring) store = encryptingStore(store, ring);
  const rows = await openRows(o);
  try {
    const report = await rekeyPseudonyms(rows, async (id) => (await store.get(id))?.merged, to, {
      ...(previous ? { previous } : {}),
    });
    const security = await openSecurity(o);
    try {
      await new AuditLog(security).record({
        actor: cliActor(),
        action: 'pseudonyms.rekeyed',
        subject: `pseudonym-key:${to.id}`,
        data: { ...report },
      });
    } finally {
      await security.close();
    }
    usePseudonymiser(to);
    process.stdout.write(JSON.stringify(report) + '\n');
  } finally {
    await rows.close();
    await store.close();
  }
}

/** `privacy new-pseudonym-key <id>`: prints a fresh key for PARCELGATE_PSEUDONYM_KEY. */
export function newPseudonymKeyCommand(id: string): void {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || id === 'dev')
    throw new UsageError(`key id must be 1-32 of A-Z a-z 0-9 _ - (not 'dev'), got '${id}'`);
  process.stdout.write(newPseudonymKey(id) + '\n');
}
