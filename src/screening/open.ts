/** Opens screening for a server: the screening store next to the clearance store, and the detector. */
import { ParcelgateError } from '../domain/index.js';
import { DeferredDetector, OnnxDetector, chosenModelPath, type Detector } from './detector.js';
import type { ScreeningDeps } from './service.js';
import { openPostgresScreeningStore } from './store/postgres.js';
import { openSqliteScreeningStore } from './store/sqlite.js';

/**
 * Loads the screening model a server uses ($PARCELGATE_SCREENING_MODEL or the shipped baseline) and
 * checks it whole: the description, the ONNX file and the shapes its graph declares. A missing,
 * unreadable or ill-fitting model fails here with `screening.model-invalid`, naming the file and the
 * problem, so a server refuses to start rather than fail on its first image (about 0.3 s for the
 * baseline).
 */
export async function loadScreeningModel(file?: string): Promise<Detector> {
  const chosen = chosenModelPath(file);
  try {
    return await OnnxDetector.load(file);
  } catch (e) {
    if (!(e instanceof ParcelgateError) || e.code !== 'screening.model-invalid') throw e;
    const problem = e.message.startsWith(`${chosen}: `) ? e.message.slice(chosen.length + 2) : e.message;
    throw new ParcelgateError(
      'screening.model-invalid',
      `the X-ray screening model ${chosen} cannot be used: ${problem}`,
      e.status,
      e.details,
    );
  }
}

/**
 * Opens the screening store on the clearance database (SQLite data directory or PostgreSQL URL) with
 * `detector` (from `loadScreeningModel`); without one, the model's description is checked at once and
 * its ONNX session is created in the background.
 */
export async function openScreening(
  where: { dataDir: string } | { postgres: string },
  detector?: Detector,
): Promise<ScreeningDeps & { close(): Promise<void> }> {
  const store =
    'postgres' in where
      ? await openPostgresScreeningStore({ url: where.postgres })
      : openSqliteScreeningStore({ dataDir: where.dataDir });
  let chosen: Detector;
  try {
    chosen = detector ?? new DeferredDetector();
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    store,
    detector: chosen,
    close: async () => {
      await chosen.close();
      await store.close();
    },
  };
}
