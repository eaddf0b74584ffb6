/**
 * What a submitter may read of a stored consignment (issue #4, explanation): the risk outcome in its
 * redacted form (lane, security outcome, generic reasons), never the rules, indicators, scores, random
 * draw or capacity selection behind it. Officers and analysts see the full explanation.
 *
 * Several operators' records can make one consignment (a platform's order, a carrier's waybill, the
 * post's item data). A submitter reads its own records and their merge, never another operator's
 * records, ids, link keys or the disagreements between the sources (those are targeting inputs).
 */
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../access/index.js';
import { linkKeys, mergeSources } from '../match/index.js';
import { redactForSubmitter, submitterLane } from '../risk/index.js';
import { linkedPartyData, linkedView, othersAnswer } from '../exchange/webhooks/payload.js';
import { requestNotice, type InformationNotice } from '../clearance/information.js';
import type { Lane } from '../domain/index.js';
import type { ClearanceEvent, ConsignmentSummary, StoredConsignment } from '../store/index.js';

/** True when the request is made with a submitter key. */
export const asSubmitter = (req: FastifyRequest): boolean => principalOf(req).role === 'submitter';

/** A consignment as its submitter reads it. */
export type SubmitterView = Omit<StoredConsignment, 'assessment' | 'mismatches' | 'submitterId'> & {
  /** Who first submitted the parcel: shown only when that is the reader. */
  submitterId?: string;
  assessment: Omit<StoredConsignment['assessment'], 'risk' | 'snapshotVersion'> & {
    risk: ReturnType<typeof redactForSubmitter>;
  };
};

/**
 * A stored consignment with its risk explanation replaced by the submitter's redacted view, and, when
 * `operatorId` is given, only that operator's source records, their merge and their link keys.
 */
export function submitterView(c: StoredConsignment, operatorId?: string | null): SubmitterView {
  const { mismatches: _targetingInput, ...rest } = c;
  // The snapshot version names the rule set in force (and its reference tables): a submitter that saw it
  // change would know when to probe the new targeting profile.
  const { snapshotVersion: _ruleSetVersion, ...assessment } = c.assessment;
  const view = { ...rest, assessment: { ...assessment, risk: redactForSubmitter(c.assessment.risk) } };
  if (operatorId === undefined || operatorId === null) return view;
  const own = c.sources.filter((s) => s.submitterId === operatorId);
  if (own.length === c.sources.length) return view;
  const { submitterId: first, ...anonymous } = view;
  const shown = first === operatorId ? view : anonymous;
  if (own.length === 0) return { ...shown, sources: [] };
  return {
    ...shown,
    sources: own,
    merged: mergeSources(own).merged,
    keys: [...new Set(own.flatMap((s) => linkKeys(s.data)))],
  };
}

/**
 * The earlier versions of a consignment a submitter reads: those holding a record of its own, each in
 * its {@link submitterView}. A version from before its record linked is another operator's data
 * alone (its consignee, its merge), so it is left out.
 */
export function submitterVersions(
  versions: readonly StoredConsignment[],
  operatorId: string | null,
): SubmitterView[] {
  if (operatorId === null) return versions.map((v) => submitterView(v));
  return versions
    .filter((v) => v.submitterId === operatorId || v.sources.some((s) => s.submitterId === operatorId))
    .map((v) => submitterView(v, operatorId));
}

/** The view of a consignment for the request's principal: submitters get {@link submitterView}. */
export function viewFor(req: FastifyRequest, c: StoredConsignment): StoredConsignment | SubmitterView {
  return asSubmitter(req) ? submitterView(c, principalOf(req).operatorId) : c;
}

/**
 * A consignment's events as a submitter reads them, by the rule notifications follow
 * (docs/notifications.md): the consignment's owner reads each event whole except the count of
 * disagreements a linked record brought (a targeting input); another submitter whose record is linked
 * reads the linked party's view (itself, `customs` or `other-party`; no officer reason or finding, no
 * other party's record ids). The text of an answer to a request for information is read only by the
 * party that gave it (and customs).
 */
export function submitterEvents(
  events: readonly ClearanceEvent[],
  c: Pick<StoredConsignment, 'submitterId'>,
  operatorId: string | null,
): ClearanceEvent[] {
  return events.map((e) => {
    if (operatorId !== null && operatorId !== c.submitterId) {
      const n = linkedView({ ...e, seq: e.seq ?? 0, submitterId: c.submitterId }, operatorId);
      // The event log reads as events; the request an event opens (`information`) stays, as in the feed.
      const { id: _id, view: _view, ...seen } = n;
      return { ...seen, from: e.from, to: e.to };
    }
    // An answer to a request for information another party gave: customs reads it, not the owner.
    if (operatorId !== null && e.data !== undefined && othersAnswer(e, operatorId))
      return withRequestNotice({ ...e, data: linkedPartyData(e.data) }, e);
    return withRequestNotice(withoutTargetingInputs(e), e);
  });
}

/**
 * `shown` (the view of `original` a reader gets) with the request for information `original` opens,
 * if any, as its notification carries it (`information`: documents wanted, message, where to answer;
 * never the officer's reason), so `GET …/events` says what the feed and webhooks say.
 */
export function withRequestNotice<E extends object>(
  shown: E,
  original: ClearanceEvent,
): E & { information?: InformationNotice } {
  const information = requestNotice(original);
  return information === undefined ? shown : { ...shown, information };
}

/** An event without the count of source disagreements its data may carry. */
export function withoutTargetingInputs<E extends { data?: Record<string, unknown> }>(e: E): E {
  if (e.data === undefined || !('mismatches' in e.data)) return e;
  const { mismatches: _targetingInput, ...data } = e.data;
  return { ...e, data };
}

/**
 * Submit answers as their submitter reads them: the lane told as {@link submitterLane} does (blue reads
 * green). Every intake route answers its submitter, so each maps its results through this.
 */
export function submittedFor<R extends { lane?: Lane }>(results: readonly R[]): R[] {
  return results.map((r) => (r.lane === 'blue' ? { ...r, lane: submitterLane(r.lane) } : r));
}

/** A list row without the risk score (the score reveals how targeting ranks the parcel). */
export function withoutScore<T extends { riskScore?: number }>(row: T): Omit<T, 'riskScore'> {
  const { riskScore: _dropped, ...rest } = row;
  return rest;
}

/**
 * A list row as submitter `reader` reads it: without the risk score, its lane as {@link submitterLane}
 * tells it, and without the creator's id unless the reader created it (a consignment it contributed to does not name the other party).
 */
export function listedFor(
  row: ConsignmentSummary,
  reader: unknown,
): Omit<ConsignmentSummary, 'riskScore' | 'submitterId'> & { submitterId?: string } {
  const shown = { ...withoutScore(row), lane: submitterLane(row.lane) };
  if (row.submitterId === reader) return shown;
  const { submitterId: _otherParty, ...rest } = shown;
  return rest;
}
