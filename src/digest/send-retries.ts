import { setTimeout as sleepFor } from "node:timers/promises";
import type { Logger } from "../log.ts";
import { NotTakenError, OutcomeUnknownError } from "./delivery-error.ts";

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

/** What the retry loop needs of the delivery's claim: whether shutdown gave it up, and its abort signal. */
export interface RetryGuard {
  readonly abandoned: boolean;
  readonly signal: AbortSignal;
  abandonedError(): Error;
}

export interface SendWithRetriesOptions {
  readonly policy: SendRetryPolicy;
  readonly guard: RetryGuard;
  readonly log: Logger;
  /** Told before each pause, for the metrics. */
  readonly onRetry?: () => void;
}

/**
 * Runs `send`, and runs it again after a backoff when that cannot post the message twice: the
 * platform provably did not take it (NotTakenError), or the outcome is unknown but the platform
 * dedupes the delivery's idempotency key and the retry falls inside its window (a resendable
 * OutcomeUnknownError). Any other failure is thrown at once: the message may already be in the
 * channel. Shutdown (the guard abandoned) cuts a pause short and stops the retries.
 */
export async function sendWithRetries<T>(
  send: () => Promise<T>,
  options: SendWithRetriesOptions,
): Promise<T> {
  const { policy, guard, log } = options;
  // Monotonic: the dedupe window is counted from before the first try, which is never after the first post.
  const firstTryAt = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= policy.attempts || guard.abandoned) throw error;
      const retryAfterMs = error instanceof NotTakenError ? error.retryAfterMs : undefined;
      const delayMs = retryDelayMs(policy, attempt, retryAfterMs);
      const resendBy = performance.now() - firstTryAt + delayMs;
      const resendable =
        error instanceof OutcomeUnknownError &&
        error.resendableForMs !== undefined &&
        resendBy < error.resendableForMs;
      if (error instanceof NotTakenError) {
        log.warn(
          { err: error, reason: error.reason, attempt, delayMs },
          "digest send was not taken by the platform; retrying after a pause",
        );
      } else if (resendable) {
        log.warn(
          { err: error, attempt, delayMs },
          "digest send got no answer; resending under the same idempotency key after a pause",
        );
      } else {
        throw error;
      }
      options.onRetry?.();
      // Shutdown cuts the pause short; the check below then stops the retry.
      await policy.sleep(delayMs, guard.signal).catch(() => undefined);
      if (guard.abandoned) throw guard.abandonedError();
    }
  }
}
