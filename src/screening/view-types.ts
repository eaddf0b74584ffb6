/**
 * The shapes the screening API answers with (an image, its detections and reviews, the review
 * queue), free of runtime imports so that the web console type-checks against the same definitions
 * (web/src imports them with `import type`).
 */
// Narrow type-only imports (modules without Node dependencies): the web console type-checks them too.
import type { Decision, Lane } from '../domain/assessment.js';
import type { ClearanceState } from '../domain/clearance-state.js';
import type { Box, ThreatClass } from './categories.js';

/** Image formats the intake accepts. */
export type ImageFormat = 'png' | 'jpeg';

export const labelVerdicts = ['confirmed', 'rejected', 'added'] as const;
export type LabelVerdict = (typeof labelVerdicts)[number];

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

/** A detection as the console shows it: box in pixels and as fractions, with the officer's review. */
export interface DetectionView {
  id: string;
  class: ThreatClass;
  name: string;
  score: number;
  box: Box;
  boxNormalized: Box;
  review: {
    labelId: string;
    verdict: LabelVerdict;
    class: ThreatClass;
    actor: string;
    at: string;
    note: string | null;
  } | null;
}

/** An image with everything the console needs to draw it with its overlays. */
export interface ImageView extends Omit<ScannerImage, 'modelId' | 'modelVersion' | 'screenedAt'> {
  mediaType: string;
  contentUrl: string;
  screening: { model: string; version: string; at: string } | null;
  detections: DetectionView[];
  /** Objects officers marked that the model missed. */
  added: {
    labelId: string;
    class: ThreatClass;
    box: Box;
    boxNormalized: Box;
    actor: string;
    at: string;
    note: string | null;
  }[];
  reviewPending: boolean;
}

/** One entry of the officer's image queue: an image awaiting review, with its consignment's state. */
export interface ScreeningQueueItem {
  consignment: {
    id: string;
    state: ClearanceState | null;
    decision: Decision | null;
    lane: Lane | null;
    riskScore: number | null;
  };
  image: ImageView;
}
