/**
 * Operator history from inspection outcomes (learning): a consignee or seller whose parcels were found
 * violating before raises risk (repeat offender); a seller with a long clean inspection record lowers it
 * (operator trust, with a negative weight in the rule set). Never a bypass: rule lanes still apply.
 */
import type { ConsignmentInput } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { consigneeKey, sellerKey } from './split-shipment.js';

/** Inspections and findings of one party. */
export interface PartyStats {
  inspections: number;
  findings: number;
}

/** Read port over the parties' inspection history. */
export interface PartyHistory {
  consignee(key: string): PartyStats | undefined;
  seller(key: string): PartyStats | undefined;
}

/** An in-memory party history, updated as outcomes are recorded. */
export class PartyBook implements PartyHistory {
  private readonly consignees = new Map<string, PartyStats>();
  private readonly sellers = new Map<string, PartyStats>();

  constructor(initial?: { consignees: Map<string, PartyStats>; sellers: Map<string, PartyStats> }) {
    this.reset(initial);
  }

  /** Replaces the whole history (re-read from the store: outcomes other processes recorded count too). */
  reset(initial?: { consignees: Map<string, PartyStats>; sellers: Map<string, PartyStats> }): void {
    this.consignees.clear();
    this.sellers.clear();
    for (const [k, v] of initial?.consignees ?? []) this.consignees.set(k, { ...v });
    for (const [k, v] of initial?.sellers ?? []) this.sellers.set(k, { ...v });
  }

  consignee(key: string): PartyStats | undefined {
    return this.consignees.get(key);
  }

  seller(key: string): PartyStats | undefined {
    return this.sellers.get(key);
  }

  /** Adds one inspection outcome (`sign` -1 takes back one that a corrected outcome replaces). */
  record(consignee: string | null, seller: string | null, found: boolean, sign: 1 | -1 = 1): void {
    const add = (m: Map<string, PartyStats>, k: string | null) => {
      if (k === null) return;
      const s = m.get(k) ?? { inspections: 0, findings: 0 };
      s.inspections = Math.max(0, s.inspections + sign);
      if (found) s.findings = Math.max(0, s.findings + sign);
      m.set(k, s);
    };
    add(this.consignees, consignee);
    add(this.sellers, seller);
  }
}

/** Module version recorded on hits. */
export const PARTY_HISTORY_VERSION = 1;

// A seller needs this many clean inspections, and no finding, to be trusted in full.
const TRUST_INSPECTIONS = 20;

/** Repeat offender: 0.6 for one earlier finding on the consignee or seller, +0.2 per further one (cap 1). */
export function assessRepeatOffender(
  c: ConsignmentInput,
  parties: PartyHistory | undefined,
): IndicatorResult {
  if (parties === undefined) return quiet('repeat-offender', PARTY_HISTORY_VERSION);
  const ck = consigneeKey(c);
  const sk = sellerKey(c);
  const byConsignee = ck === null ? undefined : parties.consignee(ck);
  const bySeller = sk === undefined ? undefined : parties.seller(sk);
  const findings = Math.max(byConsignee?.findings ?? 0, bySeller?.findings ?? 0);
  if (findings === 0) return quiet('repeat-offender', PARTY_HISTORY_VERSION);
  const who = (byConsignee?.findings ?? 0) >= (bySeller?.findings ?? 0) ? 'consignee' : 'seller';
  const stats = (who === 'consignee' ? byConsignee : bySeller) as PartyStats;
  return {
    id: 'repeat-offender',
    version: PARTY_HISTORY_VERSION,
    score: round2(Math.min(1, 0.6 + 0.2 * (findings - 1))),
    reason: `earlier inspections found violations on ${stats.findings} of ${stats.inspections} parcels of this ${who}`,
    inputs: { party: who, inspections: stats.inspections, findings: stats.findings },
  };
}

/** Operator trust: a seller with clean inspections and no finding; the score grows to 1 at 20 inspections. */
export function assessOperatorTrust(c: ConsignmentInput, parties: PartyHistory | undefined): IndicatorResult {
  // Without an inspection history there is nothing to look the seller's pseudonym up in (an HMAC saved).
  if (parties === undefined) return quiet('operator-trust', PARTY_HISTORY_VERSION);
  const sk = sellerKey(c);
  const s = sk === undefined ? undefined : parties.seller(sk);
  if (s === undefined || s.findings > 0 || s.inspections === 0)
    return quiet('operator-trust', PARTY_HISTORY_VERSION);
  return {
    id: 'operator-trust',
    version: PARTY_HISTORY_VERSION,
    score: round2(Math.min(1, s.inspections / TRUST_INSPECTIONS)),
    reason: `the seller's ${s.inspections} earlier inspections found nothing`,
    inputs: { inspections: s.inspections },
  };
}
