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
