import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { monthOf, migratePostgres, pgLatestSchemaVersion, pgMigrations } from './migrations.js';
import { loadSnapshot, submitBatch } from '../../clearance/index.js';
import { openPostgresStore } from './postgres-store.js';
import { floodInputs } from './testing/flood-worker.js';
import { postgresTests } from './testing/pg-suite.js';
import { withPgClient } from './testing/pg-test-env.js';
import { pgColumns, pgColumnTypes } from './pg-writes.js';

const tables = [
  'api_keys',
  'audit_log',
  'cbec_documents',
  'cbec_lists',
  'consignment_contributors',
  'consignment_versions',
  'consignments',
  'declarations',
  'events',
  'exchange_notices',
  'guarantee_reservations',
  'guarantee_reserved',
  'guarantee_settled',
  'information_answers',
  'kpi_cursor',
  'kpi_facts',
  'link_key_locks',
  'link_keys',
  'registry_counter',
  'registry_docs',
  'revenue_ioss_entries',
  'revenue_person_imports',
  'revenue_ledger_cursor',
  'revenue_trail',
  'risk_active_rule_set',
  'risk_consignee_parcels',
  'risk_outcomes',
  'risk_rule_sets',
  'screening_detections',
  'screening_images',
  'screening_labels',
  'settings',
  'signing_keys',
  'webhook_dead_letters',
  'webhook_subscriptions',
  'work_queue',
  'work_queue_claim_release_counter',
  'work_queue_claim_releases',
  'work_queue_claims',
  'work_queue_reasons',
];

describe('postgres migrations (pure)', () => {
  test('names months across year ends in UTC', () => {
    const at = new Date('2025-12-31T23:30:00.000Z');
    assert.equal(monthOf(at, 0), '2025-12');
    assert.equal(monthOf(at, 1), '2026-01');
    assert.equal(monthOf(at, -12), '2024-12');
  });

  test('versions are unique and increasing from 1', () => {
    const versions = pgMigrations.map((m) => m.version);
    assert.equal(versions[0], 1);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!);
    assert.equal(pgLatestSchemaVersion, versions[versions.length - 1]);
  });

  test('rejects a schema name that is not a plain identifier', async () => {
    await assert.rejects(
      migratePostgres('postgres://unused', 'x; DROP TABLE y'),
      /invalid PostgreSQL schema/,
    );
  });
});

postgresTests('postgres migrations', (url, freshSchema) => {
  const schema = () => freshSchema('pgmig');
  const tablesOf = (s: string): Promise<string[]> =>
    withPgClient(url, undefined, async (c) => {
      const { rows } = await c.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables
         WHERE table_schema = $1 AND table_name NOT LIKE 'events\\_%' ORDER BY 1`,
        [s],
      );
      return rows.map((r) => r.t);
    });

  describe('postgres migrations', () => {
    test('migrating an empty schema creates every table; migrating again changes nothing', async () => {
      const s = schema();
      const first = await migratePostgres(url, s);
      assert.deepEqual({ from: first.from, to: first.to }, { from: 0, to: pgLatestSchemaVersion });
      assert.ok(first.partitions.length >= 13, 'monthly partitions for the window');
      assert.deepEqual(await tablesOf(s), [...tables, 'schema_migrations'].sort());
      const again = await migratePostgres(url, s);
      assert.deepEqual(again, { from: pgLatestSchemaVersion, to: pgLatestSchemaVersion, partitions: [] });
      const applied = await withPgClient(url, s, (c) => c.query('SELECT version FROM schema_migrations'));
      assert.equal(applied.rowCount, pgMigrations.length);
    });

    test('the binary COPY writes each column in its type as the migrated schema declares it', async () => {
      const s = schema();
      await migratePostgres(url, s);
      const tableOf = {
        consignments: 'consignments',
        linkKeys: 'link_keys',
        versions: 'consignment_versions',
        declarations: 'declarations',
        events: 'events',
      } as const;
      const wire: Record<string, string> = {
        text: 'text',
        int4: 'integer',
        int8: 'bigint',
        float8: 'double precision',
      };
      const declared = await withPgClient(url, undefined, async (c) => {
        const { rows } = await c.query<{ t: string; c: string; type: string }>(
          `SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = $1`,
          [s],
        );
        return new Map(rows.map((r) => [`${r.t}.${r.c}`, r.type]));
      });
      for (const [name, columns] of Object.entries(pgColumns) as [
        keyof typeof pgColumns,
        readonly string[],
      ][]) {
        const types = pgColumnTypes[name];
        assert.equal(types.length, columns.length, `${name}: one COPY type per column`);
        columns.forEach((column, i) =>
          assert.equal(
            wire[types[i]!],
            declared.get(`${tableOf[name]}.${column}`),
            `${tableOf[name]}.${column} is copied as ${types[i]}`,
          ),
        );
      }
    });

    test('several processes migrating the same schema at once apply each migration exactly once', async () => {
      const s = schema();
      const results = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(url, s)));
      assert.equal(results.filter((r) => r.from === 0).length, 1, 'one migrator applied the migrations');
      for (const r of results) assert.equal(r.to, pgLatestSchemaVersion);
      const applied = await withPgClient(url, s, (c) =>
        c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version'),
      );
      assert.deepEqual(
        applied.rows.map((r) => r.version),
        pgMigrations.map((m) => m.version),
      );
    });

    test('stores opened concurrently on a new schema all work', async () => {
      const s = schema();
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url, schema: s })));
      for (const st of stores) assert.equal(st.kind, 'postgres');
      await Promise.all(stores.map((st) => st.close()));
    });

    test('documents the pipeline writes are compressed with LZ4 where the server has it, and read back whole', async () => {
      const s = schema();
      const store = await openPostgresStore({ url, schema: s });
      try {
        const snapshot = loadSnapshot();
        const ctx = { actor: 'test', submitterId: 'opr_lz4', now: new Date().toISOString() };
        const results = await submitBatch(ctx, floodInputs('lz4', 40), { store, snapshot: () => snapshot });
        const ids = results.flatMap((r) => (r.consignmentId === undefined ? [] : [r.consignmentId]));
        assert.ok(ids.length > 0);
        await withPgClient(url, s, async (c) => {
          const lz4 = await c.query<{ has: boolean }>(
            `SELECT 'lz4' = ANY(enumvals) AS has FROM pg_settings WHERE name = 'default_toast_compression'`,
          );
          const { rows } = await c.query<{ id: string; method: string | null; doc: string }>(
            'SELECT id, pg_column_compression(doc) AS method, doc FROM consignments',
          );
          const methods = new Set(rows.flatMap((r) => (r.method === null ? [] : [r.method])));
          // Slim documents are past the size at which PostgreSQL compresses a row.
          assert.ok(methods.size > 0, 'some documents are compressed');
          assert.deepEqual([...methods], [lz4.rows[0]?.has === true ? 'lz4' : 'pglz']);
          for (const r of rows) {
            const stored = await store.get(r.id);
            assert.equal(stored?.id, r.id);
            assert.equal(JSON.parse(r.doc).id, r.id);
          }
        });
      } finally {
        await store.close();
      }
    });

    test('a schema migrated by a newer parcelgate is refused with store.schema-too-new', async () => {
      const s = schema();
      await migratePostgres(url, s);
      await withPgClient(url, s, (c) =>
        c.query("INSERT INTO schema_migrations VALUES ($1, 'from-the-future', 'now')", [
          pgLatestSchemaVersion + 1,
        ]),
      );
      await assert.rejects(
        openPostgresStore({ url, schema: s }),
        (err: { code?: string }) => err.code === 'store.schema-too-new',
      );
    });
  });
});
