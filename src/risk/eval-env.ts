/** The evaluation environment a compiled expression reads: one per assessed consignment. */
import type { ConsignmentInput, Item } from '../domain/index.js';
import { TokenCache } from './text-normalise.js';
import type { Value } from './values.js';

/** Values the engine computes before rules run (indicators, watchlist, sources). */
export interface ComputedValues {
  intrinsicValueEur: string | null;
  sourceCount: number;
  mismatchCount: number;
  mismatchFields: ReadonlySet<string>;
  indicators: Readonly<Record<string, number>>;
  listed: Readonly<Record<string, boolean>>;
  now: string;
}

/** Mutable per-consignment state threaded through compiled closures (no allocation per rule). */
export interface EvalEnv {
  c: ConsignmentInput;
  items: readonly Item[];
  /** Current item inside a quantifier or aggregate; null at consignment level. */
  item: Item | null;
  /** Index of the item that last satisfied an `items.any(...)` predicate, -1 if none. */
  matched: number;
  computed: ComputedValues;
  /** Folded word tokens of texts read by word operators (shared by all rules of this consignment). */
  words: TokenCache;
}

/** A compiled expression. */
export type Evaluator = (env: EvalEnv) => Value;

/** Creates an environment for one consignment. */
export function createEnv(c: ConsignmentInput, computed: ComputedValues, words = new TokenCache()): EvalEnv {
  return { c, items: c.items, item: null, matched: -1, computed, words };
}
