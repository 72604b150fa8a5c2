/**
 * Why a platform could not deliver, in the terms the core acts on. Platforms translate their
 * error codes (Discord 10003/50001/50013/50007, Slack channel_not_found/is_archived/...) into
 * one of these; anything else thrown by a sender counts as transient.
 */
export type DeliveryFailureKind =
  /** Worth trying again later: a 5xx, the network, a rate limit that outlasted the retries. */
  | "transient"
  /** The channel is gone or closed to the bot: counts toward disabling the target. */
  | "target-gone"
  /** The user does not accept direct messages from the bot: their alerts pause. */
  | "dm-closed";

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";

  constructor(
    message: string,
    readonly kind: DeliveryFailureKind,
    /** What an admin can do about it, in words: "Give the bot Send Messages in #papers, then /digest resume." */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** Consecutive permanent failures after which a channel digest stops until an admin fixes it. */
export const FAILURES_BEFORE_DISABLING = 3;

/** How a platform told us that it did not take a message. */
export type NotTakenReason =
  /** 429, or Slack's `ratelimited`: the request was refused before anything was posted. */
  | "rate-limited"
  /** The platform answered that it failed (500, 502, 503; Slack's `service_unavailable`). */
  | "server-error"
  /** The connection was never made (refused, no route, name not resolved): nothing was sent. */
  | "unreachable";

/**
 * A send that certainly did NOT post the message, so sending it again cannot post it twice.
 * Platforms throw this only when the platform said so or could not have seen the request; a send
 * whose outcome is unknown (a timeout or a reset after the request was written, a gateway timeout)
 * is not this error (see OutcomeUnknownError), because neither platform lets us ask whether it went
 * through, and a plain retry could post the digest twice. The digest service retries this error
 * with backoff, and an unknown outcome only where an idempotency key makes the retry safe.
 */
export class NotTakenError extends Error {
  override readonly name = "NotTakenError";
  /** What the platform asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly reason: NotTakenReason,
    options: { readonly cause?: unknown; readonly retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A send whose outcome is unknown: the request reached the platform, then no answer came back (a
 * timeout, a connection reset, a 504). The message may or may not be in the channel. Sending it
 * again is safe only when the send carried an idempotency key that the platform dedupes on; the
 * outbox says so by setting `resendableForMs` (how long after the first try a resend with the same
 * key returns the first message instead of posting again). Unset, the digest service does not retry.
 */
export class OutcomeUnknownError extends Error {
  override readonly name = "OutcomeUnknownError";
  /** Set by the outbox when the platform dedupes this send's idempotency key for this long. */
  readonly resendableForMs: number | undefined;

  constructor(
    message: string,
    options: { readonly cause?: unknown; readonly resendableForMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.resendableForMs = options.resendableForMs;
  }

  /** The same failure, known to be safe to resend with the same idempotency key for `windowMs`. */
  resendableFor(windowMs: number): OutcomeUnknownError {
    return new OutcomeUnknownError(this.message, { cause: this.cause, resendableForMs: windowMs });
  }
}
