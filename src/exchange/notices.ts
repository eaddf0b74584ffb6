/**
 * The exchange notices outbox: three-document matching outcomes and customs-to-customs findings as
 * messages to the parties concerned. Each is written in the transaction of the change it reports
 * (a list outcome) or right after it (findings, whose id makes a re-sent message add nothing), and
 * served by the feed (`/v1/feed?stream=exchange-notices`) and the webhook dispatcher (a further
 * stream). See docs/notifications.md.
 */
import { createHash } from 'node:crypto';
import type { CbecListRow, ExchangeNotice, ExchangeStore, ListReason } from '../store/index.js';
import type { OutboxMessage, OutboxStream, StreamStateStore } from './webhooks/streams.js';
import { reasonsForOtherParty } from './cbec/matching.js';

/** The stream name (feed `stream=` value and webhook delivery state key). */
export const EXCHANGE_NOTICE_STREAM = 'exchange-notices';

const digest = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/** The notice body of a three-document list outcome. */
export interface ListOutcomeNotice {
  id: string;
  type: 'three-doc.pending' | 'three-doc.accepted' | 'three-doc.rejected' | 'three-doc.missing';
  at: string;
  orderNo: string;
  status: string;
  reasons: ListReason[];
  consignmentId: string | null;
}

/**
 * Notices of a list outcome for every party of the order: the list's submitter and the submitters of
 * its order, payment and waybill (these without the buyer's personal data and the consignment id). The id is derived from the outcome, so an unchanged outcome (a list
 * re-evaluated with the same result) adds no notice.
 */
export function listOutcomeNotices(
  row: CbecListRow,
  documentSubmitters: readonly string[],
  at: string,
): ExchangeNotice[] {
  const body: ListOutcomeNotice = {
    id: `tdn_${digest(row.orderNo, row.receivedAt, row.status, JSON.stringify(row.reasons), row.consignmentId ?? '')}`,
    type: `three-doc.${row.status}` as ListOutcomeNotice['type'],
    at,
    orderNo: row.orderNo,
    status: row.status,
    reasons: row.reasons,
    consignmentId: row.consignmentId,
  };
  const text = JSON.stringify(body);
  // The other parties read which fields disagree, not the buyer's personal data (reasonsForOtherParty),
  // and no consignment id: the consignment is the list submitter's alone, which they cannot read.
  const othersText = JSON.stringify({
    ...body,
    reasons: reasonsForOtherParty(row.reasons),
    consignmentId: null,
  });
  const parties = [...new Set([row.submitterId, ...documentSubmitters])];
  return parties.map((operatorId) => ({
    id: body.id,
    operatorId,
    type: body.type,
    at,
    body: operatorId === row.submitterId ? text : othersText,
  }));
}

/** The notice body of customs-to-customs findings: the findings and, when signed, their envelope. */
export interface FindingsNotice {
  id: string;
  type: 'c2c.findings';
  at: string;
  findings: unknown;
  envelope?: unknown;
}

/**
 * The findings notice for the origin administration. Its id is derived from the export data message
 * it answers, so the same message received again adds no second notice.
 */
export function findingsNotice(
  origin: string,
  answer: { agreementId: string; inReplyTo: string; at: string },
  findings: unknown,
  envelope: unknown,
): ExchangeNotice {
  const body: FindingsNotice = {
    id: `c2f_${digest(answer.agreementId, origin, answer.inReplyTo)}`,
    type: 'c2c.findings',
    at: answer.at,
    findings,
    ...(envelope === undefined ? {} : { envelope }),
  };
  return { id: body.id, operatorId: origin, type: body.type, at: answer.at, body: JSON.stringify(body) };
}

/** The exchange notices as a further stream of the webhook dispatcher. */
export function exchangeNoticeStream(exchange: ExchangeStore, states: StreamStateStore): OutboxStream {
  return {
    name: EXCHANGE_NOTICE_STREAM,
    states,
    async since(operatorId, afterSeq, limit) {
      const rows = await exchange.noticesSince(operatorId, afterSeq, limit);
      return rows.map((r): OutboxMessage => ({ seq: r.seq, id: r.id, type: r.type, at: r.at, body: r.body }));
    },
  };
}
