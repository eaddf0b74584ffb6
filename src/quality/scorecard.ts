/**
 * Data-quality scorecards per submitter and period (WCO data-quality practice): completeness of the
 * expected elements, share of vague descriptions, invalid HS codes, late filing (after loading or
 * arrival), duplicates, the mismatch rate between sources and the records intake rejected. Pure
 * tallies: add records (and rejections), read the card.
 */
import type { DeclarationFact, ConsignmentFact } from '../registry/index.js';
import type { HsNomenclature } from '../reference/index.js';
import { vagueDescriptionScore } from '../risk/index.js';
import { filedLate } from '../operators/index.js';
import { missingElements, qualityElements } from './elements.js';
import type { RejectedRecord } from './rejections.js';
import type { Scorecard } from './report-types.js';

export type { Scorecard } from './report-types.js';

/** Running counts of one submitter in one period. */
export interface QualityTally {
  submitterId: string;
  period: string;
  records: number;
  elementsExpected: number;
  elementsMissing: number;
  missingByElement: Record<string, number>;
  items: number;
  vagueItems: number;
  /**
   * Records (accepted or rejected) declaring at least one HS code that is not an HS 2022 subheading.
   * Counted per record, over all records: of a rejected record only its issues are kept, which name its
   * invalid codes but not how many valid ones it declared (docs/quality.md).
   */
  invalidHsRecords: number;
  late: number;
  duplicates: number;
  multiSource: number;
  mismatched: number;
  /** Records intake rejected (counted in `records`; see rejections.ts: only their issues are kept). */
  rejected: number;
  rejectedByCode: Record<string, number>;
}

/** Weights of the overall score (points lost at a 100% bad rate). */
export const qualityWeights = {
  completeness: 30,
  rejected: 10,
  vague: 15,
  invalidHs: 15,
  late: 15,
  duplicates: 5,
  mismatch: 10,
} as const;

export const emptyTally = (submitterId: string, period: string): QualityTally => ({
  submitterId,
  period,
  records: 0,
  elementsExpected: 0,
  elementsMissing: 0,
  missingByElement: {},
  items: 0,
  vagueItems: 0,
  invalidHsRecords: 0,
  late: 0,
  duplicates: 0,
  multiSource: 0,
  mismatched: 0,
  rejected: 0,
  rejectedByCode: {},
});

/** Vague: the description scores at or above the rule set's vague-description threshold (0.6). */
export const vagueThreshold = 0.6;

/** Adds one source record to a tally. `duplicate` is decided by the caller (it sees the other records). */
export function addRecord(
  t: QualityTally,
  d: DeclarationFact,
  fact: ConsignmentFact | undefined,
  hs: HsNomenclature,
  opts: { duplicate: boolean; reduced: boolean; countConsignment: boolean },
): void {
  const c = d.data;
  t.records++;
  const missing = missingElements(c, opts.reduced);
  t.elementsExpected += opts.reduced
    ? qualityElements.filter((e) => e.reducedSet).length
    : qualityElements.length;
  t.elementsMissing += missing.length;
  for (const m of missing) t.missingByElement[m] = (t.missingByElement[m] ?? 0) + 1;
  for (const item of c.items) {
    t.items++;
    if (vagueDescriptionScore(item.description) >= vagueThreshold) t.vagueItems++;
  }
  if (c.items.some((item) => item.hsCode !== undefined && !hs.isValidSubheading(item.hsCode)))
    t.invalidHsRecords++;
  const afterArrival = fact?.arrivedAt != null && Date.parse(d.receivedAt) > Date.parse(fact.arrivedAt);
  if (filedLate(c, d.receivedAt) || afterArrival) t.late++;
  if (opts.duplicate) t.duplicates++;
  if (opts.countConsignment && fact && fact.sourceCount >= 2) {
    t.multiSource++;
    if (fact.mismatchCount > 0) t.mismatched++;
  }
}

/**
 * Adds one record intake rejected: it counts as a record, its missing elements against completeness
 * (elements its issues do not name are counted as present: the record itself is not kept), against
 * the invalid-HS share when an issue names an invalid HS code, and its issue codes in `rejectedByCode`.
 */
export function addRejection(t: QualityTally, r: RejectedRecord, reduced: boolean): void {
  t.records++;
  t.rejected++;
  const applicable = qualityElements.filter((e) => !reduced || e.reducedSet).map((e) => e.element);
  t.elementsExpected += applicable.length;
  for (const m of r.missing) {
    if (!applicable.includes(m)) continue;
    t.elementsMissing++;
    t.missingByElement[m] = (t.missingByElement[m] ?? 0) + 1;
  }
  if (r.invalidHs > 0) t.invalidHsRecords++;
  for (const c of new Set(r.codes)) t.rejectedByCode[c] = (t.rejectedByCode[c] ?? 0) + 1;
}

/** How a finding names its measure where the rate is not the measure itself (completeness loses points by what is missing). */
const findingLabel: Partial<Record<keyof typeof qualityWeights, string>> = {
  completeness: 'missing required elements',
};

const share = (n: number, of: number): number => (of === 0 ? 0 : n / of);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Reads the scorecard off a tally. */
export function scorecard(t: QualityTally): Scorecard {
  const completeness = t.elementsExpected === 0 ? 1 : 1 - t.elementsMissing / t.elementsExpected;
  const accepted = t.records - t.rejected;
  const rates = {
    completeness: 1 - completeness,
    rejected: share(t.rejected, t.records),
    vague: share(t.vagueItems, t.items),
    invalidHs: share(t.invalidHsRecords, t.records),
    late: share(t.late, accepted),
    duplicates: share(t.duplicates, accepted),
    mismatch: share(t.mismatched, t.multiSource),
  };
  let lost = 0;
  const findings: string[] = [];
  for (const [k, w] of Object.entries(qualityWeights) as [keyof typeof qualityWeights, number][]) {
    const points = w * rates[k];
    lost += points;
    if (points >= 0.5)
      findings.push(
        `${findingLabel[k] ?? k}: ${(rates[k] * 100).toFixed(1)}% costs ${points.toFixed(1)} of ${w} points`,
      );
  }
  const worst = Object.entries(t.missingByElement).sort((a, b) => b[1] - a[1])[0];
  if (worst) findings.push(`most often missing: ${worst[0]} (${worst[1]} of ${t.records} records)`);
  const topCode = Object.entries(t.rejectedByCode).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  if (topCode)
    findings.push(`most frequent rejection: ${topCode[0]} (${topCode[1]} of ${t.rejected} rejected)`);
  return {
    submitterId: t.submitterId,
    period: t.period,
    records: t.records,
    completeness: round3(completeness),
    vagueShare: round3(rates.vague),
    invalidHsShare: round3(rates.invalidHs),
    lateShare: round3(rates.late),
    duplicateShare: round3(rates.duplicates),
    mismatchRate: round3(rates.mismatch),
    rejected: t.rejected,
    rejectedShare: round3(rates.rejected),
    rejectedByCode: t.rejectedByCode,
    score: Math.round(Math.max(0, 100 - lost) * 10) / 10,
    missingByElement: t.missingByElement,
    findings,
  };
}

/** The period a timestamp falls in: `2026-11-29` (day), `2026-W48` (ISO week) or `2026-11` (month). */
export function periodOf(iso: string, period: 'day' | 'week' | 'month'): string {
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'month') return iso.slice(0, 7);
  const d = new Date(
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))),
  );
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
