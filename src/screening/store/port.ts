/** The screening store port: scanner images, their detections and officers' review labels. */
import type { Box, ThreatClass } from '../categories.js';
import type { LabelVerdict, ScannerImage } from '../view-types.js';

export { labelVerdicts, type LabelVerdict, type ScannerImage } from '../view-types.js';

/** A detection as stored, with its own id so that an officer can confirm or reject it. */
export interface StoredDetection {
  /** `det_…` */
  id: string;
  imageId: string;
  consignmentId: string;
  class: ThreatClass;
  score: number;
  box: Box;
}

/**
 * An officer's review: a detection confirmed or rejected, or an object the model missed added with
 * its box. Append-only; for a detection the latest label counts.
 */
export interface ReviewLabel {
  /** `lbl_…` (sorts by creation time) */
  id: string;
  imageId: string;
  consignmentId: string;
  detectionId: string | null;
  class: ThreatClass;
  box: Box;
  verdict: LabelVerdict;
  actor: string;
  at: string;
  note: string | null;
}

export interface ScreeningStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores an image, its bytes and its detections in one transaction. The same bytes sent again for
   * the same consignment are not stored twice: the existing image is returned with `created: false`.
   */
  addImage(
    image: ScannerImage,
    bytes: Buffer,
    detections: StoredDetection[],
  ): Promise<{ image: ScannerImage; created: boolean }>;
  image(id: string): Promise<ScannerImage | undefined>;
  imageBytes(id: string): Promise<Buffer | undefined>;
  /** A consignment's images, oldest first. */
  images(consignmentId: string): Promise<ScannerImage[]>;
  detections(imageIds: readonly string[]): Promise<StoredDetection[]>;
  addLabel(label: ReviewLabel): Promise<void>;
  labels(imageIds: readonly string[]): Promise<ReviewLabel[]>;
  /** Images with at least one detection that no label answers yet, oldest first. */
  awaitingReview(limit: number): Promise<ScannerImage[]>;
  /** Every label in creation order, paged by label id (exclusive `after`). */
  exportLabels(after: string | undefined, limit: number): Promise<ReviewLabel[]>;
  close(): Promise<void>;
}
