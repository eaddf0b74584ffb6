/**
 * Child process for the crash test: writes batches of new consignments (plus amendments of the
 * previous batch) into `<dataDir>` forever, printing `ack <ids>` only after each batch commits.
 * Usage: node crash-writer.js <dataDir> [writer]: with `writer`, batches commit on the store's writer
 * thread (planned speculatively on the main thread, see sqlite-store.ts).
 */
import type { BatchWrites, StoredConsignment } from '../../port.js';
import { amendWrites, createWrites, fixtureConsignment } from '../../testing/fixtures.js';
import { openSqliteStore } from '../sqlite-store.js';

const batchSize = 200;
const amendPerBatch = 20;

function merge(parts: BatchWrites[]): BatchWrites {
  return {
    upserts: parts.flatMap((p) => p.upserts),
    archive: parts.flatMap((p) => p.archive),
    declarations: parts.flatMap((p) => p.declarations),
    events: parts.flatMap((p) => p.events),
  };
}

async function main(dataDir: string, onWriter: boolean): Promise<void> {
  const store = openSqliteStore({ dataDir, writerThread: onWriter });
  let previous: string[] = [];
  for (let batch = 0; ; batch += 1) {
    const at = new Date().toISOString();
    const fresh = Array.from({ length: batchSize }, () => fixtureConsignment({ createdAt: at }));
    const toAmend = previous.slice(0, amendPerBatch);
    const ids = await store.transact(
      { keys: fresh.flatMap((c) => c.keys), ids: toAmend },
      (found) => {
        const amended = found.map((c: StoredConsignment) => amendWrites(c, at, `extra:${batch}:${c.id}`));
        return {
          writes: merge([createWrites(fresh), ...amended]),
          result: [...fresh.map((c) => c.id), ...found.map((c) => c.id)],
        };
      },
      { speculative: onWriter },
    );
    previous = fresh.map((c) => c.id);
    process.stdout.write(`ack ${ids.join(',')}\n`);
  }
}

const dataDir = process.argv[2];
if (dataDir === undefined) {
  process.stderr.write('usage: crash-writer <dataDir>\n');
  process.exit(2);
}
main(dataDir, process.argv[3] === 'writer').catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
