/**
 * Link keys: stable strings naming the physical parcel or the transaction behind a record, and the
 * `sameParcel` guard that stops an order split over several parcels from merging them.
 * See docs/matching.md for which keys link and why.
 */
import type { ConsignmentInput, TransportDocument } from '../domain/index.js';

const S10_SHAPE = /^[A-Z]{2}\d{9}[A-Z]{2}$/;
const WHITESPACE = /\s+/g;
const AWB_SEPARATORS = /[\s-]+/g;

/** Normalises a transport document to its canonical `{ type, id }`: upper case, no spaces, S10 recognised by shape. */
export function normaliseTransportDocument(document: TransportDocument): TransportDocument {
  const type = document.type;
  if (type === 'AWB') {
    // An AWB is 11 digits, often printed "176-1234 5675"; the separators carry no meaning.
    return { type, id: document.id.replace(AWB_SEPARATORS, '').toUpperCase() };
  }
  const id = document.id.replace(WHITESPACE, '').toUpperCase();
  // A carrier may label a UPU item id "OTHER"; an id of S10 shape is the postal item id whatever the label.
  if (type === 'OTHER' && S10_SHAPE.test(id)) return { type: 'S10', id };
  return { type, id };
}

/** The transport-document key `td:<type>:<id>` of a record, or undefined when it has none. */
export function transportKey(input: ConsignmentInput): string | undefined {
  const document = input.transportDocument;
  if (document === undefined) return undefined;
  const { type, id } = normaliseTransportDocument(document);
  return id === '' ? undefined : `td:${type}:${id}`;
}

/** True when `other`, labelled OTHER, has the id of `known` (of a named kind), normalised as that kind. */
function sameDocumentAs(other: TransportDocument, known: TransportDocument): boolean {
  if (other.type !== 'OTHER' || known.type === 'OTHER') return false;
  const named = normaliseTransportDocument(known);
  const asKnown = normaliseTransportDocument({ type: known.type, id: other.id });
  return named.id !== '' && asKnown.id === named.id;
}

/** The platform-order key `order:<platformId>:<orderId>` of a record, or undefined when it has no order id. */
export function orderKey(input: ConsignmentInput): string | undefined {
  const platform = input.platform;
  if (platform?.orderId === undefined) return undefined;
  const platformId = platform.id.trim().toLowerCase();
  const orderId = platform.orderId.trim();
  return platformId === '' || orderId === '' ? undefined : `order:${platformId}:${orderId}`;
}

/** The payment key `pay:<provider>:<reference>` (provider empty when unknown), or undefined without a payment. */
export function paymentKey(input: ConsignmentInput): string | undefined {
  const payment = input.payment;
  if (payment === undefined) return undefined;
  const reference = payment.reference.trim();
  if (reference === '') return undefined;
  return `pay:${(payment.provider ?? '').trim().toLowerCase()}:${reference}`;
}

/**
 * The stable keys identifying a record's parcel and transaction, strongest first: transport document,
 * platform order, payment. The store uses them to find candidate consignments; `sameParcel` decides.
 */
export function linkKeys(input: ConsignmentInput): string[] {
  const keys: string[] = [];
  const td = transportKey(input);
  if (td !== undefined) keys.push(td);
  const order = orderKey(input);
  if (order !== undefined) keys.push(order);
  const pay = paymentKey(input);
  if (pay !== undefined) keys.push(pay);
  return keys;
}

/**
 * True when two records describe the same physical parcel. The transport document decides when both
 * have one (an order split over two waybills stays two parcels); otherwise, when both name an order,
 * the order key decides; otherwise a shared payment key links.
 */
export function sameParcel(a: ConsignmentInput, b: ConsignmentInput): boolean {
  const tdA = transportKey(a);
  const tdB = transportKey(b);
  if (tdA !== undefined && tdB !== undefined) {
    if (tdA === tdB) return true;
    // Both have a document: it decides, but a document labelled OTHER by a submitter that did not know
    // its kind (a platform quoting the carrier's tracking number) is the other's document when its id is.
    const docA = a.transportDocument;
    const docB = b.transportDocument;
    if (docA === undefined || docB === undefined) return false;
    return sameDocumentAs(docA, docB) || sameDocumentAs(docB, docA);
  }
  const orderA = orderKey(a);
  const orderB = orderKey(b);
  if (orderA !== undefined && orderB !== undefined) return orderA === orderB;
  // Only one side names an order (or neither does): a shared payment links. One payment can settle a
  // basket of several orders, so such a record may match several parcels; findParcel reports that.
  const payA = paymentKey(a);
  return payA !== undefined && payA === paymentKey(b);
}

/** Outcome of looking for a record's parcel among candidate consignments (their merged views). */
export type ParcelMatch =
  { kind: 'new' } | { kind: 'existing'; index: number } | { kind: 'ambiguous'; indexes: number[] };

/**
 * Chooses the consignment a record belongs to among `candidates` (merged views found by link key):
 * none -> new, one -> existing, several -> ambiguous (e.g. an order record without a transport
 * document whose order was split over several parcels; the caller must not merge it into any).
 */
export function findParcel(input: ConsignmentInput, candidates: readonly ConsignmentInput[]): ParcelMatch {
  const indexes: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    if (candidate !== undefined && sameParcel(input, candidate)) indexes.push(i);
  }
  if (indexes.length === 0) return { kind: 'new' };
  if (indexes.length === 1) return { kind: 'existing', index: indexes[0] ?? 0 };
  return { kind: 'ambiguous', indexes };
}
