/**
 * Feeds the revenue ledger from the pipeline's post-commit `observe` hook (PipelineDeps.observe):
 * person imports, IOSS entries and the assessed trail for every consignment a batch wrote, and a
 * return entry for consignments that reached `returned`. The ledger is derived data: a failed
 * write is reported through `onError` and never affects what was acknowledged.
 */
import { recordAssessment, recordReturn, relevantDate, type RevenueLedger } from '../revenue/index.js';
import type { StoredConsignment } from '../store/index.js';

/** An `observe` callback that records each written consignment's revenue in `ledger`. */
export function revenueLedgerObserver(
  ledger: RevenueLedger,
  actor: string,
  onError: (err: unknown) => void = () => undefined,
): (consignments: readonly StoredConsignment[]) => void {
  return (consignments) => {
    void (async () => {
      for (const c of consignments) {
        const a = c.assessment;
        const date = relevantDate(c.merged, a.assessedAt);
        await recordAssessment(ledger, c.id, c.merged, a.revenue, date, a.assessedAt, actor);
        if (c.state === 'returned')
          await recordReturn(ledger, c.id, a.revenue, 'returned', c.updatedAt, actor);
      }
    })().catch(onError);
  };
}
