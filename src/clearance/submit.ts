/** Batch submission: validate, link, merge, assess and store a batch of source records in one transaction. */
import {
  newId,
  releasedStates,
  type ConsignmentInput,
  type ClearanceState,
  type Decision,
  type Lane,
  type SourceRecord,
  type ValidationIssue,
} from '../domain/index.js';
import { validateConsignment } from '../intake/index.js';
import { contentHash, diffInputs, linkKeys, mergeSources, sameParcel } from '../match/index.js';
import type { BatchWrites, ClearanceStore, StoredConsignment } from '../store/index.js';
import { assess } from './assess.js';
import type { RequestContext } from './context.js';
import { routeAfterAssessment } from './routing.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Largest batch one call accepts. */
export const maxBatchSize = 10_000;

/** What happened to one submitted record. */
export type SubmitStatus = 'created' | 'linked' | 'amended' | 'unchanged' | 'rejected';

/** Per-record outcome, in the order the records were submitted. */
export interface SubmitResult {
  index: number;
  status: SubmitStatus;
  consignmentId?: string;
  declarationId?: string;
  version?: number;
  state?: ClearanceState;
  decision?: Decision;
  lane?: Lane;
  dueAtBorder?: string;
  currency?: string;
  issues?: ValidationIssue[];
}

interface Accepted {
  index: number;
  input: ConsignmentInput;
  keys: string[];
  hash: string;
}

/** The pipeline's dependencies: a store and the current reference snapshot. */
export interface PipelineDeps {
  store: ClearanceStore;
  snapshot: () => ReferenceSnapshot;
  /** Called after commit with every consignment the batch created or changed (metrics, summaries). */
  observe?: (consignments: readonly StoredConsignment[]) => void;
}

/**
 * Submits a batch. Records are validated first; a rejected record gets all its issues and
 * nothing of it is stored. Accepted records are written in one transaction and acknowledged
 * only after it commits.
 */
export async function submitBatch(
  ctx: RequestContext,
  records: readonly unknown[],
  deps: PipelineDeps,
): Promise<SubmitResult[]> {
  const snapshot = deps.snapshot();
  const results: SubmitResult[] = new Array(records.length);
  const accepted: Accepted[] = [];
  for (let i = 0; i < records.length; i++) {
    const v = validateConsignment(records[i], snapshot.hs);
    if (!v.ok) {
      results[i] = { index: i, status: 'rejected', issues: v.error };
      continue;
    }
    accepted.push({ index: i, input: v.value, keys: linkKeys(v.value), hash: contentHash(v.value) });
  }
  if (accepted.length === 0) return results;

  const allKeys = [...new Set(accepted.flatMap((a) => a.keys))];
  let written: readonly StoredConsignment[] = [];
  const planned = await deps.store.transact({ keys: allKeys, ids: [] }, (found) => {
    const p = planBatch(ctx, accepted, found, snapshot);
    written = p.writes.upserts;
    return p;
  });
  for (const r of planned) results[r.index] = r;
  deps.observe?.(written);
  return results;
}

function summarise(
  index: number,
  status: SubmitStatus,
  c: StoredConsignment,
  declarationId?: string,
): SubmitResult {
  return {
    index,
    status,
    consignmentId: c.id,
    ...(declarationId ? { declarationId } : {}),
    version: c.version,
    state: c.state,
    decision: c.assessment.decision,
    lane: c.assessment.risk.lane,
    dueAtBorder: c.assessment.revenue.dueAtBorder,
    currency: c.assessment.revenue.currency,
  };
}

function planBatch(
  ctx: RequestContext,
  accepted: Accepted[],
  found: StoredConsignment[],
  snapshot: ReferenceSnapshot,
): { writes: BatchWrites; result: SubmitResult[] } {
  const working = new Map<string, StoredConsignment>();
  // A key may belong to several consignments (one order split over several parcels).
  const keyOwners = new Map<string, Set<string>>();
  const own = (key: string, id: string) => {
    const set = keyOwners.get(key);
    if (set) set.add(id);
    else keyOwners.set(key, new Set([id]));
  };
  for (const c of found) {
    working.set(c.id, c);
    for (const k of c.keys) own(k, c.id);
  }
  const touched = new Set<string>();
  const writes: BatchWrites = { upserts: [], archive: [], declarations: [], events: [] };
  const results: SubmitResult[] = [];
  const nowMs = Date.parse(ctx.now);

  for (const rec of accepted) {
    const owners = [...new Set(rec.keys.flatMap((k) => [...(keyOwners.get(k) ?? [])]))]
      .map((id) => working.get(id))
      .filter((c): c is StoredConsignment => c !== undefined && sameParcel(c.merged, rec.input));
    if (owners.length > 1) {
      results.push(
        reject(rec.index, 'match.ambiguous', `record links ${owners.length} different consignments`),
      );
      continue;
    }
    const record: SourceRecord = {
      declarationId: newId('dcl', nowMs),
      kind: rec.input.source,
      submitterId: ctx.submitterId,
      receivedAt: ctx.now,
      hash: rec.hash,
      data: rec.input,
    };
    const existing = owners[0];
    if (!existing) {
      const id = newId('csg', nowMs);
      const c = createConsignment(ctx, id, record, rec.keys, snapshot, writes);
      working.set(id, c);
      touched.add(id);
      for (const k of c.keys) own(k, id);
      writes.declarations.push({ consignmentId: id, record });
      results.push(summarise(rec.index, 'created', c, record.declarationId));
      continue;
    }
    if (existing.sources.some((s) => s.hash === rec.hash && s.kind === record.kind)) {
      results.push(summarise(rec.index, 'unchanged', existing));
      continue;
    }
    const replaced = existing.sources.find(
      (s) => s.kind === record.kind && s.submitterId === record.submitterId,
    );
    const released = releasedStates.has(existing.state);
    if (released && replaced) {
      results.push(
        reject(
          rec.index,
          'amendment.after-release',
          `consignment ${existing.id} is already '${existing.state}'; its data can no longer be amended`,
          existing.id,
        ),
      );
      continue;
    }
    const status: SubmitStatus = replaced ? 'amended' : 'linked';
    const sources = replaced
      ? existing.sources.map((s) => (s === replaced ? record : s))
      : [...existing.sources, record];
    const keys = [...new Set([...existing.keys, ...rec.keys])];
    const why = {
      kind: status,
      changed: replaced ? diffInputs(replaced.data, record.data) : [],
      declarationId: record.declarationId,
    };
    // A new source arriving after release is kept (and its disagreements recorded for
    // post-release audit) but does not reopen the decision.
    const updated = released
      ? linkAfterRelease(ctx, existing, sources, keys, writes, record.declarationId)
      : reassess(ctx, existing, sources, keys, snapshot, writes, why);
    writes.archive.push(existing);
    touched.add(existing.id);
    working.set(existing.id, updated);
    for (const k of updated.keys) own(k, existing.id);
    writes.declarations.push({ consignmentId: existing.id, record });
    results.push(summarise(rec.index, status, updated, record.declarationId));
  }
  for (const id of touched) {
    const c = working.get(id);
    if (c) writes.upserts.push(c);
  }
  return { writes, result: results };
}

function reject(index: number, code: string, message: string, consignmentId?: string): SubmitResult {
  return {
    index,
    status: 'rejected',
    ...(consignmentId ? { consignmentId } : {}),
    issues: [{ code, path: '', message }],
  };
}

function createConsignment(
  ctx: RequestContext,
  id: string,
  record: SourceRecord,
  keys: string[],
  snapshot: ReferenceSnapshot,
  writes: BatchWrites,
): StoredConsignment {
  const { merged, mismatches } = mergeSources([record]);
  const assessment = assess(
    { consignmentId: id, input: merged, mismatches, sourceKinds: [record.kind] },
    snapshot,
    ctx.now,
  );
  const routed = routeAfterAssessment(id, 'declared', assessment.decision, { at: ctx.now, actor: ctx.actor });
  writes.events.push(
    {
      consignmentId: id,
      type: 'consignment.declared',
      from: null,
      to: 'declared',
      at: ctx.now,
      actor: ctx.actor,
      data: { declarationId: record.declarationId, source: record.kind },
    },
    ...routed.events,
  );
  return {
    id,
    version: 1,
    state: routed.to,
    submitterId: ctx.submitterId,
    keys,
    sources: [record],
    merged,
    mismatches,
    assessment,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

function reassess(
  ctx: RequestContext,
  existing: StoredConsignment,
  sources: SourceRecord[],
  keys: string[],
  snapshot: ReferenceSnapshot,
  writes: BatchWrites,
  why: { kind: 'linked' | 'amended'; changed: string[]; declarationId: string },
): StoredConsignment {
  const { merged, mismatches } = mergeSources(sources);
  const sourceKinds = [...new Set(sources.map((s) => s.kind))];
  const assessment = assess(
    { consignmentId: existing.id, input: merged, mismatches, sourceKinds },
    snapshot,
    ctx.now,
  );
  const version = existing.version + 1;
  writes.events.push({
    consignmentId: existing.id,
    type: why.kind === 'linked' ? 'consignment.source-linked' : 'consignment.amended',
    from: existing.state,
    to: existing.state,
    at: ctx.now,
    actor: ctx.actor,
    data: { declarationId: why.declarationId, version, changed: why.changed },
  });
  const routed = routeAfterAssessment(existing.id, existing.state, assessment.decision, {
    at: ctx.now,
    actor: ctx.actor,
    data: { version },
  });
  writes.events.push(...routed.events);
  return {
    ...existing,
    version,
    state: routed.to,
    keys,
    sources,
    merged,
    mismatches,
    assessment,
    updatedAt: ctx.now,
  };
}

function linkAfterRelease(
  ctx: RequestContext,
  existing: StoredConsignment,
  sources: SourceRecord[],
  keys: string[],
  writes: BatchWrites,
  declarationId: string,
): StoredConsignment {
  const { merged, mismatches } = mergeSources(sources);
  const version = existing.version + 1;
  writes.events.push({
    consignmentId: existing.id,
    type: 'consignment.source-linked',
    from: existing.state,
    to: existing.state,
    at: ctx.now,
    actor: ctx.actor,
    data: { declarationId, version, afterRelease: true, mismatches: mismatches.length },
  });
  return { ...existing, version, keys, sources, merged, mismatches, updatedAt: ctx.now };
}
