/**
 * Inspection findings: which ones mean the inspection found nothing wrong. One list for every learner
 * (rules report, party history, reference-price exclusions, operator compliance, KPIs), so an officer's
 * "none" or "clean" is never a violation in one place and a clean inspection in another.
 */

/** Findings that mean an inspection found nothing wrong. */
export const cleanFindings: ReadonlySet<string> = new Set([
  'nothing-found',
  'none',
  'clean',
  'no-finding',
  'compliant',
]);

/** True when an inspection finding reports a violation (anything but a clean finding). */
export const isViolationFinding = (finding: string): boolean => !cleanFindings.has(finding);

/** The clean findings as an SQL list literal, for the stores' aggregates (`finding NOT IN (...)`). */
export const cleanFindingsSql = [...cleanFindings].map((f) => `'${f}'`).join(', ');
