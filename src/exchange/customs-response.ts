/** CUSRSP-style export of customs responses: one `<Response>` per item with decision, reasons and amounts. */
import type { CustomsResponse } from '../clearance/index.js';
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
  add(el, 'AmountDue', { '@_currency': r.currency, '#text': r.dueAtBorder });
  add(el, 'Prepaid', { '@_currency': r.currency, '#text': r.prepaid });
  add(el, 'CollectionModel', r.collectionModel);
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
