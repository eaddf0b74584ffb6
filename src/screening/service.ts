/** Screening use cases: receive an image, screen it, store it, alert; read images back; record reviews. */
import { ParcelgateError } from '../domain/index.js';
import type { RequestContext } from '../clearance/index.js';
import type { ClearanceStore, StoredConsignment } from '../store/index.js';
import { isThreatClass, threatClassNames, type Box, type ThreatClass } from './categories.js';
import { raiseScreeningAlert, screeningIndicator, type AlertOutcome } from './alert.js';
import type { Detector } from './detector.js';
import { screeningId } from './ids.js';
import { checkImage, defaultImageLimits, imageMediaTypes, type ImageLimits } from './validate-image.js';
import type {
  LabelVerdict,
  ReviewLabel,
  ScannerImage,
  ScreeningStore,
  StoredDetection,
} from './store/port.js';
import type { DetectionView, ImageView, ScreeningQueueItem } from './view-types.js';

/** What the screening endpoints need besides the clearance store. */
export interface ScreeningDeps {
  store: ScreeningStore;
  /** Absent: images are stored and shown but not screened. */
  detector?: Detector;
  limits?: ImageLimits;
  /** Move a consignment to inspection on a detection (default true); false only records the alert. */
  holdOnDetection?: boolean;
}

export type { DetectionView, ImageView, ScreeningQueueItem } from './view-types.js';

const normalise = (b: Box, w: number, h: number): Box => ({
  x0: Math.round((b.x0 / w) * 1e4) / 1e4,
  y0: Math.round((b.y0 / h) * 1e4) / 1e4,
  x1: Math.round((b.x1 / w) * 1e4) / 1e4,
  y1: Math.round((b.y1 / h) * 1e4) / 1e4,
});

/** Builds the views of some images from their detections and labels. */
export function imageViews(
  images: readonly ScannerImage[],
  detections: readonly StoredDetection[],
  labels: readonly ReviewLabel[],
): ImageView[] {
  return images.map((img) => {
    const own = detections.filter((d) => d.imageId === img.id);
    const ownLabels = labels.filter((l) => l.imageId === img.id);
    const latest = new Map<string, ReviewLabel>();
    for (const l of ownLabels) if (l.detectionId) latest.set(l.detectionId, l);
    const { modelId, modelVersion, screenedAt, ...rest } = img;
    const views: DetectionView[] = own.map((d) => {
      const l = latest.get(d.id);
      return {
        id: d.id,
        class: d.class,
        name: threatClassNames[d.class],
        score: d.score,
        box: d.box,
        boxNormalized: normalise(d.box, img.width, img.height),
        review: l
          ? { labelId: l.id, verdict: l.verdict, class: l.class, actor: l.actor, at: l.at, note: l.note }
          : null,
      };
    });
    return {
      ...rest,
      mediaType: imageMediaTypes[img.format],
      contentUrl: `/v1/screening/images/${img.id}/content`,
      screening:
        modelId && screenedAt ? { model: modelId, version: modelVersion ?? '', at: screenedAt } : null,
      detections: views,
      added: ownLabels
        .filter((l) => l.verdict === 'added')
        .map((l) => ({
          labelId: l.id,
          class: l.class,
          box: l.box,
          boxNormalized: normalise(l.box, img.width, img.height),
          actor: l.actor,
          at: l.at,
          note: l.note,
        })),
      reviewPending: views.some((v) => v.review === null),
    };
  });
}

async function viewsOf(store: ScreeningStore, images: ScannerImage[]): Promise<ImageView[]> {
  const ids = images.map((i) => i.id);
  const [detections, labels] = await Promise.all([store.detections(ids), store.labels(ids)]);
  return imageViews(images, detections, labels);
}

async function consignmentOr404(clearance: ClearanceStore, id: string): Promise<StoredConsignment> {
  const c = await clearance.get(id);
  if (!c) throw new ParcelgateError('consignment.not-found', `no consignment ${id}`, 404);
  return c;
}

export interface SubmitImageResult {
  created: boolean;
  image: ImageView;
  alert: Omit<AlertOutcome, 'events'> | null;
}

/**
 * Receives one scanner image for a consignment: checks it, runs the detector, stores image and
 * detections in one transaction, then raises the alert when something was detected. The same bytes
 * sent again answer with the stored image (`created: false`) and raise nothing new.
 */
export async function submitImage(
  ctx: RequestContext,
  clearance: ClearanceStore,
  deps: ScreeningDeps,
  consignmentId: string,
  bytes: Buffer,
  contentType: string | undefined,
  scanner: string | null,
): Promise<SubmitImageResult> {
  await consignmentOr404(clearance, consignmentId);
  const checked = checkImage(bytes, contentType, deps.limits ?? defaultImageLimits);
  const detector = deps.detector;
  const imageId = screeningId('img');
  const found = detector ? await detector.detect(checked.rgb) : [];
  const image: ScannerImage = {
    id: imageId,
    consignmentId,
    format: checked.format,
    width: checked.width,
    height: checked.height,
    byteLength: bytes.length,
    sha256: checked.sha256,
    scanner,
    receivedAt: ctx.now,
    submittedBy: ctx.actor,
    modelId: detector?.info.id ?? null,
    modelVersion: detector?.info.version ?? null,
    screenedAt: detector ? ctx.now : null,
  };
  const detections: StoredDetection[] = found.map((d) => ({
    id: screeningId('det'),
    imageId,
    consignmentId,
    ...d,
  }));
  const stored = await deps.store.addImage(image, bytes, detections);
  let alert: SubmitImageResult['alert'] = null;
  if (stored.created && detector && detections.length > 0) {
    const indicator = screeningIndicator(imageId, detections, detector.info);
    const { events: _events, ...outcome } = await raiseScreeningAlert(
      { ...ctx, actor: `screening:${detector.info.id}` },
      clearance,
      consignmentId,
      indicator,
      { hold: deps.holdOnDetection ?? true },
    );
    alert = outcome;
  }
  const [view] = await viewsOf(deps.store, [stored.image]);
  return { created: stored.created, image: view!, alert };
}

/** A consignment's images with detections and reviews. */
export async function listImages(
  clearance: ClearanceStore,
  deps: ScreeningDeps,
  consignmentId: string,
): Promise<ImageView[]> {
  await consignmentOr404(clearance, consignmentId);
  return viewsOf(deps.store, await deps.store.images(consignmentId));
}

async function imageOr404(deps: ScreeningDeps, imageId: string): Promise<ScannerImage> {
  const img = await deps.store.image(imageId);
  if (!img) throw new ParcelgateError('screening.image-not-found', `no scanner image ${imageId}`, 404);
  return img;
}

export async function getImage(deps: ScreeningDeps, imageId: string): Promise<ImageView> {
  const [view] = await viewsOf(deps.store, [await imageOr404(deps, imageId)]);
  return view!;
}

export async function getImageContent(
  deps: ScreeningDeps,
  imageId: string,
): Promise<{ image: ScannerImage; bytes: Buffer }> {
  const image = await imageOr404(deps, imageId);
  const bytes = await deps.store.imageBytes(imageId);
  if (!bytes) throw new ParcelgateError('screening.image-not-found', `no scanner image ${imageId}`, 404);
  return { image, bytes };
}

/** An officer's answer about one image. */
export interface ReviewInput {
  verdict: LabelVerdict;
  detectionId?: string;
  class?: string;
  box?: Box;
  note?: string;
}

const labelInvalid = (message: string, path: string): never => {
  throw new ParcelgateError('screening.label-invalid', message, 400, { path });
};

/**
 * Stores an officer's review as a training label: a detection confirmed (optionally with the right
 * category) or rejected, or a missed object added with its box. Labels are append-only.
 */
export async function reviewImage(
  ctx: RequestContext,
  deps: ScreeningDeps,
  imageId: string,
  input: ReviewInput,
): Promise<ReviewLabel> {
  const image = await imageOr404(deps, imageId);
  let cls: ThreatClass;
  let box: Box;
  let detectionId: string | null = null;
  if (input.class !== undefined && !isThreatClass(input.class))
    labelInvalid(`unknown category '${input.class}'`, '/class');
  if (input.verdict === 'added') {
    if (input.detectionId !== undefined)
      labelInvalid('an added object is not a detection; leave detectionId out', '/detectionId');
    if (input.class === undefined) labelInvalid('an added object needs its category', '/class');
    if (input.box === undefined) labelInvalid('an added object needs its box', '/box');
    const b = input.box!;
    if (!(
      b.x0 >= 0 &&
      b.y0 >= 0 &&
      b.x1 <= image.width &&
      b.y1 <= image.height &&
      b.x0 < b.x1 &&
      b.y0 < b.y1
    ))
      labelInvalid(
        `box must satisfy 0 <= x0 < x1 <= ${image.width} and 0 <= y0 < y1 <= ${image.height}`,
        '/box',
      );
    cls = input.class as ThreatClass;
    box = b;
  } else {
    if (input.detectionId === undefined)
      labelInvalid(`a ${input.verdict} review needs the detectionId it answers`, '/detectionId');
    if (input.box !== undefined)
      labelInvalid('the box of a detection cannot be changed; reject it and add the right one', '/box');
    const d = (await deps.store.detections([imageId])).find((x) => x.id === input.detectionId);
    if (!d)
      throw new ParcelgateError(
        'screening.detection-not-found',
        `image ${imageId} has no detection ${input.detectionId}`,
        404,
      );
    if (input.verdict === 'rejected' && input.class !== undefined && input.class !== d.class)
      labelInvalid('a rejection keeps the detected category; add the right object instead', '/class');
    cls = (input.class as ThreatClass | undefined) ?? d.class;
    box = d.box;
    detectionId = d.id;
  }
  const label: ReviewLabel = {
    id: screeningId('lbl'),
    imageId,
    consignmentId: image.consignmentId,
    detectionId,
    class: cls,
    box,
    verdict: input.verdict,
    actor: ctx.actor,
    at: ctx.now,
    note: input.note?.trim() ? input.note.trim() : null,
  };
  await deps.store.addLabel(label);
  return label;
}

/** The officer's queue: images with unreviewed detections, oldest first, with their consignment's state. */
export async function reviewQueue(
  clearance: ClearanceStore,
  deps: ScreeningDeps,
  limit: number,
): Promise<{ items: ScreeningQueueItem[] }> {
  const images = await deps.store.awaitingReview(limit);
  const views = await viewsOf(deps.store, images);
  const items: ScreeningQueueItem[] = [];
  for (const view of views) {
    const c = await clearance.get(view.consignmentId);
    items.push({
      consignment: c
        ? {
            id: c.id,
            state: c.state,
            decision: c.assessment.decision,
            lane: c.assessment.risk.lane,
            riskScore: c.assessment.risk.score,
          }
        : { id: view.consignmentId, state: null, decision: null, lane: null, riskScore: null },
      image: view,
    });
  }
  return { items };
}

/** One line of the training export. */
export interface TrainingLabel {
  labelId: string;
  imageId: string;
  consignmentId: string;
  imageSha256: string;
  imageFormat: string;
  width: number;
  height: number;
  class: ThreatClass;
  box: Box;
  boxNormalized: Box;
  /** confirmed / added: the object is there; rejected: the model's box holds no such object. */
  verdict: LabelVerdict;
  detectionId: string | null;
  model: string | null;
  actor: string;
  at: string;
}

/** A page of labels for retraining, with the image facts a training job needs. */
export async function exportLabels(
  deps: ScreeningDeps,
  after: string | undefined,
  limit: number,
): Promise<{ items: TrainingLabel[]; next: string | null }> {
  const labels = await deps.store.exportLabels(after, limit);
  const images = new Map<string, ScannerImage>();
  for (const id of new Set(labels.map((l) => l.imageId))) {
    const img = await deps.store.image(id);
    if (img) images.set(id, img);
  }
  const items = labels.map((l) => {
    const img = images.get(l.imageId)!;
    return {
      labelId: l.id,
      imageId: l.imageId,
      consignmentId: l.consignmentId,
      imageSha256: img.sha256,
      imageFormat: img.format,
      width: img.width,
      height: img.height,
      class: l.class,
      box: l.box,
      boxNormalized: normalise(l.box, img.width, img.height),
      verdict: l.verdict,
      detectionId: l.detectionId,
      model: img.modelId ? `${img.modelId}@${img.modelVersion ?? ''}` : null,
      actor: l.actor,
      at: l.at,
    };
  });
  return { items, next: labels.length === limit ? labels[labels.length - 1]!.id : null };
}
