/** Opens screening for a server: the screening store next to the clearance store, and the detector. */
import { DeferredDetector } from './detector.js';
import type { ScreeningDeps } from './service.js';
import { openPostgresScreeningStore } from './store/postgres.js';
import { openSqliteScreeningStore } from './store/sqlite.js';

/**
 * Opens the screening store on the clearance database (SQLite data directory or PostgreSQL URL) and
 * loads the model ($PARCELGATE_SCREENING_MODEL or the shipped baseline). A broken model description
 * fails here, at start-up; the ONNX session itself is created in the background.
 */
export async function openScreening(
  where: { dataDir: string } | { postgres: string },
): Promise<ScreeningDeps & { close(): Promise<void> }> {
  const store =
    'postgres' in where
      ? await openPostgresScreeningStore({ url: where.postgres })
      : openSqliteScreeningStore({ dataDir: where.dataDir });
  let detector: DeferredDetector;
  try {
    detector = new DeferredDetector();
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    store,
    detector,
    close: async () => {
      await detector.close();
      await store.close();
    },
  };
}
