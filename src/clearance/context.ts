import type { IntakeDataSet } from '../intake/index.js';
/** The request context passed first to every pipeline call (who, when, which request). */

/** Who acts and when; the shell fills it, the core never reads the clock itself. */
export interface RequestContext {
  /** Operator or user acting, e.g. `opr_platform-a` or `officer:jdoe`. */
  actor: string;
  /** Submitter the records belong to (owner of the consignments it creates). */
  submitterId: string;
  /** ISO timestamp of the request. */
  now: string;
  requestId?: string;
  /**
   * The data set intake requires of this submitter's records (set by `submitBatch` from the snapshot's
   * `intakeDataSet`); absent: the built-in requirements. Plain data, so it crosses to workers.
   */
  intake?: IntakeDataSet;
}
