/** Batch submission: validate, link, merge, assess and store a batch of source records in one transaction. */
import {
  newId,
  releasedStates,
  type Assessment,
  type ClearanceState,
  type Decision,
  type Lane,
  type SourceRecord,
  type ValidationIssue,
} from '../domain/index.js';
import { diffInputs, mergeSources, sameParcel } from '../match/index.js';
import type { BatchWrites, ClearanceStore, StoredConsignment } from '../store/index.js';
import { assess } from './assess.js';
import type { RequestContext } from './context.js';
import { prepareBatch, type PreparedBatch, type PreparedRecord } from './prepare.js';
import { routeAfterAssessment } from './routing.js';
import type { RiskRuntime } from './risk-runtime.js';
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

/** The pipeline's dependencies: a store and the current reference snapshot. */
export interface PipelineDeps {
  store: ClearanceStore;
  snapshot: () => ReferenceSnapshot;
  /** Called after commit with every consignment the batch created or changed (metrics, summaries). */
  observe?: (consignments: readonly StoredConsignment[]) => void;
  /** Runs the stateless preparation elsewhere (e.g. worker threads); default: in this thread. */
  prepare?: (records: readonly unknown[], now: string) => Promise<PreparedBatch>;
  /** Live risk state (rule-set versions, consignee history, outcomes); `snapshot` should read from it. */
  risk?: RiskRuntime;
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
  // Batches commit in the order they were submitted, even when their preparation overlaps.
  const turn = takeTurn(deps.store);
  try {
    const { accepted, rejected } = deps.prepare
      ? await deps.prepare(records, ctx.now)
      : prepareBatch(records, snapshot, ctx.now);
    for (const r of rejected) results[r.index] = { index: r.index, status: 'rejected', issues: r.issues };
    await turn.ready;
    if (accepted.length > 0) await commit(ctx, accepted, snapshot, deps, results);
  } finally {
    turn.done();
  }
  return results;
}

const queues = new WeakMap<ClearanceStore, Promise<void>>();

function takeTurn(store: ClearanceStore): { ready: Promise<void>; done: () => void } {
  const previous = queues.get(store) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  queues.set(
    store,
    previous.then(() => mine),
  );
  return { ready: previous, done };
}

async function commit(
  ctx: RequestContext,
  accepted: PreparedRecord[],
  snapshot: ReferenceSnapshot,
  deps: PipelineDeps,
  results: SubmitResult[],
): Promise<void> {
  const allKeys = [...new Set(accepted.flatMap((a) => a.keys))];
  let written: readonly StoredConsignment[] = [];
  const planned = await deps.store.transact({ keys: allKeys, ids: [] }, (found) => {
    const p = planBatch(ctx, accepted, found, snapshot);
    written = p.writes.upserts;
    return p;
  });
  for (const r of planned) results[r.index] = r;
  deps.observe?.(written);
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
  accepted: PreparedRecord[],
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
      // The speculative assessment (made before the transaction) holds for a new consignment.
      const spec =
        rec.speculative?.assessment.snapshotVersion === snapshot.version ? rec.speculative : undefined;
      const id = spec?.consignmentId ?? newId('csg', nowMs);
      const c = createConsignment(ctx, id, record, rec.keys, snapshot, writes, spec?.assessment);
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
    // History keeps the version an amendment replaces; a newly linked source is itself kept as a declaration.
    if (status === 'amended') writes.archive.push(existing);
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
  precomputed?: Assessment,
): StoredConsignment {
  const { merged, mismatches } = mergeSources([record]);
  const assessment =
    precomputed ??
    assess({ consignmentId: id, input: merged, mismatches, sourceKinds: [record.kind] }, snapshot, ctx.now);
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
