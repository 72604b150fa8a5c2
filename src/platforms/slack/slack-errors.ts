import { webApi } from "@slack/bolt";
import { DeliveryError, NotTakenError } from "../../digest/delivery-error.ts";

/** The Slack error code of a failed Web API call (`channel_not_found`), if it was Slack that said no. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const coded = error as { code?: unknown; data?: { error?: unknown } };
  if (coded.code !== webApi.ErrorCode.PlatformError) return undefined;
  return typeof coded.data?.error === "string" ? coded.data.error : undefined;
}

/** What an admin can do about each permanent failure, in words. */
const channelGone: Readonly<Record<string, string>> = {
  channel_not_found:
    "The channel was deleted, or it is private and the bot is not in it: /invite the bot there and run /digest setup again",
  is_archived: "The channel is archived: unarchive it, or run /digest setup in another channel",
  not_in_channel: "The bot was removed from the channel: /invite it back and run /digest setup again",
  account_inactive:
    "The Slack app was uninstalled or deactivated: reinstall it, then run /digest setup again",
};

/** Codes meaning this user's DMs are closed to the bot (the user left or was deactivated). */
const dmClosed = new Set(["user_not_found", "user_disabled", "cannot_dm_bot", "messages_tab_disabled"]);

/**
 * Slack error codes that say the call was refused before anything was done. Not `internal_error`
 * or `fatal_error`: Slack's docs say "some aspect of the operation" may have succeeded.
 */
const refusedCodes: Readonly<Record<string, "rate-limited" | "server-error">> = {
  ratelimited: "rate-limited",
  rate_limited: "rate-limited",
  service_unavailable: "server-error",
  // "The POST data was either missing or truncated": the message never arrived whole.
  request_timeout: "server-error",
};

/** Network errors that mean the connection was never made, so Slack never saw the request. */
const neverConnected = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** 5xx answers that say Slack failed the call; 504 (a gateway timed out) leaves the outcome open. */
const failedOnSlacksSide = new Set([500, 502, 503]);

/**
 * The calls Slack provably did not take, as NotTakenError (the digest service tries them again):
 * a refusal code from the list above, a 500/502/503 or a rate limit that outlasted the Web API
 * client's own retries, a connection that was never made. Anything else stays as it came.
 */
function notTaken(error: unknown, targetKey: string): NotTakenError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const failed = error as {
    code?: unknown;
    statusCode?: unknown;
    retryAfter?: unknown;
    original?: { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  };
  const platformCode = slackErrorCode(error);
  const refused = platformCode === undefined ? undefined : refusedCodes[platformCode];
  if (refused) {
    return new NotTakenError(`Slack refused the post to ${targetKey}: ${platformCode}`, refused, {
      cause: error,
    });
  }
  if (failed.code === webApi.ErrorCode.RateLimitedError) {
    return new NotTakenError(`Slack rate-limited the post to ${targetKey}`, "rate-limited", {
      cause: error,
      ...(typeof failed.retryAfter === "number" && { retryAfterMs: failed.retryAfter * 1000 }),
    });
  }
  const original = failed.code === webApi.ErrorCode.RequestError ? failed.original : undefined;
  // With rejectRateLimitedCalls off, a 429 that outlasts the client's retries surfaces as a request
  // error wrapping the client's own "A rate limit was exceeded" Error.
  if (typeof original?.message === "string" && original.message.startsWith("A rate limit was exceeded")) {
    return new NotTakenError(`Slack rate-limited the post to ${targetKey}`, "rate-limited", { cause: error });
  }
  if (
    failed.code === webApi.ErrorCode.HTTPError &&
    typeof failed.statusCode === "number" &&
    failedOnSlacksSide.has(failed.statusCode)
  ) {
    return new NotTakenError(
      `Slack failed the post to ${targetKey} (HTTP ${failed.statusCode})`,
      "server-error",
      { cause: error },
    );
  }
  // fetch puts the system error's code on its cause: "fetch failed" { cause: { code: "ECONNREFUSED" } }.
  const networkCode = original?.code ?? original?.cause?.code;
  if (typeof networkCode === "string" && neverConnected.has(networkCode)) {
    return new NotTakenError(
      `could not connect to Slack to post to ${targetKey} (${networkCode})`,
      "unreachable",
      {
        cause: error,
      },
    );
  }
  return undefined;
}

/**
 * Translates a failed send into the core's terms: a channel gone for good counts toward
 * disabling the target, closed DMs pause alerts, a call Slack did not take is a NotTakenError;
 * anything else (a timeout, a reset connection) stays transient and is thrown as it came.
 */
export function toDeliveryError(error: unknown, targetKey: string, toUser: boolean): unknown {
  const refused = notTaken(error, targetKey);
  if (refused) return refused;
  const code = slackErrorCode(error);
  if (code === undefined) return error;
  const fix = channelGone[code];
  if (fix !== undefined)
    return new DeliveryError(`Slack refused to post to ${targetKey}: ${code}`, "target-gone", fix);
  if (toUser && dmClosed.has(code)) {
    return new DeliveryError(`Slack refused a direct message to ${targetKey}: ${code}`, "dm-closed");
  }
  return error;
}
