/** Builds scorecards from the stored source records, streaming them in pages. */
import type { HsNomenclature } from '../reference/index.js';
import type { RegistryStore } from '../registry/index.js';
import { rejectionsBetween } from './rejections.js';
import { addRecord, addRejection, emptyTally, periodOf, scorecard, type QualityTally } from './scorecard.js';
import type { QualityReport } from './report-types.js';

/** What to score. */
export interface QualityQuery {
  submitterId?: string;
  from: string;
  to: string;
  period: QualityReport['period'];
  /** Submitters whose status grants a reduced data set (scored on the reduced element list). */
  reducedDataSet?: (submitterId: string, at: string) => boolean;
  pageSize?: number;
}

export type { QualityReport } from './report-types.js';

/**
 * Reads every source record in `[from, to)` (of one submitter, if given) and every record intake
 * rejected in that range, and scores them.
 */
export async function qualityReport(
  store: RegistryStore,
  hs: HsNomenclature,
  q: QualityQuery,
): Promise<QualityReport> {
  const tallies = new Map<string, QualityTally>();
  const overall = new Map<string, QualityTally>();
  /** The tallies a record of `submitterId` at `at` counts in: its period's, and the whole range's. */
  const talliesOf = (submitterId: string, at: string): [QualityTally, QualityTally] => {
    const period = periodOf(at, q.period);
    const key = `${submitterId}\u0000${period}`;
    const t = tallies.get(key) ?? emptyTally(submitterId, period);
    tallies.set(key, t);
    const o = overall.get(submitterId) ?? emptyTally(submitterId, `${q.from}/${q.to}`);
    overall.set(submitterId, o);
    return [t, o];
  };
  const seenHash = new Map<string, string>();
  const seenTd = new Map<string, string>();
  const counted = new Set<string>();
  let afterId: string | undefined;
  const limit = q.pageSize ?? 2000;
  for (;;) {
    const page = await store.declarations({
      ...(q.submitterId !== undefined ? { submitterId: q.submitterId } : {}),
      from: q.from,
      to: q.to,
      ...(afterId !== undefined ? { afterId } : {}),
      limit,
    });
    if (page.length === 0) break;
    const facts = new Map(
      (await store.consignmentFacts([...new Set(page.map((d) => d.consignmentId))])).map((f) => [f.id, f]),
    );
    for (const d of page) {
      // Duplicate: the same submitter sent the same content, or the same transport document, for another consignment.
      const hashKey = `${d.submitterId}\u0000${d.hash}`;
      const td = d.data.transportDocument
        ? `${d.submitterId}\u0000${d.data.transportDocument.type}:${d.data.transportDocument.id}`
        : undefined;
      const dupHash = seenHash.has(hashKey) && seenHash.get(hashKey) !== d.consignmentId;
      const dupTd = td !== undefined && seenTd.has(td) && seenTd.get(td) !== d.consignmentId;
      if (!seenHash.has(hashKey)) seenHash.set(hashKey, d.consignmentId);
      if (td !== undefined && !seenTd.has(td)) seenTd.set(td, d.consignmentId);
      const countKey = `${d.submitterId}\u0000${d.consignmentId}`;
      const countConsignment = !counted.has(countKey);
      counted.add(countKey);
      const opts = {
        duplicate: dupHash || dupTd,
        reduced: q.reducedDataSet?.(d.submitterId, d.receivedAt) ?? false,
        countConsignment,
      };
      const [t, o] = talliesOf(d.submitterId, d.receivedAt);
      const fact = facts.get(d.consignmentId);
      addRecord(t, d, fact, hs, opts);
      addRecord(o, d, fact, hs, opts);
    }
    afterId = page.at(-1)!.declarationId;
    if (page.length < limit) break;
  }
  const rejections = await rejectionsBetween(store, {
    ...(q.submitterId !== undefined ? { submitterId: q.submitterId } : {}),
    from: q.from,
    to: q.to,
  });
  for (const batch of rejections) {
    const reduced = q.reducedDataSet?.(batch.submitterId, batch.at) ?? false;
    const [t, o] = talliesOf(batch.submitterId, batch.at);
    for (const r of batch.records) {
      addRejection(t, r, reduced);
      addRejection(o, r, reduced);
    }
  }
  const submitters = [...overall.values()]
    .map((o) => ({
      submitterId: o.submitterId,
      overall: scorecard(o),
      trend: [...tallies.values()]
        .filter((t) => t.submitterId === o.submitterId)
        .sort((a, b) => a.period.localeCompare(b.period))
        .map(scorecard),
    }))
    .sort((a, b) => a.submitterId.localeCompare(b.submitterId));
  return { from: q.from, to: q.to, period: q.period, submitters };
}
