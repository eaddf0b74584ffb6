/**
 * The half of submission that needs no store: validation, link keys, content hash, and the plan of
 * each group of linked records as if none of them links to anything stored yet (the common case for
 * fresh data). It can run on a worker thread while the main thread commits the previous batch; the
 * transaction then only looks the keys up and writes the plans whose assumption holds, re-planning
 * the other groups against what it found.
 *
 * A prepared record carries its data as canonical JSON (the stored declaration document, and what
 * the content hash is taken of) and a planned group carries its consignments as text: both cross
 * from a worker as flat strings and are written as they are.
 */
import type { ConsignmentInput, ValidationIssue } from '../domain/index.js';
import { requirementCheck, validateConsignment } from '../intake/index.js';
import { inCanonicalOrder, linkKeys, sha256Hex, writeCanonical } from '../match/index.js';
import {
  compactCreation,
  consignmentRow,
  creationRowType,
  encodeConsignment,
  eventText,
  workQueueColumns,
  type FreshConsignment,
} from '../store/index.js';
import type { RequestContext } from './context.js';
import { createdDocument, type CreatedConsignment } from './created.js';
import { planBatch, planSingle, type BatchPlan, type SubmitResult } from './plan.js';
import { jsonOf, type PreparedRecord } from './prepared.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Records connected by shared link keys (directly or through each other), planned together. */
export interface PreparedGroup {
  /** Positions in `PreparedBatch.accepted`, ascending. */
  members: number[];
  /** Every link key of the members. */
  keys: string[];
  /** The group planned as if none of its keys belongs to a stored consignment. */
  planned: { snapshotVersion: string; fresh: FreshConsignment[]; results: SubmitResult[] };
}

/** The outcome of preparing one batch. */
export interface PreparedBatch {
  accepted: PreparedRecord[];
  rejected: { index: number; issues: ValidationIssue[] }[];
  groups: PreparedGroup[];
}

/**
 * Prepares a batch for request `ctx` (its `now` is the time assessments use). `keepInput` keeps the
 * parsed records (only useful in the thread that commits).
 */
export function prepareBatch(
  records: readonly unknown[],
  snapshot: ReferenceSnapshot,
  ctx: RequestContext,
  keepInput = true,
): PreparedBatch {
  const accepted: PreparedRecord[] = [];
  const rejected: PreparedBatch['rejected'] = [];
  const required = ctx.intake === undefined ? undefined : requirementCheck(ctx.intake);
  for (let i = 0; i < records.length; i++) {
    const v = validateConsignment(records[i], snapshot.hs, required);
    if (!v.ok) {
      rejected.push({ index: i, issues: v.error });
      continue;
    }
    const input = v.value;
    // Validated records are plain objects copied with sorted keys, and every object of the schema but
    // the declarant allows only its own (never integer-like) keys: unless the declarant has keys that
    // enumerate out of order, plain JSON.stringify is the canonical JSON (see canonical-fast-path.test.ts).
    const json =
      input.declarant === undefined || inCanonicalOrder(input.declarant)
        ? JSON.stringify(input)
        : writeCanonical(input);
    accepted.push({
      index: i,
      json,
      keys: linkKeys(input),
      hash: sha256Hex(json),
      kind: input.source,
      destination: input.routing.destinationCountry,
      office: input.routing.officeOfEntry ?? null,
      input,
    });
  }
  const groups = groupByKeys(accepted).map((members): PreparedGroup => {
    if (members.length === 1) {
      // A record that links to no other of the batch (most of them): planned straight to text.
      const rec = accepted[members[0] as number] as PreparedRecord;
      const one = planSingle(ctx, rec, snapshot);
      const fresh = freshOfCreated(one.created);
      fresh.events = one.events;
      return {
        members,
        keys: rec.keys,
        planned: { snapshotVersion: snapshot.version, fresh: [fresh], results: [one.result] },
      };
    }
    const recs = members.map((m) => accepted[m] as PreparedRecord);
    const plan = planBatch(ctx, recs, [], snapshot);
    return {
      members,
      keys: distinctKeys(recs),
      // Linked records' declarations are written from their data: it keeps the JSON made above.
      planned: { snapshotVersion: snapshot.version, fresh: freshOf(plan, recs), results: plan.result },
    };
  });
  if (!keepInput) for (const r of accepted) delete r.input;
  return { accepted, rejected, groups };
}

/** The prepared JSON of each record's parsed data: a scan for the usual small group, else a map. */
function preparedJsonOf(prepared: readonly PreparedRecord[]): (data: ConsignmentInput) => string | undefined {
  if (prepared.length > 16) {
    const byInput = new Map<ConsignmentInput, string>();
    for (const p of prepared) if (p.input !== undefined) byInput.set(p.input, p.json);
    return (data) => byInput.get(data);
  }
  return (data) => {
    for (const p of prepared) if (p.input === data) return p.json;
    return undefined;
  };
}

/** Every link key of `recs`, each once, in order of first appearance. */
function distinctKeys(recs: readonly PreparedRecord[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of recs)
    for (const k of r.keys)
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
  return out;
}

/** Connected components of records sharing link keys (union-find), each as ascending positions. */
export function groupByKeys(recs: readonly PreparedRecord[]): number[][] {
  const parent = recs.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[parent[i] as number] as number;
      parent[i] = up;
      i = up;
    }
    return i;
  };
  const firstWithKey = new Map<string, number>();
  recs.forEach((r, i) => {
    for (const k of r.keys) {
      const j = firstWithKey.get(k);
      if (j === undefined) firstWithKey.set(k, i);
      else {
        const a = root(i);
        const b = root(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const byRoot = new Map<number, number[]>();
  recs.forEach((_, i) => {
    const r = root(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  });
  return [...byRoot.values()];
}

/** A created consignment as a fresh one (its events, if any, are added by the caller). */
export function freshOfCreated(c: CreatedConsignment): FreshConsignment {
  const a = c.assessment;
  return {
    id: c.id,
    version: 1,
    state: c.state,
    submitterId: c.submitterId,
    keys: c.keys,
    lane: a.risk.lane,
    decision: a.decision,
    riskScore: a.risk.score,
    destination: c.destination,
    office: c.office,
    dueAtBorder: a.revenue.dueAtBorder,
    currency: a.revenue.currency,
    createdAt: c.at,
    updatedAt: c.at,
    doc: createdDocument(c),
    queue: workQueueColumns(c.state, a),
    archive: [],
    declarations: [c.declaration],
    events: [],
  };
}

/**
 * A plan made against an empty store as fresh consignments: every consignment, record, earlier
 * version and event it writes is new, so all of it becomes text attached to its consignment. A record
 * whose data is that of one of `prepared` is written as its prepared JSON.
 */
export function freshOf(plan: BatchPlan, prepared: readonly PreparedRecord[] = []): FreshConsignment[] {
  const w = plan.writes;
  const known = preparedJsonOf(prepared);
  const out: FreshConsignment[] = plan.created.map(freshOfCreated);
  const byId = new Map(out.map((f) => [f.id, f]));
  const all = (): boolean => true;
  for (const c of w.upserts) {
    // Written out rather than spread: V8 gave every object spread from a row a hidden class of its own,
    // which made each access to these objects (and to every other fresh consignment at the same sites)
    // a megamorphic lookup. The keys keep the order the spread gave them.
    const r = consignmentRow(c, all);
    const f: FreshConsignment = {
      queue: r.queue,
      id: r.id,
      version: r.version,
      state: r.state,
      lane: r.lane,
      decision: r.decision,
      riskScore: r.riskScore,
      destination: r.destination,
      office: r.office,
      submitterId: r.submitterId,
      dueAtBorder: r.dueAtBorder,
      currency: r.currency,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      doc: r.doc,
      keys: c.keys,
      archive: [],
      declarations: [],
      events: [],
    };
    out.push(f);
    byId.set(c.id, f);
  }
  const of = (id: string): FreshConsignment => {
    const f = byId.get(id);
    if (f === undefined)
      throw new Error(`plan writes for consignment ${id} that it neither creates nor changes`);
    return f;
  };
  for (const c of w.archive) of(c.id).archive.push({ version: c.version, doc: encodeConsignment(c, all) });
  for (const { consignmentId, record: r } of w.declarations) {
    of(consignmentId).declarations.push({
      declarationId: r.declarationId,
      kind: r.kind,
      submitterId: r.submitterId,
      receivedAt: r.receivedAt,
      hash: r.hash,
      json: known(r.data) ?? jsonOf(r.data),
    });
  }
  for (const e of w.events) {
    if (e.type === creationRowType)
      throw new Error(`an event cannot have the type of a creation row (${e.type})`);
    of(e.consignmentId).events.push(eventText(e));
  }
  // A consignment's first events (declared, assessed, routed) are written as one creation row.
  for (const f of out) f.events = compactCreation(f.events);
  return out;
}
