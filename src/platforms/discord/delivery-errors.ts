import { DiscordAPIError, HTTPError, RateLimitError } from "discord.js";
import { DeliveryError, NotTakenError } from "../../digest/delivery-error.ts";

/** Discord JSON error codes that mean "this target will not take messages until someone acts". */
export const DISCORD_ERRORS = {
  unknownChannel: 10003,
  missingAccess: 50001,
  cannotMessageUser: 50007,
  missingPermissions: 50013,
} as const;

/**
 * Network errors that mean the connection was never made, so Discord never saw the request.
 * A reset or a timeout after connecting is not here: the message may have been posted (and
 * discord.js already re-sends those by itself, `retries` times).
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
 * Translates a failed send into the core's terms: a channel deleted or closed to the bot is
 * "target-gone" (three in a row stop the digest), closed DMs are "dm-closed" (alerts pause), a
 * send Discord did not take is a NotTakenError. Anything else is returned as is and counts as
 * transient (not retried at once: its message may have been posted).
 */
export function translateSendError(error: unknown, where: string): unknown {
  if (!(error instanceof DiscordAPIError)) return notTaken(error, where) ?? error;
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
