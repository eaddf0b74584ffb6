/** Row mapping shared by the SQLite and PostgreSQL screening stores. */
import type { ThreatClass } from '../categories.js';
import type { ImageFormat } from '../validate-image.js';
import type { LabelVerdict, ReviewLabel, ScannerImage, StoredDetection } from './port.js';

export const imageColumns =
  'id, consignment_id, format, width, height, byte_length, sha256, scanner, received_at, submitted_by, model_id, model_version, screened_at';
export const detectionColumns = 'id, image_id, consignment_id, class, score, x0, y0, x1, y1';
export const labelColumns =
  'id, image_id, consignment_id, detection_id, class, verdict, x0, y0, x1, y1, actor, at, note';

type Row = Record<string, unknown>;

export const imageValues = (i: ScannerImage): unknown[] => [
  i.id,
  i.consignmentId,
  i.format,
  i.width,
  i.height,
  i.byteLength,
  i.sha256,
  i.scanner,
  i.receivedAt,
  i.submittedBy,
  i.modelId,
  i.modelVersion,
  i.screenedAt,
];

export const detectionValues = (d: StoredDetection): unknown[] => [
  d.id,
  d.imageId,
  d.consignmentId,
  d.class,
  d.score,
  d.box.x0,
  d.box.y0,
  d.box.x1,
  d.box.y1,
];

export const labelValues = (l: ReviewLabel): unknown[] => [
  l.id,
  l.imageId,
  l.consignmentId,
  l.detectionId,
  l.class,
  l.verdict,
  l.box.x0,
  l.box.y0,
  l.box.x1,
  l.box.y1,
  l.actor,
  l.at,
  l.note,
];

export const imageOf = (r: Row): ScannerImage => ({
  id: String(r.id),
  consignmentId: String(r.consignment_id),
  format: r.format as ImageFormat,
  width: Number(r.width),
  height: Number(r.height),
  byteLength: Number(r.byte_length),
  sha256: String(r.sha256),
  scanner: (r.scanner as string | null) ?? null,
  receivedAt: String(r.received_at),
  submittedBy: String(r.submitted_by),
  modelId: (r.model_id as string | null) ?? null,
  modelVersion: (r.model_version as string | null) ?? null,
  screenedAt: (r.screened_at as string | null) ?? null,
});

const boxOf = (r: Row) => ({ x0: Number(r.x0), y0: Number(r.y0), x1: Number(r.x1), y1: Number(r.y1) });

export const detectionOf = (r: Row): StoredDetection => ({
  id: String(r.id),
  imageId: String(r.image_id),
  consignmentId: String(r.consignment_id),
  class: r.class as ThreatClass,
  score: Number(r.score),
  box: boxOf(r),
});

export const labelOf = (r: Row): ReviewLabel => ({
  id: String(r.id),
  imageId: String(r.image_id),
  consignmentId: String(r.consignment_id),
  detectionId: (r.detection_id as string | null) ?? null,
  class: r.class as ThreatClass,
  box: boxOf(r),
  verdict: r.verdict as LabelVerdict,
  actor: String(r.actor),
  at: String(r.at),
  note: (r.note as string | null) ?? null,
});

export const placeholders = (n: number, pg: boolean, from = 1): string =>
  Array.from({ length: n }, (_, i) => (pg ? `$${from + i}` : '?')).join(', ');

export const awaitingReviewWhere = `EXISTS (SELECT 1 FROM screening_detections d WHERE d.image_id = i.id
  AND NOT EXISTS (SELECT 1 FROM screening_labels l WHERE l.detection_id = d.id))`;
