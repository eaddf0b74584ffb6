/**
 * The shapes of the quality report, free of imports so that the web console type-checks against the
 * same definitions (web/src imports them with `import type`).
 */

/** A scorecard: the rates, the overall score (0-100) and what cost the points. */
export interface Scorecard {
  submitterId: string;
  period: string;
  records: number;
  completeness: number;
  vagueShare: number;
  invalidHsShare: number;
  lateShare: number;
  duplicateShare: number;
  mismatchRate: number;
  /** Rejected records in `records` and their share; what intake rejected them for, by issue code. */
  rejected: number;
  rejectedShare: number;
  rejectedByCode: Record<string, number>;
  score: number;
  missingByElement: Record<string, number>;
  findings: string[];
}

/** Scorecards per submitter, each with its periods in order (the trend) and the whole range. */
export interface QualityReport {
  from: string;
  to: string;
  period: 'day' | 'week' | 'month';
  submitters: { submitterId: string; overall: Scorecard; trend: Scorecard[] }[];
}
