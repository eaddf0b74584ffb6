/** The PostgreSQL adapter of the risk store port, in the same schema as the clearance store. */
import type { ConsigneeParcelRow, OutcomeRow, PartyRecord, RiskStore, RuleSetRecord } from '../risk-port.js';
import { cleanFindingsSql } from '../../risk/findings.js';
import { inTransaction, openMigratedPool } from './pool.js';

interface RuleSetDbRow {
  id: string;
  version: number;
  document: unknown;
  loadedAt: string;
  loadedBy: string;
  activatedAt: string | null;
  active: boolean;
}

const ruleSetColumns = `r.id, r.version, r.document, r.loaded_at AS "loadedAt", r.loaded_by AS "loadedBy",
  r.activated_at AS "activatedAt", (a.id IS NOT NULL) AS active
  FROM risk_rule_sets r LEFT JOIN risk_active_rule_set a ON a.id = r.id AND a.version = r.version`;

const toRuleSet = (r: RuleSetDbRow): RuleSetRecord => ({ ...r, version: Number(r.version) });

const outcomeColumns = `consignment_id AS "consignmentId", finding, at, officer, rule_ids AS "ruleIds", random,
  consignee_key AS "consigneeKey", seller_key AS "sellerKey"`;
// Only a consignment's latest outcome counts (a corrected finding replaces the first; a repeat counts once).
const latestOutcomes = 'SELECT max(seq) FROM risk_outcomes GROUP BY consignment_id';

// jsonb normalises documents (key order, spacing): compare documents by canonical JSON.
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Opens the risk store on a PostgreSQL schema (migrating it). */
export async function openPostgresRiskStore(opts: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<RiskStore> {
  const pool = await openMigratedPool(opts, 4);
  const partyQuery = (column: 'consignee_key' | 'seller_key') =>
    `SELECT ${column} AS k, count(*)::int AS inspections,
     count(*) FILTER (WHERE finding NOT IN (${cleanFindingsSql}))::int AS findings
     FROM risk_outcomes WHERE ${column} IS NOT NULL AND seq IN (${latestOutcomes}) GROUP BY ${column}`;
  let closed = false;
  return {
    kind: 'postgres',
    async saveRuleSet(r) {
      const ins = await pool.query(
        `INSERT INTO risk_rule_sets (id, version, document, loaded_at, loaded_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id, version) DO NOTHING`,
        [r.id, r.version, JSON.stringify(r.document), r.loadedAt, r.loadedBy],
      );
      if (ins.rowCount === 1) return 'created';
      const { rows } = await pool.query<{ document: unknown }>(
        'SELECT document FROM risk_rule_sets WHERE id = $1 AND version = $2',
        [r.id, r.version],
      );
      return rows[0] !== undefined && canonical(rows[0].document) === canonical(r.document)
        ? 'exists'
        : 'conflict';
    },
    async ruleSets() {
      const { rows } = await pool.query<RuleSetDbRow>(
        `SELECT ${ruleSetColumns} ORDER BY r.loaded_at DESC, r.id, r.version DESC`,
      );
      return rows.map(toRuleSet);
    },
    async ruleSet(id, version) {
      const { rows } = await pool.query<RuleSetDbRow>(
        `SELECT ${ruleSetColumns} WHERE r.id = $1 AND r.version = $2`,
        [id, version],
      );
      return rows[0] === undefined ? undefined : toRuleSet(rows[0]);
    },
    async activateRuleSet(id, version, at) {
      // Nothing is written when the version is unknown, so committing the empty transaction is safe.
      return inTransaction(pool, async (client) => {
        const upd = await client.query(
          'UPDATE risk_rule_sets SET activated_at = $3 WHERE id = $1 AND version = $2',
          [id, version, at],
        );
        if (upd.rowCount !== 1) return false;
        await client.query(
          `INSERT INTO risk_active_rule_set (slot, id, version) VALUES (1, $1, $2)
           ON CONFLICT (slot) DO UPDATE SET id = excluded.id, version = excluded.version`,
          [id, version],
        );
        return true;
      });
    },
    async activeRuleSet() {
      const { rows } = await pool.query<RuleSetDbRow>(`SELECT ${ruleSetColumns} WHERE a.id IS NOT NULL`);
      return rows[0] === undefined ? undefined : toRuleSet(rows[0]);
    },
    async recordParcels(rows) {
      if (rows.length === 0) return;
      await pool.query(
        `INSERT INTO risk_consignee_parcels (consignment_id, consignee_key, seller_key, value_eur, at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (consignment_id) DO UPDATE SET consignee_key = excluded.consignee_key,
         seller_key = excluded.seller_key, value_eur = excluded.value_eur, at = excluded.at`,
        [
          rows.map((r) => r.consignmentId),
          rows.map((r) => r.consigneeKey),
          rows.map((r) => r.sellerKey),
          rows.map((r) => r.valueEur),
          rows.map((r) => r.at),
        ],
      );
    },
    async parcelsSince(at) {
      const { rows } = await pool.query<ConsigneeParcelRow>(
        `SELECT consignment_id AS "consignmentId", consignee_key AS "consigneeKey", seller_key AS "sellerKey",
         value_eur AS "valueEur", at FROM risk_consignee_parcels WHERE at >= $1 ORDER BY at, consignment_id`,
        [at],
      );
      return rows;
    },
    async parcelsOfConsignees(keys, at) {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<ConsigneeParcelRow>(
        `SELECT consignment_id AS "consignmentId", consignee_key AS "consigneeKey", seller_key AS "sellerKey",
         value_eur AS "valueEur", at FROM risk_consignee_parcels
         WHERE consignee_key = ANY($1::text[]) AND at >= $2 ORDER BY at, consignment_id`,
        [keys, at],
      );
      return rows;
    },
    async forgetParcelsBefore(at) {
      const r = await pool.query('DELETE FROM risk_consignee_parcels WHERE at < $1', [at]);
      return r.rowCount ?? 0;
    },
    async recordOutcome(o) {
      // The outcome it replaces and the insert in one statement (a CTE reads the table as it was before).
      const { rows } = await pool.query<OutcomeRow>(
        `WITH previous AS (
           SELECT ${outcomeColumns} FROM risk_outcomes WHERE consignment_id = $1 ORDER BY seq DESC LIMIT 1
         ), inserted AS (
           INSERT INTO risk_outcomes (consignment_id, finding, at, officer, rule_ids, random, consignee_key, seller_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq
         )
         SELECT previous.* FROM previous, inserted`,
        [
          o.consignmentId,
          o.finding,
          o.at,
          o.officer,
          JSON.stringify(o.ruleIds),
          o.random,
          o.consigneeKey,
          o.sellerKey,
        ],
      );
      return rows[0];
    },
    async outcomes(since) {
      const { rows } = await pool.query<OutcomeRow>(
        `SELECT ${outcomeColumns} FROM risk_outcomes WHERE seq IN (${latestOutcomes}) AND at >= $1 ORDER BY seq`,
        [since ?? ''],
      );
      return rows;
    },
    async partyHistory() {
      const read = async (column: 'consignee_key' | 'seller_key') => {
        const { rows } = await pool.query<{ k: string } & PartyRecord>(partyQuery(column));
        return new Map(rows.map((r) => [r.k, { inspections: r.inspections, findings: r.findings }]));
      };
      return { consignees: await read('consignee_key'), sellers: await read('seller_key') };
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
