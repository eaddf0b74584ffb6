/**
 * A short-lived memory of destinations that passed the check, so a burst of deliveries to one host makes
 * one name lookup instead of one each. What is kept is the checked result itself (every address the name
 * resolved to, each allowed): a delivery served from it still connects to those addresses only, so a
 * name that changes its answer meanwhile (DNS rebinding) cannot redirect it; the new answer is looked
 * up, and checked, once the entry expires. Refusals are not kept: a forbidden or unresolvable name is
 * resolved again at its next delivery. Concurrent checks of one host share one lookup.
 */
import type { DestinationCheck, DestinationGuard } from './destination.js';

/** How long a checked destination is reused (30 s): short, so a changed DNS answer is seen soon. */
export const defaultAddressTtlMs = 30_000;
/** How many hosts are remembered at most (the least recently used goes first). */
export const defaultAddressCacheHosts = 1000;

/** Settings of the address cache; tests pass a clock. */
export interface AddressCacheOptions {
  /** How long a checked destination is reused (default {@link defaultAddressTtlMs}); 0 turns the cache off. */
  ttlMs?: number;
  /** Hosts remembered at most (default {@link defaultAddressCacheHosts}). */
  maxHosts?: number;
  /** Milliseconds now (default `Date.now`). */
  clock?: () => number;
}

interface Entry {
  expiresAt: number;
  check: Promise<DestinationCheck>;
}

/** Wraps a guard with a bounded, expiring cache of its successful checks, keyed by host. */
export function cachedGuard(guard: DestinationGuard, opts: AddressCacheOptions = {}): DestinationGuard {
  const ttlMs = opts.ttlMs ?? defaultAddressTtlMs;
  const maxHosts = Math.max(1, opts.maxHosts ?? defaultAddressCacheHosts);
  const clock = opts.clock ?? Date.now;
  if (ttlMs <= 0) return guard;
  // A Map keeps insertion order: re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  const forget = (host: string, entry: Entry) => {
    if (entries.get(host) === entry) entries.delete(host);
  };
  return {
    check(url) {
      const host = url.hostname.toLowerCase();
      const now = clock();
      const hit = entries.get(host);
      entries.delete(host);
      if (hit !== undefined && hit.expiresAt > now) {
        entries.set(host, hit);
        return hit.check;
      }
      const entry: Entry = { expiresAt: now + ttlMs, check: guard.check(url) };
      entries.set(host, entry);
      while (entries.size > maxHosts) entries.delete(entries.keys().next().value!);
      entry.check.then(
        (r) => {
          if (!r.ok) forget(host, entry);
        },
        () => forget(host, entry),
      );
      return entry.check;
    },
  };
}
