/**
 * A store whose commits wait while held, so that a test can catch an intake batch in flight.
 */
import type { ConsoleStore } from '../src/store/console/port.js';
import type { ClearanceStore } from '../src/store/index.js';

/** `real` with its commits gated: `hold()` makes the next commits wait until the returned release is called. */
export function gatedStore(
  real: ClearanceStore,
  console: ConsoleStore | undefined = real.console,
): { store: ClearanceStore; hold: () => () => void } {
  let gate: Promise<void> = Promise.resolve();
  const store: ClearanceStore = {
    kind: real.kind,
    console,
    transact: async (lookup, plan) => {
      await gate;
      return real.transact(lookup, plan);
    },
    get: (id) => real.get(id),
    list: (q) => real.list(q),
    events: (id) => real.events(id),
    history: (id) => real.history(id),
    stats: () => real.stats(),
    close: () => real.close(),
  };
  return {
    store,
    hold: () => {
      let release = (): void => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}
