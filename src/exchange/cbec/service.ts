/**
 * Three-document matching end to end: signed documents and declaration lists are verified against the
 * key registry, stored, matched, checked against the buyer's quota, and an accepted list is submitted
 * to the clearance pipeline as a declaration. Lists still waiting for documents after the timeout are
 * reported as missing.
 */
import { createHash } from 'node:crypto';
import { ParcelgateError, type ValidationIssue } from '../../domain/index.js';
import { submitBatch, type PipelineDeps, type RequestContext } from '../../clearance/index.js';
import type { CbecDocumentRow, CbecListRow, ExchangeStore, ListReason } from '../../store/index.js';
import { verifyEnvelope, type SignedEnvelope } from '../signing/index.js';
import {
  documentKinds,
  parseDocument,
  type CbecList,
  type DocumentKind,
  type DocumentOf,
} from './documents.js';
import {
  defaultTolerances,
  matchDocuments,
  reasonsForOtherParty,
  type DocumentSet,
  type Tolerances,
} from './matching.js';
import { checkQuota, residentIdProblem, type QuotaOutcome } from './quota.js';
import { listToConsignment } from './to-consignment.js';
import { listOutcomeNotices } from '../notices.js';
import { partyClearance, type PartyClearance } from './clearance-status.js';

/** What the service needs: the exchange store, the clearance pipeline and its settings. */
export interface ThreeDocDeps {
  exchange: ExchangeStore;
  pipeline: PipelineDeps;
  tolerances?: Partial<Tolerances>;
  /** Minutes a list may wait for its documents before it is reported missing (default 1440). */
  timeoutMinutes?: number;
}

/** The outcome of a list, as returned to the submitter and kept in the store. */
export interface ListOutcome {
  orderNo: string;
  status: 'pending' | 'accepted' | 'rejected' | 'missing';
  reasons: ListReason[];
  consignmentId?: string;
  quota?: Omit<QuotaOutcome, 'reasons' | 'revenue'> & { taxTotal: string };
}

/** Thrown as a 422 with the issues when an envelope or its payload is refused. */
function refused(message: string, issues: ValidationIssue[]): ParcelgateError {
  const signature = issues.some((i) => i.code.startsWith('signature.'));
  return new ParcelgateError(
    signature ? 'three-doc.signature-refused' : 'three-doc.invalid-document',
    message,
    signature ? 403 : 422,
    {
      issues,
    },
  );
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

async function verified<K extends keyof DocumentOf>(
  deps: ThreeDocDeps,
  kind: K,
  env: SignedEnvelope,
  ctx: RequestContext,
): Promise<DocumentOf[K]> {
  const sigIssues = await verifyEnvelope(deps.exchange, env, kind, ctx.submitterId, ctx.now);
  if (sigIssues.length > 0) throw refused(`the signed ${kind} is refused`, sigIssues);
  const parsed = parseDocument(kind, env.payload);
  if (!parsed.ok) throw refused(`the ${kind} document is not valid`, parsed.issues);
  return parsed.value;
}

async function loadSet(exchange: ExchangeStore, orderNo: string): Promise<DocumentSet> {
  const set: DocumentSet = {};
  for (const row of await exchange.documents(orderNo)) {
    const kind = row.kind as DocumentKind;
    const parsed = parseDocument(kind, row.payload);
    if (parsed.ok) (set as Record<string, unknown>)[kind] = parsed.value;
  }
  return set;
}

/**
 * Stores a list outcome with, in the same transaction, its notice to every party of the order (the
 * list's submitter and the document submitters) in the exchange outbox.
 */
async function decided(deps: Pick<ThreeDocDeps, 'exchange'>, row: CbecListRow, at: string): Promise<void> {
  const submitters = (await deps.exchange.documents(row.orderNo)).map((d) => d.submitterId);
  await deps.exchange.putList(row, listOutcomeNotices(row, submitters, at));
}

const outcomeOf = (row: CbecListRow): ListOutcome => ({
  orderNo: row.orderNo,
  status: row.status as ListOutcome['status'],
  reasons: row.reasons,
  ...(row.consignmentId === null ? {} : { consignmentId: row.consignmentId }),
});

/**
 * A list outcome as a party of the order other than the list's submitter reads it: the reasons without
 * the buyer's personal data ({@link reasonsForOtherParty}), no quota use (the buyer's yearly total),
 * and no consignment id. The accepted list's consignment holds one record, the list's submitter's: the
 * platform, payment and logistics companies are parties of the order, not contributors of that
 * consignment, and could not read it (docs/three-documents.md, "Outcomes and reports").
 */
export function outcomeForOtherParty<O extends Pick<ListOutcome, 'reasons' | 'consignmentId' | 'quota'>>(
  outcome: O,
): Omit<O, 'consignmentId' | 'quota'> {
  const { consignmentId: _listSubmitters, quota: _buyersQuotaUse, ...rest } = outcome;
  return { ...rest, reasons: reasonsForOtherParty(outcome.reasons) };
}

/** Matches a stored list against the documents now present; decides, submits when accepted, stores. */
async function evaluate(deps: ThreeDocDeps, row: CbecListRow, ctx: RequestContext): Promise<ListOutcome> {
  const list = JSON.parse(row.payload) as CbecList;
  const tol = { ...defaultTolerances, ...deps.tolerances };
  const docs = await loadSet(deps.exchange, list.orderNo);
  const reasons = matchDocuments(list, docs, tol);
  if (list.buyer.idType === 'resident-id') {
    const problem = residentIdProblem(list.buyer.idNumber);
    if (problem !== undefined)
      reasons.push({
        code: 'three-doc.buyer-id-invalid',
        field: 'buyer.idNumber',
        message: `buyer id: ${problem}`,
      });
  }
  const missingOnly = reasons.length > 0 && reasons.every((r) => r.code === 'three-doc.missing');
  if (missingOnly) {
    const next = { ...row, status: 'pending', reasons, decidedAt: null };
    await decided(deps, next, ctx.now);
    return outcomeOf(next);
  }
  if (reasons.length > 0) {
    const next = { ...row, status: 'rejected', reasons, decidedAt: ctx.now };
    await decided(deps, next, ctx.now);
    return outcomeOf(next);
  }
  const input = listToConsignment(list, docs.payment);
  const used = await deps.exchange.quotaValues(row.buyerId, row.quotaYear);
  const quota = checkQuota(input, deps.pipeline.snapshot().revenue, ctx.now, used);
  if (quota.reasons.length > 0 || !('valueCny' in quota)) {
    const next = { ...row, status: 'rejected', reasons: quota.reasons, decidedAt: ctx.now };
    await decided(deps, next, ctx.now);
    return { ...outcomeOf(next), ...('valueCny' in quota ? { quota: quotaView(quota) } : {}) };
  }
  const [result] = await submitBatch({ ...ctx, submitterId: row.submitterId }, [input], deps.pipeline);
  if (result === undefined || result.status === 'rejected' || result.consignmentId === undefined) {
    const issues = result?.issues ?? [];
    const next = {
      ...row,
      status: 'rejected',
      reasons: issues.map((i) => ({
        code: 'three-doc.declaration-rejected',
        field: i.path,
        message: `${i.code}: ${i.message}`,
      })),
      decidedAt: ctx.now,
    };
    await decided(deps, next, ctx.now);
    return outcomeOf(next);
  }
  const next: CbecListRow = {
    ...row,
    status: 'accepted',
    reasons: [],
    decidedAt: ctx.now,
    valueCny: quota.valueCny,
    consignmentId: result.consignmentId,
  };
  await decided(deps, next, ctx.now);
  return { ...outcomeOf(next), quota: quotaView(quota) };
}

function quotaView(q: QuotaOutcome): NonNullable<ListOutcome['quota']> {
  const { reasons: _r, revenue, ...rest } = q;
  return { ...rest, taxTotal: revenue.total };
}

/**
 * Refuses a document or list that would replace one another operator sent: each of the order's
 * documents comes from its own party (docs/three-documents.md), and a party's signed document is not
 * amended, nor its list re-decided, by someone else. The other operator is not named.
 */
function ownedBy(submitterId: string, ctx: Pick<RequestContext, 'submitterId'>, what: string): void {
  if (submitterId !== ctx.submitterId)
    throw new ParcelgateError(
      'three-doc.other-submitter',
      `${what} was sent by another operator; only that operator may amend it`,
      409,
    );
}

/**
 * Receives a signed order, payment or waybill. Verifies the signature (key registered to the submitter
 * for this kind), validates, stores it (a changed document becomes a new version), and re-evaluates a
 * waiting list of the same order.
 */
export async function receiveDocument(
  deps: ThreeDocDeps,
  kind: string,
  env: SignedEnvelope,
  ctx: RequestContext,
): Promise<{
  orderNo: string;
  kind: DocumentKind;
  version: number;
  status: 'stored' | 'unchanged' | 'amended';
  list?: ListOutcome;
}> {
  if (!(documentKinds as readonly string[]).includes(kind))
    throw new ParcelgateError(
      'three-doc.unknown-kind',
      `kind must be order, payment or waybill, not ${JSON.stringify(kind)}`,
    );
  const k = kind as DocumentKind;
  const doc = await verified(deps, k, env, ctx);
  const existing = (await deps.exchange.documents(doc.orderNo)).find((d) => d.kind === k);
  if (existing !== undefined) ownedBy(existing.submitterId, ctx, `the ${k} of order ${doc.orderNo}`);
  const hash = sha256(env.payload);
  if (existing?.hash === hash)
    return { orderNo: doc.orderNo, kind: k, version: existing.version, status: 'unchanged' };
  const list = await deps.exchange.getList(doc.orderNo);
  if (list?.status === 'accepted')
    throw new ParcelgateError(
      'three-doc.after-acceptance',
      `the declaration list of order ${doc.orderNo} is already accepted; the ${k} can no longer change`,
      409,
    );
  const row: CbecDocumentRow = {
    orderNo: doc.orderNo,
    kind: k,
    version: (existing?.version ?? 0) + 1,
    submitterId: ctx.submitterId,
    keyId: env.keyId,
    receivedAt: ctx.now,
    hash,
    payload: env.payload,
    signature: env.signature,
  };
  await deps.exchange.putDocument(row);
  const base = {
    orderNo: doc.orderNo,
    kind: k,
    version: row.version,
    status: existing ? ('amended' as const) : ('stored' as const),
  };
  if (list?.status === 'pending') {
    const outcome = await evaluate(deps, list, ctx);
    return { ...base, list: list.submitterId === ctx.submitterId ? outcome : outcomeForOtherParty(outcome) };
  }
  return base;
}

/** Receives a signed declaration list and decides it at once (or leaves it pending for documents). */
export async function receiveList(
  deps: ThreeDocDeps,
  env: SignedEnvelope,
  ctx: RequestContext,
): Promise<ListOutcome> {
  const list = await verified(deps, 'list', env, ctx);
  const existing = await deps.exchange.getList(list.orderNo);
  if (existing !== undefined)
    ownedBy(existing.submitterId, ctx, `the declaration list of order ${list.orderNo}`);
  if (existing?.status === 'accepted') {
    if (existing.payload === env.payload) return outcomeOf(existing);
    throw new ParcelgateError(
      'three-doc.after-acceptance',
      `the declaration list of order ${list.orderNo} is already accepted`,
      409,
    );
  }
  const row: CbecListRow = {
    orderNo: list.orderNo,
    submitterId: ctx.submitterId,
    status: 'pending',
    receivedAt: ctx.now,
    decidedAt: null,
    reasons: [],
    buyerId: list.buyer.idNumber.trim().toUpperCase(),
    quotaYear: ctx.now.slice(0, 4),
    valueCny: '0',
    consignmentId: null,
    payload: env.payload,
  };
  return evaluate(deps, row, ctx);
}

/**
 * What customs decided on an accepted list's consignment, as every party of the order reads it
 * (clearance-status.ts); undefined before acceptance or when the consignment is not (or no longer) there.
 */
async function listClearance(
  store: Pick<PipelineDeps['store'], 'get' | 'events'>,
  list: CbecListRow,
): Promise<PartyClearance | undefined> {
  if (list.status !== 'accepted' || list.consignmentId === null) return undefined;
  const c = await store.get(list.consignmentId);
  if (c === undefined) return undefined;
  return partyClearance(c, await store.events(c.id));
}

/**
 * The documents and the list of an order (who sent what, when), for status queries; with the clearance
 * store, an accepted list also says what customs decided on its consignment (`clearance`).
 */
export async function orderStatus(
  deps: Pick<ThreeDocDeps, 'exchange'> & { pipeline?: Pick<PipelineDeps, 'store'> },
  orderNo: string,
) {
  const docs = await deps.exchange.documents(orderNo);
  const list = await deps.exchange.getList(orderNo);
  const clearance =
    list === undefined || deps.pipeline === undefined
      ? undefined
      : await listClearance(deps.pipeline.store, list);
  if (docs.length === 0 && list === undefined)
    throw new ParcelgateError(
      'three-doc.order-not-found',
      `nothing has been received for order ${orderNo}`,
      404,
    );
  return {
    orderNo,
    documents: docs.map((d) => ({
      kind: d.kind,
      version: d.version,
      submitterId: d.submitterId,
      keyId: d.keyId,
      receivedAt: d.receivedAt,
    })),
    missing: documentKinds.filter((k) => !docs.some((d) => d.kind === k)),
    ...(list === undefined
      ? {}
      : {
          list: {
            ...outcomeOf(list),
            receivedAt: list.receivedAt,
            decidedAt: list.decidedAt,
            ...(clearance === undefined ? {} : { clearance }),
          },
        }),
  };
}

/** Marks lists that waited longer than the timeout as missing, with the documents still absent. */
export async function reportOverdue(
  deps: Pick<ThreeDocDeps, 'exchange' | 'timeoutMinutes'>,
  now: string,
  limit = 1000,
): Promise<ListOutcome[]> {
  const minutes = deps.timeoutMinutes ?? 1440;
  const before = new Date(Date.parse(now) - minutes * 60_000).toISOString();
  const overdue = await deps.exchange.listsByStatus('pending', limit, before);
  const out: ListOutcome[] = [];
  for (const row of overdue) {
    const docs = await loadSet(deps.exchange, row.orderNo);
    const absent = documentKinds.filter((k) => docs[k] === undefined);
    const reasons = absent.map((k) => ({
      code: 'three-doc.missing-after-timeout',
      field: k,
      message: `no signed ${k} for order ${row.orderNo} within ${minutes} minutes of the list (received ${row.receivedAt})`,
    }));
    const next = { ...row, status: 'missing', reasons, decidedAt: now };
    await decided(deps, next, now);
    out.push(outcomeOf(next));
  }
  return out;
}

/** Decided lists in a status (`rejected`, `missing`, `pending`, `accepted`), oldest first: the reports. */
export async function listReports(deps: Pick<ThreeDocDeps, 'exchange'>, status: string, limit = 100) {
  if (!['pending', 'accepted', 'rejected', 'missing'].includes(status))
    throw new ParcelgateError(
      'three-doc.invalid-status',
      `status must be pending, accepted, rejected or missing, not ${status}`,
    );
  const rows = await deps.exchange.listsByStatus(status, limit);
  return rows.map((r) => ({ ...outcomeOf(r), receivedAt: r.receivedAt, decidedAt: r.decidedAt }));
}
