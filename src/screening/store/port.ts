/** The screening store port: scanner images, their detections and officers' review labels. */
import type { Box, ThreatClass } from '../categories.js';
import type { ImageFormat } from '../validate-image.js';

/** A stored scanner image (without its bytes). */
export interface ScannerImage {
  /** `img_…` */
  id: string;
  consignmentId: string;
  format: ImageFormat;
  width: number;
  height: number;
  byteLength: number;
  sha256: string;
  /** Scanner or station that produced the image, as the uploader names it. */
  scanner: string | null;
  receivedAt: string;
  submittedBy: string;
  /** Model that screened the image, and when; null when screening did not run. */
  modelId: string | null;
  modelVersion: string | null;
  screenedAt: string | null;
}

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

export const labelVerdicts = ['confirmed', 'rejected', 'added'] as const;
export type LabelVerdict = (typeof labelVerdicts)[number];

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
