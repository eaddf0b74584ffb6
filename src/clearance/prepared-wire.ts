/**
 * How a prepared batch crosses from a worker thread to the thread that commits it. Structured clone
 * costs the receiving thread about one microsecond per object property, and a prepared batch has
 * dozens of small objects per consignment (rows, declarations, events, results), which made receiving
 * a batch cost the committing thread nearly as much as writing it. The worker therefore flattens the
 * batch into a few arrays of primitives (one per kind of row), and the committing thread rebuilds the
 * objects from them with object literals. The accepted records themselves stay behind: they are needed
 * only to plan a group again inside the transaction (when one of its keys turned out to be stored),
 * and the committing thread prepares those few records again from the submitted values instead.
 */
import type { ClearanceState, SourceKind } from '../domain/index.js';
import type { FreshConsignment, WorkQueueColumns } from '../store/index.js';
import type { SubmitResult } from './plan.js';
import type { PreparedBatch, PreparedGroup } from './prepare.js';

type Cell = string | number | null | undefined;

/** A prepared batch as flat arrays (see the module comment); `unpackBatch` turns it back. */
export interface PackedBatch {
  rejected: PreparedBatch['rejected'];
  /** Per group: its snapshot version, key count, fresh-consignment count, result count. */
  groups: Cell[];
  keys: string[];
  /** Per fresh consignment: the 14 row columns, then key, archive, declaration and event counts, and its queue columns. */
  fresh: Cell[];
  freshKeys: string[];
  queues: (WorkQueueColumns | null | undefined)[];
  /** Earlier versions: version, doc. */
  archive: Cell[];
  /** Declarations: id, kind, submitter, received at, hash, JSON. */
  declarations: Cell[];
  /** Events: type, from, to, at, actor, reason, data. */
  events: Cell[];
  /** Results: one cell per `resultKeys` entry, undefined where the result has no such field. */
  results: unknown[];
}

/** A batch rebuilt from a `PackedBatch`: its groups are complete, its accepted records were left behind. */
export interface UnpackedBatch extends PreparedBatch {
  /** `accepted` is empty; group members are found again from their results' record indexes. */
  acceptedLeftBehind: true;
}

const resultKeys = [
  'index',
  'status',
  'consignmentId',
  'declarationId',
  'version',
  'state',
  'decision',
  'lane',
  'dueAtBorder',
  'currency',
  'issues',
] as const satisfies readonly (keyof SubmitResult)[];

/** Flattens a prepared batch for `postMessage` (its accepted records are not included). */
export function packBatch(b: PreparedBatch): PackedBatch {
  const p: PackedBatch = {
    rejected: b.rejected,
    groups: [],
    keys: [],
    fresh: [],
    freshKeys: [],
    queues: [],
    archive: [],
    declarations: [],
    events: [],
    results: [],
  };
  for (const g of b.groups) {
    const { snapshotVersion, fresh, results } = g.planned;
    p.groups.push(snapshotVersion, g.keys.length, fresh.length, results.length);
    for (const k of g.keys) p.keys.push(k);
    for (const f of fresh) {
      p.fresh.push(
        f.id,
        f.version,
        f.state,
        f.lane,
        f.decision,
        f.riskScore,
        f.destination,
        f.office,
        f.submitterId,
        f.dueAtBorder,
        f.currency,
        f.createdAt,
        f.updatedAt,
        f.doc,
        f.keys.length,
        f.archive.length,
        f.declarations.length,
        f.events.length,
      );
      for (const k of f.keys) p.freshKeys.push(k);
      p.queues.push(f.queue);
      for (const a of f.archive) p.archive.push(a.version, a.doc);
      for (const d of f.declarations)
        p.declarations.push(d.declarationId, d.kind, d.submitterId, d.receivedAt, d.hash, d.json);
      for (const e of f.events) p.events.push(e.type, e.from, e.to, e.at, e.actor, e.reason, e.data);
    }
    for (const r of results) for (const k of resultKeys) p.results.push(r[k]);
  }
  return p;
}

const str = (c: Cell): string => c as string;
const num = (c: Cell): number => c as number;

/** Rebuilds the groups of a packed batch (see `UnpackedBatch`). */
export function unpackBatch(p: PackedBatch): UnpackedBatch {
  const groups: PreparedGroup[] = [];
  let gi = 0;
  let ki = 0;
  let fi = 0;
  let fki = 0;
  let qi = 0;
  let ai = 0;
  let di = 0;
  let ei = 0;
  let ri = 0;
  const { fresh: F, archive: A, declarations: D, events: E, results: R } = p;
  while (gi < p.groups.length) {
    const snapshotVersion = str(p.groups[gi]);
    const keyCount = num(p.groups[gi + 1]);
    const freshCount = num(p.groups[gi + 2]);
    const resultCount = num(p.groups[gi + 3]);
    gi += 4;
    const keys = p.keys.slice(ki, ki + keyCount);
    ki += keyCount;
    const fresh: FreshConsignment[] = new Array<FreshConsignment>(freshCount);
    for (let n = 0; n < freshCount; n++, fi += 18) {
      const keyN = num(F[fi + 14]);
      const archiveN = num(F[fi + 15]);
      const declarationN = num(F[fi + 16]);
      const eventN = num(F[fi + 17]);
      const archive: FreshConsignment['archive'] = new Array<FreshConsignment['archive'][number]>(archiveN);
      for (let j = 0; j < archiveN; j++, ai += 2) archive[j] = { version: num(A[ai]), doc: str(A[ai + 1]) };
      const declarations: FreshConsignment['declarations'] = new Array<
        FreshConsignment['declarations'][number]
      >(declarationN);
      for (let j = 0; j < declarationN; j++, di += 6) {
        declarations[j] = {
          declarationId: str(D[di]),
          kind: D[di + 1] as SourceKind,
          submitterId: str(D[di + 2]),
          receivedAt: str(D[di + 3]),
          hash: str(D[di + 4]),
          json: str(D[di + 5]),
        };
      }
      const events: FreshConsignment['events'] = new Array<FreshConsignment['events'][number]>(eventN);
      for (let j = 0; j < eventN; j++, ei += 7) {
        events[j] = {
          type: str(E[ei]),
          from: E[ei + 1] as ClearanceState | null,
          to: E[ei + 2] as ClearanceState | null,
          at: str(E[ei + 3]),
          actor: str(E[ei + 4]),
          reason: E[ei + 5] as string | null,
          data: E[ei + 6] as string | null,
        };
      }
      const queue = p.queues[qi++];
      const f: FreshConsignment = {
        id: str(F[fi]),
        version: num(F[fi + 1]),
        state: F[fi + 2] as FreshConsignment['state'],
        lane: F[fi + 3] as FreshConsignment['lane'],
        decision: F[fi + 4] as FreshConsignment['decision'],
        riskScore: num(F[fi + 5]),
        destination: str(F[fi + 6]),
        office: F[fi + 7] as string | null,
        submitterId: str(F[fi + 8]),
        dueAtBorder: str(F[fi + 9]),
        currency: str(F[fi + 10]),
        createdAt: str(F[fi + 11]),
        updatedAt: str(F[fi + 12]),
        doc: str(F[fi + 13]),
        keys: p.freshKeys.slice(fki, fki + keyN),
        archive,
        declarations,
        events,
      };
      if (queue !== undefined) f.queue = queue;
      fki += keyN;
      fresh[n] = f;
    }
    const results: SubmitResult[] = new Array<SubmitResult>(resultCount);
    for (let n = 0; n < resultCount; n++) {
      const r: Record<string, unknown> = {};
      for (const k of resultKeys) {
        const v = R[ri++];
        if (v !== undefined) r[k] = v;
      }
      results[n] = r as unknown as SubmitResult;
    }
    groups.push({ members: [], keys, planned: { snapshotVersion, fresh, results } });
  }
  return { accepted: [], rejected: p.rejected, groups, acceptedLeftBehind: true };
}
