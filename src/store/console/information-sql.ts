/**
 * Migration 63 (both stores): `information_answers`, candidates for the work queue's "answered" mark
 * (docs/information-requests.md). A row is written before an answer's transaction and removed after an
 * officer's decision takes the consignment out of `held-for-information`; whether it is answered
 * *now* (held for information, its last answer after its last request) is always read from the event
 * log (`answeredRowSql`, `answeredCountSql`), so a row left behind (a refused answer, a parcel that
 * arrived) is harmless, and the table only narrows the filter to the consignments recently answered.
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

/**
 * The statement that removes a candidate (`?`/`$1` placeholder: id), unless the consignment has an open
 * request again by the time it runs (a late removal then leaves the note of a newer answer alone): it
 * is then queued held for information, or arrived (migration 64 queues an arrived consignment only
 * while its request is open).
 */
export const forgetAnswerSql = (p1: string): string =>
  `DELETE FROM information_answers WHERE consignment_id = ${p1}
   AND NOT EXISTS (SELECT 1 FROM work_queue w
     WHERE w.consignment_id = information_answers.consignment_id
       AND w.state IN ('held-for-information', 'arrived'))`;
