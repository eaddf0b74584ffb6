/**
 * A store whose commits wait while held, so that a test can catch an intake batch in flight.
 */
import type { ConsoleStore } from '../src/store/console/port.js';
import { withTransact, type ClearanceStore } from '../src/store/index.js';

/** `real` with its commits gated: `hold()` makes the next commits wait until the returned release is called. */
export function gatedStore(
  real: ClearanceStore,
  console: ConsoleStore | undefined = real.console,
): { store: ClearanceStore; hold: () => () => void } {
  let gate: Promise<void> = Promise.resolve();
  const store: ClearanceStore = {
    ...withTransact(real, async (lookup, plan, opts) => {
      await gate;
      return real.transact(lookup, plan, opts);
    }),
    ...(console === undefined ? {} : { console }),
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
