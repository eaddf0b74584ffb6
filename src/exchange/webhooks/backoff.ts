/** Exponential backoff with jitter for webhook retries. */

/** Retry policy: attempts before dead-lettering and the delay curve. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Defaults: 8 attempts, 1 s doubling (cap 10 min): 127 s of nominal delay in all, 64-127 s with jitter. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 600_000 };

/**
 * Delay before the next attempt after `failures` failed attempts (>= 1): base x 2^(failures-1), capped,
 * then "equal jitter": half fixed, half uniformly random, so retries of many receivers spread out but
 * never come sooner than half the nominal delay. `random` returns [0, 1).
 */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
