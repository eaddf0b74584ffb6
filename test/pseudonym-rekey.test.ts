/**
 * Keyed pseudonyms (docs/security.md, "Pseudonyms"), on both stores: a database upgraded from unkeyed
 * pseudonyms (the ledger's `p:`/`h:` SHA-256 keys, the risk history's clear folded names and seller
 * ids) is marked by migration 15, refused at start-up, and re-keyed from the data it still holds; then
 * the key is rotated. Per-person totals (the ledger rows grouped by key, and their sums) and the risk
 * history's grouping are the same before and after each step, also for a person whose identity number
 * was purged from one consignment (mapped through the other) or from all of them (kept together).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import {
  checkPseudonymKey,
  consigneePseudonym,
  identityPseudonym,
  namePseudonym,
  openPgPseudonymRows,
  openSqlitePseudonymRows,
  parsePseudonymKey,
  Pseudonymiser,
  devPseudonymiser,
  newPseudonymKey,
  purgedValue,
  rekeyPseudonyms,
  sellerPseudonym,
  type PseudonymRows,
} from '../src/privacy/index.js';
import { identityBasisOf, nameBasisOf } from '../src/revenue/ledger.js';
import { unkeyedIdentityPersonKey } from '../src/revenue/person-key.js';
import { consigneeBasis, sellerBasis } from '../src/risk/split-shipment.js';
import type { SecurityStore } from '../src/secstore/index.js';
import type { ClearanceStore } from '../src/store/index.js';
import { sqliteFilePath } from '../src/store/sqlite/sqlite-store.js';
import { cnPlatformOrder } from '../src/testing/consignments.js';
import { packageRoot } from '../src/reference/index.js';
import { dropScratch, scratchDir } from '../src/testing/scratch.js';
import { pgRawSql, pgStoresTest, sqliteRawSql, withSqliteStores, type RawSql } from './pg-stores.js';

const key = (id: string) => new Pseudonymiser(parsePseudonymKey(newPseudonymKey(id)));

interface Env {
  store: ClearanceStore;
  security: SecurityStore;
  sql: RawSql;
  rows: () => Promise<PseudonymRows>;
  postgres: boolean;
  close(): Promise<void>;
}

// The people: A and B counted by identity number (B's number purged from one of its two parcels),
// C by a number purged from its only parcel, D by name and postcode (no number).
const people = [
  { who: 'A', buyerId: '110101199001011111', name: 'Wang Fang', parcels: ['10.00', '20.00'] },
  { who: 'B', buyerId: '110101199002022222', name: 'Zhang Min', parcels: ['30.00', '40.00'], purge: [1] },
  { who: 'C', buyerId: '110101199003033333', name: 'Liu Yang', parcels: ['50.00'], purge: [0] },
  { who: 'D', buyerId: undefined, name: 'Chen Jing', parcels: ['60.00', '70.00'] },
] as const;

interface Parcel {
  who: string;
  id: string;
  input: ConsignmentInput;
  amount: string;
  purged: boolean;
}

const unkeyedName = (basis: string) => `h:${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;

async function scenario(env: Env): Promise<void> {
  const { store, sql } = env;
  const snapshot = loadSnapshot({ randomRate: 0 });
  const now = '2026-03-02T08:00:00.000Z';
  const parcels: Parcel[] = [];
  let serial = 72000001;
  for (const p of people)
    for (const [i, cny] of p.parcels.entries()) {
      const order = cnPlatformOrder(String(serial++), { cny, buyerId: p.buyerId ?? 'X', buyerName: p.name });
      const input = (
        p.buyerId === undefined
          ? { ...order, consignee: { name: order.consignee!.name, address: order.consignee!.address } }
          : order
      ) as ConsignmentInput;
      const ctx = { actor: 'opr_platform', submitterId: 'opr_platform', now, requestId: `r${serial}` };
      const [r] = await submitBatch(ctx, [input], { store, snapshot: () => snapshot });
      assert.equal(r!.status, 'created', JSON.stringify(r));
      const purged = 'purge' in p && (p.purge as readonly number[]).includes(i);
      parcels.push({
        who: p.who,
        id: (r as { consignmentId: string }).consignmentId,
        input,
        amount: cny,
        purged,
      });
    }
  // The purge took B's second and C's only identity number.
  for (const pc of parcels.filter((x) => x.purged)) {
    const tracking = pc.input.transportDocument!.id;
    const number = pc.input.consignee!.id!.value;
    await env.security.rewriteDocuments({}, (_t, doc) =>
      doc.includes(tracking) ? doc.split(number).join(purgedValue) : undefined,
    );
    assert.equal((await store.get(pc.id))!.merged.consignee!.id!.value, purgedValue);
  }

  // What an older version stored: unkeyed person keys, clear risk keys.
  const oldPerson = (pc: Parcel) =>
    pc.input.consignee!.id
      ? unkeyedIdentityPersonKey(identityBasisOf(pc.input.consignee!.id))
      : unkeyedName(nameBasisOf(pc.input.consignee!));
  for (const pc of parcels) {
    await sql.run(
      `INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency)
       VALUES (?, 'CN', ?, '2026-03-02', ?, 'CNY')`,
      [oldPerson(pc), pc.id, pc.amount],
    );
    await sql.run(
      `INSERT INTO risk_consignee_parcels (consignment_id, consignee_key, seller_key, value_eur, at) VALUES (?, ?, ?, ?, ?)`,
      [pc.id, consigneeBasis(pc.input), sellerBasis(pc.input) ?? null, pc.amount, now],
    );
    await sql.run(
      `INSERT INTO risk_outcomes (consignment_id, finding, at, officer, rule_ids, random, consignee_key, seller_key)
       VALUES (?, 'clean', ?, 'officer-1', '[]', ?, ?, ?)`,
      [pc.id, now, env.postgres ? false : 0, consigneeBasis(pc.input), sellerBasis(pc.input) ?? null],
    );
  }
  // The upgrade: migration 15 runs on a database that holds them.
  await sql.run(`DELETE FROM settings WHERE name = 'pseudonym.key'`);
  await sql.run(`DELETE FROM schema_migrations WHERE version = 15`);
  let rows = await env.rows();
  assert.equal(await rows.getSetting('pseudonym.key'), 'unkeyed', 'migration 15 marks the database');

  /** Per person: the sum and the consignments of each stored key (the keys themselves left out). */
  const totals = async () => {
    const r = await sql.all<{ person_key: string; consignment_id: string; amount: string }>(
      'SELECT person_key, consignment_id, amount FROM revenue_person_imports',
    );
    const by = new Map<string, { sum: number; ids: string[] }>();
    for (const x of r) {
      const g = by.get(x.person_key) ?? { sum: 0, ids: [] };
      g.sum += Math.round(Number(x.amount) * 100);
      g.ids.push(x.consignment_id);
      by.set(x.person_key, g);
    }
    return [...by.values()].map((g) => `${g.sum}:${g.ids.sort().join(',')}`).sort();
  };
  const groups = async (table: string, column: string) => {
    const r = await sql.all<{ k: string; c: string }>(
      `SELECT ${column} AS k, consignment_id AS c FROM ${table}`,
    );
    const by = new Map<string, string[]>();
    for (const x of r) by.set(x.k, [...(by.get(x.k) ?? []), x.c]);
    return [...by.values()].map((ids) => ids.sort().join(',')).sort();
  };
  const riskGroups = async () => [
    await groups('risk_consignee_parcels', 'consignee_key'),
    await groups('risk_outcomes', 'consignee_key'),
    await groups('risk_consignee_parcels', 'seller_key'),
    await groups('risk_outcomes', 'seller_key'),
  ];
  const personTotals = await totals();
  assert.equal(personTotals.length, 4);
  const risk = await riskGroups();

  const k1 = key('k1');
  // An unkeyed database is refused at start-up, whatever the key.
  await assert.rejects(checkPseudonymKey(rows, { postgres: env.postgres }, k1), /made without a key/);

  /** Every stored key is the one the data makes under `p` (or, for C, one shared derived key). */
  const expectKeyed = async (p: Pseudonymiser) => {
    const ledger = await sql.all<{ person_key: string; consignment_id: string }>(
      'SELECT person_key, consignment_id FROM revenue_person_imports',
    );
    const of = (id: string) => ledger.find((r) => r.consignment_id === id)!.person_key;
    for (const pc of parcels) {
      const c = pc.input.consignee!;
      const made = c.id ? identityPseudonym(identityBasisOf(c.id), p) : namePseudonym(nameBasisOf(c), p);
      if (pc.who !== 'C') assert.equal(of(pc.id), made, `${pc.who}: ${pc.id}`);
    }
    const parcelsRows = await sql.all<{ consignee_key: string; seller_key: string; consignment_id: string }>(
      'SELECT consignee_key, seller_key, consignment_id FROM risk_consignee_parcels',
    );
    for (const r of parcelsRows) {
      const pc = parcels.find((x) => x.id === r.consignment_id)!;
      assert.equal(r.consignee_key, consigneePseudonym(consigneeBasis(pc.input)!, p));
      assert.equal(r.seller_key, sellerPseudonym(sellerBasis(pc.input)!, p));
    }
    // No clear name, number or unkeyed key is left anywhere.
    const all = [
      ...ledger.map((r) => r.person_key),
      ...parcelsRows.flatMap((r) => [r.consignee_key, r.seller_key]),
      ...(
        await sql.all<{ a: string; b: string }>(
          'SELECT consignee_key AS a, seller_key AS b FROM risk_outcomes',
        )
      ).flatMap((r) => [r.a, r.b]),
    ];
    for (const pc of parcels) {
      assert.ok(!all.includes(oldPerson(pc)));
      assert.ok(!all.includes(consigneeBasis(pc.input)!));
      assert.ok(
        all.every((v) => !v.toLowerCase().includes(pc.input.consignee!.name.split(' ')[0]!.toLowerCase())),
      );
    }
  };

  const inputOf = async (id: string) => (await store.get(id))?.merged;
  const first = await rekeyPseudonyms(rows, inputOf, k1);
  assert.equal(first.from, 'unkeyed');
  assert.equal(first.to, k1.fingerprint);
  const person = first.kinds.find((k) => k.kind === 'person')!;
  assert.deepEqual(
    { keys: person.keys, fromData: person.fromData, orphans: person.orphans },
    { keys: 4, fromData: 3, orphans: 1 },
  );
  assert.equal(first.kinds.find((k) => k.kind === 'consignee')!.fromClear, 4);
  assert.deepEqual(await totals(), personTotals, 'per-person totals unchanged by the upgrade');
  assert.deepEqual(await riskGroups(), risk, 'risk history grouping unchanged by the upgrade');
  await expectKeyed(k1);
  await checkPseudonymKey(rows, { postgres: env.postgres }, k1);
  const k2 = key('k2');
  await assert.rejects(
    checkPseudonymKey(rows, { postgres: env.postgres }, k2),
    /under the key 'k1', this process holds 'k2'/,
  );
  if (env.postgres)
    await assert.rejects(
      checkPseudonymKey(rows, { postgres: true }, devPseudonymiser),
      /PARCELGATE_PSEUDONYM_KEY is not set/,
    );
  const cBefore = (
    await sql.all<{ k: string }>(
      'SELECT person_key AS k FROM revenue_person_imports WHERE consignment_id = ?',
      [parcels.find((x) => x.who === 'C')!.id],
    )
  )[0]!.k;

  // Rotation: k1 -> k2, with a wrong previous key refused and nothing changed.
  await assert.rejects(
    rekeyPseudonyms(rows, inputOf, k2, { previous: key('k0') }),
    /is not the one this database records/,
  );
  await rows.close();
  rows = await env.rows();
  const second = await rekeyPseudonyms(rows, inputOf, k2, { previous: k1 });
  assert.equal(second.from, k1.fingerprint);
  const rotated = second.kinds.find((k) => k.kind === 'person')!;
  assert.deepEqual({ fromData: rotated.fromData, orphans: rotated.orphans }, { fromData: 3, orphans: 1 });
  assert.deepEqual(await totals(), personTotals, 'per-person totals unchanged by the rotation');
  assert.deepEqual(await riskGroups(), risk, 'risk history grouping unchanged by the rotation');
  await expectKeyed(k2);
  const cAfter = (
    await sql.all<{ k: string }>(
      'SELECT person_key AS k FROM revenue_person_imports WHERE consignment_id = ?',
      [parcels.find((x) => x.who === 'C')!.id],
    )
  )[0]!.k;
  assert.notEqual(cAfter, cBefore, 'the orphan is re-keyed too');
  await checkPseudonymKey(rows, { postgres: env.postgres }, k2);
  await assert.rejects(checkPseudonymKey(rows, { postgres: env.postgres }, k1), /under the key 'k2'/);
  // Running it again changes nothing.
  assert.equal((await rekeyPseudonyms(rows, inputOf, k2, { previous: k2 })).rows, 0);
  await rows.close();
}

test('SQLite: an unkeyed database is re-keyed from its data, then the key rotated; per-person totals unchanged', () =>
  withSqliteStores('parcelgate-pseudonyms-', ({ store, security, db, dataDir }) =>
    scenario({
      store,
      security,
      postgres: false,
      sql: sqliteRawSql(db),
      rows: async () => openSqlitePseudonymRows({ dataDir }),
      close: async () => {},
    }),
  ));

pgStoresTest(
  'PostgreSQL: an unkeyed database is re-keyed from its data, then the key rotated; per-person totals unchanged',
  'pseudo',
  ({ store, security, client, url, schema }) =>
    scenario({
      store,
      security,
      postgres: true,
      sql: pgRawSql(client),
      rows: async () => openPgPseudonymRows({ url, schema }),
      close: async () => {},
    }),
);

test('CLI: ingest records the key; another key is refused until `privacy rekey-pseudonyms`, which is audited', () => {
  const dataDir = scratchDir('parcelgate-pseudonym-cli-');
  const bin = join(packageRoot, 'bin', 'parcelgate.js');
  const run = (key: string, ...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', PARCELGATE_PSEUDONYM_KEY: key },
    });
  try {
    const file = join(dataDir, 'records.ndjson');
    const records = (from: number) =>
      [0, 1].map((i) =>
        JSON.stringify(cnPlatformOrder(String(from + i), { cny: '10.00', buyerId: '110101199004044444' })),
      );
    writeFileSync(file, records(74000001).join('\n') + '\n');
    const first = run('', 'ingest', file, '--data-dir', dataDir);
    assert.equal(first.status, 0, first.stderr);
    const k1 = newPseudonymKey('k1');
    const refused = run(k1, 'ingest', file, '--data-dir', dataDir);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /under the key 'dev', this process holds 'k1'.*privacy rekey-pseudonyms/);
    const rekey = run(k1, 'privacy', 'rekey-pseudonyms', '--data-dir', dataDir);
    assert.equal(rekey.status, 0, rekey.stderr);
    assert.match(JSON.parse(rekey.stdout).to as string, /^k1:/);
    writeFileSync(file, records(74000011).join('\n') + '\n');
    const again = run(k1, 'ingest', file, '--data-dir', dataDir);
    assert.equal(again.status, 0, again.stderr);
    const audit = new Database(sqliteFilePath({ dataDir }), { readonly: true });
    try {
      assert.equal(
        audit.prepare("SELECT count(*) FROM audit_log WHERE action = 'pseudonyms.rekeyed'").pluck().get(),
        1,
      );
    } finally {
      audit.close();
    }
    const verify = run(k1, 'audit', 'verify', '--data-dir', dataDir);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  } finally {
    dropScratch(dataDir);
  }
});
