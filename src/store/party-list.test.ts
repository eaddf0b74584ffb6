/** The party list reads index ranges only: the contributor rows by primary key, consignments by id. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteSchemaSql } from './sqlite/migrations.js';
import { partyListSql } from './party-list.js';
import { filterExpression, type FilterName } from './sqlite/list-query.js';

test("a submitter's list reads its contributor rows by primary key and joins consignments by id, on SQLite", () => {
  const db = new Database(':memory:');
  db.exec(sqliteSchemaSql);
  for (const [columns, paged] of [
    [[], false],
    [[], true],
    [['lane'], true],
    [['state', 'office'], false],
    [['shownLane'], true],
  ] as [FilterName[], boolean][]) {
    const sql = partyListSql(
      'id',
      columns.map((name) => (prefix: string) => filterExpression(name, prefix)),
      paged,
      (n) => `@${n}`,
    );
    const params: Record<string, string | number> = { party: 'p', lim: 5 };
    columns.forEach((_, i) => (params[`f${i}`] = 'x'));
    if (paged) Object.assign(params, { after_at: 'a', after_id: 'b' });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
      .map((r) => r.detail)
      .join('; ');
    assert.match(plan, /SEARCH p USING PRIMARY KEY \(submitter_id=\?/, plan);
    assert.match(plan, /SEARCH c USING INDEX sqlite_autoindex_consignments_1 \(id=\?\)/, plan);
    assert.doesNotMatch(plan, /SCAN (consignments|consignment_contributors|c|p)\b(?! USING)/, plan);
  }
  db.close();
});
