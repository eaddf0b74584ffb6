/**
 * A plain post-commit ledger writer (PipelineDeps.observe) for callers without an event feed: each
 * committed batch becomes one `LedgerBatch` written in one transaction. It keeps no cursor, so it does
 * not repair a crash between commit and ledger write; `openRevenueRuntime` (revenue-runtime.ts) does,
 * and is what `serve` and `demo` use. Failed writes go to `onError`, never to an acknowledgement.
 */
import { ledgerBatch, type RevenueContext, type RevenueLedger } from '../revenue/index.js';
import type { StoredConsignment } from '../store/index.js';

/** An `observe` callback that records each committed batch's revenue in `ledger` (one write per batch). */
export function revenueLedgerObserver(
  ledger: RevenueLedger,
  revenue: RevenueContext,
  actor: string,
  onError: (err: unknown) => void = () => undefined,
): (consignments: readonly StoredConsignment[]) => void {
  let pending: Promise<void> = Promise.resolve();
  return (consignments) => {
    const batch = ledgerBatch(
      revenue,
      consignments.map((c) => ({
        id: c.id,
        input: c.merged,
        revenue: c.assessment.revenue,
        assessedAt: c.assessment.assessedAt,
        state: c.state,
      })),
      [],
      actor,
    );
    pending = pending.then(() => ledger.writeBatch(batch)).catch(onError);
  };
}
