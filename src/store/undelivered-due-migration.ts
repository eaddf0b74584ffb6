/**
 * Migration 83 (both stores): nothing is due at the border for a parcel that will never be delivered
 * (seized, returned, abandoned; `dueAtBorderIn` in src/domain/clearance-state.ts). Rows written before
 * the list column followed that rule kept the assessed amount; this sets them to zero in the amount's
 * places, in `consignments` (list, work queue) and in `kpi_facts` (the revenue KPI). The documents keep
 * the assessment as it was made.
 */

/** Version and name of the migration. */
export const undeliveredDueMigration = { version: 83, name: 'undelivered-due-zero' } as const;

const undelivered = `('seized', 'returned', 'abandoned')`;

/** The statements, given the dialect's zero in the places of `column` (e.g. '51.08' -> '0.00'). */
const sql = (zero: (column: string) => string) => `
UPDATE consignments SET due_at_border = ${zero('due_at_border')}
  WHERE state IN ${undelivered} AND due_at_border <> ${zero('due_at_border')};
UPDATE kpi_facts SET due_at_border = ${zero('due_at_border')}
  WHERE due_at_border <> ${zero('due_at_border')}
    AND consignment_id IN (SELECT id FROM consignments WHERE state IN ${undelivered});
`;

/** SQLite (no repeat(): amounts have at most a few decimal places). */
export const undeliveredDueSqliteSql = sql(
  (c) =>
    `(CASE WHEN instr(${c}, '.') > 0 THEN '0.' || substr('000000000000', 1, length(${c}) - instr(${c}, '.')) ELSE '0' END)`,
);

/** PostgreSQL. */
export const undeliveredDuePgSql = sql(
  (c) =>
    `(CASE WHEN position('.' in ${c}) > 0 THEN '0.' || repeat('0', length(${c}) - position('.' in ${c})) ELSE '0' END)`,
);
