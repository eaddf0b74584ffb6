/** Merges the sources of one parcel into a single consignment view and lists where they disagree. */
import {
  ParcelgateError,
  type ConsignmentInput,
  type Mismatch,
  type SourceKind,
  type SourceRecord,
} from '../domain/index.js';
import { compareRecords, DEFAULT_TOLERANCES, summarise, type MatchTolerances } from './mismatches.js';

/** Field groups of the canonical model that take their value from one source, by precedence. */
export type FieldGroup = 'goods' | 'parties' | 'transport' | 'platform' | 'payment' | 'taxCollection';

/**
 * Which source kind wins for each field group, first listed first. Rationale in docs/matching.md:
 * the declaration is the legally binding statement; carriers and posts know the transport; the
 * platform knows its own order and the payment provider its own payment.
 */
export const SOURCE_PRECEDENCE: Readonly<Record<FieldGroup, readonly SourceKind[]>> = Object.freeze({
  // items, category, totals, additionalProcedureCodes, documents, externalRef and the merged `source`
  goods: ['declaration', 'postal-item', 'carrier-waybill', 'platform-order', 'payment'],
  // seller, consignee, declarant
  parties: ['declaration', 'postal-item', 'carrier-waybill', 'platform-order', 'payment'],
  // transportDocument, masterReference, routing, dates other than `ordered`
  transport: ['carrier-waybill', 'postal-item', 'declaration', 'platform-order', 'payment'],
  // platform, dates.ordered
  platform: ['platform-order', 'declaration', 'payment', 'postal-item', 'carrier-waybill'],
  payment: ['payment', 'platform-order', 'declaration', 'postal-item', 'carrier-waybill'],
  taxCollection: ['declaration', 'platform-order', 'postal-item', 'carrier-waybill', 'payment'],
});

/** The merged consignment view and the mismatches between its sources. */
export interface MergeResult {
  merged: ConsignmentInput;
  mismatches: Mismatch[];
}

/** Keeps, for each source kind, the record received last (ties: the greater declaration id). */
export function pickLatestByKind(sources: readonly SourceRecord[]): Map<SourceKind, SourceRecord> {
  const latest = new Map<SourceKind, SourceRecord>();
  for (const record of sources) {
    const held = latest.get(record.kind);
    if (held === undefined || isLater(record, held)) latest.set(record.kind, record);
  }
  return latest;
}

/**
 * Merges the source records of one parcel: the latest record of each kind represents that kind, each
 * field group comes from the first kind in `SOURCE_PRECEDENCE` that has it, and every pair of kinds is
 * compared for mismatches. A parcel known from one kind only is returned exactly as that record's data.
 * The result shares objects with the inputs: treat both as immutable.
 */
export function mergeSources(
  sources: readonly SourceRecord[],
  tolerances: MatchTolerances = DEFAULT_TOLERANCES,
): MergeResult {
  const latest = pickLatestByKind(sources);
  if (latest.size === 0)
    throw new ParcelgateError('match.no-sources', 'mergeSources needs at least one source', 500);
  // Records of a kind beyond its representative come from other parties (one party's newer record
  // replaces its older one): they disagree with it like records of different kinds do.
  const others = sources.length === latest.size ? [] : sameKindMismatches(sources, latest, tolerances);
  if (latest.size === 1) {
    const [only] = latest.values();
    if (only !== undefined) return { merged: only.data, mismatches: others };
  }
  const mismatches = listMismatches(latest, tolerances);
  return {
    merged: mergeRepresentatives(latest),
    mismatches: others.length === 0 ? mismatches : mismatches.concat(others),
  };
}

/**
 * Mismatches between each kind's representative and the latest record of that kind from every other
 * party (by submitter id, for an order-independent result), labelled `<kind> from <submitter>`.
 */
function sameKindMismatches(
  sources: readonly SourceRecord[],
  latest: Map<SourceKind, SourceRecord>,
  tolerances: MatchTolerances,
): Mismatch[] {
  const byParty = new Map<string, SourceRecord>();
  for (const record of sources) {
    const representative = latest.get(record.kind);
    if (representative === undefined || record.submitterId === representative.submitterId) continue;
    const key = `${record.kind}\u0000${record.submitterId}`;
    const held = byParty.get(key);
    if (held === undefined || isLater(record, held)) byParty.set(key, record);
  }
  if (byParty.size === 0) return [];
  const out: Mismatch[] = [];
  for (const kind of SOURCE_PRECEDENCE.goods) {
    const representative = latest.get(kind);
    if (representative === undefined) continue;
    const others = [...byParty.values()]
      .filter((r) => r.kind === kind)
      .sort((a, b) => (a.submitterId < b.submitterId ? -1 : a.submitterId > b.submitterId ? 1 : 0));
    if (others.length === 0) continue;
    const a = summarise(`${kind} from ${representative.submitterId}`, representative.data);
    for (const other of others)
      out.push(...compareRecords(a, summarise(`${kind} from ${other.submitterId}`, other.data), tolerances));
  }
  return out;
}

function isLater(candidate: SourceRecord, held: SourceRecord): boolean {
  const a = Date.parse(candidate.receivedAt);
  const b = Date.parse(held.receivedAt);
  if (!Number.isNaN(a) && !Number.isNaN(b) && a !== b) return a > b;
  if (Number.isNaN(a) !== Number.isNaN(b)) return Number.isNaN(b);
  // Same instant: the greater (ULID, time-ordered) id wins, so the outcome does not depend on input order.
  return candidate.declarationId > held.declarationId;
}

function ordered(latest: Map<SourceKind, SourceRecord>, group: FieldGroup): ConsignmentInput[] {
  const out: ConsignmentInput[] = [];
  for (const kind of SOURCE_PRECEDENCE[group]) {
    const record = latest.get(kind);
    if (record !== undefined) out.push(record.data);
  }
  return out;
}

function first<K extends keyof ConsignmentInput>(
  inputs: readonly ConsignmentInput[],
  key: K,
): ConsignmentInput[K] | undefined {
  for (const input of inputs) {
    const value = input[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

type Dates = NonNullable<ConsignmentInput['dates']>;

function firstDate(inputs: readonly ConsignmentInput[], key: keyof Dates): string | undefined {
  for (const input of inputs) {
    const value = input.dates?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

function mergeRepresentatives(latest: Map<SourceKind, SourceRecord>): ConsignmentInput {
  const goods = ordered(latest, 'goods');
  const parties = ordered(latest, 'parties');
  const transport = ordered(latest, 'transport');
  const platform = ordered(latest, 'platform');
  const primary = goods[0];
  const routing = transport[0]?.routing;
  if (primary === undefined || routing === undefined)
    throw new Error('unreachable: no representative source');
  const merged: ConsignmentInput = {
    source: primary.source,
    category: primary.category,
    items: primary.items,
    routing,
  };
  // Optional fields are set only when some source has them, so no `undefined` keys reach the hash.
  const set = <K extends keyof ConsignmentInput>(key: K, value: ConsignmentInput[K] | undefined): void => {
    if (value !== undefined) merged[key] = value;
  };
  set('externalRef', primary.externalRef);
  set('transportDocument', first(transport, 'transportDocument'));
  set('masterReference', first(transport, 'masterReference'));
  set('seller', first(parties, 'seller'));
  set('consignee', first(parties, 'consignee'));
  set('declarant', first(parties, 'declarant'));
  set('platform', first(platform, 'platform'));
  set('payment', first(ordered(latest, 'payment'), 'payment'));
  set('taxCollection', first(ordered(latest, 'taxCollection'), 'taxCollection'));
  set('additionalProcedureCodes', first(goods, 'additionalProcedureCodes'));
  set('totals', first(goods, 'totals'));
  set('documents', first(goods, 'documents'));
  set('dates', mergeDates(transport, platform));
  return merged;
}

// Dates are merged field by field: the platform knows when the order was placed, the carrier the rest.
function mergeDates(
  transport: readonly ConsignmentInput[],
  platform: readonly ConsignmentInput[],
): Dates | undefined {
  const dates: Dates = {};
  let any = false;
  const orderedAt = firstDate(platform, 'ordered');
  if (orderedAt !== undefined) {
    dates.ordered = orderedAt;
    any = true;
  }
  for (const key of ['accepted', 'departure', 'expectedArrival'] as const) {
    const value = firstDate(transport, key);
    if (value !== undefined) {
      dates[key] = value;
      any = true;
    }
  }
  return any ? dates : undefined;
}

function listMismatches(latest: Map<SourceKind, SourceRecord>, tolerances: MatchTolerances): Mismatch[] {
  const summaries = [];
  for (const kind of SOURCE_PRECEDENCE.goods) {
    const record = latest.get(kind);
    if (record !== undefined) summaries.push(summarise(kind, record.data));
  }
  const out: Mismatch[] = [];
  for (let i = 0; i < summaries.length; i++) {
    for (let j = i + 1; j < summaries.length; j++) {
      const a = summaries[i];
      const b = summaries[j];
      if (a !== undefined && b !== undefined) out.push(...compareRecords(a, b, tolerances));
    }
  }
  return out;
}
