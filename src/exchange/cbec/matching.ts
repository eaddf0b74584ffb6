/**
 * Three-document matching: a declaration list is accepted only when the order, the payment and the
 * waybill are all present and agree with each other and with the list within configured tolerances.
 * Pure: every disagreement becomes a reason naming the field and the documents.
 */
import { Dec } from '../../domain/index.js';
import type { ListReason } from '../../store/index.js';
import type { CbecList, CbecOrder, CbecPayment, CbecWaybill, DocumentKind } from './documents.js';

/** How far amounts and weights may differ and still agree. */
export interface Tolerances {
  /** Absolute amount difference allowed, CNY (default "0.00": amounts must be equal). */
  amountAbsolute: string;
  /** Relative amount difference allowed as a fraction of the larger amount (default "0"). */
  amountRelative: string;
  /** Relative weight difference allowed between list and waybill (default "0.10"). */
  weightRelative: string;
  /** Minutes a payment may be stamped before the order (clock skew; default 10). */
  clockSkewMinutes: number;
}

/** Defaults: amounts equal to the fen, weights within 10 %, 10 minutes clock skew. */
export const defaultTolerances: Tolerances = {
  amountAbsolute: '0.00',
  amountRelative: '0',
  weightRelative: '0.10',
  clockSkewMinutes: 10,
};

/** True when |a - b| <= max(absolute, relative x max(|a|, |b|)). Symmetric; exact decimal arithmetic. */
export function withinTolerance(a: string, b: string, absolute: string, relative: string): boolean {
  const x = new Dec(a);
  const y = new Dec(b);
  const allowed = Dec.max(new Dec(absolute), new Dec(relative).times(Dec.max(x.abs(), y.abs())));
  return x.minus(y).abs().lte(allowed);
}

/** The documents found for an order number. */
export interface DocumentSet {
  order?: CbecOrder;
  payment?: CbecPayment;
  waybill?: CbecWaybill;
}

const norm = (s: string): string => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
const sum = (values: (string | undefined)[]): string =>
  values.reduce((acc: Dec, v) => (v === undefined ? acc : acc.plus(v)), new Dec(0)).toFixed(2);

/** Kinds missing from the set. */
export function missingKinds(docs: DocumentSet): DocumentKind[] {
  return (['order', 'payment', 'waybill'] as const).filter((k) => docs[k] === undefined);
}

/** Every reason the list and the documents disagree (empty = they match). */
export function matchDocuments(
  list: CbecList,
  docs: DocumentSet,
  tol: Tolerances = defaultTolerances,
): ListReason[] {
  const reasons: ListReason[] = [];
  for (const kind of missingKinds(docs))
    reasons.push({
      code: 'three-doc.missing',
      field: kind,
      message: `no signed ${kind} has been received for order ${list.orderNo}`,
    });
  const { order, payment, waybill } = docs;
  const amount = (a: string, b: string) => withinTolerance(a, b, tol.amountAbsolute, tol.amountRelative);
  const differ = (field: string, between: string, a: string, b: string) =>
    reasons.push({
      code: 'three-doc.mismatch',
      field,
      message: `${field} differs between ${between}: ${a} vs ${b}`,
    });

  if (order !== undefined) {
    if (order.platformCode !== list.platformCode)
      differ('platformCode', 'order and list', order.platformCode, list.platformCode);
    if (!amount(order.goodsValue, list.goodsValue))
      differ('goodsValue', 'order and list', order.goodsValue, list.goodsValue);
    if (norm(order.buyer.idNumber) !== norm(list.buyer.idNumber))
      differ('buyer.idNumber', 'order and list', order.buyer.idNumber, list.buyer.idNumber);
    if (norm(order.buyer.name) !== norm(list.buyer.name))
      differ('buyer.name', 'order and list', order.buyer.name, list.buyer.name);
    if (norm(order.consignee.name) !== norm(list.consignee.name))
      differ('consignee.name', 'order and list', order.consignee.name, list.consignee.name);
    // The amount paid is the goods plus freight and insurance less any discount.
    const expected = new Dec(sum([order.goodsValue, order.freight, order.insurance]))
      .minus(order.discount ?? '0')
      .toFixed(2);
    if (!amount(expected, order.actualPaid))
      differ('actualPaid', 'order lines and order total', expected, order.actualPaid);
    if (order.items.length !== list.items.length)
      differ('items', 'order and list', `${order.items.length} lines`, `${list.items.length} lines`);
    else
      order.items.forEach((o, i) => {
        const l = list.items[i];
        if (l === undefined) return;
        if (o.quantity !== l.quantity)
          differ(`items/${i}/quantity`, 'order and list', String(o.quantity), String(l.quantity));
        if (o.unit !== l.unit) differ(`items/${i}/unit`, 'order and list', o.unit, l.unit);
        if (!amount(o.totalPrice, l.totalPrice))
          differ(`items/${i}/totalPrice`, 'order and list', o.totalPrice, l.totalPrice);
        if (o.hsCode !== undefined && l.hsCode !== undefined && o.hsCode.slice(0, 6) !== l.hsCode.slice(0, 6))
          differ(`items/${i}/hsCode`, 'order and list', o.hsCode, l.hsCode);
      });
    const lineSum = sum(list.items.map((l) => l.totalPrice));
    if (!amount(lineSum, list.goodsValue))
      differ('goodsValue', 'list lines and list total', lineSum, list.goodsValue);
  }
  if (payment !== undefined) {
    if (payment.paymentNo !== list.paymentNo)
      differ('paymentNo', 'payment and list', payment.paymentNo, list.paymentNo);
    if (norm(payment.payerIdNumber) !== norm(list.buyer.idNumber))
      differ('buyer.idNumber', 'payment and list', payment.payerIdNumber, list.buyer.idNumber);
    if (norm(payment.payerName) !== norm(list.buyer.name))
      differ('buyer.name', 'payment and list', payment.payerName, list.buyer.name);
    if (order !== undefined) {
      if (!amount(payment.amountPaid, order.actualPaid))
        differ('amountPaid', 'payment and order', payment.amountPaid, order.actualPaid);
      const skewMs = tol.clockSkewMinutes * 60_000;
      if (Date.parse(payment.paidAt) + skewMs < Date.parse(order.orderedAt))
        reasons.push({
          code: 'three-doc.mismatch',
          field: 'paidAt',
          message: `payment time ${payment.paidAt} is before the order time ${order.orderedAt}`,
        });
    }
  }
  if (waybill !== undefined) {
    if (waybill.logisticsNo !== list.logisticsNo)
      differ('logisticsNo', 'waybill and list', waybill.logisticsNo, list.logisticsNo);
    if (!amount(waybill.freight, list.freight))
      differ('freight', 'waybill and list', waybill.freight, list.freight);
    if (norm(waybill.consignee.name) !== norm(list.consignee.name))
      differ('consignee.name', 'waybill and list', waybill.consignee.name, list.consignee.name);
    if (waybill.dispatchCountry !== list.dispatchCountry)
      differ('dispatchCountry', 'waybill and list', waybill.dispatchCountry, list.dispatchCountry);
    const w = String(waybill.grossWeightGrams);
    if (!withinTolerance(w, String(list.grossWeightGrams), '0', tol.weightRelative))
      differ('grossWeightGrams', 'waybill and list', w, String(list.grossWeightGrams));
    if (order !== undefined && !amount(waybill.freight, order.freight))
      differ('freight', 'waybill and order', waybill.freight, order.freight);
  }
  return reasons;
}

/** Reason fields whose values are the buyer's or consignee's personal data. */
const personalFields: ReadonlySet<string> = new Set(['buyer.idNumber', 'buyer.name', 'consignee.name']);

/**
 * Reasons as a party other than the list's submitter reads them (notices and the order status): each
 * reason keeps its code and field, so the party knows what to correct, but a message that quotes the
 * buyer's or consignee's identity number or name, a malformed identity number's digits, or the buyer's
 * yearly total is replaced by one without the values. The list's submitter and customs read them whole.
 */
export function reasonsForOtherParty(reasons: readonly ListReason[]): ListReason[] {
  return reasons.map((r) => {
    if (r.code === 'three-doc.mismatch' && r.field !== undefined && personalFields.has(r.field)) {
      const between = / differs between ([a-z ]+):/.exec(r.message)?.[1];
      const where = between === undefined ? '' : ` between ${between}`;
      return { ...r, message: `${r.field} differs${where} (values withheld: personal data)` };
    }
    if (r.code === 'three-doc.buyer-id-invalid')
      return {
        ...r,
        message: 'the buyer identity number is not well-formed (details withheld: personal data)',
      };
    if (r.code === 'quota.annual-exceeded')
      return {
        ...r,
        message: "the buyer's annual limit would be exceeded: general-trade declaration required",
      };
    return r;
  });
}
