import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { DeliveryError, NotTakenError, OutcomeUnknownError } from "../../digest/delivery-error.ts";

/** Discord JSON error codes that mean "this target will not take messages until someone acts". */
export const DISCORD_ERRORS = {
  unknownChannel: 10003,
  missingAccess: 50001,
  cannotMessageUser: 50007,
  missingPermissions: 50013,
} as const;

/**
 * Network errors that mean the connection was never made, so Discord never saw the request.
 * A reset or a timeout after connecting is not here: the message may have been posted (see
 * LOST_AFTER_SENDING).
 */
const NEVER_CONNECTED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Network errors after the request went out: Discord may have posted the message. discord.js
 * itself re-sends a POST after a reset (ECONNRESET) or its own timeout (AbortError), up to
 * `retries` (3) more times at once, and gives up with the last error; a connection closed under
 * it (UND_ERR_SOCKET, "other side closed") it does not re-send. With a nonce, all of those
 * re-sends are safe.
 */
const LOST_AFTER_SENDING = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * 5xx answers that say Discord failed the request. 504 is not one: a gateway that timed out
 * waiting for the API cannot tell whether the API went on to post the message.
 */
const FAILED_ON_DISCORDS_SIDE = new Set([500, 502, 503]);

function errorCode(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return (
    code ?? (typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined)
  );
}

/**
 * The sends Discord provably did not take, as NotTakenError (the digest service tries them again):
 * a rate limit discord.js was told not to wait out, a 500/502/503 that outlasted discord.js's own
 * retries, a connection that was never made. Anything else stays as it came.
 */
function notTaken(error: unknown, where: string): NotTakenError | undefined {
  if (error instanceof RateLimitError) {
    return new NotTakenError(`Discord rate-limited the post to ${where}`, "rate-limited", {
      cause: error,
      retryAfterMs: error.retryAfter,
    });
  }
  if (error instanceof HTTPError && FAILED_ON_DISCORDS_SIDE.has(error.status)) {
    return new NotTakenError(`Discord failed the post to ${where} (HTTP ${error.status})`, "server-error", {
      cause: error,
    });
  }
  const code = errorCode(error);
  if (typeof code === "string" && NEVER_CONNECTED.has(code)) {
    return new NotTakenError(`could not connect to Discord to post to ${where} (${code})`, "unreachable", {
      cause: error,
    });
  }
  return undefined;
}

/**
 * The sends that reached Discord and got no answer, as OutcomeUnknownError: a timeout (discord.js
 * aborts after `timeout`, 15 s), a connection lost after the request went out, a 504 or another
 * 5xx that does not say the request failed (a gateway's or a proxy's). The message may be posted.
 */
function outcomeUnknown(error: unknown, where: string): OutcomeUnknownError | undefined {
  if (error instanceof HTTPError) {
    return new OutcomeUnknownError(
      `Discord did not say whether it posted to ${where} (HTTP ${error.status})`,
      {
        cause: error,
      },
    );
  }
  const code = errorCode(error);
  const timedOut = error instanceof Error && error.name === "AbortError";
  if (timedOut || (typeof code === "string" && LOST_AFTER_SENDING.has(code))) {
    const why = timedOut ? "timed out" : `lost the connection (${String(code)})`;
    return new OutcomeUnknownError(`the post to ${where} ${why} before Discord answered`, { cause: error });
  }
  return undefined;
}

/**
 * Translates a failed send into the core's terms: a channel deleted or closed to the bot is
 * "target-gone" (three in a row stop the digest), closed DMs are "dm-closed" (alerts pause), a
 * send Discord did not take is a NotTakenError, one Discord may or may not have posted an
 * OutcomeUnknownError (retried only under a nonce). Anything else is returned as is and counts as
 * transient (not retried at once).
 */
export function translateSendError(error: unknown, where: string): unknown {
  if (!(error instanceof DiscordAPIError))
    return notTaken(error, where) ?? outcomeUnknown(error, where) ?? error;
  switch (error.code) {
    case DISCORD_ERRORS.unknownChannel:
      return new DeliveryError(
        `${where} no longer exists (Discord error 10003)`,
        "target-gone",
        "Run /digest setup in the channel that should get the picks",
      );
    case DISCORD_ERRORS.missingAccess:
      return new DeliveryError(
        `the bot can no longer see ${where} (Discord error 50001)`,
        "target-gone",
        "Give the bot's role View Channel there (channel settings → Permissions)",
      );
    case DISCORD_ERRORS.missingPermissions:
      return new DeliveryError(
        `the bot may not post in ${where} (Discord error 50013)`,
        "target-gone",
        "Give the bot's role Send Messages and Embed Links there (channel settings → Permissions)",
      );
    case DISCORD_ERRORS.cannotMessageUser:
      return new DeliveryError("Discord refused a direct message to this user (error 50007)", "dm-closed");
    default:
      return error;
  }
}
