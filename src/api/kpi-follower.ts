/**
 * The KPI fact table's follower: a bounded step of `refreshKpiFacts` every couple of seconds, kept
 * out of the way of intake. A step is a write transaction on the server's own connection that runs
 * in the main thread (and on SQLite holds the write lock against the writer thread): while intake
 * batches are in flight it is put off, at most `maxDeferrals` ticks in a row, so a long flood still
 * sees one step every `everyMs * (maxDeferrals + 1)` and the backlog a report catches up stays
 * bounded. A report reads whatever the follower has not yet folded in first, so what it shows is
 * the same either way (docs/console.md "KPI report").
 */

/** What the follower needs: one bounded step, and whether intake is busy. */
export interface KpiFollowerDeps {
  /** One step: folds at most `maxEvents` events of the log into the fact table. */
  refresh: (maxEvents: number) => Promise<unknown>;
  /** Whether intake batches are in flight now. */
  busy: () => boolean;
  everyMs: number;
  maxEvents: number;
  maxDeferrals: number;
}

/** Starts the follower; returns its stop function. Steps never overlap. */
export function startKpiFollower(deps: KpiFollowerDeps): () => void {
  let deferred = 0;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    if (deps.busy() && deferred < deps.maxDeferrals) {
      deferred++;
      return;
    }
    deferred = 0;
    running = true;
    void deps
      .refresh(deps.maxEvents)
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, deps.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
