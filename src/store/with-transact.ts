/** A store with its `transact` wrapped, every other member of the port forwarded as it is. */
import type { ClearanceStore } from './port.js';

/**
 * `real` whose batches go through `transact` (which calls `real.transact` in its turn, with the same
 * options): for a wrapper that records or holds batches. Reads, stats, the console, `close` and
 * `commitsInBackground` are the real store's.
 */
export function withTransact(real: ClearanceStore, transact: ClearanceStore['transact']): ClearanceStore {
  return {
    kind: real.kind,
    ...(real.commitsInBackground === undefined ? {} : { commitsInBackground: real.commitsInBackground }),
    ...(real.console === undefined ? {} : { console: real.console }),
    transact,
    get: (id) => real.get(id),
    list: (q) => real.list(q),
    events: (id) => real.events(id),
    history: (id) => real.history(id),
    stats: () => real.stats(),
    close: () => real.close(),
  };
}
