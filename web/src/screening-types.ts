/** What the console reads from the screening API (GET /v1/consignments/{id}/images, /v1/screening/queue). */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ScreeningDetection {
  id: string;
  class: string;
  name: string;
  score: number;
  box: Box;
  boxNormalized: Box;
  review: {
    labelId: string;
    verdict: 'confirmed' | 'rejected' | 'added';
    class: string;
    actor: string;
    at: string;
    note: string | null;
  } | null;
}

export interface ScannerImageView {
  id: string;
  consignmentId: string;
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  byteLength: number;
  sha256: string;
  scanner: string | null;
  receivedAt: string;
  submittedBy: string;
  mediaType: string;
  contentUrl: string;
  screening: { model: string; version: string; at: string } | null;
  detections: ScreeningDetection[];
  added: {
    labelId: string;
    class: string;
    box: Box;
    boxNormalized: Box;
    actor: string;
    at: string;
    note: string | null;
  }[];
  reviewPending: boolean;
}

export interface ScreeningQueueItem {
  consignment: { id: string; state: string | null; lane: string | null; riskScore: number | null };
  image: ScannerImageView;
}
