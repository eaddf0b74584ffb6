/**
 * The clearance store as the pipeline sees it with a bounded per-person view (src/revenue/person-cache.ts):
 * a plan that read a person the view had not loaded (a re-assessment whose new record does not name the
 * consignee the stored sources give) is not written. The transaction is abandoned before any write, the
 * persons are loaded, and the batch is planned again (the pipeline's plan forgets what it noted first).
 */
import type { ClearanceStore } from '../store/index.js';

/** What the wrapper needs of the view. */
export interface PersonLoads {
  /** Persons read and not loaded since the last call. */
  takeMisses(): string[];
  /** Loads these persons and holds them until the release is called. */
  hold(personKeys: Iterable<string>): Promise<() => void>;
}

/** Thrown out of a plan that read persons not loaded; never escapes `transact`. */
class PersonsNotLoaded extends Error {
  constructor(readonly personKeys: readonly string[]) {
    super(`persons not loaded: ${personKeys.length}`);
  }
}

/** Plans of one transaction that may each load more persons before the last is written as it is. */
const maxAttempts = 3;

/** `store` with `transact` planning again after loading the persons a plan read without them. */
export function withPersonLoads(store: ClearanceStore, view: PersonLoads): ClearanceStore {
  const transact: ClearanceStore['transact'] = async (lookup, plan, opts) => {
    const releases: (() => void)[] = [];
    try {
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= maxAttempts;
        try {
          return await store.transact(
            lookup,
            last
              ? plan
              : (found) => {
                  view.takeMisses();
                  const planned = plan(found);
                  const missed = view.takeMisses();
                  if (missed.length > 0) throw new PersonsNotLoaded(missed);
                  return planned;
                },
            opts,
          );
        } catch (err) {
          if (!(err instanceof PersonsNotLoaded) || last) throw err;
          releases.push(await view.hold(err.personKeys));
        }
      }
    } finally {
      for (const r of releases) r();
    }
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'transact') return transact;
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let b = bound.get(prop);
      if (b === undefined) bound.set(prop, (b = (v as (...a: unknown[]) => unknown).bind(target)));
      return b;
    },
  });
}
