/** A stored assessment and its replay side by side: what `parcelgate revenue replay` and the replay route show. */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import type { RevenueContext } from './assess-revenue.js';
import { shippedProfileArchive, type ProfileArchive } from './profile-archive.js';
import { replayRevenue } from './simulate.js';

/** What a replay needs of a stored consignment. */
export interface ReplaySubject {
  readonly id: string;
  readonly input: ConsignmentInput;
  readonly revenue: RevenueAssessment;
  readonly assessedAt: string;
}

/** The stored and the replayed assessment, whether they match, and which profile version was used. */
export interface ReplayReport {
  readonly consignmentId: string;
  readonly assessedAt: string;
  readonly identical: boolean;
  /** Top-level fields that differ (and a note when the reference data versions changed). */
  readonly differences: readonly string[];
  /** The profile version the replay ran under; `archived` when it is an earlier, kept version. */
  readonly profileVersion: string | null;
  readonly archived: boolean;
  readonly stored: RevenueAssessment;
  readonly replayed: RevenueAssessment;
}

/** Re-assesses a stored consignment as of its assessment time under the profile version it recorded. */
export function replayReport(
  s: ReplaySubject,
  ctx: RevenueContext,
  archive: ProfileArchive = shippedProfileArchive,
): ReplayReport {
  const r = replayRevenue(s.input, s.revenue, s.assessedAt, ctx, archive);
  return {
    consignmentId: s.id,
    assessedAt: s.assessedAt,
    identical: r.identical,
    differences: r.differences,
    profileVersion: r.profileVersion ?? null,
    archived: r.archived ?? false,
    stored: s.revenue,
    replayed: r.replayed,
  };
}

/** The report as a few lines of text for the terminal. */
export function renderReplayReport(r: ReplayReport): string {
  const sum = (a: RevenueAssessment) =>
    `${a.collectionModel}, due at border ${a.dueAtBorder} ${a.currency}, prepaid ${a.prepaid}, total ${a.total}` +
    ` (${a.lines.length} lines; profile ${a.versions.profile ?? '-'}, tariff ${a.versions.tariff ?? '-'}, fx ${a.versions.fx ?? '-'})`;
  return [
    `consignment ${r.consignmentId}, assessed ${r.assessedAt}`,
    `replayed under ${r.profileVersion ?? 'no profile'}${r.archived ? ' (an earlier version, kept for replay)' : ''}`,
    `stored:   ${sum(r.stored)}`,
    `replayed: ${sum(r.replayed)}`,
    r.identical ? 'identical: yes' : `identical: NO — differs in ${r.differences.join('; ')}`,
  ].join('\n');
}
