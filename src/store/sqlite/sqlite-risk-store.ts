/** The SQLite adapter of the risk store port: its own connection to the clearance database file. */
import Database from 'better-sqlite3';
import type { ConsigneeParcelRow, OutcomeRow, PartyRecord, RiskStore, RuleSetRecord } from '../risk-port.js';

import { cleanFindingsSql } from '../../risk/findings.js';
import { type SqliteStoreOptions } from './sqlite-store.js';
import { openMigratedDatabase } from './sqlite-store.js';

interface RuleSetDbRow {
  id: string;
  version: number;
  document: string;
  loadedAt: string;
  loadedBy: string;
  activatedAt: string | null;
  active: number;
}

interface OutcomeDbRow {
  consignmentId: string;
  finding: string;
  at: string;
  officer: string;
  ruleIds: string;
  random: number;
  consigneeKey: string | null;
  sellerKey: string | null;
}

const ruleSetColumns = `r.id, r.version, r.document, r.loaded_at AS loadedAt, r.loaded_by AS loadedBy,
  r.activated_at AS activatedAt, (a.id IS NOT NULL) AS active
  FROM risk_rule_sets r LEFT JOIN risk_active_rule_set a ON a.id = r.id AND a.version = r.version`;

const toRuleSet = (r: RuleSetDbRow): RuleSetRecord => ({
  id: r.id,
  version: r.version,
  document: JSON.parse(r.document) as unknown,
  loadedAt: r.loadedAt,
  loadedBy: r.loadedBy,
  active: r.active === 1,
  activatedAt: r.activatedAt,
});

const outcomeColumns = `consignment_id AS consignmentId, finding, at, officer, rule_ids AS ruleIds, random,
  consignee_key AS consigneeKey, seller_key AS sellerKey`;
// Only a consignment's latest outcome counts (a corrected finding replaces the first; a repeat counts once).
const latestOutcomes = 'SELECT max(seq) FROM risk_outcomes GROUP BY consignment_id';

const toOutcome = (r: OutcomeDbRow): OutcomeRow => ({
  consignmentId: r.consignmentId,
  finding: r.finding,
  at: r.at,
  officer: r.officer,
  ruleIds: JSON.parse(r.ruleIds) as string[],
  random: r.random === 1,
  consigneeKey: r.consigneeKey,
  sellerKey: r.sellerKey,
});

/** Opens the risk store on the same database as `openSqliteStore` with the same options (migrating it). */
export function openSqliteRiskStore(opts: SqliteStoreOptions): RiskStore {
  const db = openMigratedDatabase(opts);
  const q = {
    insertRuleSet: db.prepare(
      'INSERT OR IGNORE INTO risk_rule_sets (id, version, document, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?)',
    ),
    ruleSetDoc: db.prepare('SELECT document FROM risk_rule_sets WHERE id = ? AND version = ?').pluck(),
    ruleSets: db.prepare(`SELECT ${ruleSetColumns} ORDER BY r.loaded_at DESC, r.id, r.version DESC`),
    ruleSet: db.prepare(`SELECT ${ruleSetColumns} WHERE r.id = ? AND r.version = ?`),
    active: db.prepare(`SELECT ${ruleSetColumns} WHERE a.id IS NOT NULL`),
    markActivated: db.prepare('UPDATE risk_rule_sets SET activated_at = ? WHERE id = ? AND version = ?'),
    setActive: db.prepare(
      'INSERT INTO risk_active_rule_set (slot, id, version) VALUES (1, ?, ?) ON CONFLICT (slot) DO UPDATE SET id = excluded.id, version = excluded.version',
    ),
    upsertParcel: db.prepare(
      `INSERT INTO risk_consignee_parcels (consignment_id, consignee_key, seller_key, value_eur, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (consignment_id) DO UPDATE SET consignee_key = excluded.consignee_key,
       seller_key = excluded.seller_key, value_eur = excluded.value_eur, at = excluded.at`,
    ),
    parcelsSince: db.prepare(
      `SELECT consignment_id AS consignmentId, consignee_key AS consigneeKey, seller_key AS sellerKey,
       value_eur AS valueEur, at FROM risk_consignee_parcels WHERE at >= ? ORDER BY at, consignment_id`,
    ),
    parcelsOf: db.prepare(
      `SELECT consignment_id AS consignmentId, consignee_key AS consigneeKey, seller_key AS sellerKey,
       value_eur AS valueEur, at FROM risk_consignee_parcels
       WHERE consignee_key IN (SELECT value FROM json_each(?)) AND at >= ? ORDER BY at, consignment_id`,
    ),
    forget: db.prepare('DELETE FROM risk_consignee_parcels WHERE at < ?'),
    insertOutcome: db.prepare(
      `INSERT INTO risk_outcomes (consignment_id, finding, at, officer, rule_ids, random, consignee_key, seller_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    outcomes: db.prepare(
      `SELECT ${outcomeColumns} FROM risk_outcomes
       WHERE seq IN (${latestOutcomes}) AND at >= ? ORDER BY seq`,
    ),
    latestOutcome: db.prepare(
      `SELECT ${outcomeColumns} FROM risk_outcomes WHERE consignment_id = ? ORDER BY seq DESC LIMIT 1`,
    ),
    party: (column: 'consignee_key' | 'seller_key') =>
      db.prepare(
        `SELECT ${column} AS k, count(*) AS inspections, sum(finding NOT IN (${cleanFindingsSql})) AS findings
         FROM risk_outcomes WHERE ${column} IS NOT NULL AND seq IN (${latestOutcomes}) GROUP BY ${column}`,
      ),
  };
  const recordOutcome = db.transaction((o: OutcomeRow): OutcomeRow | undefined => {
    const previous = q.latestOutcome.get(o.consignmentId) as OutcomeDbRow | undefined;
    q.insertOutcome.run(
      o.consignmentId,
      o.finding,
      o.at,
      o.officer,
      JSON.stringify(o.ruleIds),
      o.random ? 1 : 0,
      o.consigneeKey,
      o.sellerKey,
    );
    return previous === undefined ? undefined : toOutcome(previous);
  });
  const parties = { consignees: q.party('consignee_key'), sellers: q.party('seller_key') };
  const writeParcels = db.transaction((rows: readonly ConsigneeParcelRow[]) => {
    for (const r of rows) q.upsertParcel.run(r.consignmentId, r.consigneeKey, r.sellerKey, r.valueEur, r.at);
  });
  const activate = db.transaction((id: string, version: number, at: string): boolean => {
    if (q.ruleSetDoc.get(id, version) === undefined) return false;
    q.setActive.run(id, version);
    q.markActivated.run(at, id, version);
    return true;
  });
  let closed = false;
  return {
    kind: 'sqlite',
    async saveRuleSet(r) {
      const doc = JSON.stringify(r.document);
      const inserted = q.insertRuleSet.run(r.id, r.version, doc, r.loadedAt, r.loadedBy).changes === 1;
      if (inserted) return 'created';
      return q.ruleSetDoc.get(r.id, r.version) === doc ? 'exists' : 'conflict';
    },
    async ruleSets() {
      return (q.ruleSets.all() as RuleSetDbRow[]).map(toRuleSet);
    },
    async ruleSet(id, version) {
      const row = q.ruleSet.get(id, version) as RuleSetDbRow | undefined;
      return row === undefined ? undefined : toRuleSet(row);
    },
    async activateRuleSet(id, version, at) {
      return activate.immediate(id, version, at);
    },
    async activeRuleSet() {
      const row = q.active.get() as RuleSetDbRow | undefined;
      return row === undefined ? undefined : toRuleSet(row);
    },
    async recordParcels(rows) {
      if (rows.length > 0) writeParcels.immediate(rows);
    },
    async parcelsSince(at) {
      return q.parcelsSince.all(at) as ConsigneeParcelRow[];
    },
    async parcelsOfConsignees(keys, at) {
      if (keys.length === 0) return [];
      return q.parcelsOf.all(JSON.stringify(keys), at) as ConsigneeParcelRow[];
    },
    async forgetParcelsBefore(at) {
      return q.forget.run(at).changes;
    },
    async recordOutcome(o) {
      return recordOutcome.immediate(o);
    },
    async outcomes(since) {
      return (q.outcomes.all(since ?? '') as OutcomeDbRow[]).map(toOutcome);
    },
    async partyHistory() {
      const read = (stmt: Database.Statement) => {
        const m = new Map<string, PartyRecord>();
        for (const r of stmt.all() as { k: string; inspections: number; findings: number }[])
          m.set(r.k, { inspections: r.inspections, findings: r.findings });
        return m;
      };
      return { consignees: read(parties.consignees), sellers: read(parties.sellers) };
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
