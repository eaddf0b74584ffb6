/** The operator registry service: registration, identifiers, statuses, ratings, compliance scores and the trust index. */
import { isCountryCode, type RequiredElements } from '../intake/index.js';
import { dataSetNameFor, defaultDataSetPolicy } from './data-sets.js';
import { ParcelgateError, type ConsignmentInput, type ValidationIssue } from '../domain/index.js';
import { registryId, type RegistryDoc, type RegistryStore, type RegistryWrite } from '../registry/index.js';
import {
  addCounts,
  complianceScore,
  emptyCounts,
  type ComplianceCounts,
  type ComplianceScore,
  type ExternalRating,
  type ScoreModel,
  defaultScoreModel,
} from './compliance.js';
import { countsOf, isEmpty } from './compliance-events.js';
import { advanceCursor, initialCursor, type CursorState } from './event-cursor.js';
import {
  defaultFacilitationPolicy,
  facilitationFor,
  type Facilitation,
  type FacilitationPolicy,
} from './facilitation.js';
import { checkIdentifier, identifierKey, normaliseIdentifier } from './identifiers.js';
import type { Operator, OperatorInput, OperatorKind } from './schemas.js';
import {
  applyStatusAction,
  effectiveAt,
  grantStatus,
  type StatusActionInput,
  type StatusGrant,
  type TrustStatus,
} from './status.js';
import { buildTrustIndex, involvedOperators, type TrustIndex } from './trust-index.js';

/** Stored compliance state of one operator. */
export interface ComplianceRecord {
  operatorId: string;
  counts: ComplianceCounts;
  score: ComplianceScore;
  updatedAt: string;
}

/** One point of an operator's score history. */
export interface ScorePoint {
  at: string;
  score: number;
  band: ComplianceScore['band'];
  observations: number;
  cause: string;
}

/**
 * The country of an operator whose country of establishment is not known (ISO 3166-1 user-assigned
 * ZZ, "unknown"): a seller registered from an enforcement case by its platform seller id has only that.
 */
const unknownCountry = 'ZZ';

/** Collections the operators module writes. */
export const operatorCollections = {
  operator: 'operator',
  identifier: 'identifier',
  status: 'status',
  rating: 'rating',
  compliance: 'compliance',
  history: 'compliance-history',
  cursor: 'cursor',
  enforcement: 'enforcement',
} as const;
const C = operatorCollections;

/** Looks up the merged data of consignments (for attributing events to sellers and platforms). */
export type ConsignmentLookup = (ids: readonly string[]) => Promise<Map<string, ConsignmentInput>>;

/** Options: scoring model, facilitation policy and the grace period for event gaps (0 for SQLite). */
export interface OperatorServiceOptions {
  model?: ScoreModel;
  policy?: FacilitationPolicy;
  gapGraceMs?: number;
}

/** The operator registry. One per process; `trustIndex()` is what assessments read. */
export class OperatorService {
  private index: TrustIndex | undefined;
  private lastBuilt: TrustIndex | undefined;
  readonly model: ScoreModel;
  readonly policy: FacilitationPolicy;
  private readonly graceMs: number;
  private following: Promise<number> | undefined;

  constructor(
    readonly store: RegistryStore,
    opts: OperatorServiceOptions = {},
  ) {
    this.model = opts.model ?? defaultScoreModel;
    this.policy = opts.policy ?? defaultFacilitationPolicy;
    this.graceMs = opts.gapGraceMs ?? (store.kind === 'postgres' ? 60_000 : 0);
  }

  /** Registers an operator; identifiers are validated (all issues at once) and must be unique. */
  async register(input: OperatorInput, now: string): Promise<Operator> {
    const op: Operator = {
      id: input.id ?? registryId('opr', Date.parse(now)),
      kind: input.kind,
      name: input.name.trim(),
      country: input.country,
      identifiers: (input.identifiers ?? []).map(normaliseIdentifier),
      contacts: input.contacts ?? [],
      ...(input.platformId !== undefined ? { platformId: input.platformId } : {}),
      registeredAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.checkOperator(op);
    const writes: RegistryWrite[] = [
      { collection: C.operator, id: op.id, owner: op.id, ref: op.kind, at: now, doc: op, expectVersion: 0 },
      ...op.identifiers.map((i) => ({
        collection: C.identifier,
        id: identifierKey(i),
        owner: op.id,
        doc: { operatorId: op.id, ...i },
        expectVersion: 0,
      })),
    ];
    await this.writeOrExplain(writes, op);
    await this.refresh();
    return op;
  }

  /** Replaces an operator's name, contacts and identifiers (optimistic: `version` must be current). */
  async update(
    id: string,
    input: Omit<OperatorInput, 'id' | 'kind'> & { version: number },
    now: string,
  ): Promise<Operator> {
    const current = await this.get(id);
    const next: Operator = {
      ...current,
      name: input.name.trim(),
      country: input.country,
      identifiers: (input.identifiers ?? []).map(normaliseIdentifier),
      contacts: input.contacts ?? [],
      ...(input.platformId !== undefined ? { platformId: input.platformId } : {}),
      updatedAt: now,
      version: input.version + 1,
    };
    await this.checkOperator(next);
    const before = new Set(current.identifiers.map(identifierKey));
    const after = new Set(next.identifiers.map(identifierKey));
    const writes: RegistryWrite[] = [
      {
        collection: C.operator,
        id,
        owner: id,
        ref: next.kind,
        at: current.registeredAt,
        doc: next,
        expectVersion: input.version,
      },
      ...[...before]
        .filter((k) => !after.has(k))
        .map((k) => ({ collection: C.identifier, id: k, doc: null, remove: true })),
      ...next.identifiers
        .filter((i) => !before.has(identifierKey(i)))
        .map((i) => ({
          collection: C.identifier,
          id: identifierKey(i),
          owner: id,
          doc: { operatorId: id, ...i },
          expectVersion: 0,
        })),
    ];
    await this.writeOrExplain(writes, next);
    await this.refresh();
    return next;
  }

  private async checkOperator(op: Operator): Promise<void> {
    const issues: ValidationIssue[] = [];
    // The schema checks the shape (two capitals) only: XX is no country of establishment.
    if (!isCountryCode(op.country) && op.country !== unknownCountry)
      issues.push({
        code: 'country.unknown',
        path: '/country',
        message: `"${op.country}" is not an ISO 3166-1 alpha-2 country code (${unknownCountry} when it is not known)`,
      });
    op.identifiers.forEach((id, i) => {
      const issue = checkIdentifier(id, `/identifiers/${i}`);
      if (issue) issues.push(issue);
    });
    const keys = op.identifiers.map(identifierKey);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i)
        issues.push({
          code: 'operator.invalid-identifier',
          path: `/identifiers/${i}`,
          message: `${k} is listed twice`,
        });
    });
    if (op.platformId !== undefined) {
      const platform = await this.store.get<Operator>(C.operator, op.platformId);
      if (!platform || platform.doc.kind !== 'platform')
        issues.push({
          code: 'operator.invalid',
          path: '/platformId',
          message: `${op.platformId} is not a registered platform`,
        });
    }
    if (issues.length > 0)
      throw new ParcelgateError('operator.invalid', `${issues.length} problem(s) in the operator`, 422, {
        issues,
      });
  }

  private async writeOrExplain(writes: RegistryWrite[], op: Operator): Promise<void> {
    try {
      await this.store.write(writes);
    } catch (e) {
      if (!(e instanceof ParcelgateError) || e.code !== 'registry.conflict') throw e;
      const d = e.details as { collection?: string; id?: string } | undefined;
      if (d?.collection === C.identifier) {
        const holder = await this.store.get<{ operatorId: string }>(C.identifier, d.id ?? '');
        throw new ParcelgateError(
          'operator.identifier-taken',
          `${d.id} is already held by ${holder?.doc.operatorId ?? 'another operator'}`,
          409,
          {
            identifier: d.id,
          },
        );
      }
      if (d?.collection === C.operator && writes[0]?.expectVersion === 0)
        throw new ParcelgateError('operator.exists', `operator ${op.id} is already registered`, 409);
      throw e;
    }
  }

  /** An operator by id; `operator.not-found` otherwise. */
  async get(id: string): Promise<Operator> {
    const d = await this.store.get<Operator>(C.operator, id);
    if (!d) throw new ParcelgateError('operator.not-found', `no operator ${id}`, 404);
    return { ...d.doc, version: d.version };
  }

  /** Operators in registration order, optionally of one kind, after a cursor (seq). */
  async list(q: {
    kind?: OperatorKind;
    afterSeq?: number;
    limit: number;
  }): Promise<{ items: Operator[]; nextCursor: string | null }> {
    const docs = await this.store.find<Operator>({
      collection: C.operator,
      ...(q.kind ? { ref: q.kind } : {}),
      ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}),
      limit: q.limit,
    });
    const last = docs.at(-1);
    return {
      items: docs.map((d) => ({ ...d.doc, version: d.version })),
      nextCursor: docs.length === q.limit && last ? String(last.seq) : null,
    };
  }

  /** The operator holding an identifier, if any. */
  async resolve(scheme: string, value: string): Promise<Operator | undefined> {
    const key = identifierKey({ scheme: scheme as never, value });
    const d = await this.store.get<{ operatorId: string }>(C.identifier, key);
    return d ? this.get(d.doc.operatorId) : undefined;
  }

  /** Grants an AEO certificate or credit grade. */
  async grantStatus(
    operatorId: string,
    grant: StatusGrant,
    actor: string,
    now: string,
  ): Promise<TrustStatus> {
    await this.get(operatorId);
    const s = grantStatus(registryId('sts', Date.parse(now)), operatorId, grant, actor, now);
    await this.store.write([
      {
        collection: C.status,
        id: s.id,
        owner: operatorId,
        ref: s.level,
        at: s.validFrom,
        doc: s,
        expectVersion: 0,
      },
    ]);
    await this.refresh();
    return s;
  }

  /** Suspends, reinstates, withdraws or renews a status (through the transition table). */
  async actOnStatus(
    statusId: string,
    action: StatusActionInput,
    actor: string,
    now: string,
  ): Promise<TrustStatus> {
    const d = await this.store.get<TrustStatus>(C.status, statusId);
    if (!d) throw new ParcelgateError('status.not-found', `no status ${statusId}`, 404);
    const next = applyStatusAction(d.doc, action, actor, now);
    await this.store.write([
      {
        collection: C.status,
        id: statusId,
        owner: d.owner,
        ref: d.ref,
        at: d.at,
        doc: next,
        expectVersion: d.version,
      },
    ]);
    await this.refresh();
    return next;
  }

  /** Every status record of an operator, with what holds at `at`. */
  async statuses(operatorId: string, at: string): Promise<(TrustStatus & { effective: string })[]> {
    const docs = await this.store.find<TrustStatus>({ collection: C.status, owner: operatorId });
    return docs.map((d) => ({ ...d.doc, effective: effectiveAt(d.doc, at) }));
  }

  /** Records (or replaces) an external rating of an operator from one source. */
  async addRating(operatorId: string, r: ExternalRating): Promise<ComplianceRecord> {
    await this.get(operatorId);
    if (!(Number.isFinite(r.value) && r.value >= 0 && r.value <= 100 && r.weight > 0 && r.weight <= 10))
      throw new ParcelgateError(
        'rating.invalid',
        'a rating is a value from 0 to 100 with a weight in (0, 10]',
        400,
        { path: '/value' },
      );
    await this.store.write([
      { collection: C.rating, id: `${operatorId}:${r.source}`, owner: operatorId, at: r.at, doc: r },
    ]);
    return this.rescore(operatorId, r.at, `rating from ${r.source}`);
  }

  private async ratings(operatorId: string): Promise<ExternalRating[]> {
    return (await this.store.find<ExternalRating>({ collection: C.rating, owner: operatorId })).map(
      (d) => d.doc,
    );
  }

  private async rescore(operatorId: string, now: string, cause: string): Promise<ComplianceRecord> {
    const cur = await this.store.get<ComplianceRecord>(C.compliance, operatorId);
    const counts = cur?.doc.counts ?? emptyCounts();
    const record: ComplianceRecord = {
      operatorId,
      counts,
      score: complianceScore(counts, await this.ratings(operatorId), this.model),
      updatedAt: now,
    };
    const writes = this.scoreWrites(record, cur, cause);
    await this.store.write(writes);
    await this.refresh();
    return record;
  }

  private scoreWrites(
    record: ComplianceRecord,
    cur: RegistryDoc<ComplianceRecord> | undefined,
    cause: string,
  ): RegistryWrite[] {
    const writes: RegistryWrite[] = [
      {
        collection: C.compliance,
        id: record.operatorId,
        owner: record.operatorId,
        at: record.updatedAt,
        doc: record,
        expectVersion: cur?.version ?? 0,
      },
    ];
    const prev = cur?.doc.score;
    if (!prev || prev.score !== record.score.score || prev.band !== record.score.band) {
      const point: ScorePoint = {
        at: record.updatedAt,
        score: record.score.score,
        band: record.score.band,
        observations: record.score.observations,
        cause,
      };
      writes.push({
        collection: C.history,
        id: `${record.operatorId}:${record.updatedAt}:${(cur?.version ?? 0) + 1}`,
        owner: record.operatorId,
        at: record.updatedAt,
        doc: point,
      });
    }
    return writes;
  }

  /** The current compliance score with its explanation (a newcomer's prior when nothing is recorded yet). */
  async compliance(operatorId: string): Promise<ComplianceRecord> {
    await this.get(operatorId);
    const d = await this.store.get<ComplianceRecord>(C.compliance, operatorId);
    if (d) return d.doc;
    return {
      operatorId,
      counts: emptyCounts(),
      score: complianceScore(emptyCounts(), await this.ratings(operatorId), this.model),
      updatedAt: '',
    };
  }

  /** Score history, oldest first, optionally in `[from, to)`. */
  async history(operatorId: string, from?: string, to?: string): Promise<ScorePoint[]> {
    const docs = await this.store.find<ScorePoint>({
      collection: C.history,
      owner: operatorId,
      ...(from ? { atFrom: from } : {}),
      ...(to ? { atTo: to } : {}),
    });
    return docs.map((d) => d.doc);
  }

  /**
   * Reads clearance events after the stored cursor, adds their counts to every registered operator
   * involved (submitter, declarant, seller, platform, tax registrant), rescoring them; cursor and
   * counts commit together, so each event counts once. Returns the number of events processed.
   */
  async followEvents(lookup: ConsignmentLookup, now: () => Date, batch = 2000): Promise<number> {
    // One catch-up at a time per process; a concurrent caller waits for the running one.
    if (this.following) return this.following;
    this.following = this.follow(lookup, now, batch).finally(() => {
      this.following = undefined;
    });
    return this.following;
  }

  private async follow(lookup: ConsignmentLookup, now: () => Date, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const cur = await this.store.get<CursorState>(C.cursor, 'compliance');
      const state = cur?.doc ?? initialCursor();
      const events = await this.store.clearanceEventsSince(state.frontier, batch);
      const at = now();
      const { process, state: next } = advanceCursor(state, events, at.getTime(), this.graceMs);
      const index = await this.trustIndex();
      const inputs = await lookup([...new Set(process.map((e) => e.consignmentId))]);
      const byOperator = new Map<string, ComplianceCounts>();
      for (const e of process) {
        const input = inputs.get(e.consignmentId);
        const counts = countsOf(e, input);
        if (isEmpty(counts)) continue;
        const ops = input
          ? involvedOperators(index, input, e.submitterId).map((i) => i.operator.operatorId)
          : index.get(e.submitterId)
            ? [e.submitterId]
            : [];
        for (const id of ops) byOperator.set(id, addCounts(byOperator.get(id) ?? emptyCounts(), counts));
      }
      const writes: RegistryWrite[] = [];
      const nowIso = at.toISOString();
      for (const [operatorId, add] of byOperator) {
        const d = await this.store.get<ComplianceRecord>(C.compliance, operatorId);
        const counts = addCounts(d?.doc.counts ?? emptyCounts(), add);
        const record: ComplianceRecord = {
          operatorId,
          counts,
          score: complianceScore(counts, await this.ratings(operatorId), this.model),
          updatedAt: nowIso,
        };
        writes.push(
          ...this.scoreWrites(
            record,
            d,
            `${add.declarations} declaration(s), ${add.inspections} inspection(s), ${add.seizures} seizure(s)`,
          ),
        );
      }
      writes.push({ collection: C.cursor, id: 'compliance', doc: next, expectVersion: cur?.version ?? 0 });
      if (process.length > 0 || next.frontier !== state.frontier) await this.store.write(writes);
      total += process.length;
      if (byOperator.size > 0) await this.refresh();
      if (events.length < batch) return total;
    }
  }

  /** The trust index over the registry (cached; rebuilt after any change this service makes). */
  async trustIndex(): Promise<TrustIndex> {
    if (this.index) return this.index;
    const [operators, statuses, scores, enforcement] = await Promise.all([
      this.store.find<Operator>({ collection: C.operator }),
      this.store.find<TrustStatus>({ collection: C.status }),
      this.store.find<ComplianceRecord>({ collection: C.compliance }),
      this.store.find<{ confirmedCases: number }>({ collection: C.enforcement }),
    ]);
    this.index = buildTrustIndex({
      operators: operators.map((d) => d.doc),
      statuses: statuses.map((d) => d.doc),
      scores: new Map(
        scores.map((d) => [
          d.id,
          { score: d.doc.score.score, band: d.doc.score.band, observations: d.doc.score.observations },
        ]),
      ),
      confirmedCases: new Map(enforcement.map((d) => [d.id, d.doc.confirmedCases])),
    });
    this.lastBuilt = this.index;
    return this.index;
  }

  /** Rebuilds the index now (after another process or module changed the registry). */
  async refresh(): Promise<TrustIndex> {
    this.index = undefined;
    return this.trustIndex();
  }

  /** The index as last built, synchronously (for the snapshot function); undefined before the first build. */
  currentIndex(): TrustIndex | undefined {
    return this.lastBuilt;
  }

  /**
   * The facilitation an operator's status and score give at `at`, with the intake data set its own
   * records are held to and that set's required elements per source kind.
   */
  async facilitation(
    operatorId: string,
    at: string,
  ): Promise<Facilitation & { dataSet: string; dataSetElements: RequiredElements }> {
    await this.get(operatorId);
    const index = await this.trustIndex();
    const { name } = dataSetNameFor(index, operatorId, at, this.policy);
    const sets = this.policy.dataSets ?? defaultDataSetPolicy;
    return {
      ...facilitationFor(index, operatorId, at, this.policy),
      dataSet: name,
      dataSetElements: sets.sets[name] ?? {},
    };
  }
}
