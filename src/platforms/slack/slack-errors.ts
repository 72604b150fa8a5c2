import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../digest/delivery-error.ts";

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
 * Translates a failed send into the core's terms: a channel gone for good counts toward
 * disabling the target, closed DMs pause alerts, anything else (5xx, network, a rate limit that
 * outlasted the retries) stays transient and is thrown as it came.
 */
export function toDeliveryError(error: unknown, targetKey: string, toUser: boolean): unknown {
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
