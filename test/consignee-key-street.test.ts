/**
 * Consignee keys with the street (src/risk/split-shipment.ts, basis version 2), on both stores: a
 * database whose risk history holds version-1 consignee keys (name, postcode and country only) is
 * marked by migration 82, refused at start-up, and re-keyed per consignment by `privacy
 * rekey-pseudonyms`: two people of one name in one postcode, who shared one version-1 key, get a key
 * each; one person's parcels at one address stay one group; a row whose consignment is gone goes with
 * the rest of its old key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import {
  checkPseudonymKey,
  consigneeBasisSetting,
  consigneePseudonym,
  newPseudonymKey,
  openPgPseudonymRows,
  openSqlitePseudonymRows,
  parsePseudonymKey,
  Pseudonymiser,
  rekeyPseudonyms,
  type PseudonymRows,
} from '../src/privacy/index.js';
import { consigneeBasis, consigneeBasisV1, sellerBasis } from '../src/risk/split-shipment.js';
import type { ClearanceStore } from '../src/store/index.js';
import { cnPlatformOrder } from '../src/testing/consignments.js';
import { pgRawSql, pgStoresTest, sqliteRawSql, withSqliteStores, type RawSql } from './pg-stores.js';

const key = (id: string) => new Pseudonymiser(parsePseudonymKey(newPseudonymKey(id)));

interface Env {
  store: ClearanceStore;
  sql: RawSql;
  rows: () => Promise<PseudonymRows>;
  postgres: boolean;
}

// Two Li Wei in Shanghai 200000 at two streets (one with two parcels), and a third person.
const people = [
  { who: 'A', name: 'Li Wei', street: '1 Nanjing Rd', parcels: 2 },
  { who: 'B', name: 'Li Wei', street: '88 Huaihai Rd', parcels: 1 },
  { who: 'C', name: 'Zhao Lei', street: '5 Fuxing Rd', parcels: 1 },
] as const;

async function scenario(env: Env, withPrevious: boolean): Promise<void> {
  const { store, sql } = env;
  const snapshot = loadSnapshot({ randomRate: 0 });
  const now = '2026-03-02T08:00:00.000Z';
  const parcels: { who: string; id: string; input: ConsignmentInput }[] = [];
  let serial = 76000001;
  for (const p of people)
    for (let i = 0; i < p.parcels; i++) {
      const order = cnPlatformOrder(String(serial++), { cny: '100.00', buyerId: 'X', buyerName: p.name });
      const c = order.consignee!;
      const input = {
        ...order,
        consignee: { name: c.name, address: { ...c.address, street: p.street } },
      } as ConsignmentInput;
      const ctx = { actor: 'opr_platform', submitterId: 'opr_platform', now, requestId: `r${serial}` };
      const [r] = await submitBatch(ctx, [input], { store, snapshot: () => snapshot });
      assert.equal(r!.status, 'created', JSON.stringify(r));
      parcels.push({ who: p.who, id: (r as { consignmentId: string }).consignmentId, input });
    }
  const k1 = key('k1');
  // What the previous version stored under k1: consignee keys of name, postcode and country only.
  const v1 = (input: ConsignmentInput) => consigneePseudonym(consigneeBasisV1(input)!, k1);
  const a = parcels.find((p) => p.who === 'A')!;
  const rowsOf = [...parcels.map((p) => ({ id: p.id, input: p.input })), { id: 'csg_GONE', input: a.input }];
  for (const r of rowsOf) {
    await sql.run(
      `INSERT INTO risk_consignee_parcels (consignment_id, consignee_key, seller_key, value_eur, at) VALUES (?, ?, ?, ?, ?)`,
      [r.id, v1(r.input), null, '14.00', now],
    );
    await sql.run(
      `INSERT INTO risk_outcomes (consignment_id, finding, at, officer, rule_ids, random, consignee_key, seller_key)
       VALUES (?, 'clean', ?, 'officer-1', '[]', ?, ?, ?)`,
      [r.id, now, env.postgres ? false : 0, v1(r.input), null],
    );
  }
  assert.ok(sellerBasis(a.input) !== undefined);
  await sql.run(
    `INSERT INTO settings (name, value) VALUES ('pseudonym.key', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    [k1.fingerprint],
  );
  // The upgrade: migration 82 runs on a database that holds them.
  await sql.run('DELETE FROM schema_migrations WHERE version = 82');
  const rows = await env.rows();
  assert.equal(await rows.getSetting(consigneeBasisSetting), '1', 'migration 82 marks the database');
  await assert.rejects(
    checkPseudonymKey(rows, { postgres: env.postgres }, k1),
    { code: 'privacy.pseudonym-key-mismatch', message: /street/ },
    'no process starts on version-1 consignee keys',
  );

  const groups = async (table: string) => {
    const r = await sql.all<{ k: string; c: string }>(
      `SELECT consignee_key AS k, consignment_id AS c FROM ${table}`,
    );
    const by = new Map<string, string[]>();
    for (const x of r) by.set(x.k, [...(by.get(x.k) ?? []), x.c]);
    return [...by.values()].map((ids) => ids.sort().join(',')).sort();
  };
  const ids = (who: string) => parcels.filter((p) => p.who === who).map((p) => p.id);
  // Before: A and B (one name, one postcode) are one group.
  assert.deepEqual(
    await groups('risk_consignee_parcels'),
    [[...ids('A'), ...ids('B'), 'csg_GONE'].sort().join(','), ids('C').join(',')].sort(),
  );

  const report = await rekeyPseudonyms(rows, async (id) => (await store.get(id))?.merged, k1, {
    ...(withPrevious ? { previous: k1 } : {}),
  });
  const consignees = report.kinds.find((k) => k.kind === 'consignee')!;
  assert.deepEqual(
    { keys: consignees.keys, orphans: consignees.orphans },
    { keys: 2, orphans: 0 },
    JSON.stringify(report),
  );
  // After: A's two parcels (and the gone row, which went with the first of its old key) are one
  // consignee, B another, C a third; every key is the one the data makes now.
  const after = [[...ids('A'), 'csg_GONE'].sort().join(','), ids('B').join(','), ids('C').join(',')].sort();
  assert.deepEqual(await groups('risk_consignee_parcels'), after);
  assert.deepEqual(await groups('risk_outcomes'), after);
  const stored = await sql.all<{ k: string; c: string }>(
    'SELECT consignee_key AS k, consignment_id AS c FROM risk_consignee_parcels',
  );
  for (const p of parcels)
    assert.equal(
      stored.find((r) => r.c === p.id)!.k,
      consigneePseudonym(consigneeBasis(p.input)!, k1),
      `${p.who}: ${p.id}`,
    );
  assert.equal(await rows.getSetting(consigneeBasisSetting), undefined, 'the mark is removed');
  await checkPseudonymKey(rows, { postgres: env.postgres }, k1);
  // Running it again changes nothing.
  assert.equal((await rekeyPseudonyms(rows, async (id) => (await store.get(id))?.merged, k1)).rows, 0);
  await rows.close();
}

for (const withPrevious of [false, true])
  test(`SQLite: version-1 consignee keys are marked by migration 82 and re-keyed per consignment with the street${withPrevious ? ' (previous key checked)' : ''}`, () =>
    withSqliteStores('parcelgate-consignee-street-', ({ store, db, dataDir }) =>
      scenario(
        {
          store,
          postgres: false,
          sql: sqliteRawSql(db),
          rows: async () => openSqlitePseudonymRows({ dataDir }),
        },
        withPrevious,
      ),
    ));

pgStoresTest(
  'PostgreSQL: version-1 consignee keys are marked by migration 82 and re-keyed per consignment with the street',
  'cstreet',
  ({ store, client, url, schema }) =>
    scenario(
      {
        store,
        postgres: true,
        sql: pgRawSql(client),
        rows: async () => openPgPseudonymRows({ url, schema }),
      },
      true,
    ),
);

test('a new database is not marked by migration 82', () =>
  withSqliteStores('parcelgate-consignee-street-new-', async ({ dataDir }) => {
    const rows = openSqlitePseudonymRows({ dataDir });
    try {
      assert.equal(await rows.getSetting(consigneeBasisSetting), undefined);
    } finally {
      await rows.close();
    }
  }));
