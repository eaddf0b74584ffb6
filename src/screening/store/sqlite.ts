/** SQLite adapter of the screening store: its own connection to the clearance database file. */
import Database from 'better-sqlite3';
import { type SqliteStoreOptions } from '../../store/index.js';

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
import { openMigratedDatabase } from '../../store/sqlite/sqlite-store.js';

type Row = Record<string, unknown>;

/** Opens the screening store on the same file (or data directory) as the SQLite clearance store. */
export function openSqliteScreeningStore(opts: SqliteStoreOptions): ScreeningStore {
  const db = openMigratedDatabase(opts);
  return new SqliteScreeningStore(db);
}

class SqliteScreeningStore implements ScreeningStore {
  readonly kind = 'sqlite' as const;
  private readonly insertImage: Database.Statement;
  private readonly insertDetection: Database.Statement;
  private readonly insertLabel: Database.Statement;
  private readonly bySha: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly add: (
    image: ScannerImage,
    bytes: Buffer,
    detections: StoredDetection[],
  ) => { image: ScannerImage; created: boolean };

  constructor(private readonly db: Database.Database) {
    this.insertImage = db.prepare(
      `INSERT INTO screening_images (${imageColumns}, bytes) VALUES (${placeholders(14, false)})`,
    );
    this.insertDetection = db.prepare(
      `INSERT INTO screening_detections (${detectionColumns}) VALUES (${placeholders(9, false)})`,
    );
    this.insertLabel = db.prepare(
      `INSERT INTO screening_labels (${labelColumns}) VALUES (${placeholders(13, false)})`,
    );
    this.bySha = db.prepare(
      `SELECT ${imageColumns} FROM screening_images WHERE consignment_id = ? AND sha256 = ?`,
    );
    this.byId = db.prepare(`SELECT ${imageColumns} FROM screening_images WHERE id = ?`);
    const tx = db.transaction((image: ScannerImage, bytes: Buffer, detections: StoredDetection[]) => {
      const existing = this.bySha.get(image.consignmentId, image.sha256) as Row | undefined;
      if (existing) return { image: imageOf(existing), created: false };
      this.insertImage.run(...imageValues(image), bytes);
      for (const d of detections) this.insertDetection.run(...detectionValues(d));
      return { image, created: true };
    });
    this.add = (image, bytes, detections) => tx.immediate(image, bytes, detections);
  }

  async addImage(image: ScannerImage, bytes: Buffer, detections: StoredDetection[]) {
    return this.add(image, bytes, detections);
  }

  async image(id: string): Promise<ScannerImage | undefined> {
    const r = this.byId.get(id) as Row | undefined;
    return r ? imageOf(r) : undefined;
  }

  async imageBytes(id: string): Promise<Buffer | undefined> {
    return this.db.prepare('SELECT bytes FROM screening_images WHERE id = ?').pluck().get(id) as
      Buffer | undefined;
  }

  async images(consignmentId: string): Promise<ScannerImage[]> {
    const rows = this.db
      .prepare(
        `SELECT ${imageColumns} FROM screening_images WHERE consignment_id = ? ORDER BY received_at, id`,
      )
      .all(consignmentId) as Row[];
    return rows.map(imageOf);
  }

  async detections(imageIds: readonly string[]): Promise<StoredDetection[]> {
    if (imageIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT ${detectionColumns} FROM screening_detections WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, score DESC, id`,
      )
      .all(JSON.stringify(imageIds)) as Row[];
    return rows.map(detectionOf);
  }

  async addLabel(label: ReviewLabel): Promise<void> {
    this.insertLabel.run(...labelValues(label));
  }

  async labels(imageIds: readonly string[]): Promise<ReviewLabel[]> {
    if (imageIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT ${labelColumns} FROM screening_labels WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(imageIds)) as Row[];
    return rows.map(labelOf);
  }

  async awaitingReview(limit: number): Promise<ScannerImage[]> {
    const rows = this.db
      .prepare(
        `SELECT ${imageColumns.replace(/(^|, )/g, '$1i.')} FROM screening_images i WHERE ${awaitingReviewWhere} ORDER BY i.received_at, i.id LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map(imageOf);
  }

  async exportLabels(after: string | undefined, limit: number): Promise<ReviewLabel[]> {
    const rows = this.db
      .prepare(`SELECT ${labelColumns} FROM screening_labels WHERE id > ? ORDER BY id LIMIT ?`)
      .all(after ?? '', limit) as Row[];
    return rows.map(labelOf);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
