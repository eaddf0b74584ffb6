/**
 * Platform partnership against counterfeits and unsafe goods: rights holders and protected brands
 * (feeding the IPR indicator), cases with evidence, seizure and disposal, notices to platforms that
 * they poll and answer, and the sellers' enforcement history that feeds operator trust.
 */
import { createHash } from 'node:crypto';
import { ParcelgateError } from '../domain/index.js';
import { maxClockSkewMs } from '../clearance/index.js';
import {
  checkIdentifier,
  identifierKey,
  normaliseIdentifier,
  operatorCollections,
  type Operator,
  type OperatorService,
} from '../operators/index.js';
import { registryId, type RegistryStore, type RegistryWrite } from '../registry/index.js';
import type { BrandFloor } from '../risk/index.js';
import type { ClearanceStore } from '../store/index.js';
import { applyCaseAction, noticeOutcome, type EnforcementCase } from './cases.js';
import type {
  BrandInput,
  CaseActionInput,
  CaseInput,
  Evidence,
  NoticeAnswer,
  RightsHolderInput,
} from './schemas.js';

/** A registered rights holder. */
export interface RightsHolder extends RightsHolderInput {
  id: string;
  registeredAt: string;
}

/** A protected brand. */
export interface Brand extends BrandInput {
  id: string;
  rightsHolderId: string;
  registeredAt: string;
}

/** A notice to a platform about a case: what was found, where, and what the platform did. */
export interface PlatformNotice {
  id: string;
  caseId: string;
  kind: EnforcementCase['kind'];
  platformOperatorId: string | null;
  platformId: string;
  sellerId: string | null;
  listingUrl: string | null;
  brand: string | null;
  hazard: string | null;
  outcome: string;
  requestedAction: 'remove-listing-and-review-seller';
  createdAt: string;
  updatedAt: string;
  answer?: NoticeAnswer & { at: string; by: string };
}

const C = {
  holder: 'rights-holder',
  brand: 'brand',
  brandName: 'brand-name',
  case: 'case',
  notice: 'notice',
  enforcement: 'enforcement',
} as const;

/**
 * The problem of an answer dated `at` to a notice created at `createdAt` when the clock reads `now`:
 * 422 `notice.invalid-date` at `/at` after the clock (beyond {@link maxClockSkewMs}) or before the
 * notice, as for carrier events and returns.
 */
export function answerDateProblem(at: string, now: string, createdAt: string): ParcelgateError | undefined {
  const message =
    Date.parse(at) > Date.parse(now) + maxClockSkewMs
      ? `the answer is dated ${at}, after the server's clock (${now}) by more than ${maxClockSkewMs / 60_000} minutes`
      : Date.parse(at) < Date.parse(createdAt)
        ? `the answer is dated ${at}, before the notice it answers (${createdAt})`
        : undefined;
  return message === undefined
    ? undefined
    : new ParcelgateError('notice.invalid-date', message, 422, {
        issues: [{ code: 'notice.invalid-date', path: '/at', message }],
      });
}

/** The seller operator a confirmed case registers, known by its platform seller id (country unknown). */
function sellerOperator(
  platformId: string,
  sellerId: string,
  platformOperatorId: string | undefined,
  now: string,
): Operator {
  const identifier = normaliseIdentifier({ scheme: 'PLATFORM-SELLER', value: `${platformId}/${sellerId}` });
  const issue = checkIdentifier(identifier, '/identifiers/0');
  if (issue)
    throw new ParcelgateError('operator.invalid', '1 problem(s) in the operator', 422, { issues: [issue] });
  return {
    id: registryId('opr', Date.parse(now)),
    kind: 'seller',
    name: `${platformId} seller ${sellerId}`,
    country: 'ZZ',
    identifiers: [identifier],
    contacts: [],
    ...(platformOperatorId ? { platformId: platformOperatorId } : {}),
    registeredAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The registry writes of a new operator and its identifiers, as the operator registry makes them. */
function sellerWrites(op: Operator): RegistryWrite[] {
  return [
    {
      collection: operatorCollections.operator,
      id: op.id,
      owner: op.id,
      ref: op.kind,
      at: op.registeredAt,
      doc: op,
      expectVersion: 0,
    },
    ...op.identifiers.map((i) => ({
      collection: operatorCollections.identifier,
      id: identifierKey(i),
      owner: op.id,
      doc: { operatorId: op.id, ...i },
      expectVersion: 0,
    })),
  ];
}

const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase();

/** The partnership service. */
export class PartnershipService {
  constructor(
    private readonly store: RegistryStore,
    private readonly operators: OperatorService,
    private readonly clearance: ClearanceStore,
  ) {}

  async addRightsHolder(input: RightsHolderInput, now: string): Promise<RightsHolder> {
    const h: RightsHolder = { ...input, id: registryId('rhd', Date.parse(now)), registeredAt: now };
    await this.store.write([{ collection: C.holder, id: h.id, at: now, doc: h, expectVersion: 0 }]);
    return h;
  }

  async rightsHolder(id: string): Promise<RightsHolder> {
    const d = await this.store.get<RightsHolder>(C.holder, id);
    if (!d) throw new ParcelgateError('rights-holder.not-found', `no rights holder ${id}`, 404);
    return d.doc;
  }

  /** Protects a brand: its name and aliases must not be protected already. */
  async addBrand(rightsHolderId: string, input: BrandInput, now: string): Promise<Brand> {
    await this.rightsHolder(rightsHolderId);
    const b: Brand = {
      ...input,
      aliases: input.aliases ?? [],
      genuineHints: input.genuineHints ?? [],
      authorisedSellers: input.authorisedSellers ?? [],
      id: registryId('brd', Date.parse(now)),
      rightsHolderId,
      registeredAt: now,
    };
    const names = [...new Set([b.name, ...b.aliases].map(fold))];
    try {
      await this.store.write([
        { collection: C.brand, id: b.id, owner: rightsHolderId, at: now, doc: b, expectVersion: 0 },
        ...names.map((n) => ({
          collection: C.brandName,
          id: n,
          owner: b.id,
          doc: { brandId: b.id },
          expectVersion: 0,
        })),
      ]);
    } catch (e) {
      if (e instanceof ParcelgateError && e.code === 'registry.conflict')
        throw new ParcelgateError(
          'brand.exists',
          `"${String((e.details as { id?: string })?.id)}" is already a protected brand name`,
          409,
        );
      throw e;
    }
    return b;
  }

  async brand(id: string): Promise<Brand> {
    const d = await this.store.get<Brand>(C.brand, id);
    if (!d) throw new ParcelgateError('brand.not-found', `no brand ${id}`, 404);
    return d.doc;
  }

  /** All protected brands (of one rights holder, if given). */
  async brands(rightsHolderId?: string): Promise<Brand[]> {
    return (
      await this.store.find<Brand>({
        collection: C.brand,
        ...(rightsHolderId ? { owner: rightsHolderId } : {}),
      })
    ).map((d) => d.doc);
  }

  /** The brands as price floors for the IPR indicator, with a version digest of their content. */
  async brandFloors(at: string): Promise<{ floors: BrandFloor[]; version: string }> {
    const holders = new Map(
      (await this.store.find<RightsHolder>({ collection: C.holder })).map((d) => [d.id, d.doc]),
    );
    const floors: BrandFloor[] = [];
    for (const b of await this.brands()) {
      const h = holders.get(b.rightsHolderId);
      // An application for action that has ended no longer protects the brand.
      if (h?.validTo !== undefined && Date.parse(h.validTo) <= Date.parse(at)) continue;
      floors.push({
        name: b.name,
        floorEur: b.priceFloorEur,
        ...(b.aliases.length > 0 ? { aliases: b.aliases } : {}),
        ...(b.nameInDescription === false ? { nameInDescription: false } : {}),
        ...((b.authorisedSellers ?? []).length > 0 ? { authorisedSellers: b.authorisedSellers } : {}),
      });
    }
    const digest = createHash('sha256').update(JSON.stringify(floors)).digest('hex').slice(0, 12);
    return { floors, version: `brands:${digest}` };
  }

  /** Opens a case; platform and seller default to the consignment's. */
  async openCase(input: CaseInput, actor: string, now: string): Promise<EnforcementCase> {
    let platformId = input.platformId;
    let sellerId = input.sellerId;
    if (input.consignmentId !== undefined) {
      const c = await this.clearance.get(input.consignmentId);
      if (!c)
        throw new ParcelgateError('consignment.not-found', `no consignment ${input.consignmentId}`, 404);
      platformId ??= c.merged.platform?.id;
      sellerId ??= c.merged.platform?.sellerId;
    }
    const brand = input.brandId !== undefined ? await this.brand(input.brandId) : undefined;
    const platformOp = platformId ? await this.operators.resolve('PLATFORM', platformId) : undefined;
    const sellerOp =
      platformId && sellerId
        ? await this.operators.resolve('PLATFORM-SELLER', `${platformId}/${sellerId}`)
        : undefined;
    const c: EnforcementCase = {
      ...input,
      ...(platformId !== undefined ? { platformId } : {}),
      ...(sellerId !== undefined ? { sellerId } : {}),
      ...(brand ? { brandName: brand.name } : {}),
      ...(platformOp ? { platformOperatorId: platformOp.id } : {}),
      ...(sellerOp ? { sellerOperatorId: sellerOp.id } : {}),
      id: registryId('cas', Date.parse(now)),
      state: 'opened',
      evidence: (input.evidence ?? []).map((e) => ({ ...e, at: now, by: actor })),
      openedAt: now,
      history: [{ action: 'open', at: now, actor, ...(input.note ? { reason: input.note } : {}) }],
    };
    await this.store.write([
      {
        collection: C.case,
        id: c.id,
        owner: c.sellerOperatorId ?? null,
        ref: c.consignmentId ?? null,
        at: now,
        doc: c,
        expectVersion: 0,
      },
    ]);
    return c;
  }

  async getCase(id: string): Promise<{ doc: EnforcementCase; version: number }> {
    const d = await this.store.get<EnforcementCase>(C.case, id);
    if (!d) throw new ParcelgateError('case.not-found', `no case ${id}`, 404);
    return { doc: d.doc, version: d.version };
  }

  /** Cases, newest first, optionally about one seller operator or one consignment. */
  async cases(q: {
    sellerOperatorId?: string;
    consignmentId?: string;
    limit: number;
  }): Promise<EnforcementCase[]> {
    return (
      await this.store.find<EnforcementCase>({
        collection: C.case,
        ...(q.sellerOperatorId ? { owner: q.sellerOperatorId } : {}),
        ...(q.consignmentId ? { ref: q.consignmentId } : {}),
        newestFirst: true,
        limit: q.limit,
      })
    ).map((d) => d.doc);
  }

  /** Adds evidence to an open or confirmed case. */
  async addEvidence(id: string, evidence: Evidence, actor: string, now: string): Promise<EnforcementCase> {
    const { doc, version } = await this.getCase(id);
    if (doc.state === 'dismissed' || doc.state === 'disposed')
      throw new ParcelgateError(
        'case.transition-not-allowed',
        `a ${doc.state} case takes no more evidence`,
        409,
        { state: doc.state, action: 'evidence' },
      );
    const next: EnforcementCase = {
      ...doc,
      evidence: [...doc.evidence, { ...evidence, at: now, by: actor }],
      history: [...doc.history, { action: 'evidence', at: now, actor }],
    };
    await this.store.write([
      {
        collection: C.case,
        id,
        owner: doc.sellerOperatorId ?? null,
        ref: doc.consignmentId ?? null,
        at: doc.openedAt,
        doc: next,
        expectVersion: version,
      },
    ]);
    return next;
  }

  /**
   * Confirms, dismisses, seizes or disposes. Confirmation counts against the seller (registering it
   * by its platform seller id if unknown) and sends a notice to the platform; later steps update the
   * notice's outcome. Case, notice and enforcement count are written in one transaction.
   */
  async act(id: string, a: CaseActionInput, actor: string, now: string): Promise<EnforcementCase> {
    // A seller registered by another confirmation at the same moment makes this one's registration
    // conflict: nothing was written, and the next attempt finds the seller registered.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.actOnce(id, a, actor, now);
      } catch (e) {
        const conflict =
          e instanceof ParcelgateError &&
          e.code === 'registry.conflict' &&
          (e.details as { collection?: string } | undefined)?.collection === operatorCollections.identifier;
        if (!conflict || attempt >= 3) throw e;
      }
    }
  }

  private async actOnce(
    id: string,
    a: CaseActionInput,
    actor: string,
    now: string,
  ): Promise<EnforcementCase> {
    const { doc, version } = await this.getCase(id);
    let next = applyCaseAction(doc, a, actor, now);
    const writes: RegistryWrite[] = [];
    if (a.action === 'confirm') {
      if (!next.sellerOperatorId && next.platformId && next.sellerId) {
        const key = `${next.platformId}/${next.sellerId}`;
        const known = await this.operators.resolve('PLATFORM-SELLER', key);
        // An unknown seller is registered in the case's own transaction: a failure between the two
        // can leave neither a confirmed case without its seller nor a seller without its case.
        const seller = known ?? sellerOperator(next.platformId, next.sellerId, next.platformOperatorId, now);
        if (!known) writes.push(...sellerWrites(seller));
        next = { ...next, sellerOperatorId: seller.id };
      }
      if (next.sellerOperatorId) {
        const e = await this.store.get<{ confirmedCases: number; caseIds: string[] }>(
          C.enforcement,
          next.sellerOperatorId,
        );
        writes.push({
          collection: C.enforcement,
          id: next.sellerOperatorId,
          owner: next.sellerOperatorId,
          at: now,
          doc: { confirmedCases: (e?.doc.confirmedCases ?? 0) + 1, caseIds: [...(e?.doc.caseIds ?? []), id] },
          expectVersion: e?.version ?? 0,
        });
      }
      if (next.platformId) {
        const notice: PlatformNotice = {
          id: registryId('ntc', Date.parse(now)),
          caseId: id,
          kind: next.kind,
          platformOperatorId: next.platformOperatorId ?? null,
          platformId: next.platformId,
          sellerId: next.sellerId ?? null,
          listingUrl: next.listingUrl ?? null,
          brand: next.brandName ?? null,
          hazard: next.hazard ?? null,
          outcome: noticeOutcome.confirmed,
          requestedAction: 'remove-listing-and-review-seller',
          createdAt: now,
          updatedAt: now,
        };
        next = { ...next, noticeId: notice.id };
        writes.push(this.noticeWrite(notice, 0));
      }
    } else if (next.noticeId) {
      const n = await this.store.get<PlatformNotice>(C.notice, next.noticeId);
      if (n)
        writes.push(
          this.noticeWrite({ ...n.doc, outcome: noticeOutcome[next.state], updatedAt: now }, n.version),
        );
    }
    writes.unshift({
      collection: C.case,
      id,
      owner: next.sellerOperatorId ?? null,
      ref: next.consignmentId ?? null,
      at: doc.openedAt,
      doc: next,
      expectVersion: version,
    });
    await this.store.write(writes);
    if (a.action === 'confirm') await this.operators.refresh();
    return next;
  }

  private noticeWrite(n: PlatformNotice, expectVersion: number): RegistryWrite {
    return {
      collection: C.notice,
      id: n.id,
      owner: n.platformOperatorId ?? `platform:${n.platformId}`,
      ref: n.caseId,
      at: n.createdAt,
      doc: n,
      expectVersion,
    };
  }

  /**
   * Notices for a platform changed after `afterSeq` (new ones and outcome or answer updates), oldest
   * change first: the platform polls with the returned cursor.
   */
  async notices(
    platformOperatorId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ items: PlatformNotice[]; cursor: number }> {
    const docs = await this.store.find<PlatformNotice>({
      collection: C.notice,
      owner: platformOperatorId,
      afterSeq,
      limit,
    });
    return { items: docs.map((d) => d.doc), cursor: docs.at(-1)?.seq ?? afterSeq };
  }

  /** Records the platform's answer (once); `by` must be the platform the notice is addressed to. */
  async answer(noticeId: string, a: NoticeAnswer, by: string, now: string): Promise<PlatformNotice> {
    const d = await this.store.get<PlatformNotice>(C.notice, noticeId);
    if (!d) throw new ParcelgateError('notice.not-found', `no notice ${noticeId}`, 404);
    // A notice to a platform that was not registered when the case was confirmed is answered by the
    // operator that holds its platform code now; while none does, nobody can answer for it.
    const addressee =
      d.doc.platformOperatorId ?? (await this.operators.resolve('PLATFORM', d.doc.platformId))?.id;
    if (by !== addressee)
      throw new ParcelgateError(
        'notice.wrong-platform',
        addressee === undefined
          ? `notice ${noticeId} is addressed to platform ${d.doc.platformId}, which is not registered: register it and answer with its key`
          : `notice ${noticeId} is addressed to ${addressee}`,
        403,
      );
    if (d.doc.answer)
      throw new ParcelgateError(
        'notice.already-answered',
        `notice ${noticeId} was answered ${d.doc.answer.at}`,
        409,
      );
    // Dated like carrier events and returns: not after the clock (beyond its skew), nor before the
    // notice it answers. Stored in UTC, as the notice's own dates are.
    const at = new Date(a.at ?? now).toISOString();
    const dated = answerDateProblem(at, now, d.doc.createdAt);
    if (dated !== undefined) throw dated;
    const next: PlatformNotice = { ...d.doc, answer: { ...a, at, by }, updatedAt: now };
    await this.store.write([this.noticeWrite(next, d.version)]);
    return next;
  }

  /** A seller operator's enforcement history: cases against it and the platforms' answers. */
  async sellerHistory(
    sellerOperatorId: string,
  ): Promise<{ confirmedCases: number; cases: EnforcementCase[]; answers: PlatformNotice['answer'][] }> {
    const cases = await this.cases({ sellerOperatorId, limit: 1000 });
    const e = await this.store.get<{ confirmedCases: number }>(C.enforcement, sellerOperatorId);
    const answers: PlatformNotice['answer'][] = [];
    for (const c of cases) {
      if (!c.noticeId) continue;
      const n = await this.store.get<PlatformNotice>(C.notice, c.noticeId);
      if (n?.doc.answer) answers.push(n.doc.answer);
    }
    return { confirmedCases: e?.doc.confirmedCases ?? 0, cases, answers };
  }
}
