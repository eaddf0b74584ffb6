/**
 * Planning a batch: which records start, join or amend which consignment, their assessments and the
 * events each change writes. Pure given the consignments the store found; runs inside the store's
 * transaction, or ahead of it (on a worker) for groups of records that link to nothing stored yet.
 */
import {
  dueAtBorderIn,
  newId,
  releasedStates,
  type Assessment,
  type ClearanceState,
  type Decision,
  type Lane,
  type Mismatch,
  type SourceRecord,
  type ValidationIssue,
} from '../domain/index.js';
import { diffInputs, mergeSources, sameParcel } from '../match/index.js';
import {
  compactCreation,
  creationRowType,
  type BatchWrites,
  type ClearanceEvent,
  type FreshConsignment,
  type StoredConsignment,
} from '../store/index.js';
import { arrivalOf } from './arrival-revenue.js';
import { standsReleased } from './arrived-release.js';
import { assess } from './assess.js';
import type { RequestContext } from './context.js';
import { createdConsignment, createdRecord, type CreatedConsignment } from './created.js';
import { inputOf, type PreparedRecord } from './prepared.js';
import { routeAfterAssessment } from './routing.js';
import type { ReferenceSnapshot } from './snapshot.js';

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

/** A batch's plan: what to write (new single-record consignments as text in `created`) and the outcomes. */
export interface BatchPlan {
  writes: BatchWrites;
  created: CreatedConsignment[];
  result: SubmitResult[];
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
    // What is due now: nothing once the parcel will never be delivered (a record linked after its return).
    dueAtBorder: dueAtBorderIn(c.state, c.assessment.revenue.dueAtBorder),
    currency: c.assessment.revenue.currency,
  };
}

/** A consignment created earlier in this batch, still as text (parsed only if a later record links to it). */
interface Pending {
  created: CreatedConsignment;
  rec: PreparedRecord;
}

export function planBatch(
  ctx: RequestContext,
  accepted: PreparedRecord[],
  found: StoredConsignment[],
  snapshot: ReferenceSnapshot,
): BatchPlan {
  const working = new Map<string, StoredConsignment>();
  const pending = new Map<string, Pending>();
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
  // A consignment created in this batch that a later record links to becomes an ordinary object.
  const resolve = (id: string): StoredConsignment | undefined => {
    const held = working.get(id);
    if (held !== undefined) return held;
    const p = pending.get(id);
    if (p === undefined) return undefined;
    pending.delete(id);
    const record = createdRecord(p.created, inputOf(p.rec));
    const c = createdConsignment(p.created, record);
    working.set(id, c);
    touched.add(id);
    writes.declarations.push({ consignmentId: id, record });
    return c;
  };

  for (const rec of accepted) {
    const candidates = new Set<string>();
    for (const k of rec.keys) for (const id of keyOwners.get(k) ?? []) candidates.add(id);
    let existing: StoredConsignment | undefined;
    if (candidates.size > 0) {
      const input = inputOf(rec);
      const owners = [...candidates]
        .map(resolve)
        .filter((c): c is StoredConsignment => c !== undefined && sameParcel(c.merged, input));
      if (owners.length > 1) {
        results.push(
          reject(
            rec.index,
            'match.ambiguous',
            // Typically an order or payment record of an order split over several parcels (docs/matching.md);
            // the consignments' ids are not given, since they may be other operators'.
            `record links ${owners.length} different consignments through its order or payment; send its transport document to name the parcel it belongs to`,
          ),
        );
        continue;
      }
      existing = owners[0];
    }
    if (!existing) {
      const created = createConsignment(ctx, rec, snapshot, writes, nowMs);
      pending.set(created.id, { created, rec });
      for (const k of created.keys) own(k, created.id);
      const a = created.assessment;
      results.push({
        index: rec.index,
        status: 'created',
        consignmentId: created.id,
        declarationId: created.declaration.declarationId,
        version: 1,
        state: created.state,
        decision: a.decision,
        lane: a.risk.lane,
        dueAtBorder: a.revenue.dueAtBorder,
        currency: a.revenue.currency,
      });
      continue;
    }
    const kind = inputOf(rec).source;
    // Unchanged only for the party that sent it: the same data from another submitter makes that
    // submitter a party to the consignment (linked), and is never answered with a consignment it
    // could not then read.
    if (
      existing.sources.some(
        (s) => s.hash === rec.hash && s.kind === kind && s.submitterId === ctx.submitterId,
      )
    ) {
      results.push(summarise(rec.index, 'unchanged', existing));
      continue;
    }
    const record: SourceRecord = {
      declarationId: newId('dcl', nowMs),
      kind,
      submitterId: ctx.submitterId,
      receivedAt: ctx.now,
      hash: rec.hash,
      data: inputOf(rec),
    };
    const replaced = existing.sources.find(
      (s) => s.kind === record.kind && s.submitterId === record.submitterId,
    );
    // A parcel released before arrival stays released once it has arrived (arrived-release.ts).
    const released = releasedStates.has(existing.state) || standsReleased(existing);
    if (released && replaced) {
      const state = standsReleased(existing)
        ? 'released before arrival and has arrived'
        : `'${existing.state}'`;
      results.push(
        reject(
          rec.index,
          'amendment.after-release',
          `consignment ${existing.id} is already ${state}; its data can no longer be amended`,
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
    // A new source arriving after release is kept (and its disagreements recorded for post-release
    // audit) but does not reopen the decision, unless the parcel has not arrived yet and the new
    // source disagrees with what the release was given on: then it is assessed again with all it
    // knows, and routed by that assessment.
    const merge = mergeSources(sources);
    const updated = !released
      ? reassess(ctx, existing, sources, keys, snapshot, writes, why, merge)
      : existing.state === 'released-before-arrival' && bringsNewDisagreement(existing, merge.mismatches)
        ? reassess(ctx, existing, sources, keys, snapshot, writes, why, merge, 'reopen')
        : linkAfterRelease(ctx, existing, sources, keys, writes, record.declarationId, merge);
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
  return { writes, created: [...pending.values()].map((p) => p.created), result: results };
}

/** An event of a fresh consignment as text (the shape `FreshConsignment.events` holds). */
export type FreshEvent = FreshConsignment['events'][number];

// The events routing writes after a new consignment's first assessment depend only on its decision:
// their text is made once per decision (through routeAfterAssessment itself) and reused.
interface RoutedTexts {
  to: ClearanceState;
  events: Omit<FreshEvent, 'at' | 'actor'>[];
  /** Whether the declared event and these are what one creation row stands for (see event-rows.ts). */
  compact: boolean;
}
const routedTexts = new Map<Decision, RoutedTexts>();

function routedFromDeclared(decision: Decision): RoutedTexts {
  let r = routedTexts.get(decision);
  if (r === undefined) {
    const routed = routeAfterAssessment('', 'declared', decision, { at: '', actor: '' });
    const events = routed.events.map((e) => ({
      type: e.type,
      from: e.from,
      to: e.to,
      reason: e.reason ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    }));
    const declared: FreshEvent = declaredEvent('', '', 'dcl', 'postal-item');
    const all = [declared, ...events.map((e) => ({ ...e, at: '', actor: '' }))];
    r = { to: routed.to, events, compact: compactCreation(all).length === 1 };
    routedTexts.set(decision, r);
  }
  return r;
}

/** The `consignment.declared` event of a new consignment, as text. */
function declaredEvent(at: string, actor: string, declarationId: string, source: string): FreshEvent {
  return {
    type: 'consignment.declared',
    from: null,
    to: 'declared',
    at,
    actor,
    reason: null,
    data: JSON.stringify({ declarationId, source }),
  };
}

/**
 * The plan of a record that links to nothing (a group of one, planned ahead): the created consignment,
 * its events as text and its outcome, as `planBatch(ctx, [rec], [], snapshot)` plans them, without the
 * batch bookkeeping (`freshOfCreated(created)` with these events is what `freshOf` makes of that plan:
 * the creation events as one creation row).
 */
export function planSingle(
  ctx: RequestContext,
  rec: PreparedRecord,
  snapshot: ReferenceSnapshot,
): { created: CreatedConsignment; events: FreshEvent[]; result: SubmitResult } {
  const nowMs = Date.parse(ctx.now);
  const id = newId('csg', nowMs);
  const a = assessNew(ctx, rec, snapshot, id);
  const declarationId = newId('dcl', nowMs);
  const routed = routedFromDeclared(a.decision);
  const at = ctx.now;
  const actor = ctx.actor;
  const declared = declaredEvent(at, actor, declarationId, rec.kind);
  let events: FreshEvent[];
  if (routed.compact) {
    // One creation row stands for the declared, assessed and routed events (see event-rows.ts).
    declared.type = creationRowType;
    declared.to = routed.to;
    events = [declared];
  } else {
    events = [declared];
    for (const e of routed.events)
      events.push({ type: e.type, from: e.from, to: e.to, at, actor, reason: e.reason, data: e.data });
  }
  for (const e of paymentEvents(id, a, at, actor))
    events.push({
      type: e.type,
      from: null,
      to: null,
      at,
      actor,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data),
    });
  return {
    created: newCreated(ctx, rec, id, routed.to, declarationId, a),
    events,
    result: {
      index: rec.index,
      status: 'created',
      consignmentId: id,
      declarationId,
      version: 1,
      state: routed.to,
      decision: a.decision,
      lane: a.risk.lane,
      dueAtBorder: a.revenue.dueAtBorder,
      currency: a.revenue.currency,
    },
  };
}

/** The type of the event of a parcel whose deferred payment the guarantee refused (docs/operators.md). */
export const paymentNotDeferredEvent = 'consignment.payment-not-deferred';

/**
 * The event an assessment whose deferral was refused adds (no state change): the account, why, and the
 * guarantee figures, so the operator is told by its feed and webhooks as well as in the response.
 */
function paymentEvents(id: string, a: Assessment, at: string, actor: string): ClearanceEvent[] {
  const f = a.paymentFallback;
  if (f === undefined) return [];
  return [
    {
      consignmentId: id,
      type: paymentNotDeferredEvent,
      from: null,
      to: null,
      at,
      actor,
      reason: f.reason,
      data: {
        account: f.account,
        code: f.code,
        amount: f.amount,
        currency: f.currency,
        ...(f.guarantee !== undefined ? { guarantee: f.guarantee } : {}),
        ...(f.utilised !== undefined ? { utilised: f.utilised } : {}),
      },
    },
  ];
}

function reject(index: number, code: string, message: string, consignmentId?: string): SubmitResult {
  return {
    index,
    status: 'rejected',
    ...(consignmentId ? { consignmentId } : {}),
    issues: [{ code, path: '', message }],
  };
}

/** A new consignment from one record, as text for the store. */
function createConsignment(
  ctx: RequestContext,
  rec: PreparedRecord,
  snapshot: ReferenceSnapshot,
  writes: BatchWrites,
  nowMs: number,
): CreatedConsignment {
  const id = newId('csg', nowMs);
  const a = assessNew(ctx, rec, snapshot, id);
  const declarationId = newId('dcl', nowMs);
  const routed = routeAfterAssessment(id, 'declared', a.decision, { at: ctx.now, actor: ctx.actor });
  writes.events.push(
    {
      consignmentId: id,
      type: 'consignment.declared',
      from: null,
      to: 'declared',
      at: ctx.now,
      actor: ctx.actor,
      data: { declarationId, source: rec.kind },
    },
    ...routed.events,
    ...paymentEvents(id, a, ctx.now, ctx.actor),
  );
  return newCreated(ctx, rec, id, routed.to, declarationId, a);
}

/** The assessment of a record that starts consignment `id` as its only source. */
function assessNew(
  ctx: RequestContext,
  rec: PreparedRecord,
  snapshot: ReferenceSnapshot,
  id: string,
): Assessment {
  const input = inputOf(rec);
  const subject = {
    consignmentId: id,
    input,
    mismatches: [],
    sourceKinds: [input.source],
    submitterId: ctx.submitterId,
  };
  return assess(subject, snapshot, ctx.now);
}

/** The consignment `id` created from `rec` now, in `state` after assessment `a`. */
function newCreated(
  ctx: RequestContext,
  rec: PreparedRecord,
  id: string,
  state: ClearanceState,
  declarationId: string,
  a: Assessment,
): CreatedConsignment {
  return {
    id,
    state,
    submitterId: ctx.submitterId,
    keys: rec.keys,
    destination: rec.destination,
    office: rec.office,
    at: ctx.now,
    declaration: {
      declarationId,
      kind: rec.kind,
      submitterId: ctx.submitterId,
      receivedAt: ctx.now,
      hash: rec.hash,
      json: rec.json,
    },
    assessment: a,
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
  { merged, mismatches }: ReturnType<typeof mergeSources>,
  trigger: 'assess' | 'reopen' = 'assess',
): StoredConsignment {
  const sourceKinds = [...new Set(sources.map((s) => s.kind))];
  const assessment = assess(
    {
      consignmentId: existing.id,
      input: merged,
      mismatches,
      sourceKinds,
      submitterId: existing.submitterId,
      // The tax point stays bounded by the first lodging, and follows a reported arrival.
      lodgedAt: existing.createdAt,
      ...arrivalOf(existing.assessment.revenue),
    },
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
    data:
      trigger === 'reopen'
        ? // As a link after release records it: how many disagreements the parcel now has.
          { declarationId: why.declarationId, version, afterRelease: true, mismatches: mismatches.length }
        : { declarationId: why.declarationId, version, changed: why.changed },
  });
  const routed = routeAfterAssessment(
    existing.id,
    existing.state,
    assessment.decision,
    { at: ctx.now, actor: ctx.actor, data: { version } },
    trigger,
  );
  writes.events.push(...routed.events, ...paymentEvents(existing.id, assessment, ctx.now, ctx.actor));
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

const mismatchKey = (m: Mismatch): string =>
  `${m.field}\u0000${m.itemIndex ?? ''}\u0000${m.values[0]}\u0000${m.values[1]}`;

/** Whether `mismatches` (of the consignment's sources with a new one) hold one its stored sources did not. */
function bringsNewDisagreement(existing: StoredConsignment, mismatches: readonly Mismatch[]): boolean {
  const known = new Set(existing.mismatches.map(mismatchKey));
  return mismatches.some((m) => !known.has(mismatchKey(m)));
}

function linkAfterRelease(
  ctx: RequestContext,
  existing: StoredConsignment,
  sources: SourceRecord[],
  keys: string[],
  writes: BatchWrites,
  declarationId: string,
  { merged, mismatches }: ReturnType<typeof mergeSources>,
): StoredConsignment {
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
