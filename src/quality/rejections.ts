/**
 * Records rejected by intake count in the data-quality scorecards, but nothing of a rejected record
 * is stored: per batch and submitter one registry document holds the submitter, the time and, per
 * rejected record, its issue codes, the scorecard elements the issues say are missing and how many
 * of its HS codes were invalid. No value, name, reference or path of the record is kept.
 */
import type { ValidationIssue } from '../domain/index.js';
import { registryId, type RegistryStore } from '../registry/index.js';

/** The registry collection of rejection records. */
export const rejectionCollection = 'quality-rejection';

/** What is kept of one rejected record. */
export interface RejectedRecord {
  /** Issue codes, one per issue, in the order intake reported them. */
  codes: string[];
  /** Scorecard elements (src/quality/elements.ts) the issues say are missing, each once. */
  missing: string[];
  /** Issues on an item's HS code (unknown subheading or malformed). */
  invalidHs: number;
}

/** One batch's rejections for one submitter. */
export interface RejectionBatch {
  submitterId: string;
  at: string;
  records: RejectedRecord[];
}

/** Issue paths (array positions removed) that name a missing scorecard element. */
const missingPaths: Readonly<Record<string, string>> = {
  '/transportDocument': 'transportDocument',
  '/seller': 'seller',
  '/seller/address/street': 'seller.address.street',
  '/consignee': 'consignee',
  '/consignee/address/postcode': 'consignee.address.postcode',
  '/consignee/phone': 'consignee.contact',
  '/consignee/email': 'consignee.contact',
  '/items/*/hsCode': 'items.hsCode',
  '/items/*/netWeightGrams': 'items.netWeightGrams',
  '/totals/grossWeightGrams': 'totals.grossWeightGrams',
  '/dates/accepted': 'dates.acceptedOrDeparture',
  '/platform': 'platform.orderId',
  '/platform/orderId': 'platform.orderId',
  '/payment': 'payment.reference',
  '/payment/reference': 'payment.reference',
};
const missingCodes = new Set(['source.required-field', 'schema.required']);
const shape = (path: string): string => path.replace(/\/\d+(?=\/|$)/g, '/*');

/** What is kept of a rejected record: derived from its issues alone. */
export function rejectedRecord(issues: readonly ValidationIssue[]): RejectedRecord {
  const missing = new Set<string>();
  let invalidHs = 0;
  for (const i of issues) {
    const p = shape(i.path);
    if (missingCodes.has(i.code) && missingPaths[p] !== undefined) missing.add(missingPaths[p]);
    else if (p === '/items/*/hsCode' && (i.code === 'item.hs-code-unknown' || i.code === 'schema.pattern'))
      invalidHs++;
  }
  return { codes: issues.map((i) => i.code), missing: [...missing], invalidHs };
}

/** Writes one batch's rejections (one document); nothing when there are none. */
export async function recordRejections(
  store: RegistryStore,
  submitterId: string,
  at: string,
  rejected: readonly { issues: readonly ValidationIssue[] }[],
): Promise<void> {
  if (rejected.length === 0) return;
  const doc: RejectionBatch = { submitterId, at, records: rejected.map((r) => rejectedRecord(r.issues)) };
  await store.write([
    { collection: rejectionCollection, id: registryId('rej', Date.parse(at)), owner: submitterId, at, doc },
  ]);
}

/** Rejection batches in `[from, to)`, of one submitter or all, oldest first. */
export async function rejectionsBetween(
  store: RegistryStore,
  q: { submitterId?: string; from: string; to: string },
): Promise<RejectionBatch[]> {
  const out: RejectionBatch[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await store.find<RejectionBatch>({
      collection: rejectionCollection,
      ...(q.submitterId !== undefined ? { owner: q.submitterId } : {}),
      atFrom: q.from,
      atTo: q.to,
      afterSeq,
      limit: 1000,
    });
    out.push(...page.map((d) => d.doc));
    if (page.length < 1000) return out;
    afterSeq = page.at(-1)!.seq;
  }
}

/**
 * The pipeline hook (`PipelineDeps.onRejected`) that records rejections in the registry. A failure
 * to record is reported to `onError` and never fails the submission.
 */
export function rejectionRecorder(
  store: RegistryStore,
  onError: (e: unknown) => void = () => undefined,
): (
  ctx: { submitterId: string; now: string },
  rejected: readonly { issues: readonly ValidationIssue[] }[],
) => Promise<void> {
  return async (ctx, rejected) => {
    try {
      await recordRejections(store, ctx.submitterId, ctx.now, rejected);
    } catch (e) {
      onError(e);
    }
  };
}
