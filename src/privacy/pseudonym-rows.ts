/**
 * The stored pseudonyms, by kind, on both stores: what the start-up check (src/privacy/pseudonym-guard.ts)
 * and the re-key (src/privacy/rekey-pseudonyms.ts) read and rewrite.
 *
 * | kind | where |
 * |---|---|
 * | `person` | `revenue_person_imports.person_key` (`p:` identity number, `h:` name, postcode, country) |
 * | `consignee` | `risk_consignee_parcels.consignee_key`, `risk_outcomes.consignee_key` (`c:`) |
 * | `seller` | `risk_consignee_parcels.seller_key`, `risk_outcomes.seller_key` (`s:`) |
 */
import pg from 'pg';
import { inTransaction, openMigratedPool } from '../store/postgres/pool.js';
import { openMigratedDatabase } from '../store/sqlite/sqlite-store.js';
import { pseudonymKeySetting } from './pseudonym.js';
import {
  allPseudonymColumns as allColumns,
  consigneeBasisSetting,
  pseudonymColumns,
  type PseudonymKind,
} from '../store/pseudonym-marker.js';

export {
  consigneeBasisSetting,
  pseudonymColumns,
  unkeyedMarker,
  type PseudonymKind,
} from '../store/pseudonym-marker.js';

/** One stored pseudonym and a consignment it belongs to. */
export interface PseudonymRow {
  key: string;
  consignmentId: string;
}

/** The new key of one consignment's rows under one old key. */
export interface RowRekey {
  old: string;
  consignmentId: string;
  new: string;
}

/** Reading and rewriting stored pseudonyms (one connection of its own). */
export interface PseudonymRows {
  /** Whether any table holds a pseudonym. */
  holdsPseudonyms(): Promise<boolean>;
  getSetting(name: string): Promise<string | undefined>;
  /** Sets a setting only if unset; returns the value in force. */
  initSetting(name: string, value: string): Promise<string>;
  /** Distinct (key, consignment) pairs of a kind, over all its columns, ordered, after `after`. */
  page(kind: PseudonymKind, after: PseudonymRow | null, limit: number): Promise<PseudonymRow[]>;
  /**
   * Replaces keys in every column of the kind: first the rows of one consignment (`rowMaps`: the rows
   * of `consignmentId` under `old` get `new`), then every row still under an old key (`maps`, old ->
   * new); sets the `pseudonym.key` setting to `fingerprint` and removes the consignee-basis mark
   * (migration 82), in one transaction. Resolves with the rows changed.
   */
  apply(
    maps: ReadonlyMap<PseudonymKind, ReadonlyMap<string, string>>,
    fingerprint: string,
    rowMaps?: ReadonlyMap<PseudonymKind, readonly RowRekey[]>,
  ): Promise<number>;
  close(): Promise<void>;
}

/** Opens the stored pseudonyms of a SQLite data directory. */
export function openSqlitePseudonymRows(opts: { dataDir: string }): PseudonymRows {
  const db = openMigratedDatabase(opts);
  const unionOf = (kind: PseudonymKind) =>
    pseudonymColumns[kind]
      .map(([t, c]) => `SELECT ${c} AS key, consignment_id AS consignmentId FROM ${t} WHERE ${c} IS NOT NULL`)
      .join(' UNION ');
  return {
    async holdsPseudonyms() {
      return allColumns.some(
        ([t, c]) => db.prepare(`SELECT 1 FROM ${t} WHERE ${c} IS NOT NULL LIMIT 1`).get() !== undefined,
      );
    },
    async getSetting(name) {
      const r = db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as
        { value: string } | undefined;
      return r?.value;
    },
    async initSetting(name, value) {
      db.prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)').run(name, value);
      return (await this.getSetting(name))!;
    },
    async page(kind, after, limit) {
      return db
        .prepare(
          `SELECT key, consignmentId FROM (${unionOf(kind)}) WHERE (key, consignmentId) > (?, ?)
           ORDER BY key, consignmentId LIMIT ?`,
        )
        .all(after?.key ?? '', after?.consignmentId ?? '', limit) as PseudonymRow[];
    },
    async apply(maps, fingerprint, rowMaps) {
      let changed = 0;
      db.transaction(() => {
        for (const [kind, list] of rowMaps ?? []) {
          if (list.length === 0) continue;
          db.exec(
            'CREATE TEMP TABLE IF NOT EXISTS pseudonym_row_map (old TEXT NOT NULL, id TEXT NOT NULL, new TEXT NOT NULL, PRIMARY KEY (old, id))',
          );
          db.exec('DELETE FROM pseudonym_row_map');
          const put = db.prepare('INSERT INTO pseudonym_row_map (old, id, new) VALUES (?, ?, ?)');
          for (const r of list) if (r.old !== r.new) put.run(r.old, r.consignmentId, r.new);
          for (const [t, c] of pseudonymColumns[kind])
            changed += db
              .prepare(
                `UPDATE ${t} SET ${c} = m.new FROM pseudonym_row_map m WHERE ${t}.${c} = m.old AND ${t}.consignment_id = m.id`,
              )
              .run().changes;
          db.exec('DROP TABLE pseudonym_row_map');
        }
        db.exec('CREATE TEMP TABLE IF NOT EXISTS pseudonym_map (old TEXT PRIMARY KEY, new TEXT NOT NULL)');
        const put = db.prepare('INSERT INTO pseudonym_map (old, new) VALUES (?, ?)');
        for (const [kind, map] of maps) {
          db.exec('DELETE FROM pseudonym_map');
          for (const [o, n] of map) if (o !== n) put.run(o, n);
          for (const [t, c] of pseudonymColumns[kind])
            changed += db
              .prepare(`UPDATE ${t} SET ${c} = m.new FROM pseudonym_map m WHERE ${t}.${c} = m.old`)
              .run().changes;
        }
        db.exec('DROP TABLE pseudonym_map');
        db.prepare(
          'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        ).run(pseudonymKeySetting, fingerprint);
        // Every consignee key is now made from the current basis (with the street).
        db.prepare('DELETE FROM settings WHERE name = ?').run(consigneeBasisSetting);
      }).immediate();
      return changed;
    },
    async close() {
      db.close();
    },
  };
}

/** Opens the stored pseudonyms of a PostgreSQL database (schema: `public` unless given). */
export async function openPgPseudonymRows(opts: { url: string; schema?: string }): Promise<PseudonymRows> {
  const pool: pg.Pool = await openMigratedPool(opts, 2);
  const unionOf = (kind: PseudonymKind) =>
    pseudonymColumns[kind]
      .map(
        ([t, c]) => `SELECT ${c} AS key, consignment_id AS "consignmentId" FROM ${t} WHERE ${c} IS NOT NULL`,
      )
      .join(' UNION ');
  const getSetting = async (name: string) =>
    (await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name])).rows[0]
      ?.value;
  return {
    async holdsPseudonyms() {
      for (const [t, c] of allColumns)
        if ((await pool.query(`SELECT 1 FROM ${t} WHERE ${c} IS NOT NULL LIMIT 1`)).rowCount) return true;
      return false;
    },
    getSetting,
    async initSetting(name, value) {
      await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        value,
      ]);
      return (await getSetting(name))!;
    },
    async page(kind, after, limit) {
      const { rows } = await pool.query<PseudonymRow>(
        `SELECT key, "consignmentId" FROM (${unionOf(kind)}) u
         WHERE (key COLLATE "C", "consignmentId" COLLATE "C") > ($1 COLLATE "C", $2 COLLATE "C")
         ORDER BY key COLLATE "C", "consignmentId" COLLATE "C" LIMIT $3`,
        [after?.key ?? '', after?.consignmentId ?? '', limit],
      );
      return rows;
    },
    async apply(maps, fingerprint, rowMaps) {
      return inTransaction(pool, async (c) => {
        let changed = 0;
        // Every writer of these tables is stopped (docs/security.md); the lock keeps a late one out.
        await c.query(
          `LOCK TABLE ${[...new Set(allColumns.map(([t]) => t))].join(', ')} IN SHARE ROW EXCLUSIVE MODE`,
        );
        for (const [kind, list] of rowMaps ?? []) {
          const moved = list.filter((r) => r.old !== r.new);
          if (moved.length === 0) continue;
          for (const [t, col] of pseudonymColumns[kind]) {
            const r = await c.query(
              `UPDATE ${t} SET ${col} = m.new FROM unnest($1::text[], $2::text[], $3::text[]) AS m (old, id, new)
               WHERE ${t}.${col} = m.old AND ${t}.consignment_id = m.id`,
              [moved.map((x) => x.old), moved.map((x) => x.consignmentId), moved.map((x) => x.new)],
            );
            changed += r.rowCount ?? 0;
          }
        }
        for (const [kind, map] of maps) {
          const olds: string[] = [];
          const news: string[] = [];
          for (const [o, n] of map)
            if (o !== n) {
              olds.push(o);
              news.push(n);
            }
          if (olds.length === 0) continue;
          for (const [t, col] of pseudonymColumns[kind]) {
            const r = await c.query(
              `UPDATE ${t} SET ${col} = m.new FROM unnest($1::text[], $2::text[]) AS m (old, new) WHERE ${t}.${col} = m.old`,
              [olds, news],
            );
            changed += r.rowCount ?? 0;
          }
        }
        await c.query(
          `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
          [pseudonymKeySetting, fingerprint],
        );
        // Every consignee key is now made from the current basis (with the street).
        await c.query('DELETE FROM settings WHERE name = $1', [consigneeBasisSetting]);
        return changed;
      });
    },
    async close() {
      await pool.end();
    },
  };
}
