/**
 * The revenue ledger port and its pure builders: per-person import history (China ¥26,000 a year,
 * Korea/US same-day totals), the IOSS monthly report (value and VAT per IOSS number and member
 * state of consumption, EUR exact) and the returns/refunds trail. Stores implement the port
 * (SQLite: src/store/sqlite/revenue-ledger-sqlite.ts, PostgreSQL: src/store/postgres/revenue-ledger-postgres.ts).
 */
import { identityPersonKey } from './person-key.js';
import { namePseudonym } from '../privacy/pseudonym.js';
import type { ConsignmentInput, Money, RevenueAssessment } from '../domain/index.js';
import type { AssessOptions } from './generic-profile.js';
import type { RefundRule } from './generic-schema.js';
import { amount, fixed, ZERO } from './money.js';

/** One consignment's value counted against a person's limits. */
export interface PersonImport {
  readonly personKey: string;
  readonly jurisdiction: string;
  readonly consignmentId: string;
  /** Relevant date of the assessment, YYYY-MM-DD. */
  readonly date: string;
  /** Value in the jurisdiction currency (the basis its person limits use), exact decimal. */
  readonly amount: string;
  readonly currency: string;
}

/** A person's totals before a new consignment: same day and calendar year to date. */
export interface PersonTotals {
  readonly day: string;
  readonly yearToDate: string;
  readonly currency: string;
}

/** One IOSS consignment as the monthly report counts it. */
export interface IossEntry {
  readonly consignmentId: string;
  readonly iossNumber: string;
  /** Member state of consumption (destination). */
  readonly memberState: string;
  /** YYYY-MM of the relevant date. */
  readonly month: string;
  readonly intrinsicValueEur: string;
  readonly vatEur: string;
}

/** One line of the IOSS monthly report. */
export interface IossReportLine {
  readonly iossNumber: string;
  readonly memberState: string;
  readonly consignments: number;
  readonly intrinsicValueEur: string;
  readonly vatEur: string;
}

/** A movement in a consignment's revenue trail. */
export interface RevenueTrailEntry {
  readonly consignmentId: string;
  /**
   * assessed: computed at clearance; refund: border tax to repay; reversal: collector reverses;
   * not-collected; not-refundable: border tax the jurisdiction's refund rule does not repay (a type it
   * excludes, or a return after the claim time limit).
   */
  readonly kind: 'assessed' | 'refund' | 'reversal' | 'not-collected' | 'not-refundable';
  readonly collectedBy: string;
  readonly amount: string;
  readonly currency: string;
  readonly reason: string;
  readonly at: string;
  readonly actor: string;
  /** What within the consignment the entry is about: `items:0,2` for a partial return (absent otherwise). */
  readonly ref?: string;
}

/** What a store keeps for revenue: person history, IOSS entries and the refunds trail. All idempotent. */
export interface RevenueLedger {
  /** Records (or replaces, by person and consignment) a consignment's value for a person. */
  recordPersonImport(entry: PersonImport): Promise<void>;
  /** Totals for a person on `date` (same day) and from 1 January of its year up to the day before, excluding `exceptConsignment`. */
  personTotals(
    personKey: string,
    jurisdiction: string,
    date: string,
    currency: string,
    exceptConsignment?: string,
  ): Promise<PersonTotals>;
  /** Records (or replaces, by consignment) an IOSS entry. */
  recordIoss(entry: IossEntry): Promise<void>;
  /** The IOSS report of a month: one line per IOSS number and member state, sorted. */
  iossMonthly(month: string): Promise<IossReportLine[]>;
  /** Appends to a consignment's revenue trail (an entry with the same kind, collector and time is kept once). */
  appendTrail(entries: readonly RevenueTrailEntry[]): Promise<void>;
  /** A consignment's trail, oldest first. */
  trail(consignmentId: string): Promise<RevenueTrailEntry[]>;
  /**
   * Applies one batch of ledger writes in one transaction, together with the event-log position it
   * covers (`cursor`, kept as the highest seen): a crash leaves either all of it or none.
   */
  writeBatch(batch: LedgerBatch, cursor?: number): Promise<void>;
  /** The clearance event seq up to which the ledger is complete (0: nothing recorded yet). */
  cursor(): Promise<number>;
  /** Every person entry dated on or after `date` (to fill the live per-person view at start). */
  personImportsSince(date: string): Promise<PersonImport[]>;
  /**
   * The person entries of these person keys (every jurisdiction) dated on or after `since`: what the
   * bounded per-person view (src/revenue/person-cache.ts) loads for a batch's persons in one read.
   */
  personImportsOf(personKeys: readonly string[], since: string): Promise<PersonImport[]>;
}

/** One committed batch's ledger writes (see `RevenueLedger.writeBatch`). */
export interface LedgerBatch {
  /** Person entries to record or replace (by person, jurisdiction and consignment). */
  readonly persons: readonly PersonImport[];
  /** Consignments whose person entries are removed (returned, or no longer counting). */
  readonly removePersons: readonly string[];
  readonly ioss: readonly IossEntry[];
  readonly trail: readonly RevenueTrailEntry[];
}

/**
 * A stable key for "the same person": a pseudonym of the consignee's declared identifier when present
 * (personal id, PCCC, TIN; never the number itself, which is stored nowhere in clear), else a pseudonym
 * of the normalised name, postcode and country: both keyed (HMAC under the pseudonym key,
 * src/privacy/pseudonym.ts), so a copy of the database cannot be reversed by trying candidates.
 */
export function personKeyOf(input: ConsignmentInput): string | undefined {
  const c = input.consignee;
  if (c === undefined) return undefined;
  if (c.id !== undefined) return identityPersonKey(identityBasisOf(c.id));
  return namePseudonym(nameBasisOf(c));
}

/** What an identity-number person key is made of: `TYPE:VALUE`, the value without spaces, upper case. */
export const identityBasisOf = (id: { type: string; value: string }): string =>
  `${id.type}:${id.value.replace(/\s+/g, '').toUpperCase()}`;

/** What a name-based person key is made of: the normalised name and postcode, and the country. */
export function nameBasisOf(c: NonNullable<ConsignmentInput['consignee']>): string {
  const norm = (s: string | undefined) =>
    (s ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return `${norm(c.name)}|${norm(c.address.postcode)}|${c.address.country}`;
}

/** The history option for assessRevenue from stored totals. */
export function historyOption(totals: PersonTotals): AssessOptions['history'] {
  const money = (value: string): Money => ({ amount: value, currency: totals.currency });
  return { personDayTotal: money(totals.day), personYearToDate: money(totals.yearToDate) };
}

/** The IOSS entry of an assessment accepted under IOSS, else undefined. */
export function iossEntryOf(
  consignmentId: string,
  input: ConsignmentInput,
  revenue: RevenueAssessment,
  date: string,
): IossEntry | undefined {
  const tc = input.taxCollection;
  if (tc?.scheme !== 'IOSS' || revenue.collectionModel !== 'vendor' || revenue.currency !== 'EUR')
    return undefined;
  let vat = ZERO;
  for (const l of revenue.lines) if (l.type === 'vat' && l.collectedBy === 'vendor') vat += amount(l.amount);
  return {
    consignmentId,
    iossNumber: tc.number,
    memberState: input.routing.destinationCountry,
    month: date.slice(0, 7),
    intrinsicValueEur: revenue.intrinsicValue,
    vatEur: fixed(vat, 2),
  };
}

/** Sums IOSS entries into report lines (exact decimal), one per IOSS number and member state. */
export function iossReport(entries: readonly IossEntry[]): IossReportLine[] {
  const groups = new Map<string, { n: number; value: number; vat: number; ioss: string; ms: string }>();
  for (const e of entries) {
    const key = `${e.iossNumber}|${e.memberState}`;
    const g = groups.get(key) ?? { n: 0, value: ZERO, vat: ZERO, ioss: e.iossNumber, ms: e.memberState };
    g.n += 1;
    g.value += amount(e.intrinsicValueEur);
    g.vat += amount(e.vatEur);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => (a.ioss === b.ioss ? (a.ms < b.ms ? -1 : 1) : a.ioss < b.ioss ? -1 : 1))
    .map((g) => ({
      iossNumber: g.ioss,
      memberState: g.ms,
      consignments: g.n,
      intrinsicValueEur: fixed(g.value, 2),
      vatEur: fixed(g.vat, 2),
    }));
}

const placesOf = (r: RevenueAssessment): number => r.total.split('.')[1]?.length ?? 0;

/** How a return or refusal unwinds revenue (docs/revenue.md "Returns and refunds"). */
export type ReturnTrigger = 'returned' | 'refused' | 'not-delivered';

/**
 * Trail entries for a returned, refused or undelivered consignment: border-collected tax becomes a
 * refund claim, tax collected by a vendor or platform a reversal by that collector (IOSS: the seller
 * refunds the buyer and corrects its return; China CBEC: the platform reverses its withholding),
 * and special-arrangements VAT, collected only on delivery, is not collected.
 */
export function returnEntries(
  consignmentId: string,
  revenue: RevenueAssessment,
  trigger: ReturnTrigger,
  at: string,
  actor: string,
  borderPaid = true,
  refund?: AppliedRefundRule,
): RevenueTrailEntry[] {
  const by = new Map<string, number>();
  let excluded = ZERO;
  const excludedTypes = new Set<string>();
  for (const l of revenue.lines) {
    if (l.collectedBy === 'none') continue;
    const a = amount(l.amount);
    if (
      refund !== undefined &&
      borderPaid &&
      l.collectedBy === 'border' &&
      !refund.rule.refundable.includes(l.type)
    ) {
      excluded += a;
      if (a !== ZERO) excludedTypes.add(l.type);
      continue;
    }
    by.set(l.collectedBy, (by.get(l.collectedBy) ?? ZERO) + a);
  }
  const places = placesOf(revenue);
  const out: RevenueTrailEntry[] = [];
  const entry = (kind: RevenueTrailEntry['kind'], collectedBy: string, sum: number, reason: string) =>
    out.push({
      consignmentId,
      kind,
      collectedBy,
      amount: fixed(sum, places),
      currency: revenue.currency,
      reason,
      at,
      actor,
    });
  const barred = refund !== undefined && refund.deadline !== undefined && at.slice(0, 10) > refund.deadline;
  for (const [collectedBy, sum] of by) {
    if (sum === ZERO) continue;
    const kind: RevenueTrailEntry['kind'] =
      collectedBy === 'border'
        ? borderPaid
          ? barred
            ? 'not-refundable'
            : 'refund'
          : 'not-collected'
        : collectedBy === 'intermediary'
          ? 'not-collected'
          : 'reversal';
    const reason =
      kind === 'refund'
        ? refund === undefined
          ? `consignment ${trigger}: import duty and tax paid at the border are repaid on claim (${revenue.jurisdiction})`
          : `consignment ${trigger}: ${refundText(refund)}`
        : kind === 'not-refundable'
          ? `consignment ${trigger} on ${at.slice(0, 10)}, after the claim time limit (${refund?.rule.timeLimitDays ?? 0} days from release, until ${refund?.deadline ?? ''}): not repaid (${revenue.jurisdiction}${refund?.rule.verified === false ? ', rule not verified' : ''})`
          : kind === 'not-collected'
            ? collectedBy === 'border'
              ? `consignment ${trigger} before release: the duty and tax due at the border are not collected`
              : `consignment ${trigger}: special-arrangements tax is collected only on delivery`
            : `consignment ${trigger}: the ${collectedBy} reverses the tax it charged at sale`;
    entry(kind, collectedBy, sum, reason);
  }
  if (excluded !== ZERO && refund !== undefined)
    entry(
      'not-refundable',
      'border',
      excluded,
      `consignment ${trigger}: ${[...excludedTypes].join(', ')} paid at the border not repaid under the ${revenue.jurisdiction} refund rule (refundable: ${refund.rule.refundable.join(', ')}${refund.rule.verified ? '' : '; rule not verified'})`,
    );
  return out;
}

/** A jurisdiction's refund rule as applied to one return: the rule and the claim deadline (if released). */
export interface AppliedRefundRule {
  readonly rule: RefundRule;
  /** Last day (YYYY-MM-DD) a claim may be made: release date + time limit; undefined when unknown. */
  readonly deadline: string | undefined;
}

/** The rule with the deadline computed from the release time (ISO), when known. */
export function applyRefundRule(rule: RefundRule, releasedAt: string | undefined): AppliedRefundRule {
  if (releasedAt === undefined) return { rule, deadline: undefined };
  const d = new Date(`${releasedAt.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rule.timeLimitDays);
  return { rule, deadline: d.toISOString().slice(0, 10) };
}

function refundText(r: AppliedRefundRule): string {
  const until = r.deadline === undefined ? '' : `, until ${r.deadline}`;
  return (
    `${r.rule.refundable.join(', ')} paid at the border repaid on a claim by ${r.rule.claimant} ` +
    `within ${r.rule.timeLimitDays} days of release${until}; ${r.rule.conditions}` +
    `${r.rule.verified ? '' : ' (rule not verified)'}; source ${r.rule.source}`
  );
}

/** The trail entries recorded when a consignment is assessed (one per collector with a non-zero amount). */
export function assessedEntries(
  consignmentId: string,
  revenue: RevenueAssessment,
  at: string,
  actor: string,
): RevenueTrailEntry[] {
  const by = new Map<string, number>();
  for (const l of revenue.lines)
    if (l.collectedBy !== 'none') by.set(l.collectedBy, (by.get(l.collectedBy) ?? ZERO) + amount(l.amount));
  return [...by]
    .filter(([, v]) => v !== ZERO)
    .map(([collectedBy, v]) => ({
      consignmentId,
      kind: 'assessed' as const,
      collectedBy,
      amount: fixed(v, placesOf(revenue)),
      currency: revenue.currency,
      reason: `assessed under ${revenue.versions.profile ?? revenue.jurisdiction}`,
      at,
      actor,
    }));
}
