import { setTimeout as sleepFor } from "node:timers/promises";

/**
 * How often, and how far apart, a send the platform did not take (or one with an unknown outcome,
 * resent under an idempotency key the platform dedupes) is tried again before the delivery gives
 * up for this run (and releases its claim for a later one).
 */
export interface SendRetryPolicy {
  /** Tries in all, the first included (default 3). */
  readonly attempts: number;
  /** Wait before the first retry (default 1 s); each later wait is `factor` times the one before. */
  readonly baseDelayMs: number;
  /** Growth of the wait per retry (default 4: 1 s, 4 s, 16 s, ...). */
  readonly factor: number;
  /** No wait is longer than this, Retry-After included (default 30 s). */
  readonly maxDelayMs: number;
  /** Waits `ms`, or rejects when `signal` aborts (shutdown). Injected by tests. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1): the jitter source. Injected by tests. */
  readonly random: () => number;
}

export const DEFAULT_SEND_RETRIES: SendRetryPolicy = {
  attempts: 3,
  baseDelayMs: 1000,
  factor: 4,
  maxDelayMs: 30_000,
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
  random: Math.random,
};

/**
 * The wait before retry number `retry` (1 for the first): exponential, with "equal jitter" (half
 * fixed, half random) so that targets failing together do not come back together, yet never
 * sooner than half the nominal wait. A Retry-After from the platform is a floor: coming back
 * earlier would only be refused again.
 */
export function retryDelayMs(policy: SendRetryPolicy, retry: number, retryAfterMs?: number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (retry - 1));
  const jittered = nominal / 2 + policy.random() * (nominal / 2);
  const floor = Math.min(policy.maxDelayMs, retryAfterMs ?? 0);
  return Math.round(Math.max(jittered, floor));
}
