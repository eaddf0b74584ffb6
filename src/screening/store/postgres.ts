/** PostgreSQL adapter of the screening store (its own small pool on the clearance database and schema). */
import pg from 'pg';
import type { ReviewLabel, ScannerImage, ScreeningStore, StoredDetection } from './port.js';
import {
  awaitingReviewWhere,
  detectionColumns,
  detectionOf,
  detectionValues,
  imageColumns,
  imageOf,
  imageValues,
  labelColumns,
  labelOf,
  labelValues,
  placeholders,
} from './rows.js';
import { openMigratedPool } from '../../store/postgres/pool.js';

export interface PostgresScreeningOptions {
  url: string;
  schema?: string;
  poolSize?: number;
}

/** Opens the screening store on PostgreSQL: migrates `schema` (idempotent) and pools. */
export async function openPostgresScreeningStore(opts: PostgresScreeningOptions): Promise<ScreeningStore> {
  const pool = await openMigratedPool(opts, 4);
  return new PostgresScreeningStore(pool);
}

class PostgresScreeningStore implements ScreeningStore {
  readonly kind = 'postgres' as const;
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  async addImage(image: ScannerImage, bytes: Buffer, detections: StoredDetection[]) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO screening_images (${imageColumns}, bytes) VALUES (${placeholders(14, true)})
         ON CONFLICT (consignment_id, sha256) DO NOTHING`,
        [...imageValues(image), bytes],
      );
      if (inserted.rowCount === 0) {
        const existing = await client.query(
          `SELECT ${imageColumns} FROM screening_images WHERE consignment_id = $1 AND sha256 = $2`,
          [image.consignmentId, image.sha256],
        );
        await client.query('COMMIT');
        return { image: imageOf(existing.rows[0] as Record<string, unknown>), created: false };
      }
      for (const d of detections) {
        await client.query(
          `INSERT INTO screening_detections (${detectionColumns}) VALUES (${placeholders(9, true)})`,
          detectionValues(d),
        );
      }
      await client.query('COMMIT');
      return { image, created: true };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async image(id: string): Promise<ScannerImage | undefined> {
    const r = await this.pool.query(`SELECT ${imageColumns} FROM screening_images WHERE id = $1`, [id]);
    return r.rows[0] ? imageOf(r.rows[0] as Record<string, unknown>) : undefined;
  }

  async imageBytes(id: string): Promise<Buffer | undefined> {
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM screening_images WHERE id = $1', [
      id,
    ]);
    return r.rows[0]?.bytes;
  }

  async images(consignmentId: string): Promise<ScannerImage[]> {
    const r = await this.pool.query(
      `SELECT ${imageColumns} FROM screening_images WHERE consignment_id = $1 ORDER BY received_at, id`,
      [consignmentId],
    );
    return r.rows.map((x) => imageOf(x as Record<string, unknown>));
  }

  async detections(imageIds: readonly string[]): Promise<StoredDetection[]> {
    if (imageIds.length === 0) return [];
    const r = await this.pool.query(
      `SELECT ${detectionColumns} FROM screening_detections WHERE image_id = ANY($1::text[]) ORDER BY image_id, score DESC, id`,
      [imageIds],
    );
    return r.rows.map((x) => detectionOf(x as Record<string, unknown>));
  }

  async addLabel(label: ReviewLabel): Promise<void> {
    await this.pool.query(
      `INSERT INTO screening_labels (${labelColumns}) VALUES (${placeholders(13, true)})`,
      labelValues(label),
    );
  }

  async labels(imageIds: readonly string[]): Promise<ReviewLabel[]> {
    if (imageIds.length === 0) return [];
    const r = await this.pool.query(
      `SELECT ${labelColumns} FROM screening_labels WHERE image_id = ANY($1::text[]) ORDER BY id`,
      [imageIds],
    );
    return r.rows.map((x) => labelOf(x as Record<string, unknown>));
  }

  async awaitingReview(limit: number): Promise<ScannerImage[]> {
    const r = await this.pool.query(
      `SELECT ${imageColumns.replace(/(^|, )/g, '$1i.')} FROM screening_images i WHERE ${awaitingReviewWhere} ORDER BY i.received_at, i.id LIMIT $1`,
      [limit],
    );
    return r.rows.map((x) => imageOf(x as Record<string, unknown>));
  }

  async exportLabels(after: string | undefined, limit: number): Promise<ReviewLabel[]> {
    const r = await this.pool.query(
      `SELECT ${labelColumns} FROM screening_labels WHERE id > $1 ORDER BY id LIMIT $2`,
      [after ?? '', limit],
    );
    return r.rows.map((x) => labelOf(x as Record<string, unknown>));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
