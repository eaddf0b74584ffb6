import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { migratePostgres } from '../src/store/postgres/migrations.js';
import {
  dropSchemas,
  freshSchemaName,
  pgTestTarget,
  withPgClient,
} from '../src/store/postgres/testing/pg-test-env.js';
import { spawnLines, type ChildExit } from './helpers/child-lines.js';
import { assertCreatedExactlyOnce } from './helpers/exactly-once.js';

const worker = fileURLToPath(new URL('../src/store/postgres/testing/flood-worker.js', import.meta.url));
const target = pgTestTarget();
const schema = freshSchemaName('pgmulti');
after(async () => {
  if (target.url !== undefined) await dropSchemas(target.url, [schema]);
});

const workers = 3;
const parcels = 1500;
const batchSize = 50;

interface Run {
  acked: string[];
  exit: Promise<ChildExit>;
  kill: () => void;
  batches: () => number;
}

/** Starts one worker; `onAck` sees the number of batches it has acknowledged so far. */
function start(url: string, index: number, onAck: (batches: number) => void): Run {
  const args = [url, schema, 'multiprocess', String(parcels), String(index), String(workers)];
  const acked: string[] = [];
  let batches = 0;
  const child = spawnLines(worker, [...args, String(batchSize), 'overlap'], (line) => {
    if (!line.startsWith('ack')) return;
    batches += 1;
    acked.push(
      ...line
        .slice(4)
        .split(',')
        .filter((id) => id !== ''),
    );
    onAck(batches);
  });
  return { acked, exit: child.exit, kill: child.kill, batches: () => batches };
}

const column = (rows: { id: string }[]): string[] => rows.map((r) => r.id);

test(
  'three processes share an overlapping flood; one is SIGKILLed mid-flood; every acknowledged consignment is assessed exactly once',
  { skip: target.skip, timeout: 240_000 },
  async () => {
    const url = target.url ?? '';
    await migratePostgres(url, schema);
    let killed = false;
    const runs: Run[] = [];
    for (let i = 0; i < workers; i++) {
      runs.push(
        start(url, i, (batches) => {
          // Worker 0 dies a few milliseconds after its fifth commit: usually inside its next transaction.
          if (i === 0 && batches === 5 && !killed) {
            killed = true;
            setTimeout(() => runs[0]?.kill(), 3 + Math.floor(Math.random() * 20));
          }
        }),
      );
    }
    const exits = await Promise.all(runs.map((r) => r.exit));
    assert.equal(exits[0]?.signal, 'SIGKILL', `worker 0 was killed mid-flood (${exits[0]?.stderr ?? ''})`);
    assert.ok((runs[0]?.batches() ?? 0) < parcels / batchSize, 'killed before its end');
    for (const e of exits.slice(1)) assert.equal(e.code, 0, `a surviving worker failed: ${e.stderr}`);
    const acked = new Set(runs.flatMap((r) => r.acked));
    assert.ok(acked.size > parcels / 2, `acknowledged ${acked.size} consignments`);

    await withPgClient(url, schema, async (db) => {
      const q = async (sql: string): Promise<{ id: string }[]> => (await db.query<{ id: string }>(sql)).rows;
      const stored = new Set(column(await q('SELECT id FROM consignments')));
      const missing = [...acked].filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], 'every acknowledged consignment is stored');
      assert.deepEqual(
        await q(`SELECT key AS id FROM link_keys WHERE key LIKE 'td:%' GROUP BY key HAVING count(*) > 1`),
        [],
        'each physical parcel maps to exactly one consignment',
      );
      await assertCreatedExactlyOnce(db);
      for (const table of ['link_keys', 'declarations', 'consignment_versions', 'events']) {
        assert.deepEqual(
          await q(`SELECT t.consignment_id AS id FROM ${table} t
                   WHERE NOT EXISTS (SELECT 1 FROM consignments c WHERE c.id = t.consignment_id)`),
          [],
          `no orphan rows in ${table}`,
        );
      }
      assert.deepEqual(
        await q(`SELECT c.id FROM consignments c
                 WHERE c.version <> (SELECT count(*) FROM declarations d WHERE d.consignment_id = c.id)`),
        [],
        'each version of a consignment came from exactly one stored declaration',
      );
    });
  },
);
