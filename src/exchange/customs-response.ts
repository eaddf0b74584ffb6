/**
 * CUSRSP-style export of customs responses: one `<Response>` per item with decision, reasons, the open
 * request for information (when there is one) and amounts.
 */
import type { CustomsResponse, SubmitterInformation } from '../clearance/index.js';
import { ParcelgateError } from '../domain/index.js';
import { XML_DECLARATION, add, xmlBuilder } from './postal-write.js';

/** How a parcelgate response code is expressed in a postal customs response. */
export interface PostalDecision {
  /** Internal decision enum of REFERENCE §2.4 (a design choice, not a UPU code list). */
  decision: string;
  /** GIS-like processing indicator; parcelgate's own choice, to be replaced per bilateral agreement. */
  processingIndicator: string;
  /** False: no public UPU code list confirms the indicator. */
  verified: false;
}

const d = (decision: string, processingIndicator: string): PostalDecision => ({
  decision,
  processingIndicator,
  verified: false,
});

/** Mapping of `CustomsResponse.response` codes to postal decisions (data, so operators can adapt it). */
export const postalDecisions: Readonly<Record<string, PostalDecision>> = Object.freeze({
  RELEASE: d('RELEASE', 'CLE'),
  RELEASE_WITH_PAYMENT_DUE: d('RELEASE_WITH_PAYMENT_DUE', 'CLP'),
  REQUEST_INFO: d('REQUEST_INFO', 'RFI'),
  HOLD_PHYSICAL_EXAM: d('HOLD_PHYSICAL_EXAM', 'EXM'),
  DO_NOT_LOAD: d('DO_NOT_LOAD', 'DNL'),
  SEIZE: d('SEIZE', 'SEZ'),
  REFUSE_RETURN_TO_SENDER: d('REFUSE_RETURN_TO_SENDER', 'RTS'),
  DESTROY: d('DESTROY', 'DES'),
  // Not yet decided (declared, assessed, arrived and awaiting an officer): held until further notice.
  PENDING: d('HOLD_DOCUMENT_CHECK', 'HLD'),
});

/** Options for `toCustomsResponseXml`. */
export interface CustomsResponseXmlOptions {
  /** S10 item id per consignment id, written as `<ItemId>` (the post's key). */
  itemIds?: Readonly<Record<string, string>>;
  /** Sender and recipient of the message (e.g. customs office and designated operator). */
  sender?: string;
  recipient?: string;
  /** Message preparation time (RFC 3339); passed in, never read from the clock. */
  preparedAt?: string;
  /** Replacement decision table (default `postalDecisions`). */
  decisions?: Readonly<Record<string, PostalDecision>>;
}

/** The media type an answer to a request for information is sent as. */
export const answerContentType = 'application/json';

/**
 * Text as XML 1.0 can carry it, for free text written by people (an officer's message): characters
 * XML forbids (control characters, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, and line breaks are
 * written as `\n` (an XML reader turns CR and CR LF into LF anyway).
 */
export function xmlText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

/**
 * The open request for information of a response (docs/formats/postal.md): its status and date, the
 * documents wanted (the kinds an answer may name), the message to the submitter, how many answers
 * customs has, and where and how to answer (method, media type, path relative to the API's base URL).
 */
function informationEl(i: SubmitterInformation): Record<string, unknown> {
  const el: Record<string, unknown> = { '@_status': i.status };
  add(el, 'RequestedAt', i.requestedAt);
  add(el, 'Document', i.documents.length === 0 ? undefined : [...i.documents]);
  add(el, 'Message', xmlText(i.message));
  add(el, 'Answers', String(i.answers));
  add(el, 'LastAnsweredAt', i.lastAnsweredAt);
  add(el, 'AnswerWith', {
    '@_method': i.answerWith.method,
    '@_contentType': answerContentType,
    '#text': i.answerWith.path,
  });
  return el;
}

function responseEl(r: CustomsResponse, opts: CustomsResponseXmlOptions): Record<string, unknown> {
  const table = opts.decisions ?? postalDecisions;
  const mapped = Object.hasOwn(table, r.response) ? table[r.response] : undefined;
  if (mapped === undefined)
    throw new ParcelgateError(
      'exchange.unknown-response-code',
      `response code ${r.response} of ${r.consignmentId} has no postal decision mapping`,
      500,
    );
  const el: Record<string, unknown> = {};
  add(el, 'ItemId', opts.itemIds?.[r.consignmentId]);
  add(el, 'ConsignmentId', r.consignmentId);
  add(el, 'Version', String(r.version));
  add(el, 'Decision', { '@_processingIndicator': mapped.processingIndicator, '#text': mapped.decision });
  add(el, 'ResponseCode', r.response);
  add(el, 'State', r.state);
  add(el, 'Reason', r.reasons.length === 0 ? undefined : [...r.reasons]);
  add(el, 'InformationRequest', r.information === undefined ? undefined : informationEl(r.information));
  add(el, 'AmountDue', { '@_currency': r.currency, '#text': r.dueAtBorder });
  add(el, 'Prepaid', { '@_currency': r.currency, '#text': r.prepaid });
  add(el, 'CollectionModel', r.collectionModel);
  if (r.payment !== undefined)
    add(el, 'Payment', {
      '@_mode': r.payment.mode,
      ...(r.payment.mode === 'deferred' ? { Account: r.payment.account } : {}),
      ...(r.payment.mode === 'per-consignment' && r.payment.reason !== undefined
        ? { Reason: r.payment.reason }
        : {}),
    });
  if (r.settlement !== undefined) {
    const m = (v: string) => ({ '@_currency': r.currency, '#text': v });
    add(el, 'Settlement', {
      AssessedDueAtBorder: m(r.settlement.assessedDueAtBorder),
      CollectedAtBorder: m(r.settlement.collectedAtBorder),
      SellerRefunds: m(r.settlement.sellerRefunds),
      NotDue: m(r.settlement.notDue),
      Explanation: r.settlement.explanation,
    });
  }
  add(
    el,
    'TaxLine',
    r.taxLines.length === 0
      ? undefined
      : r.taxLines.map((l) => ({
          '@_type': l.type,
          '@_collectedBy': l.collectedBy,
          Base: l.base,
          Rate: l.rate,
          Amount: { '@_currency': r.currency, '#text': l.amount },
          Explanation: l.explanation,
        })),
  );
  add(el, 'UpdatedAt', r.updatedAt);
  return el;
}

/**
 * Writes customs responses as a CUSRSP-style document. Throws `exchange.unknown-response-code` for a
 * response code missing from the decision table (a programming error, not an input error).
 */
export function toCustomsResponseXml(
  responses: readonly CustomsResponse[],
  opts: CustomsResponseXmlOptions = {},
): string {
  const root: Record<string, unknown> = { '@_version': 'parcelgate-1' };
  if (opts.preparedAt !== undefined) root['@_preparedAt'] = opts.preparedAt;
  add(root, 'Sender', opts.sender);
  add(root, 'Recipient', opts.recipient);
  root.Response = responses.map((r) => responseEl(r, opts));
  return XML_DECLARATION + (xmlBuilder.build({ CUSRSP: root }) as string);
}
