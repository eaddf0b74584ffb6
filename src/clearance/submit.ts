/** Batch submission: validate, link, merge, assess and store a batch of source records in one transaction. */
import { ParcelgateError, type ValidationIssue } from '../domain/index.js';
import type {
  BatchWrites,
  ClearanceStore,
  FreshConsignment,
  GuaranteeReservation,
  GuaranteeWrites,
  StoredConsignment,
} from '../store/index.js';
import { freshToStored } from '../store/index.js';
import type { RequestContext } from './context.js';
import { freshOfCreated, prepareBatch, type PreparedBatch } from './prepare.js';
import { planBatch, type SubmitResult } from './plan.js';
import type { PreparedRecord } from './prepared.js';
import type { PreparedGroup } from './prepare.js';
import type { RiskRuntime } from './risk-runtime.js';
import type { ReferenceSnapshot } from './snapshot.js';

export type { SubmitResult, SubmitStatus } from './plan.js';

/** Largest batch one call accepts. */
export const maxBatchSize = 10_000;

/** The pipeline's dependencies: a store and the current reference snapshot. */
export interface PipelineDeps {
  store: ClearanceStore;
  snapshot: () => ReferenceSnapshot;
  /** Called after commit with every consignment the batch created or changed (metrics, summaries). */
  observe?: (consignments: readonly StoredConsignment[]) => void;
  /** Called after commit with what the batch wrote as it was written: fresh consignments as text (no parsing). */
  observeWrites?: (fresh: readonly FreshConsignment[], changed: readonly StoredConsignment[]) => void;
  /** Runs the preparation elsewhere (e.g. worker threads); default: in this thread. */
  prepare?: (records: readonly unknown[], ctx: RequestContext) => Promise<PreparedBatch>;
  /** Live risk state (rule-set versions, consignee history, outcomes); `snapshot` should read from it. */
  risk?: RiskRuntime;
  /**
   * Told of every rejected record of a batch (its issues only: nothing of the record is passed on or
   * stored), after the batch; e.g. data-quality scorecards count them. Errors are the hook's own.
   */
  onRejected?: (
    ctx: RequestContext,
    rejected: readonly { issues: readonly ValidationIssue[] }[],
  ) => Promise<void>;
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
  const intake = snapshot.intakeDataSet?.(ctx.submitterId, ctx.now);
  if (intake !== undefined) ctx = { ...ctx, intake };
  const results: SubmitResult[] = new Array(records.length);
  // Batches commit in the order they were submitted, even when their preparation overlaps.
  const turn = takeTurn(deps.store);
  let release: (() => void) | undefined;
  let releasePersons: (() => void) | undefined;
  try {
    // A history that holds only some consignees in memory loads this batch's before it is assessed.
    release = await snapshot.history?.prefetch?.(records, ctx.now);
    // So does a per-person view that holds only some persons (src/revenue/person-cache.ts).
    if (snapshot.persons?.prefetch) releasePersons = await snapshot.persons.prefetch(records, ctx.now);
    // A store committing in the background keeps this batch while the next one is prepared: its parsed
    // records are dropped once planned (a group planned again parses its record's canonical JSON).
    const batch = deps.prepare
      ? await deps.prepare(records, ctx)
      : prepareBatch(records, snapshot, ctx, deps.store.commitsInBackground !== true);
    for (const r of batch.rejected)
      results[r.index] = { index: r.index, status: 'rejected', issues: r.issues };
    await turn.ready;
    if (batch.groups.length > 0) await commit(ctx, records, batch, snapshot, deps, results);
  } finally {
    release?.();
    releasePersons?.();
    turn.done();
  }
  if (deps.onRejected) {
    const rejected = results.filter((r) => r?.status === 'rejected' && r.issues !== undefined);
    if (rejected.length > 0) await deps.onRejected(ctx, rejected as { issues: ValidationIssue[] }[]);
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

/**
 * The transaction: looks up every link key of the batch, writes the groups planned ahead whose keys
 * turned out to belong to nothing stored (and whose snapshot is the current one) as they are, and
 * plans the remaining records against the consignments found.
 */
async function commit(
  ctx: RequestContext,
  records: readonly unknown[],
  batch: PreparedBatch,
  snapshot: ReferenceSnapshot,
  deps: PipelineDeps,
  results: SubmitResult[],
): Promise<void> {
  const allKeys = [...new Set(batch.groups.flatMap((g) => g.keys))];
  let written: BatchWrites | undefined;
  // Consignments the previous call planned anew (a store may call the plan again, see TransactOptions).
  let replanned: string[] = [];
  // After the guarantee check found an account's headroom taken by another process: plan every group
  // again, against the reservations as they are now.
  let replanAll = false;
  let planned: SubmitResult[] | undefined;
  for (let attempt = 1; planned === undefined; attempt++) {
    try {
      planned = await deps.store.transact(
        { keys: allKeys, ids: [] },
        (found) => {
          for (const id of replanned) forgetPlanned(snapshot, id);
          replanned = [];
          const owned = new Set<string>();
          for (const c of found) for (const k of c.keys) owned.add(k);
          const fresh: FreshConsignment[] = [];
          const result: SubmitResult[] = [];
          const replan: PreparedRecord[] = [];
          const leftBehind: PreparedGroup[] = [];
          for (const g of batch.groups) {
            if (
              !replanAll &&
              g.planned.snapshotVersion === snapshot.version &&
              !g.keys.some((k) => owned.has(k))
            ) {
              fresh.push(...g.planned.fresh);
              result.push(...g.planned.results);
            } else {
              // The plan made ahead is discarded: so is what its assessments noted in the live history.
              for (const f of g.planned.fresh) forgetPlanned(snapshot, f.id);
              if ('acceptedLeftBehind' in batch) leftBehind.push(g);
              else for (const m of g.members) replan.push(batch.accepted[m] as PreparedRecord);
            }
          }
          if (leftBehind.length > 0) replan.push(...prepareAgain(ctx, records, leftBehind, snapshot));
          let writes: BatchWrites = { upserts: [], archive: [], declarations: [], events: [], fresh };
          if (replan.length > 0) {
            replan.sort((a, b) => a.index - b.index);
            const p = planBatch(ctx, replan, found, snapshot);
            replanned = p.created.map((c) => c.id);
            writes = { ...p.writes, fresh: [...fresh, ...p.created.map(freshOfCreated)] };
            result.push(...p.result);
          }
          const guarantee = guaranteeWrites(snapshot, writes);
          if (guarantee) writes = { ...writes, guarantee };
          written = writes;
          return { writes, result };
        },
        { speculative: true },
      );
    } catch (e) {
      if (!isHeadroomTaken(e) || attempt >= maxGuaranteeAttempts || !snapshot.guarantees) throw e;
      for (const id of replanned) forgetPlanned(snapshot, id);
      replanned = [];
      replanAll = true;
      const account = e.details?.account;
      await snapshot.guarantees.refresh(typeof account === 'string' ? [account] : undefined);
    }
  }
  for (const r of planned) results[r.index] = r;
  if (deps.observeWrites && written) deps.observeWrites(written.fresh ?? [], written.upserts);
  if (deps.observe && written) {
    deps.observe([...(written.fresh ?? []).map(freshToStored), ...written.upserts]);
  }
}

/** Plans of a batch the guarantee check may refuse before the last is let through or fails. */
const maxGuaranteeAttempts = 8;

const isHeadroomTaken = (e: unknown): e is ParcelgateError =>
  e instanceof ParcelgateError && e.code === 'guarantee.headroom-taken';

/**
 * What the batch reserves on deferred-payment guarantees (checked by the store in its transaction):
 * each new consignment the live state noted as deferred, each changed one deferred by its assessment;
 * a changed one no longer deferred gives its reservation back.
 */
function guaranteeWrites(snapshot: ReferenceSnapshot, writes: BatchWrites): GuaranteeWrites | undefined {
  const gate = snapshot.guarantees;
  if (gate === undefined) return undefined;
  const reserve: GuaranteeReservation[] = [];
  const clear: string[] = [];
  for (const f of writes.fresh ?? []) {
    const r = gate.reservationOf(f.id);
    if (r) reserve.push({ consignmentId: f.id, ...r });
  }
  for (const c of writes.upserts) {
    const p = c.assessment.payment;
    if (p?.mode === 'deferred')
      reserve.push({
        consignmentId: c.id,
        account: p.account,
        currency: c.assessment.revenue.currency,
        amount: c.assessment.revenue.dueAtBorder,
      });
    else clear.push(c.id);
  }
  return reserve.length + clear.length > 0 ? { reserve, clear } : undefined;
}

/** Takes back what assessing consignment `id` noted in the live state (history, selection, persons). */
function forgetPlanned(snapshot: ReferenceSnapshot, id: string): void {
  snapshot.history?.forget?.(id);
  snapshot.selection?.forget?.(id);
  snapshot.persons?.forget(id);
  snapshot.guarantees?.forget(id);
}

/**
 * The accepted records of groups whose records stayed on the worker that prepared them (see
 * prepared-wire.ts), prepared again in this thread from the submitted values: the same validation,
 * canonical JSON, hash and keys, since preparation is deterministic. What planning them here noted in
 * the live history is forgotten, as for any discarded plan.
 */
function prepareAgain(
  ctx: RequestContext,
  records: readonly unknown[],
  groups: readonly PreparedGroup[],
  snapshot: ReferenceSnapshot,
): PreparedRecord[] {
  const indexes = groups.flatMap((g) => g.planned.results.map((r) => r.index)).sort((a, b) => a - b);
  const again = prepareBatch(
    indexes.map((i) => records[i]),
    snapshot,
    ctx,
  );
  for (const g of again.groups) for (const f of g.planned.fresh) snapshot.history?.forget?.(f.id);
  if (again.accepted.length !== indexes.length) {
    throw new Error('records a worker accepted were rejected when prepared again');
  }
  return again.accepted.map((r) => ({ ...r, index: indexes[r.index] as number }));
}
