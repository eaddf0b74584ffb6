/**
 * Migration 63 (both stores): `information_answers`, the consignments that have been given an answer to
 * a request for information (docs/information-requests.md). A row is written before the answer's
 * transaction and never changed; whether the consignment is answered *now* (held for information, its
 * last answer after its last request) is read from the event log (`answeredSql`), so the table only
 * narrows the work queue's "answered" filter to the few consignments ever answered.
 */

/** SQLite DDL of migration 63. */
export const sqliteInformationAnswersSql = `
CREATE TABLE information_answers (
  consignment_id TEXT PRIMARY KEY,
  first_at TEXT NOT NULL
) WITHOUT ROWID;
`;

/** PostgreSQL DDL of migration 63 (ids in the "C" collation, as `work_queue`'s). */
export const pgInformationAnswersSql = `
CREATE TABLE information_answers (
  consignment_id text COLLATE "C" PRIMARY KEY,
  first_at text NOT NULL
);
`;

/** The statement that notes an answer (`?`/`$n` placeholders: id, time); idempotent. */
export const noteAnswerSql = (p1: string, p2: string): string =>
  `INSERT INTO information_answers (consignment_id, first_at) VALUES (${p1}, ${p2})
   ON CONFLICT (consignment_id) DO NOTHING`;
