/**
 * Identity numbers at rest (docs/security.md, personal data): with PARCELGATE_DATA_KEYS set, a
 * consignee's identity number appears in clear nowhere in the database file, also after the paths
 * added later: the revenue ledger's per-person totals (China's yearly limit), an arrival that
 * re-assesses the revenue on the actual date, an answer to a request for information. Migration 14
 * rewrites the person keys an older version stored in clear, so the totals carry on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { withRevenueLedger } from '../src/cli/revenue-ledger.js';
import { loadSnapshot, prepareArrival, recordCarrierEvent, submitBatch } from '../src/clearance/index.js';
import { encryptingStore, parseKeyring } from '../src/privacy/index.js';
import { personKeyOf } from '../src/revenue/index.js';
import { identityPersonKey, unkeyedIdentityPersonKey } from '../src/revenue/person-key.js';
import { openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { migrations } from '../src/store/sqlite/migrations.js';
import { applyMigrations } from '../src/store/sqlite/migrations.js';
import { openPostgresStore } from '../src/store/index.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { applyPgMigrations } from '../src/store/postgres/migrations.js';
import { cnPlatformOrder } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';
import { randomBytes } from 'node:crypto';

const buyerId = '110101199003077777';

/** Every text cell of every table of a SQLite file that holds `needle`, as `table.column`. */
function cellsHolding(file: string, needle: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const hits: string[] = [];
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    for (const t of tables) {
      const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name);
      for (const c of cols) {
        const n = db
          .prepare(`SELECT count(*) FROM "${t}" WHERE CAST("${c}" AS TEXT) LIKE ?`)
          .pluck()
          .get(`%${needle}%`);
        if (Number(n) > 0) hits.push(`${t}.${c}`);
      }
    }
    return hits;
  } finally {
    db.close();
  }
}

test('the person key of a declared identity number is a pseudonym, not the number', () => {
  const order = cnPlatformOrder('71000001', { cny: '100.00', buyerId });
  const key = personKeyOf(order)!;
  assert.ok(!key.includes(buyerId), key);
  assert.equal(key, identityPersonKey(`PERSONAL:${buyerId}`));
  // The same person through another record (spaces, case) keeps the key.
  const spaced = cnPlatformOrder('71000002', {
    cny: '1.00',
    buyerId: `${buyerId.slice(0, 6)} ${buyerId.slice(6)}`,
  });
  assert.equal(personKeyOf(spaced), key);
});

test('with data keys set, the identity number is in clear nowhere in the database after intake, ledger and arrival', async () => {
  const dataDir = scratchDir('parcelgate-identity-');
  const ring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`);
  const snapshot = loadSnapshot({ randomRate: 0 });
  const now = new Date().toISOString();
  const day = now.slice(0, 10);
  const store = encryptingStore(openSqliteStore({ dataDir }), ring);
  const deps = await withRevenueLedger(
    { store, snapshot: () => snapshot, close: () => store.close() },
    { dataDir },
    { clock: () => now },
  );
  try {
    const ctx = { actor: 'opr_platform', submitterId: 'opr_platform', now, requestId: 'r1' };
    const [r] = await submitBatch(ctx, [cnPlatformOrder('71000003', { cny: '100.00', buyerId, day })], deps);
    assert.equal(r!.status, 'created', JSON.stringify(r));
    const id = (r as { consignmentId: string }).consignmentId;
    const arrival = await prepareArrival(deps.store, deps.snapshot(), id, now, now);
    try {
      await recordCarrierEvent(ctx, deps.store, id, { type: 'arrived', at: now }, arrival.revise);
    } finally {
      arrival.release();
    }
    await deps.revenueLedger.flush();
    assert.equal(
      (
        await deps.revenueLedger.ledger.personTotals(
          identityPersonKey(`PERSONAL:${buyerId}`),
          'CN',
          day,
          'CNY',
        )
      ).yearToDate,
      '100.00',
      'the totals are kept under the pseudonym',
    );
  } finally {
    await deps.close();
  }
  try {
    assert.deepEqual(cellsHolding(path.join(dataDir, sqliteFileName), buyerId), []);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('migration 14 rewrites person keys stored in clear on SQLite; name-based keys stay', () => {
  const dir = scratchDir('parcelgate-personkeys-');
  const file = path.join(dir, 'old.db');
  const db = new Database(file);
  try {
    applyMigrations(
      db,
      migrations.filter((m) => m.version !== 14),
    );
    const insert = db.prepare(
      "INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency) VALUES (?, 'CN', ?, '2026-03-02', '100.00', 'CNY')",
    );
    insert.run(`PERSONAL:${buyerId}`, 'csg_a');
    insert.run('h:0123456789abcdef01234567', 'csg_b');
    const r = applyMigrations(db);
    assert.equal(r.to, Math.max(...migrations.map((m) => m.version)));
    const keys = db
      .prepare('SELECT person_key FROM revenue_person_imports ORDER BY consignment_id')
      .pluck()
      .all();
    // Migration 14 writes the unkeyed form it always wrote; `privacy rekey-pseudonyms` keys it
    // (test/pseudonym-rekey.test.ts).
    assert.deepEqual(keys, [unkeyedIdentityPersonKey(`PERSONAL:${buyerId}`), 'h:0123456789abcdef01234567']);
    assert.notEqual(keys[0], personKeyOf(cnPlatformOrder('71000004', { cny: '1.00', buyerId })));
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

postgresTest(
  'migration 14 rewrites person keys stored in clear on PostgreSQL',
  'idkeys',
  async (url, schema) => {
    const store = await openPostgresStore({ url, schema });
    await store.close();
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${schema}`);
      await client.query(
        `INSERT INTO revenue_person_imports (person_key, jurisdiction, consignment_id, import_date, amount, currency)
         VALUES ($1, 'CN', 'csg_a', '2026-03-02', '100.00', 'CNY'), ('h:0123456789abcdef01234567', 'CN', 'csg_b', '2026-03-02', '1.00', 'CNY')`,
        [`PERSONAL:${buyerId}`],
      );
      await client.query('DELETE FROM schema_migrations WHERE version = 14');
      await applyPgMigrations(client, schema);
      const { rows } = await client.query<{ person_key: string }>(
        'SELECT person_key FROM revenue_person_imports ORDER BY consignment_id',
      );
      assert.deepEqual(
        rows.map((r) => r.person_key),
        [unkeyedIdentityPersonKey(`PERSONAL:${buyerId}`), 'h:0123456789abcdef01234567'],
      );
    } finally {
      await client.end();
    }
  },
);
