/** Split shipments: one consignee receiving several sub-threshold parcels from one seller in a short window. */
import type { ConsignmentInput } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { nameKey, tokens } from './text-normalise.js';
import { consigneePseudonym, pseudonymGeneration, sellerPseudonym } from '../privacy/pseudonym.js';
import { toNumber } from './values.js';

/** One earlier (or concurrent) parcel to the same consignee, as the history port reports it. */
export interface ConsigneeParcel {
  /** Intrinsic value in EUR, a decimal text. */
  value: string;
  /** ISO instant of the parcel (acceptance or arrival). */
  at: string;
  /** Seller key (pseudonym of the seller id, else of the folded seller name). */
  seller?: string;
  /** The parcel's own reference, so the parcel being assessed is not counted twice. */
  ref?: string;
}

/** Read port over recent parcels per consignee; the shell wires a store-backed implementation. */
export interface ConsigneeHistory {
  recentForConsignee(key: string): readonly ConsigneeParcel[];
}

/** The parcel being assessed, reduced to what the split-shipment check needs. */
export interface SplitCandidate {
  key: string | null;
  ref?: string;
  valueEur: string | null;
  at: string;
  seller?: string;
}

/** Options of splitShipmentIndicator. */
export interface SplitOptions {
  /** Parcels within this many hours of each other count together (default 24: one person, one day). */
  windowHours?: number;
  /** The relief threshold the split evades (default EUR 150). */
  thresholdEur?: number;
}

/** Module version recorded on hits. */
export const SPLIT_SHIPMENT_VERSION = 1;

/**
 * The version of the consignee key's basis. 1 was the folded name, postcode and country: two people
 * of one name in one postcode (two Paula Rodríguez in Málaga 29036) were one consignee. 2 adds the
 * street line. A database holding version-1 keys is marked by migration 82 and re-keyed by
 * `parcelgate privacy rekey-pseudonyms` (src/privacy/rekey-pseudonyms.ts).
 */
export const CONSIGNEE_KEY_VERSION = 2;

const postcodeOf = (p: NonNullable<ConsignmentInput['consignee']>): string =>
  (p.address.postcode ?? '').replace(/\s+/g, '').toUpperCase();

/**
 * The clear basis of the consignee key: folded name, folded street line, postcode and country; null
 * without a consignee. The street's words are folded (case, accents, punctuation) and kept in order,
 * so "Calle Larios 12, 3º B" and "calle larios 12 3o b" are one address and "Calle Larios 14" another.
 */
export function consigneeBasis(c: ConsignmentInput): string | null {
  const p = c.consignee;
  if (p === undefined) return null;
  const street = p.address.street === undefined ? '' : tokens(p.address.street).join(' ');
  return `${nameKey(p.name)}|${street}|${postcodeOf(p)}|${p.address.country}`;
}

/**
 * The version-1 basis (folded name, postcode and country, without the street): only to recognise the
 * keys a database made before version 2, when they are re-keyed.
 */
export function consigneeBasisV1(c: ConsignmentInput): string | null {
  const p = c.consignee;
  if (p === undefined) return null;
  return `${nameKey(p.name)}|${postcodeOf(p)}|${p.address.country}`;
}

/** The clear basis of the seller key: the platform seller id, else the seller's id, else the folded name. */
export function sellerBasis(c: ConsignmentInput): string | undefined {
  return c.platform?.sellerId ?? c.seller?.id?.value ?? (c.seller ? nameKey(c.seller.name) : undefined);
}

// One HMAC per parcel and party: the pipeline asks for the keys of one input several times (assessment,
// the consignee window, the stored history), so they are kept with the input object.
interface PartyKeys {
  gen: number;
  consignee?: string | null;
  seller?: string | null;
}
const memo = new WeakMap<object, PartyKeys>();
const keysOf = (c: ConsignmentInput): PartyKeys => {
  let k = memo.get(c);
  if (k === undefined || k.gen !== pseudonymGeneration()) memo.set(c, (k = { gen: pseudonymGeneration() }));
  return k;
};

/**
 * Consignee identity for history: a keyed pseudonym (`c:` + HMAC under the pseudonym key,
 * src/privacy/pseudonym.ts) of `consigneeBasis` (name, street, postcode, country); null without a consignee.
 */
export function consigneeKey(c: ConsignmentInput): string | null {
  const k = keysOf(c);
  if (k.consignee !== undefined) return k.consignee;
  const basis = consigneeBasis(c);
  return (k.consignee = basis === null ? null : consigneePseudonym(basis));
}

/** Seller identity for history: a keyed pseudonym (`s:` + HMAC) of the seller's basis (`sellerBasis`). */
export function sellerKey(c: ConsignmentInput): string | undefined {
  const k = keysOf(c);
  if (k.seller !== undefined) return k.seller ?? undefined;
  const basis = sellerBasis(c);
  k.seller = basis === undefined ? null : sellerPseudonym(basis);
  return k.seller ?? undefined;
}

/**
 * Scores a sub-threshold parcel whose consignee has other sub-threshold parcels from the same seller in
 * the window that together exceed the threshold: 0.5 for two parcels, 0.75 for three, 1 for four or more.
 */
export function splitShipmentIndicator(
  current: SplitCandidate,
  history: ConsigneeHistory | undefined,
  opts: SplitOptions = {},
): IndicatorResult {
  if (history === undefined || current.key === null || current.valueEur === null)
    return quiet('split-shipment', SPLIT_SHIPMENT_VERSION);
  const threshold = opts.thresholdEur ?? 150;
  const value = toNumber(current.valueEur);
  if (!(value <= threshold)) return quiet('split-shipment', SPLIT_SHIPMENT_VERSION);
  const windowMs = (opts.windowHours ?? 24) * 3_600_000;
  const atMs = Date.parse(current.at);
  let parcels = 1;
  let total = value;
  for (const p of history.recentForConsignee(current.key)) {
    if (current.ref !== undefined && p.ref === current.ref) continue;
    if (p.seller !== current.seller) continue;
    const v = toNumber(p.value);
    if (!(v <= threshold) || !(Math.abs(Date.parse(p.at) - atMs) <= windowMs)) continue;
    parcels++;
    total += v;
  }
  if (parcels < 2 || !(total > threshold)) return quiet('split-shipment', SPLIT_SHIPMENT_VERSION);
  return {
    id: 'split-shipment',
    version: SPLIT_SHIPMENT_VERSION,
    score: round2(Math.min(1, 0.5 + 0.25 * (parcels - 2))),
    reason: `${parcels} parcels from one seller to this consignee within ${opts.windowHours ?? 24} h, each under €${threshold} but €${total.toFixed(2)} together`,
    inputs: { parcels, totalEur: total.toFixed(2), thresholdEur: threshold },
  };
}

/** An in-memory ConsigneeHistory (tests, evaluation over a flood). */
export function inMemoryHistory(
  entries: Iterable<{ key: string; parcel: ConsigneeParcel }>,
): ConsigneeHistory {
  const byKey = new Map<string, ConsigneeParcel[]>();
  for (const { key, parcel } of entries) {
    const list = byKey.get(key) ?? [];
    list.push(parcel);
    byKey.set(key, list);
  }
  return { recentForConsignee: (key) => byKey.get(key) ?? [] };
}
